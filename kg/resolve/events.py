"""Attack mentions -> attack events: one event per real attack, within and across documents.

Two tellings are one attack when they name the same target (or, lacking one, the same
place), their dates are within a day, their attackers do not differ and their weapons could
be one salvo (ontology/events.json). A different attacker or a different day is a different
attack. A telling with no date joins its own document's attack on that target (the latest, where
the document tells of several: a story's news is its newest attack), else stays apart. Nothing
collects undated sentences from several documents into one event.

Corroboration counts sources (publishers), not documents: a forum repost of a Reuters story
counts once, for Reuters. Confidence combines each source's best rule confidence (halved when
the source only alleges) as independent witnesses: 1 - prod(1 - c).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from kg.model import Attack, AttackMention, Document, Entity, Evidence
from kg.resolve.attack_index import AttackIndex, event_keys

__all__ = ["merge_attacks", "publisher", "with_sources", "combined_confidence"]

_WIRE = re.compile(r"^[A-Z][A-Za-z .,'’-]{1,60}\((?P<wire>[A-Z][A-Za-z .&-]{1,40})\)\s*[—–-]", re.M)


def publisher(document: Document, offset: int) -> str:
    """Who published the sentence at `offset`: the wire a story's dateline credits
    ("BAGHDAD (Reuters) -"), the last one before it, else the document's source."""
    found = None
    for match in _WIRE.finditer(document.text, 0, max(0, offset) + 1):
        found = match.group("wire").strip()
    return found or document.source or document.id


def with_sources(evidence: Evidence, documents: dict[str, Document]) -> Evidence:
    """The evidence with its publisher filled in."""
    document = documents.get(evidence.doc)
    if evidence.source or document is None:
        return evidence
    return replace(evidence, source=publisher(document, evidence.start))


def combined_confidence(evidence: Iterable[Evidence]) -> float:
    """1 - prod(1 - c) over distinct sources, c each source's best confidence (halved if hedged).

    >>> round(combined_confidence([Evidence("a", "", 0, 0, confidence=0.7, source="AP"),
    ...                            Evidence("b", "", 0, 0, confidence=0.7, source="AP"),
    ...                            Evidence("c", "", 0, 0, confidence=0.7, source="Reuters")]), 3)
    0.91
    """
    best: dict[str, float] = {}
    for e in evidence:
        c = e.confidence / 2 if e.hedged else e.confidence
        key = e.source or e.doc
        best[key] = max(best.get(key, 0.0), c)
    doubt = 1.0
    for c in best.values():
        doubt *= 1.0 - c
    return round(1.0 - doubt, 3)


def merge_attacks(readings: Iterable[tuple[AttackMention, Entity | None, Entity | None, Entity | None, Entity | None]],
                  compatible_weapons, located: dict[str, str] | None = None) -> list[Attack]:
    """(mention, target, attacker, claimant, place) in reading order -> one Attack per real attack.

    `located` maps a base to where it stands (the build's locatedIn relations): an attack on the
    base happened there, so "the strike in Taji" can be the attack on Camp Taji, and an event on a
    base with no place of its own gets the base's."""
    located = located or {}
    attacks: list[Attack] = []
    tellings: dict[int, list[AttackMention]] = {}
    readings = list(readings)  # dated tellings first: an undated one then finds the attack it belongs to
    readings.sort(key=lambda r: r[0].date is None)
    index = AttackIndex(located)
    position = {}
    for mention, target, attacker, claimant, place in readings:
        target_id = target.id if target is not None else None
        place_id = place.id if place is not None else None
        attack = _same_attack(attacks, tellings, mention, target_id, place_id, attacker, compatible_weapons, located,
                              index)
        if attack is None:
            attack = Attack(id="", target=target_id, date=mention.date, place=place_id)
            position[id(attack)] = len(attacks)
            attacks.append(attack)
            tellings[id(attack)] = []
        tellings[id(attack)].append(mention)
        attack.target = attack.target or target_id
        attack.place = attack.place or place_id
        if attacker is not None and attack.attacker is None:
            attack.attacker = attacker.id
        if claimant is not None and claimant.id not in attack.claimed_by:
            attack.claimed_by.append(claimant.id)
        if not any((e.doc, e.start) == (mention.evidence.doc, mention.evidence.start) for e in attack.evidence):
            attack.evidence.append(mention.evidence)  # a sentence tells of an attack once, whatever rules read it
        index.add(position[id(attack)], attack, mention)
    for number, attack in enumerate(attacks, 1):
        _settle(attack, tellings[id(attack)], attack.attacker)
        attack.place = attack.place or located.get(attack.target or "")
        attack.id = f"{attack.target or attack.place}-{attack.date or 'undated'}-{number}"
    return attacks


def _same_attack(attacks: list[Attack], tellings: dict[int, list[AttackMention]], mention: AttackMention,
                 target: str | None, place: str | None, attacker: Entity | None, compatible_weapons,
                 located: dict[str, str], index: AttackIndex) -> Attack | None:
    def fits(attack: Attack) -> bool:
        if target is not None and attack.target is not None:
            if attack.target != target:
                return False
        elif not ({target, place, located.get(target or "")} - {None}) & (
                {attack.target, attack.place, located.get(attack.target or "")} - {None}):
            return False
        if attacker is not None and attack.attacker not in (None, attacker.id):
            return False
        told = tellings[id(attack)]
        if not any(compatible_weapons(mention.weapon, t.weapon) for t in told):
            return False
        return True

    keys = event_keys(target, place, located)  # an attack that fits shares one of these (AttackIndex)
    if mention.date is not None:
        dated = [a for a in map(attacks.__getitem__, index.dated(keys, mention.date))
                 if fits(a) and any(_within_a_day(t.date, mention.date) for t in tellings[id(a)])]
        return dated[-1] if dated else None
    here = [a for a in map(attacks.__getitem__, index.in_document(keys, mention.evidence.doc))
            if fits(a) and any(t.evidence.doc == mention.evidence.doc for t in tellings[id(a)])]
    if len(here) <= 1:
        return here[0] if here else None
    # Several attacks on that target in the document: "the attack" is the story's news, the latest of them.
    dated = [a for a in here if a.date]
    return max(dated, key=lambda a: a.date) if dated else here[0]


def _within_a_day(a: str | None, b: str | None) -> bool:
    if a is None or b is None:
        return False
    if len(a) < 10 or len(b) < 10:
        return a == b
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days) <= 1
    except ValueError:
        return a == b


def _settle(attack: Attack, told: list[AttackMention], attacker: str | None) -> None:
    """The event's values from all its tellings: the date most tellings give (the most precise on a
    tie), the weapon and count most give, the highest toll any gives."""
    dates = Counter(t.date for t in told if t.date)
    if dates:
        attack.date = max(dates, key=lambda d: (dates[d], len(d), d))
    weapons = Counter(t.weapon for t in told if t.weapon)
    if weapons:
        attack.weapon = weapons.most_common(1)[0][0]
    counts = Counter(t.count for t in told if t.count is not None and (t.weapon or attack.weapon) == attack.weapon)
    if counts:
        attack.count = counts.most_common(1)[0][0]
    for name in ("killed", "wounded"):
        values = [getattr(t, name) for t in told if getattr(t, name) is not None]
        setattr(attack, name, max(values) if values else None)
    if attacker is not None:
        named = [t for t in told if t.attacker is not None]
        attack.alleged = bool(named) and all(t.evidence.hedged for t in named)
