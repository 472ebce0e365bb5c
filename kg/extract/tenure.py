"""Posts in time: which sentence says a post was held, held before, begun or ended.

    read_tenure(sentence, leaders)  the sentence's leaderOf relations with the official's title kept on
                                    their evidence, and its RoleMentions

Shapes:
  held         every leaderOf the sentence states: "Maj. Gen. X, commander of Y" (title "Maj. Gen., commander")
  past         a past marker before the official or the title: "former", "then-", "the late"
  start        an appointment: "Y named X its chief of staff", "X was appointed commander of Y",
               "parliament approved X as prime minister", "X succeeded Z as commander of Y" (Z's post ends)
  end          a death or a dismissal: "X was killed", "X died", "X was dismissed", "X resigned", "the late X"
An appointment also states leaderOf, as the sentence names who now leads the body.
The date of a start or an end is the one the sentence gives, else its story's date. Every cue word is
data in ontology/lexicon.json (appointment_verbs, succession_verbs, leaving_verbs, removal_verbs,
former_words, death_words, past_prefixes).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from spacy.tokens import Span, Token

from kg.extract.context import Sentence, child
from kg.extract.dates import mentioned_date, story_anchor
from kg.extract.entities import Found
from kg.model import Evidence, RelationMention, RoleMention

BODY_TYPES = frozenset({"Militia", "State", "Organization"})
_REACH = 6  # how many words before an official a title may start
_LONGEST_TITLE = 5


def read_tenure(sentence: Sentence, leaders: list[RelationMention]) -> tuple[list[RelationMention], list[RoleMention]]:
    """The leaderOf relations with their titles, and every post the sentence starts, holds or ends."""
    titled, roles = [], []
    by_name = {f.name: f for f in sentence.mentions if f.type == "Official"}
    for relation in leaders:
        official = by_name.get(relation.subject.text)
        title = official_title(sentence, official) if official is not None else ""
        evidence = replace(relation.evidence, title=title)
        titled.append(replace(relation, evidence=evidence))
        event = "past" if official is not None and is_past(sentence, official) else "held"
        roles.append(RoleMention(relation.subject, event, evidence, relation.object, post_of(sentence, title)))
    begun = list(appointments(sentence, titled))
    stated = {(r.subject.text, r.object.text) for r in titled}
    titled += [RelationMention(r.holder, "leaderOf", r.body, replace(r.evidence, date=sentence.document.date))
               for r in begun
               if r.event == "start" and r.body is not None and (r.holder.text, r.body.text) not in stated]
    roles += begun
    roles.extend(departures(sentence))
    roles.extend(the_late(sentence))
    return titled, roles


# ------------------------------------------------------------ titles


def official_title(sentence: Sentence, official: Found) -> str:
    """The titles the sentence gives an official, in reading order: before the name, inside its span,
    and in an apposition after it ('Col. X, spokesman for Y' -> 'Col., spokesman')."""
    doc, span = sentence.span.doc, sentence.span
    before = []
    for token in reversed(doc[max(span.start, official.start - _REACH): official.start]):
        if token.is_punct and token.text not in (".", "-"):
            break
        before.insert(0, token)
    after = []
    if official.end < span.end and doc[official.end].text == ",":
        for token in doc[official.end + 1: min(span.end, official.end + 1 + _REACH)]:
            if token.is_punct or token.pos_ in ("VERB", "AUX"):
                break
            after.append(token)
    words = title_phrases(sentence, before + list(official.span)) + title_phrases(sentence, after)
    return ", ".join(dict.fromkeys(words))


def title_phrases(sentence: Sentence, tokens: list[Token]) -> list[str]:
    """The longest title phrases of the lexicon among `tokens`, as the text spells them."""
    lex = sentence.lexicon
    titles = lex.official_titles | lex.leader_roles
    found, i = [], 0
    while i < len(tokens):
        for n in range(min(_LONGEST_TITLE, len(tokens) - i), 0, -1):
            words = tokens[i: i + n]
            if not all(words[k + 1].i == words[k].i + 1 for k in range(n - 1)):
                continue
            text = "".join(t.text_with_ws for t in words).strip()
            if text.lower() in titles or text.lower().rstrip(".") + "." in titles:
                found.append(text)
                i += n - 1
                break
        i += 1
    return found


def post_of(sentence: Sentence, title: str) -> str:
    """The post a title names, its last leader role: 'Maj. Gen., commander' -> 'commander', or a title
    holding one ('chief of staff'). A rank alone names no post."""
    roles = sentence.lexicon.leader_roles
    posts = [part.lower() for part in title.split(", ") if part.lower() in roles]
    posts = posts or [part.lower() for part in title.split(", ") if set(part.lower().split()) & roles]
    return posts[-1] if posts else ""


def is_past(sentence: Sentence, official: Found) -> bool:
    """'former commander X', 'then-President X', 'the late X': the post was held before."""
    lex = sentence.lexicon
    doc = sentence.span.doc
    for token in doc[max(sentence.span.start, official.start - _REACH): official.end]:
        if token.lower_ in lex.former_words or any(token.lower_.startswith(p) for p in lex.past_prefixes):
            return True
        if token.i + 1 < len(doc) and (token.lower_ + doc[token.i + 1].text) in lex.past_prefixes:
            return True  # "then" "-" "President" tokenized apart
    return False


# ------------------------------------------------------------ starts and ends


def appointments(sentence: Sentence, titled: list[RelationMention]) -> Iterator[RoleMention]:
    lex = sentence.lexicon
    for verb in sentence.span:
        lemma = verb.lemma_.lower()
        if lemma not in lex.appointment_verbs and lemma not in lex.succession_verbs or sentence.is_negated(verb):
            continue
        succession = lemma in lex.succession_verbs
        person = child(verb, "nsubj") if succession else (child(verb, "nsubjpass") or child(verb, "dobj")
                                                          or child(verb, "oprd"))
        if person is not None and person.lower_ in lex.relative_pronouns and verb.dep_ == "relcl":
            person = verb.head  # "X, who succeeded Y as ..."
        holder = _official(sentence, person)
        if holder is None:
            continue
        title_head = _title_head(sentence, verb, person)
        title = ", ".join(title_phrases(sentence, list(title_head.subtree))) if title_head is not None else ""
        body = _body(sentence, verb, title_head, holder, titled)
        if body is None:
            continue
        evidence = _dated(sentence, verb, "role.appointed" if not succession else "role.succeeded", 0.8, title)
        post = post_of(sentence, title)
        yield RoleMention(sentence.mention(holder), "start", evidence, sentence.mention(body), post)
        predecessor = _official(sentence, child(verb, "dobj")) if succession else None
        if predecessor is not None:
            yield RoleMention(sentence.mention(predecessor), "end", evidence, sentence.mention(body), post)


def departures(sentence: Sentence) -> Iterator[RoleMention]:
    """A death or dismissal ends every post of the official it names."""
    lex = sentence.lexicon
    for verb in sentence.span:
        lemma = verb.lemma_.lower()
        if lemma in lex.leaving_verbs:
            person = child(verb, "nsubj")
        elif lemma in lex.removal_verbs:
            person = child(verb, "nsubjpass") or child(verb, "dobj")
        else:
            continue
        if sentence.is_negated(verb) or sentence.is_hedged(verb):
            continue
        for holder in _officials(sentence, person):
            yield RoleMention(sentence.mention(holder), "end", _dated(sentence, verb, "role.ended", 0.8))


def the_late(sentence: Sentence) -> Iterator[RoleMention]:
    """'the late X': X died before the story's date, and so left every post."""
    doc, lex = sentence.span.doc, sentence.lexicon
    for official in sentence.mentions:
        before = doc[max(sentence.span.start, official.start - 2): official.start]
        if official.type == "Official" and any(t.lower_ in lex.death_words and t.dep_ == "amod" for t in before):
            yield RoleMention(sentence.mention(official), "end", sentence.evidence("role.late", 0.7))


def _title_head(sentence: Sentence, verb: Token, person: Token | None) -> Token | None:
    """The title an appointment gives: 'named X chief' (oprd), 'approved X as prime minister' (as),
    'X was appointed commander' (oprd/xcomp/attr)."""
    for c in verb.children:
        if c.dep_ in ("oprd", "xcomp", "attr") and c is not person:
            return c
        if c.dep_ == "prep" and c.lower_ in sentence.lexicon.as_prepositions and child(c, "pobj") is not None:
            return child(c, "pobj")
    return None


def _body(sentence: Sentence, verb: Token, title_head: Token | None, holder: Found,
          titled: list[RelationMention]) -> Found | None:
    """What the post is of: a body inside the title ('commander of Y', 'Y's chief'), the body doing the
    appointing ('Y named X its chief'), or the one this sentence says the holder leads."""
    if title_head is not None:
        for token in title_head.subtree:
            found = sentence.mention_at(token)
            if found is not None and found.type in BODY_TYPES:
                return found
    appointer = sentence.mention_at(child(verb, "nsubj")) if child(verb, "nsubj") is not None else None
    if appointer is not None and appointer.type in BODY_TYPES and title_head is not None \
            and any(t.dep_ == "poss" for t in title_head.children):
        return appointer
    for relation in titled:
        if relation.subject.text == holder.name:
            return next((f for f in sentence.mentions if f.name == relation.object.text), None)
    return None


def _official(sentence: Sentence, token: Token | None) -> Found | None:
    found = sentence.mention_at(token) if token is not None else None
    return found if found is not None and found.type == "Official" else None


def _officials(sentence: Sentence, token: Token | None) -> list[Found]:
    """The officials a noun phrase names: itself, or the ones in apposition or listed with it."""
    if token is None:
        return []
    found = [sentence.mention_at(t) for t in (token, *token.conjuncts)]
    return list({f.name: f for f in found if f is not None and f.type == "Official"}.values())


def _dated(sentence: Sentence, verb: Token, rule: str, confidence: float, title: str = "") -> Evidence:
    """Evidence dated by what the sentence says ('on May 7, 2020'), else by its story's date."""
    span: Span = sentence.span
    anchor = story_anchor(span.doc, span.start_char, sentence.document.date)
    day = mentioned_date(span.text, anchor, near=verb.idx - span.start_char) or anchor
    return replace(sentence.evidence(rule, confidence, hedged=sentence.is_hedged(verb)), date=day, title=title)
