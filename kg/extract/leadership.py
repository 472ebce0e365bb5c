"""leaderOf: an official and the body the text says they lead, command or speak for.

Three shapes, in order of confidence:
  title before the name      "Pentagon spokesman John Kirby", "Iraqi Prime Minister X"
  apposition after the name  "Qais al-Khazali, the leader of Asa'ib Ahl al-Haq"
  role of a body, then name  "the commander of the Quds Force ..., Qassem Soleimani"
A title with no body ("then-President Donald Trump") takes the body from the
actor dictionary's roles for that person.
"""

from __future__ import annotations

from collections.abc import Iterator

from kg.extract.context import Sentence
from kg.extract.entities import Found
from kg.model import RelationMention

LED_TYPES = frozenset({"Militia", "State", "Organization"})
ROLE_PREPOSITIONS = ("of", "for", "in", "at", "to")


def find_leadership(sentence: Sentence) -> Iterator[RelationMention]:
    yield from led_by(sentence)
    for official in sentence.mentions:
        if official.type != "Official":
            continue
        found = title_before(sentence, official) or apposition_after(sentence, official) or role_before(sentence, official)
        if found is None:
            continue
        body, rule, confidence = found
        sentence.discourse.leaders[official.name] = body.name
        yield RelationMention(sentence.mention(official), "leaderOf", sentence.mention(body),
                              sentence.evidence(rule, confidence))


def led_by(sentence: Sentence) -> Iterator[RelationMention]:
    """'Kataib Sayyid al-Shuhada, a faction led by Abu Alaa al-Walai': the body and its leader."""
    for token in sentence.span:
        if token.lemma_.lower() not in ("lead", "head", "command") or token.dep_ not in ("acl", "relcl"):
            continue
        obj = next((c for c in token.children if c.dep_ == "dobj"), None)
        if obj is not None:  # "Hadi al-Amiri, who heads the Badr Organization"
            leader, body = sentence.mention_at(token.head), sentence.mention_at(obj)
            if leader is not None and leader.type == "Official" and body is not None and body.type in LED_TYPES:
                yield RelationMention(sentence.mention(leader), "leaderOf", sentence.mention(body),
                                      sentence.evidence("leader.who-leads", 0.8))
            continue
        agent = next((c for c in token.children if c.dep_ == "agent"), None)
        person = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        leader = sentence.mention_at(person) if person is not None else None
        noun = token.head.head if token.head.dep_ == "appos" else token.head
        body = sentence.mention_at(noun) or sentence.mention_at(token.head)
        if leader is not None and leader.type == "Official" and body is not None and body.type in LED_TYPES:
            sentence.discourse.leaders[leader.name] = body.name
            yield RelationMention(sentence.mention(leader), "leaderOf", sentence.mention(body),
                                  sentence.evidence("leader.led-by", 0.8))


def title_before(sentence: Sentence, official: Found):
    """'US President Joe Biden', "Prime Minister X's military spokesperson, Y"."""
    doc, lex = sentence.span.doc, sentence.lexicon
    start = official.start
    if start > sentence.span.start and doc[start - 1].text == ",":
        start -= 1  # "spokesperson, Yahya Rasool"
    window = []
    for i in range(start - 1, max(sentence.span.start, start - 7) - 1, -1):
        token = doc[i]
        inside_title = token.lower_ == "of" and doc[i + 1].is_title and doc[i - 1].is_title
        if token.pos_ in ("VERB", "AUX") or token.pos_ == "ADP" and not inside_title \
                or token.text in (",", ";", ":", "(") and i != start:
            break
        window.insert(0, token)
    if not window:
        return None
    words = {t.lower_ for t in window} | {t.lemma_.lower() for t in window}
    if words & lex.not_official_roles or not words & (lex.leader_roles | lex.official_titles):
        return None
    for token in reversed(window):
        body = sentence.mention_at(token) or sentence.demonym_mention(token, frozenset({"State"}))
        if body is None or body is official:
            continue
        if body.type in LED_TYPES:
            return body, "leader.title", 0.9
        if body.type == "Official" and body.name in sentence.discourse.leaders:
            led = sentence.discourse.leaders[body.name]  # the spokesperson of a prime minister
            return Found(body.span, "State", led, None), "leader.title-of-official", 0.7
    return dictionary_role(sentence, official, words)


def dictionary_role(sentence: Sentence, official: Found, words: set[str]):
    """A bare title ('then-President Donald Trump'): the role the dictionary knows for them."""
    actor = sentence.actors.by_id.get(official.key or "")
    if actor is None:
        return None
    for role in actor.roles:
        role_words = set(role.role.lower().replace("-", " ").split())
        if role_words & {w.replace("then-", "") for w in words}:
            body = sentence.actors.by_id.get(role.of)
            if body is not None and body.type in LED_TYPES:
                return Found(official.span, body.type, body.name, body.id), "leader.dictionary-role", 0.75
    return None


def apposition_after(sentence: Sentence, official: Found):
    """'X, the leader of Y', 'X, a leader in the Y', 'X, commander of Y'."""
    doc, lex = sentence.span.doc, sentence.lexicon
    i = official.end
    if i >= sentence.span.end or doc[i].text != ",":
        return None
    first = doc[i + 1] if i + 1 < sentence.span.end else None
    if first is None or not (first.pos_ == "DET" or first.lower_ in lex.leader_roles or first.lower_ in ("who", "its", "their")
                             or first.pos_ in ("ADJ", "PROPN")):
        return None  # ", along with the commander of ...": not an apposition
    seen_role = False
    for token in doc[i + 1: min(i + 10, sentence.span.end)]:
        if token.lower_ in lex.not_official_roles:
            return None
        if token.lower_ in lex.leader_roles:
            seen_role = True
            continue
        body = sentence.mention_at(token)
        if body is not None:
            if seen_role and body.type in LED_TYPES and doc[body.start - 1].lower_ in ROLE_PREPOSITIONS + ("the", "“", '"'):
                return body, "leader.apposition", 0.9
            after = doc[body.end] if body.end < sentence.span.end else None
            if not seen_role and body.type in LED_TYPES and after is not None and after.lower_ in lex.leader_roles:
                return body, "leader.apposition", 0.85  # "X, a Kataib Hezbollah commander"
            return None
        if token.pos_ == "VERB" or token.text in (",", ";", "."):
            return None
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
            if prep.dep_ == "prep" and prep.lower_ in ("of", "for"):
                body = body_through_of(sentence, prep, official)
                if body is not None:
                    return body, "leader.role-of", 0.8
    return None


def body_through_of(sentence: Sentence, prep, official: Found) -> Found | None:
    for _ in range(3):
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        if obj is None or obj.i >= official.start:
            return None
        body = sentence.mention_at(obj)
        if body is not None:
            return body if body.type in LED_TYPES else None
        prep = next((c for c in obj.children if c.dep_ == "prep" and c.lower_ == "of"), None)
        if prep is None:
            return None
    return None
