"""leaderOf: an official and the body the text says they lead, command or speak for.

Shapes, in order of confidence:
  title before the name      "Pentagon spokesman John Kirby", "Iraqi Prime Minister X"
  apposition after the name  "Qais al-Khazali, the leader of Asa'ib Ahl al-Haq", "X, its commander"
  role of a body, then name  "the commander of the Quds Force ..., Qassem Soleimani", "Its spokesman, X"
  a clause                   "whose secretary-general is X", "X is the leader of Y"
  a verb of leading          "a faction led by X", "X, who heads Y", "Y has been commanded by X"
A title with no body ("then-President Donald Trump") takes the body from the
actor dictionary's roles for that person."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain

from kg.extract.context import Sentence, child
from kg.extract.entities import Found
from kg.model import RelationMention

LED_TYPES = frozenset({"Militia", "State", "Organization"})


def find_leadership(sentence: Sentence) -> Iterator[RelationMention]:
    for leader, body, rule, confidence in chain(led_by(sentence), officials_roles(sentence)):
        sentence.discourse.leaders[leader.name] = body  # before the next official: "X's spokesperson, Y"
        yield RelationMention(sentence.mention(leader), "leaderOf", sentence.mention(body),
                              sentence.evidence(rule, confidence))


def officials_roles(sentence: Sentence) -> Iterator[tuple[Found, Found, str, float]]:
    for official in sentence.mentions:
        if official.type != "Official":
            continue
        found = (title_before(sentence, official) or apposition_after(sentence, official)
                 or role_before(sentence, official) or whose_role(sentence, official)
                 or predicate_role(sentence, official) or serving_role(sentence, official)
                 or signed_role(sentence, official))
        if found is not None:
            yield (official, *found)


def led_by(sentence: Sentence) -> Iterator[tuple[Found, Found, str, float]]:
    """A verb of leading: 'a faction led by X', 'X, who heads Y', 'Y has been commanded since 2020 by X'."""
    for verb in sentence.span:
        if verb.lemma_.lower() not in sentence.lexicon.lead_verbs:
            continue
        relative = verb.dep_ in ("acl", "relcl")
        obj, agent = child(verb, "dobj"), child(verb, "agent")
        person = child(agent, "pobj")
        if relative and obj is not None:  # "Hadi al-Amiri, who heads the Badr Organization"
            leader, body, rule = sentence.mention_at(verb.head), sentence.mention_at(obj), "leader.who-leads"
        elif relative and person is not None:  # "a faction led by X"
            noun = verb.head.head if verb.head.dep_ == "appos" else verb.head
            leader, rule = sentence.mention_at(person), "leader.led-by"
            body = sentence.mention_at(noun) or sentence.mention_at(verb.head)
        elif person is not None and child(verb, "nsubjpass") is not None and not sentence.is_negated(verb):
            leader, rule = sentence.mention_at(person), "leader.passive"
            body = sentence.refers_to(child(verb, "nsubjpass"), LED_TYPES)
        else:
            continue
        if leader is not None and leader.type == "Official" and body is not None and body.type in LED_TYPES:
            yield leader, body, rule, 0.8


def whose_role(sentence: Sentence, official: Found):
    """'Kataib Sayyid al-Shuhada, whose secretary-general is Abu Alaa al-Walai'."""
    verb = official.root.head
    if official.root.dep_ != "attr" or verb.lemma_ not in sentence.lexicon.copulas or verb.dep_ != "relcl":
        return None
    role = child(verb, "nsubj")
    if role is None or role.lower_ not in sentence.lexicon.leader_roles or child(role, "poss") is None \
            or child(role, "poss").lower_ not in sentence.lexicon.relative_possessives:
        return None
    body = sentence.mention_at(verb.head)
    return (body, "leader.whose-role", 0.8) if body is not None and body.type in LED_TYPES else None


def predicate_role(sentence: Sentence, official: Found):
    """'X is the leader of Y', 'X was once a senior Kataib Hezbollah commander'."""
    verb = official.root.head
    if official.root.dep_ != "nsubj" or verb.lemma_ not in sentence.lexicon.copulas or sentence.is_negated(verb):
        return None
    role = child(verb, "attr")
    if role is None or role.lower_ not in sentence.lexicon.leader_roles:
        return None
    for modifier in role.children:
        if modifier.dep_ in ("compound", "poss", "nmod") and modifier.i < role.i:
            body = sentence.mention_at(modifier)
            if body is not None and body.type in LED_TYPES:
                return body, "leader.predicate", 0.8
        if modifier.dep_ == "prep" and modifier.lower_ in sentence.lexicon.owner_prepositions:
            body = body_through_of(sentence, modifier, None)
            if body is not None:
                return body, "leader.predicate", 0.8
    return None


def serving_role(sentence: Sentence, official: Found):
    """'X serves as the secretary general of Y', 'X acted as the group's spokesman'."""
    lex = sentence.lexicon
    verb = official.root.head
    if official.root.dep_ != "nsubj" or verb.lemma_.lower() not in lex.role_verbs or sentence.is_negated(verb):
        return None
    for prep in (c for c in verb.children if c.dep_ == "prep" and c.lower_ in lex.as_prepositions):
        role = child(prep, "pobj")
        named = {f"{c.lower_} {role.lower_}" for c in role.children if c.dep_ == "compound"} if role is not None else set()
        if role is None or not ({role.lower_} | named) & lex.leader_roles:  # "secretary general"
            continue
        for holder in (c for c in role.children if c.dep_ == "prep" and c.lower_ in lex.owner_prepositions):
            body = body_through_of(sentence, holder, None)
            if body is not None:
                return body, "leader.serves-as", 0.8
        owner = child(role, "poss")
        body = sentence.refers_to(owner, LED_TYPES) if owner is not None else None
        if body is not None:
            return body, "leader.serves-as", 0.8
    return None


def title_before(sentence: Sentence, official: Found):
    """'US President Joe Biden', "Prime Minister X's military spokesperson, Y"."""
    doc, lex = sentence.span.doc, sentence.lexicon
    start = official.start
    if start > sentence.span.start and doc[start - 1].text == ",":
        start -= 1  # "spokesperson, Yahya Rasool"
    window = []
    for i in range(start - 1, max(sentence.span.start, start - 9) - 1, -1):
        token = doc[i]
        inside_title = token.lower_ in lex.genitive_prepositions and (doc[i + 1].is_title or doc[i + 1].lower_ in lex.articles) \
            and doc[i - 1].is_title
        if token.pos_ in ("VERB", "AUX", "CCONJ") or token.pos_ == "ADP" and not (inside_title or token.is_title) \
                or token.text in (",", ";", ":", "(") and i != start:
            break
        window.insert(0, token)
    titled = [t for t in official.span if t.lower_ in lex.official_titles]  # "President Trump" is one name
    if not window and not titled:
        return None
    words = {t.lower_ for t in (*window, *titled)} | {t.lemma_.lower() for t in (*window, *titled)}
    if words & lex.not_official_roles or not words & lex.leader_roles:
        return None  # a rank alone ("Iranian Gen. X") says whose army, not what they lead
    for token in reversed(window):
        body = sentence.mention_at(token) or titled_demonym(sentence, token)
        if body is None or body is official:
            continue
        if body.type in LED_TYPES:
            return body, "leader.title", 0.9
        led = sentence.body_led_by(body, LED_TYPES) if body.type == "Official" else None
        if led is not None:  # the spokesperson of a prime minister
            return led, "leader.title-of-official", 0.7
    return dictionary_role(sentence, official, words) or speaker_for_last_subject(sentence, window)


def titled_demonym(sentence: Sentence, token) -> Found | None:
    """'Iraqi Prime Minister X' names Iraq; 'Iraqi militia commander X' does not."""
    titles = sentence.lexicon.official_titles | sentence.lexicon.leader_roles
    following = token.doc[token.i + 1: token.i + 4]
    phrase = " ".join(t.lower_ for t in following[:2])
    if not following or not (following[0].is_title or following[0].lower_ in titles or phrase in titles):
        return None  # "British Defence Secretary X", not "Iraqi militia commander X"
    return sentence.demonym_mention(token, frozenset({"State"}))


def speaker_for_last_subject(sentence: Sentence, window) -> tuple[Found, str, float] | None:
    """'Iraq's government condemned the strike. Spokesman X said ...': X speaks for the body just named."""
    if len(window) != 1 or window[0].lower_ not in sentence.lexicon.speaker_roles or window[0].i != sentence.span.start:
        return None
    body = sentence.discourse.last_subject(sentence.index, LED_TYPES)
    return (body, "leader.speaker-of-last-subject", 0.7) if body is not None else None


def dictionary_role(sentence: Sentence, official: Found, words: set[str]):
    """A bare title ('then-President Donald Trump'): the role the dictionary knows for them."""
    actor = sentence.actors.by_id.get(official.key or "")
    if actor is None:
        return None
    for role in actor.roles:
        role_words = set(role.role.lower().replace("-", " ").split())
        if role_words & {without_prefix(w, sentence.lexicon.past_prefixes) for w in words}:
            body = sentence.actors.by_id.get(role.of)
            if body is not None and body.type in LED_TYPES and (body.type == "State" or body.id in sentence.discourse.named):
                return Found(official.span, body.type, body.name, body.id), "leader.dictionary-role", 0.75
    return None


def signed_role(sentence: Sentence, official: Found):
    """A letter signed 'Sincerely, JOSEPH R. BIDEN JR.': the signer writes in the post the dictionary
    says they held on the document's date, or, undated, in the one body all their posts were of."""
    rest = [t for t in sentence.span if not (t.is_punct or official.covers(t) or t.lower_ in sentence.lexicon.name_suffixes)]
    before = sentence.span.doc.text[max(0, sentence.span.start_char - 40): sentence.span.start_char].lower()
    if rest or not any(f"{word}," in before for word in sentence.lexicon.salutations):
        return None
    roles = sentence.actors.by_id[official.key].roles if official.key in sentence.actors.by_id else []
    day = sentence.document.date
    if day is None:  # undated: only a signer whose every post was of one body
        bodies = {r.of for r in roles}
        held = roles if len(bodies) == 1 else []
    else:
        held = [r for r in roles if (r.start or "") <= day and (r.end is None or day < r.end)]
    role = max(held, key=lambda r: r.start or "", default=None)
    body = sentence.actors.by_id.get(role.of) if role is not None else None
    if body is None or body.type not in LED_TYPES or not (body.type == "State" or body.id in sentence.discourse.named):
        return None
    return Found(official.span, body.type, body.name, body.id), "leader.signature", 0.7


def without_prefix(word: str, prefixes) -> str:
    """'then-president' -> 'president'."""
    return next((word.removeprefix(p) for p in prefixes if word.startswith(p)), word)


def apposition_after(sentence: Sentence, official: Found):
    """'X, the leader of Y', 'X, a leader in the Y', 'X, commander of Y'."""
    doc, lex = sentence.span.doc, sentence.lexicon
    i = official.end
    if i >= sentence.span.end or doc[i].text != ",":
        return None
    first = doc[i + 1] if i + 1 < sentence.span.end else None
    if first is None or not (first.pos_ == "DET" or first.lower_ in lex.leader_roles or first.lower_ in lex.relative_pronouns | lex.possessive_pronouns
                             or first.pos_ in ("ADJ", "PROPN")):
        return None  # ", along with the commander of ...": not an apposition
    seen_role, pronoun = False, None
    for token in doc[i + 1: min(i + 10, sentence.span.end)]:
        if token.lower_ in lex.not_official_roles:
            return None
        if token.lower_ in lex.leader_roles:
            seen_role = True
            continue
        if token.lower_ in lex.possessive_pronouns and not seen_role:
            pronoun = token
            continue
        body = sentence.mention_at(token) or (titled_demonym(sentence, token) if not seen_role else None)
        if body is not None and seen_role and body.end < sentence.span.end and doc[body.end].text in ("'s", "’s"):
            continue  # "a spokesman for Iraq's Popular Mobilization Forces": the owner is not the body
        if body is not None:
            before = doc[body.start - 1] if doc[body.start - 1].pos_ != "ADJ" else doc[body.start - 2]
            if seen_role and body.type in LED_TYPES and (before.lower_ in lex.role_prepositions | lex.articles or before.text in ("“", '"', "'s", "’s")):
                return body, "leader.apposition", 0.9
            after = doc[body.end: min(body.end + 2, sentence.span.end)]  # "a KH commander", "Pentagon press secretary"
            if body.type in LED_TYPES and any(t.lower_ in lex.leader_roles for t in after) \
                    and not any(t.pos_ in ("VERB", "ADP", "PUNCT") for t in after[:-1]):
                return body, "leader.apposition", 0.85
            return None
        if token.pos_ == "VERB" or token.text in (",", ";", "."):
            break
    if seen_role and pronoun is not None:  # "Qassem Soleimani, its long-time commander"
        owner = sentence.possessor(pronoun, LED_TYPES)
        if owner is not None and owner.type in LED_TYPES:
            return owner, "leader.apposition-its", 0.75
    return None


def role_before(sentence: Sentence, official: Found):
    """'the commander of the Quds Force in the Revolutionary Guards, Qassem Soleimani'.

    The body is the object of the role's 'of'/'for', or of a further 'of'
    ('the envoy of the Secretary-General of the United Nations'); 'the
    spokesman for joint operations in Iraq' leads nothing we can name.
    """
    doc, lex = sentence.span.doc, sentence.lexicon
    lo = max(sentence.span.start, official.start - 14)
    roles = [t for t in doc[lo: official.start] if t.lower_ in lex.leader_roles]
    if not roles or any(t.lower_ in lex.not_official_roles for t in doc[roles[-1].i: official.start]):
        return None
    role = roles[-1]
    holders = [role, role.head] if role.head.i < official.start else [role]  # "Secretary-General": the head holds "of"
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in lex.owner_prepositions:
                body = body_through_of(sentence, prep, official)
                if body is not None:
                    return body, "leader.role-of", 0.8
    return role_owner(sentence, role, official)


def role_owner(sentence: Sentence, role, official: Found):
    """"Iran's ambassador in Baghdad, X", "Its spokesman, X", "its chief of staff, X": the role's owner.

    Only where the official stands in apposition to the role, so "Iran's envoy met X" gives nothing.
    """
    if official.root.dep_ != "appos":
        return None
    holders = [role, *list(role.ancestors)[:2]]  # "chief of staff": "staff" hangs from "of", from "chief"
    holder = next((t for t in holders if official.root.head.i == t.i), None)
    owner = child(holder, "poss")
    if owner is None:
        return None
    if owner.lower_ in sentence.lexicon.possessive_pronouns:
        body = sentence.possessor(owner, LED_TYPES)
    else:  # "Hezbollah's", "the group's" (told before), "Nasrallah's deputy" (what Nasrallah leads)
        body = sentence.refers_to(owner, LED_TYPES | {"Official"})
        if body is not None and body.type == "Official":
            body = sentence.body_led_by(body, LED_TYPES)
    return (body, "leader.role-owner", 0.75) if body is not None and body.type in LED_TYPES else None


def body_through_of(sentence: Sentence, prep, official: Found | None) -> Found | None:
    """The body an 'of' phrase names, before the official if one is given."""
    for _ in range(3):
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None or official is not None and obj.i >= official.start:
            return None
        body = sentence.mention_at(obj)
        if body is not None:
            return body if body.type in LED_TYPES else None
        prep = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ in sentence.lexicon.genitive_prepositions), None)
        if prep is None:
            return None
    return None
