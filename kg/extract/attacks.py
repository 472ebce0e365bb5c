"""attacked, and attacks as events: who struck what, when, with what.

  active   "Kataib Hezbollah attacked the base", "the US-led coalition fighting ISIS"
  passive  "US bases are being targeted by militias"
  nominal  "the US-led 2003 invasion of Iraq", "U.S. air strikes on Kataib Hezbollah"
The place where an attack merely happened ("an attack in Baghdad") is not its
target; an attack with no named attacker still becomes an event.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.context import AttackRecord, Sentence, attack_family, child
from kg.extract.entities import Found
from kg.extract.events import EventCues, attack_event, default_cues, event_date, is_caption, is_general, places_of
from kg.extract.told import base_at, listed_attacks, named_attacker, placed_attacks
from kg.model import AttackMention, RelationMention

ATTACKERS = frozenset({"Militia", "State", "Organization"})
TARGETS = frozenset({"Base", "Location", "State", "Militia"})
TARGET_PREPOSITIONS = frozenset({"on", "against", "at", "targeting", "upon"})
NEEDS_PREPOSITION = frozenset({"launch", "fire", "carry", "conduct", "retaliate"})
CASUALTY_VERBS = frozenset({"kill", "leave", "wound", "injure", "hit", "destroy"})
BLAME_VERBS = frozenset({"blame", "accuse"})
ATTACK_OBJECTS = frozenset({"attack", "attacks", "strike", "strikes", "airstrike", "airstrikes", "raid", "raids",
                            "barrage", "rockets", "missiles", "drones", "offensive", "operation"})
TARGET_HOLDERS = frozenset({"use", "belong", "operate", "run", "hold", "control", "house"})


@dataclass
class Reading:
    trigger: Token
    target: Found | None
    attacker: Found | None
    rule: str

    @property
    def word(self) -> str:
        """What the text called the attack: the noun itself, or the verb's object ('launched airstrikes')."""
        if self.trigger.pos_ in ("NOUN", "PROPN"):
            return self.trigger.lemma_
        obj = child(self.trigger, "dobj")  # "launched airstrikes": the noun names it; "bombed buildings": the verb
        return obj.lemma_ if obj is not None and obj.lower_ in ATTACK_OBJECTS else self.trigger.lemma_


def find_attacks(sentence: Sentence, cues: EventCues | None = None) -> tuple[list[RelationMention], list[AttackMention]]:
    cues = cues or default_cues()
    relations, events, seen, triggers = [], [], set(), set()
    told = not is_caption(sentence.span.text, cues)  # a caption describes a picture: no event
    for reading in readings(sentence):
        triggers.add(reading.trigger.i)
        key = (reading.attacker and reading.attacker.name, reading.target and reading.target.name)
        if key in seen or (reading.attacker and reading.target and reading.attacker.name == reading.target.name):
            continue
        seen.add(key)
        called = attack_family(reading.word)
        date = event_date(sentence, reading.trigger, reading.target, cues)
        one_attack = told and not is_general(sentence, reading.trigger, cues)
        sentence.discourse.attacks.append(  # a general statement's date dates no later "the attack"
            AttackRecord(reading.target, reading.attacker, None, sentence.index, called, date if one_attack else None))
        hedged = sentence.is_hedged(reading.trigger)
        # "carried out a bombing at the embassy": the event's target, not a relation (the readings decide those)
        at = base_at(sentence, reading.trigger) if reading.target is None and reading.trigger.pos_ == "NOUN" else None
        if at is not None and (reading.attacker and reading.attacker.name, at.name) in seen:
            continue  # the verb's reading told of it already ("fired six rockets at Camp Taji")
        places = places_of(sentence, reading.trigger, reading.target or at) or [None]  # "in Kenya and Tanzania": one each
        claimant = self_report(sentence, reading)
        if claimant is not None and reading.target is not None:
            relations.append(RelationMention(sentence.mention(claimant), "claimed", sentence.mention(reading.target),
                                             sentence.evidence("claim.self-report", 0.8)))
            if one_attack:
                events += [attack_event(sentence, Reading(reading.trigger, reading.target, None, reading.rule),
                                        hedged, date, cues, place, shared=len(places) > 1) for place in places]
            continue
        if reading.attacker and reading.target:
            relations.append(RelationMention(sentence.mention(reading.attacker), "attacked",
                                             sentence.mention(reading.target),
                                             sentence.evidence(reading.rule, 0.8, hedged=hedged)))
        if at is not None:
            reading = Reading(reading.trigger, at, reading.attacker, reading.rule)
        targeted = reading.target is not None and reading.target.type in TARGETS
        if one_attack and (targeted or places[0] is not None and reading.attacker is not None):
            named = reading.trigger if reading.trigger.pos_ == "NOUN" else \
                reading.trigger.head if reading.trigger.dep_ == "acl" and reading.trigger.head.pos_ == "NOUN" else None
            if reading.attacker is None and named is not None:  # "a U.S. air strike", "airstrikes targeting X"
                reading = Reading(reading.trigger, reading.target, named_attacker(sentence, named), reading.rule)
            events += [attack_event(sentence, reading, hedged, date, cues, place, shared=len(places) > 1)
                       for place in places]
    if told and not events:  # "attacks have included ones on X on April 4 and May 3": one per target and day
        events = listed_attacks(sentence, cues)
    if told and not events:  # "a car bomb attack in the Gaza Strip": no target, a place
        events = placed_attacks(sentence, cues, triggers)
    return relations, events


def readings(sentence: Sentence):
    """Every reading, one per attacker where the text names several ("US and British forces")."""
    for reading in single_readings(sentence):
        yield reading
        if reading.attacker is not None and reading.rule == "attack.active":
            for other in co_attackers(sentence, reading.attacker):
                yield Reading(reading.trigger, reading.target, other, reading.rule)


def co_attackers(sentence: Sentence, attacker: Found) -> list[Found]:
    """The other states or groups coordinated with an attacker: 'US and British forces' -> the UK too."""
    others = []
    for token in attacker.span:
        for conj in (*token.conjuncts, *(c for c in token.head.children if c.dep_ in ("amod", "compound"))):
            found = sentence.mention_at(conj) or sentence.demonym_mention(conj, ATTACKERS)
            if found is not None and found.type in ATTACKERS and found.name != attacker.name \
                    and found.name not in {o.name for o in others}:
                others.append(found)
    return others


def single_readings(sentence: Sentence):
    lex = sentence.lexicon
    for token in sentence.span:
        lemma = token.lemma_.lower()
        if token.lower_ == "behind" and token.dep_ == "prep":
            reading = behind(sentence, token)
        elif token.lemma_.lower() in BLAME_VERBS and token.pos_ == "VERB" and not sentence.is_negated(token):
            reading = blamed(sentence, token)
        elif token.pos_ == "VERB" and lemma in lex.attack_verbs | lex.impact_verbs:
            if sentence.is_negated(token) or is_irrealis(sentence, token):
                continue
            reading = verbal(sentence, token)
        elif token.pos_ in ("NOUN", "PROPN") and (token.lower_ in lex.attack_nouns or lemma in lex.attack_nouns):
            reading = nominal(sentence, token)
        else:
            continue
        if reading is not None and (reading.target or reading.attacker):
            yield reading


def self_report(sentence: Sentence, reading: Reading) -> Found | None:
    """'The Islamic Resistance in Iraq said it had targeted the Harir air base': a claim, not a report."""
    clause = next((n for n in (reading.trigger, *reading.trigger.ancestors) if n.dep_ == "ccomp"), None)
    if clause is None or clause.head.lemma_.lower() not in sentence.lexicon.self_report_verbs:
        return None
    if clause is not reading.trigger and clause.lemma_.lower() not in sentence.lexicon.light_verbs | {"be"}:
        return None  # "said it was suspending operations against U.S. forces" claims nothing
    subject = child(clause, "nsubj")
    if subject is None or subject.lower_ not in ("it", "we", "they"):
        return None  # "X said Y attacked": a report, not a claim
    speaker = child(clause.head, "nsubj")
    return sentence.phrase_mention(speaker, frozenset({"Militia"})) if speaker is not None else None


def is_irrealis(sentence: Sentence, verb: Token) -> bool:
    """'threatened to attack', 'will strike', 'vowed to retaliate': no attack happened."""
    lex = sentence.lexicon
    if any(c.dep_ == "aux" and c.lower_ in lex.irrealis_auxiliaries for c in verb.children):
        return True
    node = verb
    while node.dep_ in ("xcomp", "ccomp", "advcl") and node.head is not node:
        node = node.head
        if node.lemma_.lower() in lex.irrealis_verbs:
            return True
    return False


def verbal(sentence: Sentence, verb: Token) -> Reading | None:
    subject = child(verb, "nsubjpass")
    if subject is not None:  # "the base was targeted by militias"
        target = target_of(sentence, subject)
        agent = child(verb, "agent")
        attacker = attacker_of(sentence, child(agent, "pobj")) if agent is not None else None
        return Reading(verb, target, attacker, "attack.passive")
    if verb.lemma_.lower() in sentence.lexicon.impact_verbs:  # "two rockets landed inside Victory Base"
        return Reading(verb, prepositional_target(sentence, verb, inside=True), None, "attack.impact")
    attacker = attacker_of(sentence, sentence.subject_of(verb))
    if attacker is None and verb.dep_ in ("acl", "relcl"):  # "the coalition fighting ISIS"
        attacker = sentence.phrase_mention(verb.head, ATTACKERS)
    target = None
    obj = child(verb, "dobj")
    if obj is not None and verb.lemma_.lower() not in NEEDS_PREPOSITION:
        target = target_of(sentence, obj)
    if target is None:
        for holder in (verb, obj):
            target = target or prepositional_target(sentence, holder)
    return Reading(verb, target, attacker, "attack.active")


def blamed(sentence: Sentence, verb: Token) -> Reading | None:
    """'Washington blamed Kataib Hezbollah for the attack', 'accused the factions of being behind it',
    'blamed the Tower 22 strike on the Islamic Resistance', 'the militia it blames for the attack'."""
    obj = child(verb, "dobj")
    act = obj is not None and obj.lemma_.lower() in sentence.lexicon.attack_nouns
    on = next((p for p in (*verb.children, *obj.children) if p.dep_ == "prep" and p.lower_ == "on"), None) if act else None
    if on is not None:  # the parser hangs "on X" from the verb or from the attack; X is the accused, not a target
        accused = attacker_of(sentence, child(on, "pobj"))
        target = told_target(sentence, obj, by_preposition=False)
        return Reading(verb, target, accused, "attack.blamed") if accused is not None else None
    if obj is None and verb.dep_ == "relcl":  # the accused is what the clause describes
        obj = verb.head.head if verb.head.dep_ == "appos" and attacker_of(sentence, verb.head) is None else verb.head
    accused = attacker_of(sentence, obj)
    if accused is None:
        return None
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in ("for", "of"):
            act = child(prep, "pobj") or child(prep, "pcomp")
            if act is None:
                continue
            words = {t.lemma_.lower() for t in act.subtree}
            if not words & (sentence.lexicon.attack_nouns | sentence.lexicon.attack_verbs | {"behind"}):
                return None
            return Reading(verb, told_target(sentence, act), accused, "attack.blamed")
    return None


def behind(sentence: Sentence, prep: Token) -> Reading | None:
    """'Kataib Hezbollah was believed to be behind the attack on Camp Taji'."""
    noun = child(prep, "pobj")
    verb = prep.head
    if noun is None or noun.lemma_.lower() not in sentence.lexicon.attack_nouns or sentence.is_negated(verb):
        return None
    attacker = attacker_of(sentence, sentence.subject_of(verb))
    if attacker is None:
        return None
    return Reading(noun, told_target(sentence, noun), attacker, "attack.behind")


def told_target(sentence: Sentence, act: Token, *, by_preposition: bool = True) -> Found | None:
    """The target an attack's noun names ('the attack on X', 'the Tower 22 strike'), or else
    the target of the attack the text last told of by that name."""
    target = prepositional_target(sentence, act) if by_preposition else None
    modifiers = (c for c in act.children if c.dep_ in ("compound", "nmod") and c.i < act.i)
    target = target or next((t for c in modifiers if (t := target_of(sentence, c)) is not None), None)
    if target is None:
        told = sentence.discourse.attack_called(act.lemma_, sentence.index, sentence.window)
        target = told.target if told else None
    return target


def nominal(sentence: Sentence, noun: Token) -> Reading | None:
    target = prepositional_target(sentence, noun, allow_of=noun.lemma_.lower() in ("invasion", "bombardment", "siege"))
    attacker = None
    for modifier in noun.children:
        if modifier.dep_ in ("compound", "amod", "poss", "nmod", "npadvmod") and modifier.i < noun.i:
            attacker = attacker_of(sentence, modifier)
            if attacker is None and modifier.lower_ == "led":  # "US-led"
                attacker = next((attacker_of(sentence, c) for c in modifier.children if attacker_of(sentence, c)), None)
            if attacker is not None:
                break
    agent = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ == "by"), None)
    if attacker is None and agent is not None:
        attacker = attacker_of(sentence, child(agent, "pobj"))
    verb = noun.head
    if verb.lemma_.lower() in sentence.lexicon.irrealis_verbs:
        return None  # "suspending operations", "vowed attacks", "thwarted an attack"
    if verb.lemma_.lower() in BLAME_VERBS and noun.dep_ == "dobj":
        return None  # "blamed the strike on X": blamed() reads it
    if attacker is None and noun.dep_ == "dobj" and verb.lemma_.lower() in sentence.lexicon.light_verbs:
        if sentence.is_negated(verb) or is_irrealis(sentence, verb):
            return None  # "carried out strikes", but not "threatened to launch attacks"
        attacker = attacker_of(sentence, sentence.subject_of(verb))
    if target is None and noun.dep_ == "nsubj" and verb.lemma_.lower() in CASUALTY_VERBS:
        # "The airstrikes left four PMF fighters dead": the group whose men were hit is the target,
        # and "the airstrikes" are the ones the text told of before.
        target = target_of(sentence, child(verb, "dobj"))
        if target is not None and target.type == "Militia" and attacker is None:
            told = sentence.discourse.attack_called(noun.lemma_, sentence.index, sentence.window)
            attacker = told.actor if told is not None and told.actor is not target else None
    if target is None and attacker is None:
        return None
    if attacker is not None and target is not None and attacker.start > target.start and agent is None:
        attacker = None  # "attacks on U.S. forces" names the target, not an attacker
    return Reading(noun, target, attacker, "attack.nominal")


def prepositional_target(sentence: Sentence, holder: Token | None, allow_of: bool = False,
                         inside: bool = False) -> Found | None:
    if holder is None:
        return None
    for prep in holder.children:
        if prep.dep_ == "prep" and (prep.lower_ in TARGET_PREPOSITIONS or allow_of and prep.lower_ == "of"
                                    or inside and prep.lower_ in ("inside", "in", "into")):
            target = target_of(sentence, child(prep, "pobj"))
            if target is not None:
                return target
    return None


def target_of(sentence: Sentence, token: Token | None) -> Found | None:
    """The target a phrase names: itself, 'facilities used by KH', 'the remnants of ISIS'."""
    if token is None:
        return None
    found = sentence.phrase_mention(token, TARGETS)
    if found is not None:
        return found
    official = sentence.phrase_mention(token, frozenset({"Official"}))
    if official is not None:  # a strike that kills a group's commander attacks the group (SCHEME.md)
        return sentence.body_led_by(official, frozenset({"Militia"}))
    for c in token.children:
        if c.dep_ == "acl" and c.lemma_.lower() in TARGET_HOLDERS:  # "used by X", "belonging to X"
            agent = child(c, "agent") or next((p for p in c.children if p.dep_ == "prep" and p.lower_ == "to"), None)
            holder = sentence.refers_to(child(agent, "pobj"), TARGETS) if agent is not None else None
            if holder is not None:
                return holder
        if c.dep_ == "prep" and c.lower_ == "of":
            return sentence.phrase_mention(child(c, "pobj"), TARGETS) if child(c, "pobj") is not None else None
    return None


def attacker_of(sentence: Sentence, token: Token | None) -> Found | None:
    """Who attacked: a mention, a reference back, or 'a drone launched by X'."""
    found = sentence.actor_mention(token, ATTACKERS)
    if found is None and child(token, "appos") is not None and token.ent_type_ in ("DATE", "TIME"):
        return attacker_of(sentence, child(token, "appos"))  # "13 March, a salvo of missiles ... struck"
    if found is not None or token is None:
        return found
    of = child(token, "prep")
    weapon = child(of, "pobj") if of is not None and of.lower_ == "of" else None  # "a salvo of missiles"
    if token.lower_ not in sentence.lexicon.weapons and (weapon is None or weapon.lower_ not in sentence.lexicon.weapons):
        return None
    launchers = [c for holder in (token, weapon) if holder is not None for c in holder.children if c.dep_ == "acl"]
    if token.dep_ == "nsubj" and token.head.pos_ == "VERB":
        launchers.append(token.head)  # "missiles fired by X struck Y", parsed as "missiles fired", "struck Y"
    for launched in launchers:
        agent = child(launched, "agent")
        if agent is not None:
            return sentence.refers_to(child(agent, "pobj"), ATTACKERS)
    return None
