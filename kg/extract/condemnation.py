"""condemned: an official, state or organisation condemning an actor's act.

  "Iraq's military has condemned the strikes as a violation of sovereignty"
  "Iran condemned U.S. air strikes on Iranian-backed groups"
  "the governor considered that 'what happened to Erbil airport is a terrorist act'"
The object is the actor whose act is condemned; where the document names no
actor for that attack, the attack's target (SCHEME.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from spacy.tokens import Token

from kg.extract.roles import ATTACKERS
from kg.extract.context import Sentence, child, is_strike
from kg.extract.entities import Found
from kg.model import RelationMention

CONDEMNERS = frozenset({"Official", "State", "Organization"})
OBJECTS = frozenset({"Militia", "State", "Organization", "Base", "Location"})
TARGETS = frozenset({"Base", "Location", "State"})


def find_condemnations(sentence: Sentence) -> Iterator[RelationMention]:
    found = ((speaker, target, rule, 0.8, False) for speaker, target, rule in candidates(sentence))
    return sentence.relations("condemned", found)


def candidates(sentence: Sentence):
    lex = sentence.lexicon
    for token in sentence.span:
        if token.lemma_.lower() in lex.condemn_lemmas and token.pos_ == "VERB" and not sentence.is_negated(token):
            agent = child(token, "agent")
            if agent is not None:  # "the attack was condemned by the Kurdistan Regional Government"
                speaker = sentence.actor_mention(child(agent, "pobj"), CONDEMNERS)
                target = condemned_object(sentence, child(token, "nsubjpass"), speaker) if speaker else None
                if target is not None:
                    yield speaker, target, "condemn.passive"
                continue
            for speaker in speakers_of(sentence, token):
                target = condemned_object(sentence, child(token, "dobj"), speaker)
                if target is not None:
                    yield speaker, target, "condemn.verb"
        elif token.lemma_.lower() in lex.condemn_nouns and token.pos_ == "NOUN" and not sentence.is_negated(token.head):
            yield from nominal(sentence, token)
    for cue in condemn_phrase_tokens(sentence):
        verb = speech_verb_over(sentence, cue)
        for speaker in speakers_of(sentence, verb) if verb is not None else ():
            target = act_in(sentence, speaker, verb, cue)
            if target is not None:
                yield speaker, target, "condemn.phrase"


def nominal(sentence: Sentence, noun: Token):
    """'The strike drew condemnation from Iraq and Turkey', "Jordan's condemnation of the attack"."""
    speakers = [sentence.actor_mention(c, CONDEMNERS) for c in noun.children if c.dep_ == "poss"]
    for prep in (c for c in noun.children if c.dep_ == "prep" and c.lower_ in sentence.lexicon.source_prepositions):
        speakers += sentence.members(prep, CONDEMNERS)
    of = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in sentence.lexicon.genitive_prepositions), None)
    act = child(of, "pobj") if of is not None else None
    if act is None and noun.dep_ == "dobj":  # "the strike drew condemnation": the verb's subject is the act
        act = child(noun.head, "nsubj")
    for speaker in (s for s in speakers if s is not None):
        target = condemned_object(sentence, act, speaker)
        if target is not None:
            yield speaker, target, "condemn.noun"


def condemn_phrase_tokens(sentence: Sentence) -> Iterator[Token]:
    """The first word of each 'terrorist act', 'an affront', 'a violation' in the sentence."""
    text = sentence.span.text.lower()
    base = sentence.span.start_char
    for phrase in sentence.lexicon.condemn_phrases:
        match = re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text)  # "terrorist act", not "terrorist activities"
        if match:
            token = sentence.span.doc.char_span(base + match.start(), base + match.end(), alignment_mode="expand")
            if token is not None:
                yield token.root


def speech_verb_over(sentence: Sentence, cue: Token) -> Token | None:
    """The speaking verb whose clause holds the cue: 'X said that ... is a terrorist act'."""
    for node in (cue, *cue.ancestors):
        if node.lemma_.lower() in sentence.lexicon.speech_verbs and node.pos_ == "VERB" and sentence.subject_of(node) is not None:
            return node
    return None


def speakers_of(sentence: Sentence, verb: Token) -> list[Found]:
    """Who speaks: the subject, 'the governor' or 'he' for the official last named, and 'we' for
    the actors a statement's heading names."""
    subject = sentence.subject_of(verb)
    if subject is None:
        return []
    found = sentence.actor_mention(subject, CONDEMNERS)
    if found is not None:
        return sentence.with_conjuncts(found)
    if subject.lower_ in sentence.lexicon.first_person_plural:
        return list(sentence.discourse.authors)
    if subject.lower_ in sentence.lexicon.leader_roles or subject.lower_ in sentence.lexicon.person_pronouns:
        official = sentence.discourse.last_official(sentence.index, sentence.window)  # "the governor considered"
        return [official] if official is not None else []
    return []


def condemned_object(sentence: Sentence, obj: Token | None, speaker: Found) -> Found | None:
    """'the strikes' -> whoever struck; 'U.S. air strikes' -> United States; 'KH' -> KH."""
    if obj is None:
        return None
    found = sentence.phrase_mention(obj, OBJECTS)
    if found is not None and found.type in ATTACKERS:
        return found
    if obj.lemma_.lower() in sentence.lexicon.attack_nouns:  # "the American attack", "Israeli strikes"
        for modifier in obj.children:
            if modifier.dep_ in ("amod", "compound") and modifier.i < obj.i:
                state = sentence.demonym_mention(modifier, frozenset({"State"}))
                if state is not None:
                    return state
    for token in obj.subtree:
        if token.dep_ == "prep" and token.lower_ in sentence.lexicon.agent_prepositions:
            by = sentence.phrase_mention(child(token, "pobj"), ATTACKERS) if child(token, "pobj") is not None else None
            if by is not None:
                return by
    named_target = found or target_in_phrase(sentence, obj)
    return attacker_or_target(sentence, named_target, obj.lemma_)


def act_in(sentence: Sentence, speaker: Found, verb: Token, cue: Token) -> Found | None:
    """What a 'terrorist act' / 'affront' / 'violation' clause is about; not whose sovereignty was violated."""
    clause = {t.i for t in verb.subtree} - {t.i for t in speaker.root.subtree} - {t.i for t in cue.subtree}
    targets = [m for m in sentence.mentions if m.type in TARGETS and m.start != speaker.start and m.root.i in clause
               and not describes_a_person(sentence, m)]
    if targets:
        return attacker_or_target(sentence, targets[0])
    doc = sentence.span.doc
    named = [doc[i] for i in sorted(clause) if doc[i].lemma_.lower() in sentence.lexicon.attack_nouns]
    return attacker_or_target(sentence, None, named[0].lemma_ if named else None)


def describes_a_person(sentence: Sentence, found: Found) -> bool:
    """'General X of Iran', "Iran's general": the state says whose the person was, not what was hit."""
    head = found.root.head.head if found.root.dep_ == "pobj" else found.root.head
    owner = sentence.mention_at(head)
    return owner is not None and owner.type == "Official"


def attacker_or_target(sentence: Sentence, target: Found | None, called: str | None = None) -> Found | None:
    discourse = sentence.discourse
    if target is not None:
        known = discourse.attack_on(target)
        return known.actor if known else target
    last = discourse.attack_called(called is not None and is_strike(called, sentence.lexicon), sentence.index,
                                   sentence.window)
    if last is None:
        return None
    return last.actor or last.target


def target_in_phrase(sentence: Sentence, obj: Token) -> Found | None:
    for token in obj.subtree:
        found = sentence.mention_at(token)
        if found is not None and found.type in TARGETS:
            return found
    return None
