"""claimed: a group's own claim of responsibility for an attack on a target.

  "Saraya Awliya al-Dam claimed responsibility for the attack on Erbil"
  "The attack was claimed by a newly formed militia ... read the statement
   signed by Al-Muhandis Revenge Brigade"   (the group is named sentences later)
A self-claim gives `claimed` only, never `attacked`; "has not claimed" and
"no immediate claims" give nothing (SCHEME.md).
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.roles import target_of
from kg.extract.context import Sentence, child
from kg.extract.discourse import AttackRecord
from kg.extract.entities import Found
from kg.model import RelationMention

MILITIA = frozenset({"Militia"})
CLAIM_TARGETS = frozenset({"Base", "Location", "State"})


def find_claims(sentence: Sentence, pending: list[int]) -> Iterator[RelationMention]:
    """Claims in this sentence. `pending` holds the sentences whose claim names no group yet."""
    for cue in claim_cues(sentence):
        if sentence.is_negated(cue):
            continue
        group = claimant(sentence, cue)
        if group is None:
            pending.append(sentence.index)  # "claimed by a newly formed militia": look ahead
            continue
        yield from claim(sentence, group, target_in(sentence, cue), "claim.verb")
    for group in statement_signers(sentence):
        if pending or quoted_attack(sentence):
            pending.clear()
            yield from claim(sentence, group, target_in(sentence, None), "claim.statement")


def claim(sentence: Sentence, group: Found, target: Found | None, rule: str) -> Iterator[RelationMention]:
    if target is None:
        last = sentence.discourse.last_attack(sentence.index, sentence.window)
        target = last.target if last else None
    if target is None or target.name == group.name:
        return
    sentence.discourse.tell(AttackRecord(target, None, group, sentence.index))
    yield RelationMention(sentence.mention(group), "claimed", sentence.mention(target),
                          sentence.evidence(rule, 0.85))


def claim_cues(sentence: Sentence) -> Iterator[Token]:
    lex = sentence.lexicon
    responsibility = any(t.lemma_.lower() in lex.responsibility_nouns for t in sentence.span)
    for token in sentence.span:
        lemma = token.lemma_.lower()
        if lemma in lex.claim_lemmas and token.pos_ == "VERB":
            if token.dep_ == "amod" or any(c.lower_ in lex.person_pronouns for c in token.children if c.dep_ == "nsubj"):
                continue
            yield token
        elif lemma in lex.claim_lemmas | lex.responsibility_nouns and token.pos_ == "NOUN" and responsibility:
            if lemma in lex.claim_lemmas or token.head.lemma_.lower() in lex.responsibility_verbs:
                yield token


def claimant(sentence: Sentence, cue: Token) -> Found | None:
    """Who claims: the subject, the agent of a passive, or 'claim by X'."""
    subject = child(cue, "nsubj")
    if subject is None and cue.pos_ == "NOUN":
        subject = child(cue.head, "nsubj")
    agent = child(cue, "agent") or next((c for c in cue.children if c.dep_ == "prep" and c.lower_ in sentence.lexicon.agent_prepositions), None)
    for holder in (subject, child(agent, "pobj") if agent is not None else None):
        if holder is None:
            continue
        found = sentence.refers_to(holder, MILITIA) or next(iter(sentence.members(holder, MILITIA)), None)
        if found is not None:
            return found
    return None


def target_in(sentence: Sentence, cue: Token | None) -> Found | None:
    """The target the claim names: 'responsibility for the attack on X', or a base quoted."""
    if cue is not None:
        for token in cue.subtree:
            if token.dep_ == "prep" and token.lower_ in sentence.lexicon.target_prepositions:
                found = target_of(sentence, child(token, "pobj"))
                if found is not None and found.type in CLAIM_TARGETS:
                    return found
    bases = [m for m in sentence.mentions if m.type == "Base"]
    return bases[0] if bases else None


def statement_signers(sentence: Sentence) -> Iterator[Found]:
    """'the statement signed by X', 'a statement issued by X'."""
    lex = sentence.lexicon
    for token in sentence.span:
        if token.lemma_.lower() in lex.statement_verbs and token.head.lemma_.lower() in lex.statement_words:
            agent = child(token, "agent")
            found = sentence.phrase_mention(child(agent, "pobj"), MILITIA) if agent is not None else None
            if found is not None:
                yield found


def quoted_attack(sentence: Sentence) -> bool:
    """A statement that itself tells of an attack ('our mujahideen were able to target ...')."""
    words = sentence.lexicon.attack_report_words
    return any(t.lower_ in words or t.lemma_.lower() in words for t in sentence.span)
