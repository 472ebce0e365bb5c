"""attacked, and attacks as events: who struck what, when, with what.

  active   "Kataib Hezbollah attacked the base", "the US-led coalition fighting ISIS"
  passive  "US bases are being targeted by militias"
  nominal  "the US-led 2003 invasion of Iraq", "U.S. air strikes on Kataib Hezbollah"
The place where an attack merely happened ("an attack in Baghdad") is not its
target; an attack with no named attacker still becomes an event.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Token

from kg.extract.context import Sentence, child, is_strike
from kg.extract.discourse import AttackRecord
from kg.extract.entities import Found
from kg.extract.events import EventCues, attack_event, default_cues, is_caption, is_general, places_of
from kg.extract.roles import ATTACKERS, TARGETS, attacker_of, counted_phrase, prepositional_target, target_of, told_target
from kg.extract.told import base_at, listed_attacks, named_attacker, placed_attacks, toll_of_the_attack
from kg.extract.when import event_date
from kg.model import AttackMention, RelationMention

# Readings that state who attacked whom but tell no event of their own: a standing campaign ("the coalition
# against ISIS"), and a toll ("X killed three U.S. soldiers"), whose event the attack's own words tell.
RELATION_ONLY_RULES = frozenset({"attack.opposed", "attack.casualties"})


@dataclass
class Reading:
    trigger: Token
    target: Found | None
    attacker: Found | None
    rule: str

    def single(self, weapons: dict) -> bool:
        """'the attack', 'struck the base', 'rockets hit' (one barrage); not 'dozens of attacks'."""
        noun = self.trigger if self.trigger.pos_ in ("NOUN", "PROPN") else child(self.trigger, "dobj")
        return noun is None or noun.tag_ != "NNS" or noun.lower_ in weapons

    def word(self, lexicon) -> str:
        """What the text called the attack: the noun itself, or the verb's object ('launched airstrikes')."""
        if self.trigger.pos_ in ("NOUN", "PROPN"):
            return self.trigger.lemma_
        obj = child(self.trigger, "dobj")  # "launched airstrikes": the noun names it; "bombed buildings": the verb
        return obj.lemma_ if obj is not None and obj.lower_ in lexicon.attack_objects else self.trigger.lemma_


def find_attacks(sentence: Sentence, cues: EventCues | None = None) -> tuple[list[RelationMention], list[AttackMention]]:
    cues = cues or default_cues()
    relations, events, seen, triggers = [], [], set(), set()
    told = not is_caption(sentence.span.text, cues)  # a caption describes a picture: no event
    for reading in readings(sentence):
        if reading.rule not in RELATION_ONLY_RULES:  # "X killed two citizens in Y": an attack placed in Y
            triggers.add(reading.trigger.i)
        key = (reading.attacker and reading.attacker.name, reading.target and reading.target.name)
        if key in seen or (reading.attacker and reading.target and reading.attacker.name == reading.target.name):
            continue
        seen.add(key)
        strike = is_strike(reading.word(sentence.lexicon), sentence.lexicon)
        # an attack the sentence only refers back to ("the group believed to be responsible") keeps the date of
        # its latest telling: this sentence's dates may be another attack's
        named_here = reading.target is None or sentence.span.start <= reading.target.start < sentence.span.end
        date = event_date(sentence, reading.trigger, reading.target, cues) if named_here \
            else sentence.discourse.date_of_attack_on(reading.target)
        one_attack = told and reading.rule not in RELATION_ONLY_RULES and not is_general(sentence, reading.trigger, cues)
        sentence.discourse.tell(  # a general statement's date dates no later "the attack"
            AttackRecord(reading.target, reading.attacker, None, sentence.index, strike, date if one_attack else None,
                         reading.single(sentence.lexicon.weapons)))
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
            events += [attack_event(sentence, reading, hedged, date, cues, place, shared=len(places) > 1,
                                    referred=not named_here) for place in places]
    if told and not events:  # "attacks have included ones on X on April 4 and May 3": one per target and day
        events = listed_attacks(sentence, cues)
    if told and not events:  # "a car bomb attack in the Gaza Strip": no target, a place
        events = placed_attacks(sentence, cues, triggers)
    if told and not events:  # "more than 40 were wounded in the attack"
        events = toll_of_the_attack(sentence, cues)
    return relations, events


def readings(sentence: Sentence):
    """Every reading, one per attacker where the text names several ("US and British forces")."""
    found = list(single_readings(sentence)) + list(opposed_bodies(sentence))
    found += [other for reading in found for other in coordinated_targets(sentence, reading)]
    for reading in found:
        if reading.attacker is None and reading.target is not None and reading.rule != "attack.impact":
            reading.attacker = frame_attacker(sentence, reading.trigger)
    for reading in found:
        if reading.rule == "attack.casualties" and hit_a_named_base(reading, found):
            continue  # soldiers killed in an attack on a named base: the base is the target (SCHEME.md)
        yield reading
        if reading.attacker is not None and reading.rule == "attack.active":
            for other in co_attackers(sentence, reading.attacker):
                yield Reading(reading.trigger, reading.target, other, reading.rule)


def coordinated_targets(sentence: Sentence, reading: Reading) -> list[Reading]:
    """'strikes against Iranian forces and Hezbollah fighters': each coordinated target was attacked."""
    if reading.target is None:
        return []
    others = (target_of(sentence, conj) for conj in reading.target.root.conjuncts)
    return [Reading(reading.trigger, other, reading.attacker, reading.rule) for other in others
            if other is not None and other.name != reading.target.name]


def hit_a_named_base(casualties: Reading, found: list[Reading]) -> bool:
    """Whether the same attacker's attack in this sentence names a base as its target."""
    return any(r.target is not None and r.target.type == "Base" and r.attacker is not None
               and casualties.attacker is not None and r.attacker.name == casualties.attacker.name for r in found)


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
        if token.lower_ in lex.culprit_prepositions and token.dep_ == "prep":
            reading = behind(sentence, token)
        elif token.lower_ in lex.culprit_adjectives and token.pos_ == "ADJ" and not sentence.is_negated(token.head):
            reading = responsible(sentence, token)
        elif token.lemma_.lower() in lex.blame_verbs and token.pos_ == "VERB" and not sentence.is_negated(token):
            reading = blamed(sentence, token)
        elif token.pos_ == "VERB" and lemma in lex.casualty_verbs:
            if sentence.is_negated(token) or is_irrealis(sentence, token):
                continue
            reading = casualties_inflicted(sentence, token)
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
    if clause is not reading.trigger and clause.lemma_.lower() not in sentence.lexicon.light_verbs | sentence.lexicon.copulas:
        return None  # "said it was suspending operations against U.S. forces" claims nothing
    subject = child(clause, "nsubj")
    if subject is None or subject.lower_ not in sentence.lexicon.group_pronouns:
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
    if subject is not None:  # "the base was targeted by militias", "X was killed by a drone at the airport"
        target = target_of(sentence, subject) or prepositional_target(sentence, verb)
        if target is None and subject.lemma_.lower() in sentence.lexicon.attack_nouns and \
                any(c.lower_ in sentence.lexicon.definite_determiners for c in subject.children):
            target = told_target(sentence, subject)  # "the rockets were launched by X": the attack told before
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
    if obj is not None and verb.lemma_.lower() not in sentence.lexicon.prepositional_attack_verbs:
        target = target_of(sentence, obj)
    if target is None:
        for holder in (verb, obj):
            target = target or prepositional_target(sentence, holder)
    if target is None:  # "hit a vehicle inside a Kataib Hezbollah compound": the group's place, not a town
        inside = prepositional_target(sentence, verb, inside=True)
        target = inside if inside is not None and inside.type in ("Base", "Militia") else None
    return Reading(verb, target, attacker, "attack.active")


def casualties_inflicted(sentence: Sentence, verb: Token) -> Reading | None:
    """'X killed three U.S. soldiers': an actor that kills a state's personnel or a group's fighters attacked them.

    A named person killed is no target (SCHEME.md); 'the attack killed ...' names no attacker.
    """
    obj = child(verb, "dobj")
    target = sentence.phrase_mention(obj, frozenset({"State", "Militia"})) if obj is not None else None
    official = sentence.phrase_mention(obj, frozenset({"Official"})) if obj is not None and target is None else None
    if official is not None:  # "killed Hezbollah commander X": the group whose commander it was (SCHEME.md)
        target = sentence.body_led_by(official, frozenset({"Militia"}))
    elif target is not None and target.root.i == obj.i:
        return None  # a state or group killed as a whole is not how reports speak
    if target is None:
        return None
    attacker = attacker_of(sentence, sentence.subject_of(verb))
    return Reading(verb, target, attacker, "attack.casualties")


def frame_attacker(sentence: Sentence, trigger: Token) -> Found | None:
    """Who carried out an attack its own phrase leaves unnamed: the clause that holds the phrase says.

    'X killed two soldiers in a drone attack on Y', 'X retaliated with missile strikes on Y',
    'X launched airstrikes targeting Y', 'the army said it struck Y'.
    """
    node = trigger
    for _ in range(3):
        if node.dep_ in ("acl", "relcl") and node.head.lemma_.lower() in sentence.lexicon.attack_nouns:
            node = node.head  # "airstrikes targeting Y": the airstrikes' own frame
            continue
        if node.dep_ == "pobj" and node.head.lower_ in sentence.lexicon.genitive_prepositions and node.head.head.pos_ == "NOUN":
            node = node.head.head  # "a salvo of missile strikes", "a wave of attacks"
            continue
        if node.dep_ == "pobj" and node.head.lower_ in sentence.lexicon.frame_prepositions:
            verb = node.head.head
        elif node.dep_ == "dobj" and node.head.lemma_.lower() in sentence.lexicon.light_verbs:
            verb = node.head
        elif node.pos_ == "VERB":
            verb = node
        else:
            return None
        if verb.pos_ not in ("VERB", "AUX") or sentence.is_negated(verb) or is_irrealis(sentence, verb):
            return None
        return attacker_of(sentence, sentence.subject_of(verb))
    return None


def blamed(sentence: Sentence, verb: Token) -> Reading | None:
    """'Washington blamed Kataib Hezbollah for the attack', 'accused the factions of being behind it',
    'blamed the Tower 22 strike on the Islamic Resistance', 'the militia it blames for the attack'."""
    lex = sentence.lexicon
    obj = child(verb, "dobj")
    act = obj is not None and obj.lemma_.lower() in sentence.lexicon.attack_nouns
    on = next((p for p in (*verb.children, *obj.children) if p.dep_ == "prep" and p.lower_ in lex.blame_prepositions), None) if act else None
    if on is not None:  # the parser hangs "on X" from the verb or from the attack; X is the accused, not a target
        accused = attacker_of(sentence, child(on, "pobj"))
        target = told_target(sentence, obj, by_preposition=False)
        return Reading(verb, target, accused, "attack.blamed") if accused is not None else None
    if obj is None and verb.dep_ == "relcl":  # the accused is what the clause describes
        obj = verb.head.head if verb.head.dep_ == "appos" and attacker_of(sentence, verb.head) is None else verb.head
    obj = obj if obj is not None else child(verb, "nsubjpass")  # "X was suspected of attacking Y"
    accused = attacker_of(sentence, obj)
    if accused is None:
        return None
    for prep in verb.children:
        if prep.dep_ == "prep" and prep.lower_ in lex.cause_prepositions:
            act = child(prep, "pobj") or child(prep, "pcomp")
            if act is None:
                continue
            words = {t.lemma_.lower() for t in act.subtree}
            if not words & (lex.attack_nouns | lex.attack_verbs | lex.culprit_prepositions):
                return None
            target = target_of(sentence, child(act, "dobj")) if act.pos_ == "VERB" else None  # "of attacking Y"
            return Reading(verb, target or told_target(sentence, act), accused, "attack.blamed")
    return None


def responsible(sentence: Sentence, adjective: Token) -> Reading | None:
    """'X was responsible for the attack on Y', 'held X responsible', 'X, the group believed to be responsible'."""
    verb = adjective.head
    holder = child(verb, "dobj") if adjective.dep_ in ("oprd", "ccomp", "xcomp") else None  # "held X responsible"
    holder = holder or (sentence.subject_of(verb) if adjective.dep_ == "acomp" else None)
    for node in adjective.ancestors if holder is None else ():
        if node.pos_ in ("NOUN", "PROPN"):  # "X, the militia group believed to be responsible"
            holder = node.head if node.dep_ == "appos" and sentence.mention_at(node) is None else node
            break
    attacker = attacker_of(sentence, holder)
    if attacker is None:
        return None
    cause = next((c for c in adjective.children if c.dep_ == "prep" and c.lower_ in sentence.lexicon.cause_prepositions), None)
    act = child(cause, "pobj") if cause is not None else None
    if act is not None:
        target = told_target(sentence, act)
    else:
        told = sentence.discourse.last_attack(sentence.index, sentence.window) or sentence.discourse.salient_attack()
        target = told.target if told is not None else None
    return Reading(adjective, target, attacker, "attack.responsible") if target is not None else None


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


def nominal(sentence: Sentence, noun: Token) -> Reading | None:
    lex = sentence.lexicon
    target = prepositional_target(sentence, noun, allow_of=noun.lemma_.lower() in sentence.lexicon.of_target_nouns)
    attacker = None
    for modifier in noun.children:
        if modifier.dep_ in ("compound", "amod", "poss", "nmod", "npadvmod") and modifier.i < noun.i:
            attacker = attacker_of(sentence, modifier) or sentence.demonym_mention(modifier, ATTACKERS)
            if attacker is None and modifier.lower_ in sentence.lexicon.possessive_pronouns:
                attacker = sentence.possessor(modifier, ATTACKERS)  # "Turkey is pressing its campaign against X"
            if attacker is None and modifier.lower_ in sentence.lexicon.led_words:  # "US-led"
                attacker = next((attacker_of(sentence, c) for c in modifier.children if attacker_of(sentence, c)), None)
            if attacker is not None:
                break
    agent = next((c for c in noun.children if c.dep_ == "prep" and c.lower_ in sentence.lexicon.agent_prepositions), None)
    if attacker is None and agent is not None:
        attacker = attacker_of(sentence, child(agent, "pobj"))
    phrase = counted_phrase(sentence, noun)  # "hundreds of air strikes": the count is what the verb governs
    if target is None and phrase is not noun:  # "hundreds of air strikes in Syria against X"
        target = prepositional_target(sentence, phrase)
    verb = phrase.head
    if verb.lemma_.lower() in sentence.lexicon.irrealis_verbs:
        return None  # "suspending operations", "vowed attacks", "thwarted an attack"
    if verb.lemma_.lower() in sentence.lexicon.blame_verbs and noun.dep_ == "dobj":
        return None  # "blamed the strike on X": blamed() reads it
    if attacker is None and phrase.dep_ == "dobj" and verb.lemma_.lower() in sentence.lexicon.light_verbs:
        if sentence.is_negated(verb) or is_irrealis(sentence, verb):
            return None  # "carried out strikes", but not "threatened to launch attacks"
        attacker = attacker_of(sentence, sentence.subject_of(verb))
    if target is None and phrase.dep_ == "dobj" and verb.lemma_.lower() in lex.light_verbs | lex.causing_verbs:
        target = prepositional_target(sentence, verb)  # "carried out a bombing at the embassy"
    if target is None and noun.dep_ == "nsubj" and verb.lemma_.lower() in sentence.lexicon.result_verbs:
        # "The airstrikes left four PMF fighters dead": the group whose men were hit is the target,
        # and "the airstrikes" are the ones the text told of before.
        target = target_of(sentence, child(verb, "dobj"))
        if target is not None and target.type == "Militia" and attacker is None:
            told = sentence.discourse.attack_called(is_strike(noun.lemma_, sentence.lexicon), sentence.index,
                                                    sentence.window)
            attacker = told.actor if told is not None and told.actor is not target else None
    if target is None and attacker is None:
        return None
    if attacker is not None and target is not None and attacker.start > target.start and agent is None:
        attacker = None  # "attacks on U.S. forces" names the target, not an attacker
    return Reading(noun, target, attacker, "attack.nominal")


def opposed_bodies(sentence: Sentence) -> Iterator[Reading]:
    """'the US-led coalition against the Islamic State group': an armed body set against a target."""
    for actor in sentence.mentions:
        if actor.type not in ATTACKERS:
            continue
        for prep in actor.root.children:
            if prep.dep_ == "prep" and prep.lower_ in sentence.lexicon.opposition_prepositions:
                target = target_of(sentence, child(prep, "pobj"))
                if target is not None:
                    yield Reading(actor.root, target, actor, "attack.opposed")


