"""Typed mentions of the six entity types, from the actor dictionary and from NER.

The dictionary's EntityRuler has already labelled known actors with our types.
Names NER finds are typed by rules over the name and its context, so unknown
groups, bases and officials still come through (SCHEME.md, issue "Extraction").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from kg.actors import ActorDictionary, fold
from kg.extract.lexicon import Lexicon
from kg.model import ENTITY_TYPES

NER_LABELS = {"ORG", "PERSON", "GPE", "LOC", "FAC", "NORP"}
_PLAIN_NAME = re.compile(r"^[^\W\d_][\w'’.\- ]*$")


@dataclass(frozen=True)
class Found:
    """A typed mention over a spaCy span. `name` is the span without titles or 's."""

    span: Span
    type: str
    name: str
    key: str | None = None

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def root(self) -> Token:
        return self.span.root

    def covers(self, token: Token) -> bool:
        return self.span.start <= token.i < self.span.end


def find_mentions(doc: Doc, lexicon: Lexicon, actors: ActorDictionary, min_length: int = 3) -> list[Found]:
    """Every typed mention in `doc`, in text order, without overlaps."""
    found = []
    commentators = commentator_names(doc, lexicon)
    for ent in doc.ents:
        mention = type_entity(ent, lexicon, actors, min_length)
        if mention is not None and fold(mention.name).split()[-1] not in commentators:
            found.append(mention)
    found = [with_mission_city(extend_to_base(f, lexicon), lexicon) for f in found]
    taken = {t for f in found for t in range(f.start, f.end) if f.key or f.type == "Base"}
    named_bases = {t for f in found if f.type == "Base" for t in range(f.start, f.end)}
    bases = base_phrases(doc, lexicon, taken, named_bases)
    covered = {t for b in bases for t in range(b.start, b.end)}
    found = [f for f in found if f.start not in covered] + bases  # the base absorbs the town in its name
    taken = {t for f in found for t in range(f.start, f.end)}
    found.extend(state_body_mentions(doc, lexicon, actors, taken))
    return without_overlaps(found)


def without_overlaps(found: list[Found]) -> list[Found]:
    """The longer of two overlapping mentions: 'the American Embassy in Beijing' holds 'Beijing'."""
    kept, taken = [], set()
    for mention in sorted(found, key=lambda f: (f.start - f.end, f.start)):
        if not taken & set(range(mention.start, mention.end)):
            kept.append(mention)
            taken |= set(range(mention.start, mention.end))
    return sorted(kept, key=lambda f: f.start)


def extend_to_base(found: Found, lexicon: Lexicon) -> Found:
    """'Ain al-Asad' + 'airbase' -> the Base 'Ain al-Asad airbase' (NER often stops at the name)."""
    doc = found.span.doc
    end = found.end
    for size in (3, 2, 1):  # "air base", "mission support site", "airport"
        words = " ".join(t.lower_ for t in doc[end: end + size])
        if end + size <= len(doc) and words in lexicon.base_words:
            end += size
            break
    if end == found.end or found.type not in ("Location", "Organization", "Official", "Base") or found.key:
        return found
    span = doc[found.start:end]
    return Found(span, "Base", span.text, None)


def base_phrases(doc: Doc, lexicon: Lexicon, taken: set[int], named_bases: set[int]) -> list[Found]:
    """'the U.S. embassy', 'Erbil airport', 'K1 air base': a named installation NER missed."""
    found = []
    for chunk in doc.noun_chunks:
        head = chunk.root
        if head.lower_ in lexicon.building_words and head.i > chunk.start:
            head = doc[head.i - 1]  # "the U.S. Embassy building" names the embassy
        if head.lower_ not in lexicon.base_words or head.i in taken:
            continue
        start = head.i
        while start > chunk.start and doc[start - 1].dep_ in ("compound", "amod", "nmod", "npadvmod", "nummod", "punct") \
                and doc[start - 1].lower_ not in lexicon.articles and doc[start - 1].text not in ('"', "“", "”", ","):
            start -= 1
        modifiers = doc[start: head.i]
        if any(t.i in named_bases for t in modifiers):
            continue  # "the Tower 22 military base": the dictionary already named it
        if not (head.is_title or any(names_a_place(t) for t in modifiers)):
            continue  # "the base", "an Iraqi air base", "a small US outpost": not named
        end = mission_city_end(doc, head, lexicon)
        span = doc[start: end]
        if span.text.lower() in lexicon.not_entities:
            continue
        found.append(Found(span, "Base", span.text, None))
    return found


def names_a_place(token: Token) -> bool:
    """A modifier that names an installation: 'Erbil' in 'Erbil airport', 'K1' in 'K1 air base', not 'US'."""
    if token.ent_type_ in ("State", "NORP", "Militia") or token.pos_ in ("ADJ", "DET", "NUM") or token.is_punct:
        return False  # "a US outpost", "a Kataib Hezbollah compound": whose, not which
    return token.pos_ == "PROPN" or token.ent_type_ in ("GPE", "ORG", "FAC", "LOC", "Location", "Base")


def with_mission_city(found: Found, lexicon: Lexicon) -> Found:
    """'The American Embassy' + 'in Beijing', as NER found it: the post is named by its city."""
    if found.type != "Base" or found.key:
        return found
    end = mission_city_end(found.span.doc, found.span[-1], lexicon)
    if end == found.end:
        return found
    span = found.span.doc[found.start: end]
    return Found(span, "Base", span.text)


def mission_city_end(doc: Doc, head: Token, lexicon: Lexicon) -> int:
    """Where a diplomatic post's name ends: 'the U.S. Embassy in Tehran' is named by its city."""
    end = head.i + 1
    if head.lower_ not in lexicon.mission_words or end + 1 >= len(doc) or doc[end].lower_ not in lexicon.place_prepositions:
        return end
    place = doc[end + 1]
    if place.ent_type_ in ("GPE", "Location") and place.is_title:
        last = place.i
        while last + 1 < len(doc) and doc[last + 1].ent_iob_ == "I":
            last += 1
        return last + 1
    return end


def type_entity(ent: Span, lexicon: Lexicon, actors: ActorDictionary, min_length: int) -> Found | None:
    if ent.label_ in ENTITY_TYPES:  # the dictionary's ruler
        actor = actors.by_id.get(ent.ent_id_)
        return Found(ent, ent.label_, actor.name if actor else ent.text, ent.ent_id_ or None)
    if ent.label_ not in NER_LABELS:
        return None
    span = trim(ent, lexicon)
    if span is None:
        return None
    if span.start > 0 and is_unit_name(span.doc[span.start - 1: span.end], lexicon):
        span = span.doc[span.start - 1: span.end]  # NER leaves the ordinal out: "82nd" + "Combat Aviation Brigade"
    name = span.text
    unit = is_unit_name(span, lexicon)
    if name.lower() in lexicon.not_entities or len(name) < min_length or not (_PLAIN_NAME.match(name) or unit):
        return None
    if span[0].lower_ in lexicon.ship_prefixes:
        return None  # "USS Carney", "MV Galaxy Leader": a ship, none of our six types
    if span[0].lower_ in lexicon.salutations or span.start > 0 and span.doc[span.start - 1].lower_ in lexicon.salutations:
        return None  # "Dear Madam President:" greets, it names no one
    if unit:
        return Found(span, "Organization", name)  # "the 82nd Airborne Division": a state's unit
    if all(t.is_stop or t.is_lower for t in span) or (name.isupper() and len(name) > 5 and " " not in name):
        return None  # "NEVER", "the government": words, not names
    if not plausible_name(span, ent.label_, lexicon):
        return None
    actor = actors.lookup(name)
    if actor is not None:
        return Found(span, actor.type, actor.name, actor.id)
    entity_type = type_by_rules(span, ent.label_, lexicon, actors)
    return Found(span, entity_type, name) if entity_type else None


def plausible_name(span: Span, label: str, lexicon: Lexicon) -> bool:
    """Weed out what the small model tags as names in headlines and captions."""
    words = [t.lower_ for t in span]
    if " ".join(words) in lexicon.official_titles or all(w in lexicon.official_titles for w in words):
        return False  # "Supreme Leader", "Defense"
    following = span.doc[span.end] if span.end < len(span.doc) else None
    if following is not None and f"{words[-1]} {following.lower_}" in lexicon.official_titles:
        return False  # "British Defence" of "British Defence Secretary X": half a title
    if label == "ORG" and not is_unit_name(span, lexicon):
        if span[-1].pos_ == "ADJ" or any(c.isdigit() for c in span.text):
            return False  # "Iraqi National" cut short; "B-1" is an aircraft
        if len(span) == 1 and not span.text.isupper() and not set(words) & lexicon.militia_name_words:
            return False  # one capitalised word ("Warplanes") is rarely an unknown organisation
    if label == "PERSON" and set(words) & (lexicon.attack_nouns | lexicon.attack_verbs | lexicon.headline_verbs):
        return False  # "Survives Drone Attack": a headline, not a person
    return True


def trim(ent: Span, lexicon: Lexicon) -> Span | None:
    """The name without a leading article or title and a trailing possessive."""
    start, end = ent.start, ent.end
    doc = ent.doc
    while start < end and (doc[start].lower_ in lexicon.articles or is_title(doc[start], lexicon)):
        start += 1
    inner = next((t.i for t in doc[start + 1: end] if t.text in ("'s", "’s")), None)
    end = inner if inner is not None else end  # "Islamic Resistance's Telegram": the owner is the name
    while end > start and (doc[end - 1].text in ("'s", "’s") or doc[end - 1].is_punct
                           or doc[end - 1].pos_ in ("ADP", "DET", "CCONJ")):
        end -= 1
    return doc[start:end] if end > start else None


def is_title(token: Token, lexicon: Lexicon) -> bool:
    return token.lower_ in lexicon.official_titles and (token.is_title or token.text.endswith("."))


def is_unit_name(span: Span, lexicon: Lexicon) -> bool:
    """'82nd Combat Aviation Brigade', '926th Engineer Battalion': an ordinal, then capitalised words."""
    first = span[0].lower_
    ordinal = first[:-2].isdigit() and first[-2:] in lexicon.unit_ordinal_suffixes
    return ordinal and len(span) > 1 and all(t.is_title or t.is_upper for t in span[1:])


def type_by_rules(span: Span, label: str, lexicon: Lexicon, actors: ActorDictionary) -> str | None:
    if label in ("PERSON", "ORG") and described_as_commentator(span, lexicon):
        return None  # "Michael Knights, an analyst at ...": journalists and analysts are not entities
    words = [t.lower_ for t in span]
    last = words[-1]
    if last in lexicon.base_words or " ".join(words[-2:]) in lexicon.base_words:
        return "Base"
    if len(words) > 1 and any(" ".join(words[:n]) in lexicon.base_prefixes for n in (1, 2, 3)):
        return "Base"  # "Fort Moore", "Camp Lemonnier"
    if label == "ORG" and titled_before(span, lexicon) and not set(words) & lexicon.organization_words:
        return "Official"  # "Prime Minister Kyriakos Mitsotakis", tagged ORG by the small model
    if label in ("ORG", "PERSON", "NORP") and any(w in lexicon.militia_name_words for w in words):
        if label != "PERSON" or len(words) > 1:
            return "Militia"
    if label == "ORG" and looks_like_a_person(span, words, lexicon) and has_official_context(span, lexicon):
        return "Official"  # "the prime minister of Greece, Kyriakos Mitsotakis", tagged ORG by the small model
    if label == "ORG":
        return "Militia" if has_militia_context(span, lexicon) else "Organization"
    if label == "PERSON":
        return "Official" if has_official_context(span, lexicon) else None
    if label == "GPE":
        return "Location"  # known states come from the dictionary
    if label in ("LOC", "FAC"):
        if len(words) > 1 and (last in lexicon.militia_unit_words or words[0] in lexicon.militia_lead_words):
            return "Militia"  # "the Thar al-Qadisiya Brigade", tagged FAC by the small model
        return "Location"
    return None


def looks_like_a_person(span: Span, words: list[str], lexicon: Lexicon) -> bool:
    """Two to four capitalised words after a comma, none an organisation's ('Forces', 'Ministry')."""
    doc = span.doc
    return (2 <= len(span) <= 4 and span.start > 0 and doc[span.start - 1].text == ","
            and all(t.is_title for t in span) and not set(words) & lexicon.organization_words)


def titled_before(span: Span, lexicon: Lexicon) -> bool:
    """A title right before the name: 'Prime Minister X', 'Gen. X'."""
    doc = span.doc
    before = [doc[i] for i in range(max(span.start - 2, 0), span.start)]
    return bool(before) and (before[-1].lower_ in lexicon.official_titles
                             or " ".join(t.lower_ for t in before) in lexicon.official_titles)


def commentator_names(doc: Doc, lexicon: Lexicon) -> set[str]:
    """Surnames of the analysts and journalists a document quotes: 'Al-Sharifi says' is one of them."""
    names = set()
    for ent in doc.ents:
        if ent.label_ == "PERSON" and len(ent) > 1 and described_as_commentator(ent, lexicon):
            last = fold(ent.text).split()[-1]
            names |= {last, *(last.removeprefix(f"{p} ") for p in lexicon.name_particles)}
    return names


def described_as_commentator(span: Span, lexicon: Lexicon) -> bool:
    """A role noun like 'analyst' or 'correspondent' right before the name or in apposition."""
    doc = span.doc
    before = doc[max(span.start - 2, span.sent.start): span.start]
    after = doc[span.end: min(span.end + 4, span.sent.end)]
    if any(t.lower_ in lexicon.not_official_roles for t in before):
        return True
    return bool(after) and after[0].text == "," and any(t.lower_ in lexicon.not_official_roles for t in after[1:])


def has_militia_context(span: Span, lexicon: Lexicon) -> bool:
    doc = span.doc
    before = doc[max(span.start - 2, 0): span.start]
    after = doc[span.end: span.end + 1]
    return any(t.lower_ in lexicon.militia_context_words for t in (*before, *after))


def has_official_context(span: Span, lexicon: Lexicon) -> bool:
    """A title before the name ('Col. Wayne Marotto'), or a role in apposition ('X, the leader of')."""
    doc = span.doc
    window = doc[max(span.start - 4, span.sent.start): span.start]
    if any(t.lower_ in lexicon.not_official_roles for t in window[-2:]):
        return False
    if any(t.lower_ in lexicon.official_titles or t.lemma_.lower() in lexicon.official_titles for t in window):
        return True
    for token in span.root.children:
        if token.dep_ == "appos":
            return any(t.lower_ in lexicon.leader_roles for t in token.subtree)
    head = span.root.head
    if span.root.dep_ == "appos" and head.lower_ in lexicon.leader_roles:
        return True
    following = doc[span.end: min(span.end + 5, span.sent.end)]
    if following and following[0].text == ",":
        roles = [t for t in following[1:] if t.lower_ in lexicon.leader_roles]
        blocked = [t for t in following[1:] if t.lower_ in lexicon.not_official_roles]
        return bool(roles) and not blocked
    return False


def state_body_mentions(doc: Doc, lexicon: Lexicon, actors: ActorDictionary, taken: set[int]) -> list[Found]:
    """'the Iraqi government', 'Iraq's military', 'U.S. forces': the state as a whole (SCHEME.md)."""
    found = []
    for token in doc:
        if token.i in taken or token.lower_ not in lexicon.state_body_words:
            continue
        modifier = token.i - 1
        if modifier >= 0 and doc[modifier].text in ("'s", "’s"):
            modifier -= 1
        if modifier < 0 or modifier in taken:  # "U.S. forces": the state is already a mention
            continue
        state = state_named_by(doc[modifier], lexicon, actors)
        if state is not None:
            found.append(Found(doc[modifier: token.i + 1], "State", state.name, state.id))
    return found


def state_named_by(token: Token, lexicon: Lexicon, actors: ActorDictionary):
    """The State a demonym or name stands for: 'Iraqi' -> Iraq."""
    name = lexicon.demonyms.get(token.lower_) or token.text
    actor = actors.lookup(name)
    return actor if actor is not None and actor.type == "State" else None


def add_surname_mentions(doc: Doc, found: list[Found], lexicon: Lexicon) -> list[Found]:
    """'Plasschaert said ...' after 'Jeanine Hennis-Plasschaert, the UN envoy': the same official.

    NER finds the bare surname as a PERSON with no title beside it; it counts as
    an official only when the document has already named that official in full.
    """
    taken = {t for f in found for t in range(f.start, f.end)}
    officials = {}
    for mention in found:
        if mention.type == "Official":
            for part in {mention.span[-1].text, mention.name.split()[-1], *mention.name.split("-")[-1:]}:
                officials.setdefault(part.lower(), mention)
    extra = []
    for ent in doc.ents:
        if ent.label_ != "PERSON" or any(t in taken for t in range(ent.start, ent.end)):
            continue
        span = trim(ent, lexicon)
        if span is None:
            continue
        full = officials.get(span[-1].text.lower())
        if full is not None and full.start < span.start:
            extra.append(Found(span, "Official", full.name, full.key))
    # "al-Baghdadi" after "Abu Bakr al-Baghdadi": a surname that reads like a place is the official
    retyped = [Found(f.span, "Official", officials[f.name.lower()].name, officials[f.name.lower()].key)
               if f.type == "Location" and f.name.lower() in officials
               and not (f.root.dep_ == "pobj" and f.root.head.lower_ in lexicon.place_prepositions)
               and officials[f.name.lower()].start < f.start else f for f in found]
    return sorted(retyped + extra, key=lambda f: f.start)


def capitals_never_places(found: list[Found], lexicon: Lexicon) -> set[str]:
    """Capitals the text uses only for their governments ('Tehran denied', 'Washington's answer'):
    no Location comes of them (SCHEME.md), while relations still read them as the state."""
    capitals = [f for f in found if f.type == "Location" and f.name.lower() in lexicon.capitals]
    places = {f.name for f in capitals if is_place_use(f)}
    return {f.name for f in capitals} - places


def is_place_use(found: Found) -> bool:
    """'in Tehran', 'to Moscow', a dateline 'BAGHDAD —', 'Baghdad's Green Zone' stand for the place."""
    root = found.root
    if root.dep_ == "pobj" or root.dep_ in ("conj", "appos") and root.head.dep_ == "pobj":
        return True
    if found.start == 0 or "\n" in found.span.doc[found.start - 1].text_with_ws:
        return True  # a dateline opens the line
    following = found.span.doc[found.end: found.end + 2]
    return len(following) == 2 and following[0].text in ("'s", "’s") and following[1].is_title
