"""Attacks that the relation readings leave without an event: dated lists and attacks told by their place.

`listed_attacks` reads "attacks have included ones on X on April 4 and May 3; Y on May 2" as one
attack per target and day; `placed_attacks` reads an attack that names no target the scheme
allows, only where it happened ("a car bomb attack in the Gaza Strip", "gunmen killed two
contractors in Basra"). `base_at` and `named_attacker` also fill an event the readings gave
without a target or an attacker. Cue words: ontology/events.json.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from kg.extract.context import is_definite, is_strike
from kg.extract.dates import MONTH, dates_in, story_anchor
from kg.extract.events import (
    EventCues, casualties, is_caption, is_general, named_dead, own_clauses, places_of, weapon_and_count,
)
from kg.extract.when import event_date
from kg.model import AttackMention

if TYPE_CHECKING:
    from spacy.tokens import Token

_LANDMARK = re.compile(r"\b(?:near|outside|north|south|east|west|close to|next to)\b(?:\s+of)?(?:\s+the)?\s*$")

__all__ = ["listed_attacks", "placed_attacks", "toll_of_the_attack", "base_at", "named_attacker"]


# ---------------------------------------------------------------- dated lists

LIST_TARGETS = frozenset({"Base", "Location", "State", "Militia"})


def listed_attacks(sentence, cues: EventCues) -> list[AttackMention]:
    """'Recent rocket attacks have included ones on X on April 4, April 18, and May 3, 2021; Y on
    May 2, 2021': a list of attacks, one per target and stated day. Read only where the sentence
    names attacks in the plural and states at least two days; each target takes the days that
    follow it before the next target."""
    lex = sentence.lexicon
    plural = [t for t in sentence.span
              if t.tag_ == "NNS" and (t.lower_ in lex.attack_nouns or t.lemma_.lower() in lex.attack_nouns)]
    if not plural or is_caption(sentence.span.text, cues):
        return []
    base = sentence.span.start_char
    anchor = story_anchor(sentence.span.doc, base, sentence.document.date)
    days = [d for d in dates_in(sentence.span.text, anchor) if d.kind == "day" and not d.period]
    if len(days) < 2:
        return []
    text = sentence.span.text
    targets = []
    for found in (f for f in sentence.mentions if f.type in LIST_TARGETS):
        between = text[(targets[-1].span.end_char - base) if targets else 0: found.span.start_char - base]
        after = text[found.span.end_char - base:].lstrip()
        if re.match(r"(?-i:[A-Z][a-z]+)", after) and not re.match(MONTH, after, re.I):
            continue  # "the Baghdad Diplomatic Support Center": a place inside a name we do not know
        if targets and _LANDMARK.search(between):
            continue  # "the support center near the Baghdad airport on May 2": a landmark, not the target
        targets.append(found)
    events = []
    for i, target in enumerate(targets):
        start = target.span.end_char - base
        stop = targets[i + 1].span.start_char - base if i + 1 < len(targets) else len(sentence.span.text)
        weapon = _weapon_before(sentence, target.span.start)
        for day in (d for d in days if start <= d.start < stop):
            events.append(AttackMention(target=sentence.mention(target), date=day.value, weapon=weapon,
                                        evidence=sentence.evidence("attack.listed.event", 0.7)))
    return events


def _weapon_before(sentence, index: int) -> str | None:
    weapons = sentence.lexicon.weapons
    found = None
    for token in sentence.span:
        if token.i >= index:
            break
        found = weapons.get(token.lower_) or weapons.get(token.lemma_.lower()) or found
    return found


# ---------------------------------------------------------------- attacks told by their place

ATTACKER_TYPES = frozenset({"Militia", "State", "Organization"})


def placed_attacks(sentence, cues: EventCues, taken: set[int]) -> list[AttackMention]:
    """An attack that names no target the scheme allows, only where it happened: "Hezbollah
    terrorists killed 23 people in a car bomb attack at the embassy annex in Beirut", "a U.S.
    drone strike in Baghdad killed the general". One event per such attack word (not already
    read, `taken`), with the place, and the attacker when the attack word or its verb names one."""
    lex = sentence.lexicon
    events = []
    nouns = lex.attack_nouns | cues.event_nouns
    for token in sentence.span:
        if token.i in taken:
            continue
        if token.pos_ in ("NOUN", "PROPN"):
            if not (token.lower_ in nouns or token.lemma_.lower() in nouns) or _unreal_object(sentence, token):
                continue
        elif token.pos_ == "VERB" and token.lemma_.lower() in cues.event_verbs:
            if _unreal(sentence, token):
                continue
        else:
            continue
        if token.lower_ in lex.weapons or token.lemma_.lower() in lex.weapons or is_general(sentence, token, cues):
            continue
        base = base_at(sentence, token)
        places = places_of(sentence, token, base)
        if not places and base is None:
            continue
        attacker = named_attacker(sentence, token)
        if token.pos_ == "VERB" and attacker is None and token.lemma_.lower() not in lex.attack_verbs \
                and not _by_assailants(sentence, token, cues):
            continue  # "was killed in Baghdad": a death, not an attack, unless a group or its gunmen did it
        date = event_date(sentence, token, base, cues)
        killed, wounded = casualties(own_clauses(sentence, token), cues) if len(places) < 2 else (None, None)
        if killed is None and len(places) < 2:
            killed = named_dead(sentence)
        weapon, count = weapon_and_count(sentence, cues)
        for place in places or [None]:
            events.append(AttackMention(
                target=sentence.mention(base) if base is not None else None,
                attacker=sentence.mention(attacker) if attacker is not None else None,
                evidence=sentence.evidence("attack.placed.event", 0.6, hedged=sentence.is_hedged(token)),
                date=date, weapon=weapon, count=count, killed=killed, wounded=wounded,
                place=sentence.mention(place) if place is not None else None))
        taken.add(token.i)
    return events


def toll_of_the_attack(sentence, cues: EventCues) -> list[AttackMention]:
    """'More than 40 troops were wounded in the attack': the toll of the attack the text told of,
    as one more telling of it (the merge keeps the highest toll its tellings give)."""
    lex = sentence.lexicon
    referring = next((t for t in sentence.span if t.pos_ == "NOUN" and t.tag_ != "NNS" and is_definite(t, lex)
                      and t.lemma_.lower() in lex.attack_nouns), None)
    if referring is None or is_caption(sentence.span.text, cues):
        return []
    killed, wounded = casualties(own_clauses(sentence, referring), cues)
    if killed is None and wounded is None:
        return []
    told = sentence.discourse.attack_called(is_strike(referring.lemma_, lex), sentence.index, sentence.window)
    if told is None or told.target is None or not told.single:
        return []
    return [AttackMention(target=sentence.mention(told.target), evidence=sentence.evidence("attack.toll.event", 0.6),
                          date=told.date, killed=killed, wounded=wounded)]


def _by_assailants(sentence, verb: Token, cues: EventCues) -> bool:
    """'Terrorists killed ...', 'gunmen shot ...': an unnamed attacker, but an attacker."""
    subject = sentence.subject_of(verb)
    return subject is not None and subject.lower_ in cues.assailant_words


def base_at(sentence, word: Token):
    """A base the attack word names with 'at', 'on' or 'against': 'the killing of three Americans at Tower 22'."""
    holders = [word, *(g for c in word.children if c.dep_ == "prep" and c.lower_ == "of" for g in c.children)]
    for held in holders[1:]:  # "the seizing of the U.S. Embassy in Tehran"
        found = sentence.mention_at(held)
        if found is not None and found.type == "Base":
            return found
    if word.dep_ == "dobj" and word.head.pos_ == "VERB":  # "carried out a bombing at the U.S. Embassy"
        holders.append(word.head)
    for holder in holders:
        for prep in holder.children:
            if prep.dep_ == "prep" and prep.lower_ in ("at", "on", "against"):
                obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
                found = sentence.mention_at(obj) if obj is not None else None
                if found is not None and found.type == "Base":
                    return found
    return None


def _unreal(sentence, verb: Token) -> bool:
    """Negated, or wished, threatened or planned: 'vowed to strike', 'will attack', 'did not fire'."""
    lex = sentence.lexicon
    if sentence.is_negated(verb) or any(c.dep_ == "aux" and c.lower_ in lex.irrealis_auxiliaries for c in verb.children):
        return True
    return any(a.lemma_.lower() in lex.irrealis_verbs for a in verb.ancestors)


def _unreal_object(sentence, noun: Token) -> bool:
    """An attack word its verb says did not happen: 'prevented an attack', 'called for attacks'."""
    holder = noun.head.head if noun.head.dep_ == "prep" else noun.head
    lemma, lex = holder.lemma_.lower(), sentence.lexicon
    if holder.pos_ != "VERB" or lemma in lex.condemn_lemmas:  # "condemned the attack in Basra": it happened
        return False
    return lemma in lex.irrealis_verbs or _unreal(sentence, holder)


def named_attacker(sentence, noun: Token):
    """'a U.S. drone strike' (a modifier), or the subject of the verb the attack word hangs from
    ('Hezbollah terrorists killed ... in a truck bombing')."""
    for c in noun.children:
        if c.dep_ in ("compound", "amod", "poss", "nmod") and c.i < noun.i:
            found = sentence.phrase_mention(c, ATTACKER_TYPES) or sentence.demonym_mention(c, ATTACKER_TYPES)
            if found is not None:
                return found
    verb = noun
    while verb.pos_ != "VERB" and verb.dep_ in ("pobj", "prep", "dobj") and verb.head is not verb:
        verb = verb.head
    lex = sentence.lexicon
    doers = lex.attack_verbs | lex.casualty_verbs | lex.light_verbs | lex.impact_verbs
    if verb.pos_ == "VERB" and not sentence.is_negated(verb) and verb.lemma_.lower() in doers:
        # the subject of "killed", "carried out", "launched"; not of "claimed", "condemned" or "said"
        subject = sentence.subject_of(verb)  # through "killed ... and wounded ... in a rocket attack"
        if subject is not None and subject is not noun and subject.lemma_.lower() in sentence.lexicon.attack_nouns:
            return named_attacker(sentence, subject)  # "an Iranian drone attack killed ... in a strike on X"
        if subject is not None:
            return sentence.phrase_mention(subject, ATTACKER_TYPES)
    return None
