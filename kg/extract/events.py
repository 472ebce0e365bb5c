"""Attack events: what a sentence tells of one attack, as an event coder would record it.

`attacks.find_attacks` reads who attacked what; this module decides whether that reading
is one attack or a general statement ("dozens of attacks since October"), when it happened
(kg.extract.when), where, with what and how many, and what
it cost (killed, wounded). Cue words are data: ontology/events.json.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import KGError
from kg.extract.dates import dates_in
from kg.model import AttackMention

if TYPE_CHECKING:  # spaCy loads only where text is read: resolving a build needs only the cues
    from spacy.tokens import Token

    from kg.extract.entities import Found

__all__ = ["EventCues", "load_event_cues", "default_cues", "attack_event", "is_caption", "is_general",
           "place_of", "places_of", "own_clauses", "named_dead", "weapon_and_count", "as_number", "casualties"]

PLACE_TYPES = ("Location", "State")
PLACE_PREPOSITIONS = frozenset({"in", "at", "inside", "across"})


@dataclass(frozen=True)
class EventCues:
    """ontology/events.json, compiled."""

    aggregate_quantifiers: frozenset[str]
    aggregate_verbs: frozenset[str]
    aggregate_phrases: tuple[str, ...]
    campaign_words: frozenset[str]
    event_nouns: frozenset[str]
    event_verbs: frozenset[str]
    assailant_words: frozenset[str]
    singular_generals: frozenset[str]
    caption_patterns: tuple[re.Pattern, ...]
    weapon_families: tuple[frozenset[str], ...]
    number_words: dict[str, int]
    number_bounds: tuple[str, ...]
    killed_words: tuple[str, ...]
    wounded_words: tuple[str, ...]
    no_casualty_patterns: tuple[re.Pattern, ...]

    def compatible_weapons(self, a: str | None, b: str | None) -> bool:
        """Could one attack be told with both weapons? Unknown fits anything."""
        if a is None or b is None or a == b:
            return True
        return any(a in family and b in family for family in self.weapon_families)


def load_event_cues(path: str | Path) -> EventCues:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
        return EventCues(
            aggregate_quantifiers=frozenset(w.lower() for w in data["aggregate_quantifiers"]),
            aggregate_verbs=frozenset(w.lower() for w in data["aggregate_verbs"]),
            aggregate_phrases=tuple(w.lower() for w in data["aggregate_phrases"]),
            campaign_words=frozenset(w.lower() for w in data["campaign_words"]),
            event_nouns=frozenset(w.lower() for w in data["event_nouns"]),
            event_verbs=frozenset(w.lower() for w in data["event_verbs"]),
            assailant_words=frozenset(w.lower() for w in data["assailant_words"]),
            singular_generals=frozenset(w.lower() for w in data["singular_generals"]),
            caption_patterns=tuple(re.compile(p, re.I) for p in data["caption_patterns"]),
            weapon_families=tuple(frozenset(f) for f in data["weapon_families"]),
            number_words={k.lower(): int(v) for k, v in data["number_words"].items()},
            number_bounds=tuple(data["number_bounds"]),
            killed_words=tuple(data["killed_words"]),
            wounded_words=tuple(data["wounded_words"]),
            no_casualty_patterns=tuple(re.compile(p, re.I) for p in data["no_casualty_patterns"]),
        )
    except (OSError, ValueError, KeyError, TypeError, re.error) as error:
        raise KGError(f"cannot read the event cues {path}: {error}") from None


@lru_cache(maxsize=4)
def default_cues(path: str | None = None) -> EventCues:
    """The cues of a config's ontology folder (read once per path)."""
    from kg.config import DEFAULT_CONFIG

    return load_event_cues(path or DEFAULT_CONFIG.events_path)


# ---------------------------------------------------------------- one attack or many


def is_caption(text: str, cues: EventCues) -> bool:
    """A photo caption, a map credit: 'A picture taken on Jan. 13, 2020, shows ...'."""
    text = text.strip()
    return any(p.search(text) for p in cues.caption_patterns)


def is_general(sentence, trigger: Token, cues: EventCues) -> bool:
    """'Dozens of attacks', 'more than 150 attacks', 'attacks have continued since October',
    'US bases are being targeted ... for the third day in a row': a campaign, not one attack.

    A plural attack word is general when a quantifier, a count above one, a trend verb or a
    period phrase goes with it, or when the sentence gives it no day at all. A singular one,
    or a verb, is general only with a period phrase and no day.
    """
    text = sentence.span.text.lower()
    stated = dates_in(sentence.span.text, "2000-01-01")  # which kinds of date, not which days
    day_given = any(d.kind in ("day", "weekday", "relative") and not d.period for d in stated)
    period = any(_has_phrase(text, p) for p in cues.aggregate_phrases) or any(d.period for d in stated)
    noun = trigger if trigger.pos_ in ("NOUN", "PROPN") else _object_noun(trigger, sentence.lexicon.attack_nouns)
    if trigger.lemma_.lower() in cues.campaign_words or noun is not None and noun.lemma_.lower() in cues.campaign_words:
        return True  # "the 2003 invasion of Iraq", "an insurgency against America", "a campaign against the US"
    if noun is not None and any(c.dep_ == "det" and c.lower_ in cues.singular_generals for c in noun.children):
        return True  # "each attack against the Government of Iraq"
    weapons = sentence.lexicon.weapons
    salvo = noun is not None and (noun.lower_ in weapons or noun.lemma_.lower() in weapons)  # "14 rockets": one attack
    plural = noun is not None and noun.tag_ in ("NNS", "NNPS") and not salvo
    if trigger.dep_ == "conj" and trigger.head.tag_ == "NNS" and trigger.head.lemma_.lower() in sentence.lexicon.attack_nouns \
            and trigger.head.lower_ not in sentence.lexicon.weapons:
        return is_general(sentence, trigger.head, cues)  # "daily attacks on X, and the targeting of Y"
    if trigger.dep_ == "acl" and trigger.head.lower_ in cues.aggregate_quantifiers:
        return True  # "part of a wave targeting U.S. troops"
    if trigger.pos_ == "VERB":
        if any(a.lemma_.lower() in cues.aggregate_verbs for a in trigger.ancestors):
            return True  # "militias continued to launch attacks"
        if trigger.dep_ == "acl" and trigger.head.pos_ == "NOUN" and trigger.head.tag_ == "NNS" \
                and trigger.head.lemma_.lower() in sentence.lexicon.attack_nouns:
            return is_general(sentence, trigger.head, cues)  # "attacks targeting US bases": as the attacks are
        told_in = [g for c in trigger.children if c.dep_ == "prep" and c.lower_ == "in" for g in c.children
                   if g.dep_ == "pobj" and g.tag_ == "NNS" and g.lemma_.lower() in sentence.lexicon.attack_nouns]
        if any(is_general(sentence, g, cues) for g in told_in):
            return True  # "were targeted in three rocket and drone attacks on Wednesday alone"
        to = any(c.dep_ == "aux" and c.lower_ == "to" for c in trigger.children)
        if to and not any(not d.period for d in stated):
            return True  # "mobilized proxies to attack the US": a purpose, with no day it happened
    if not plural:
        return period and not day_given and trigger.pos_ == "VERB" and _progressive_or_perfect(trigger)
    if _quantified(noun, cues):
        return True
    governor = noun.head if noun.dep_ in ("nsubj", "nsubjpass") else None
    if governor is not None and governor.lemma_.lower() in cues.aggregate_verbs:
        return True
    if period and not day_given:
        return True
    return not day_given and not any(d.kind in ("month", "year") for d in stated)


def _has_phrase(text: str, phrase: str) -> bool:
    return re.search(r"\b" + re.escape(phrase) + r"\b", text) is not None


def _object_noun(verb: Token, attack_nouns: frozenset[str]) -> Token | None:
    """'launched airstrikes': the noun that names what the verb did ('fired five rockets' names a weapon)."""
    return next((c for c in verb.children if c.dep_ == "dobj" and c.pos_ == "NOUN"
                 and (c.lower_ in attack_nouns or c.lemma_.lower() in attack_nouns)), None)  # weapons: see is_general


def _progressive_or_perfect(verb: Token) -> bool:
    """'are being targeted', 'have been attacked': told as ongoing, not as one event."""
    aux = {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}
    return bool(aux & {"being", "been", "have", "has", "are", "is"}) and not aux & {"was", "were", "had"}


def _quantified(noun: Token, cues: EventCues) -> bool:
    for c in noun.children:
        if c.dep_ in ("amod", "det", "nummod", "quantmod") and c.lower_ in cues.aggregate_quantifiers:
            return True
        if c.dep_ == "nummod" and (as_number(c.text, cues) or 0) > 1:
            return True
    # "dozens of attacks", "a series of strikes": the noun hangs from a quantifier by "of"
    head = noun.head
    if noun.dep_ == "pobj" and head.lower_ == "of" and head.head.lower_ in cues.aggregate_quantifiers:
        return True
    return False


# ---------------------------------------------------------------- where


def places_of(sentence, trigger: Token, target: Found | None) -> list[Found]:
    """The place, and the places coordinated with it: "bombed embassies in Kenya and Tanzania" tells
    of an attack in each."""
    place = place_of(sentence, trigger, target)
    if place is None:
        return []
    found = [place]
    for conj in place.root.conjuncts:
        other = sentence.mention_at(conj)
        if other is not None and other.type in PLACE_TYPES and other.name not in {f.name for f in found}:
            found.append(other)
    return found


def place_of(sentence, trigger: Token, target: Found | None) -> Found | None:
    """Where the attack happened: a place named with 'in' on the attack word, its verb, or the
    target ('the embassy in Baghdad'); 'near' and 'north of' place nothing. The target itself
    when it is a place."""
    holders = [trigger, *(c for c in trigger.children if c.dep_ == "relcl")]  # "an attack that impacted at a base in X"
    if trigger.head is not trigger and trigger.head.pos_ in ("VERB", "AUX"):
        holders.append(trigger.head)
    if target is not None:
        holders.append(target.root)
    for holder in list(holders):  # "strikes against three facilities in Iraq", "blew up a bus in Jerusalem"
        holders += [c for c in holder.children if c.dep_ == "dobj"]
        holders += [g for c in holder.children if c.dep_ == "prep" and c.lower_ in ("on", "against", "at", "targeting")
                    or c.dep_ == "prep" and c.lower_ == "of" and holder.pos_ == "NOUN"  # "the killing of X in Baghdad"
                    for g in c.children if g.dep_ == "pobj"]
    for holder in holders:
        found = _place_in(sentence, holder, target)
        if found is not None:
            others = {p.name for c in holder.conjuncts if (p := _place_in(sentence, c, target)) is not None}
            return None if others - {found.name} else found  # "two locations in Syria and one in Iraq": no one place
    for holder in holders[1:]:  # "blew up a Jerusalem pizzeria"
        for c in holder.children:
            found = sentence.mention_at(c) if c.dep_ == "compound" else None
            if found is not None and found.type == "Location" and (target is None or found.name != target.name):
                return found
    return None


def _place_in(sentence, holder: Token, target: Found | None) -> Found | None:
    for prep in holder.children:
        if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPOSITIONS:
            continue
        obj = next((c for c in prep.children if c.dep_ == "pobj"), None)
        found = sentence.mention_at(obj) if obj is not None else None
        if found is not None and found.type in PLACE_TYPES and (target is None or found.name != target.name):
            return found
    return None


# ---------------------------------------------------------------- the event


def attack_event(sentence, reading, hedged: bool, date: str | None, cues: EventCues,
                 place: Found | None = None, *, shared: bool = False, referred: bool = False) -> AttackMention:
    """One telling of an attack. `shared`: the sentence tells of attacks in several places at once,
    so a toll it gives is their sum and belongs to none of them. `referred`: the sentence only refers
    back to an attack told before ("the group held responsible"), so its weapons and tolls are another's."""
    text = own_clauses(sentence, reading.trigger)
    weapon, count = weapon_and_count(sentence, cues) if not referred else (None, None)
    killed, wounded = casualties(text, cues) if not (shared or referred) else (None, None)
    if killed is None and not (shared or referred):
        killed = named_dead(sentence)
    return AttackMention(
        target=sentence.mention(reading.target) if reading.target is not None else None,
        attacker=sentence.mention(reading.attacker) if reading.attacker else None,
        evidence=sentence.evidence(reading.rule + ".event", 0.7, hedged=hedged),
        date=date,
        weapon=weapon,
        count=count,
        killed=killed,
        wounded=wounded,
        place=sentence.mention(place) if place is not None else None,
    )


def own_clauses(sentence, trigger: Token) -> str:
    """The sentence without the clauses that tell of another attack: in "rockets hit the base
    Saturday, days after a similar attack killed three", the three dead are not Saturday's."""
    lex = sentence.lexicon
    words = lex.attack_nouns | lex.attack_verbs
    hidden: set[int] = set()
    for token in sentence.span:
        subject = next((c for c in token.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if token.pos_ != "VERB" or subject is None or subject.lemma_.lower() not in words or subject is trigger:
            continue
        if trigger in token.subtree and trigger not in subject.subtree or token in trigger.subtree:
            continue
        if token is trigger or token.is_ancestor(trigger) or trigger.is_ancestor(token) and trigger.pos_ == "VERB":
            continue
        hidden.update(t.i for t in token.subtree)
    return "".join(t.text_with_ws for t in sentence.span if t.i not in hidden)


def named_dead(sentence) -> int | None:
    """How many named people the sentence says were killed: 'killed Iranian Gen. Qassem Soleimani' is
    one, 'Soleimani and Muhandis were killed' two. None when it names none."""
    for token in sentence.span:
        if token.pos_ != "VERB" or token.lemma_.lower() not in ("kill", "assassinate") or sentence.is_negated(token):
            continue
        victim = next((c for c in token.children if c.dep_ in ("dobj", "nsubjpass")), None)
        if victim is None:
            continue
        people = [t for t in (victim, *victim.conjuncts) if t.ent_type_ in ("PERSON", "Official")
                  or (sentence.mention_at(t) is not None and sentence.mention_at(t).type == "Official")]
        if people:
            return len(people)
    return None


def weapon_and_count(sentence, cues: EventCues) -> tuple[str | None, int | None]:
    """The first weapon the sentence names and the number on it: '14 rockets', '30 Grad missiles'."""
    weapons = sentence.lexicon.weapons
    for token in sentence.span:
        name = weapons.get(token.lower_) or weapons.get(token.lemma_.lower())
        if name is None:
            continue
        for c in token.children:
            if c.dep_ == "nummod":
                return name, as_number(c.text, cues)
        for c in token.children:  # "30 Grad missiles": the number sits on the compound
            for g in c.children:
                if g.dep_ == "nummod":
                    return name, as_number(g.text, cues)
        return name, None
    return None, None


def as_number(text: str, cues: EventCues | None = None) -> int | None:
    """'14', '1,200', 'fourteen', 'a dozen' -> the number; None for 'dozens' and other words.

    >>> as_number("1,200"), as_number("Fourteen"), as_number("dozens")
    (1200, 14, None)
    """
    text = text.lower().replace(",", "").strip()
    if text.isdigit():
        return int(text)
    words = (cues or default_cues()).number_words
    return words.get(text)


def casualties(text: str, cues: EventCues) -> tuple[int | None, int | None]:
    """(killed, wounded) as the sentence states them: 'killing three', 'at least two injuries',
    'more than 30 injured', 'injuring no one' (0). None where it states none."""
    lowered = text.lower()
    none_hurt = any(p.search(lowered) for p in cues.no_casualty_patterns)
    killed = _count(lowered, _casualty_patterns(cues, cues.killed_words, cues.wounded_words), cues)
    wounded = _count(lowered, _casualty_patterns(cues, cues.wounded_words, cues.killed_words), cues)
    if none_hurt:
        wounded = 0 if wounded is None else wounded
        if re.search(r"\b(?:loss of life|deaths|casualties|killed)\b", lowered) and killed is None:
            killed = 0
    return killed, wounded


@dataclass(frozen=True)
class _CasualtyPatterns:
    after: re.Pattern  # "killing two", "wounded at least 30"
    before: re.Pattern  # "three US troops [were] killed", tried at each number
    number: re.Pattern  # where a number (with its bound) starts
    more: re.Pattern  # "... and four contractors" after the first count
    other: re.Pattern  # the other kind's word: "killed three ... and injured no one"
    other_last: re.Pattern  # the other kind's word right before a number: "killed three"


def _casualty_patterns(cues: EventCues, words: tuple[str, ...], other: tuple[str, ...]) -> _CasualtyPatterns:
    """The patterns for one kind of casualty word, compiled once (a hot path: every telling reads them)."""
    return _compiled_patterns(tuple(sorted(cues.number_words, key=len, reverse=True)), cues.number_bounds, words, other)


@lru_cache(maxsize=16)
def _compiled_patterns(numbers: tuple[str, ...], bounds: tuple[str, ...], words: tuple[str, ...],
                       other: tuple[str, ...]) -> _CasualtyPatterns:
    number = r"(\d{1,3}(?:,\d{3})+|\d+|" + "|".join(re.escape(w) for w in numbers) + r")"
    bound = r"(?:(?:" + "|".join(re.escape(b) for b in bounds) + r")\s+)?"
    word = r"(?:" + "|".join(re.escape(w) for w in words) + r")"
    return _CasualtyPatterns(
        after=re.compile(r"\b" + word + r"\s+(?:of\s+)?" + bound + number
                         + r"\b(?!\s*(?:rockets|missiles|drones|days|hours|years))"),
        before=re.compile(bound + number + r"\s+(?:[\w.'-]+\s+){0,5}?" + word + r"\b"),
        number=re.compile(r"\b" + bound + number),
        more=re.compile(r"(?:\s+(?!and\b)[\w.'’-]+){1,4}?\s+and\s+" + bound + r"(" + number[1:-1] + r"|another)\b"),
        other=re.compile(r"\b(?:" + "|".join(re.escape(w) for w in other) + r")\b"),
        other_last=re.compile(r"\b(?:" + "|".join(re.escape(w) for w in other) + r")\s*$"))


def _count(lowered: str, patterns: _CasualtyPatterns, cues: EventCues) -> int | None:
    """The count a casualty word states. A number before the word never reaches over the other kind's
    word ("killed three soldiers and injured no one": the three were killed, not injured)."""
    after = patterns.after.search(lowered)
    before = next((m for m in (patterns.before.match(lowered, n.start()) for n in patterns.number.finditer(lowered))
                   if m is not None and not _reaches_over(lowered, m, patterns)), None)
    # "killing two" is the surer form; "three US troops killed" where it is the only one
    found = [m for m in (after, before) if m is not None and m.group(1) not in ("no",)
             and (m is after or m.group(1) not in ("a", "an"))]  # "killing an American" is one; "a ... killed" is not
    if not found:
        return None
    total = as_number(found[0].group(1), cues)
    if found[0] is after and total is not None:  # "wounding a U.S. service member and four contractors" -> 5
        rest = lowered[after.end():]
        while (extra := patterns.more.match(rest)) is not None:
            value = 1 if extra.group(1) == "another" else as_number(extra.group(1), cues)
            if value is None:
                break
            total += value
            rest = rest[extra.end():]
    return total


def _reaches_over(lowered: str, counted: re.Match, patterns: _CasualtyPatterns) -> bool:
    """Whether the other kind's word lies between the number and its word, or right before the number."""
    return bool(patterns.other.search(lowered, counted.end(1), counted.end())
                or patterns.other_last.search(lowered, max(0, counted.start() - 30), counted.start()))
