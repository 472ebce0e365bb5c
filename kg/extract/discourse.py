"""What the document has said so far, for the sentences after it.

`Discourse` remembers the attacks told, the officials, actors and subjects named, and who
leads or backs whom, so "the attack", "the group" and "it" resolve to what the reader would
take them to mean. Look-ups walk back from the latest sentence and stop at their window.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from kg.extract.entities import Found


@dataclass
class AttackRecord:
    """An attack the document has talked about, for later 'the attack' and 'the strikes'."""

    target: Found | None
    attacker: Found | None = None
    claimant: Found | None = None
    sentence: int = 0
    strike: bool = False  # whether the text called it a strike or raid (a state's word) or an attack
    date: str | None = None
    single: bool = True  # "the attack", not "dozens of attacks": one event, not a campaign

    @property
    def actor(self) -> Found | None:
        return self.attacker or self.claimant


@dataclass
class Discourse:
    """What the document has said so far. Look-ups walk back from the latest sentence and stop at
    their window, and attacks are indexed by target, so a long document costs linear time."""

    attacks: list[AttackRecord] = field(default_factory=list)
    officials: list[tuple[int, Found]] = field(default_factory=list)
    actors: list[tuple[int, Found]] = field(default_factory=list)
    subjects: list[tuple[int, Found]] = field(default_factory=list)  # who each sentence is about
    leaders: dict[str, Found] = field(default_factory=dict)  # official name -> what they lead
    patrons: list[tuple[int, Found]] = field(default_factory=list)  # whose proxies the text spoke of
    named: frozenset[str] = frozenset()  # the dictionary ids of every actor the document names
    authors: tuple[Found, ...] = ()  # who a statement's "we" is: the actors its heading names
    on_target: dict[str, list[AttackRecord]] = field(default_factory=dict)
    told: Counter = field(default_factory=Counter)  # single attacks told, by target
    attack_days: list[tuple[int, str]] = field(default_factory=list)  # "the Sunday attack": dates attack words carry

    def tell(self, record: AttackRecord) -> None:
        """An attack the text just told of."""
        self.attacks.append(record)
        if record.target is not None:
            self.on_target.setdefault(same(record.target), []).append(record)
            if record.single:
                self.told[same(record.target)] += 1

    def last_patron(self, now: int, window: int) -> Found | None:
        """Whose are 'the proxy groups': the backer of the proxies the text last named."""
        return next(recent(self.patrons, now, window), None)

    def last_attack(self, now: int, window: int) -> AttackRecord | None:
        return next(self.recent_attacks(now, window), None)

    def attack_called(self, strike: bool, now: int, window: int) -> AttackRecord | None:
        """What 'the strikes' or 'the attack' refers to: the latest attack the text called that."""
        named = (a for a in self.recent_attacks(now, window * 2) if a.strike == strike)
        return next(named, None) or self.last_attack(now, window) or self.salient_attack()

    def salient_attack(self) -> AttackRecord | None:
        """The attack the document keeps telling of, for 'the strike' far from its last telling:
        the target told most often, by its latest record with a known actor."""
        top = self.told.most_common(2)
        if not top or len(top) > 1 and (top[0][1] < 2 or top[1][1] == top[0][1]):
            return None  # no attack stands out; the only one the text told does
        records = [a for a in self.on_target[top[0][0]] if a.single]
        return next((a for a in reversed(records) if a.actor), records[-1])

    def date_of_attack_on(self, target: Found | None) -> str | None:
        records = self.on_target.get(same(target), []) if target is not None else []
        return next((a.date for a in reversed(records) if a.date), None)

    def attack_on(self, target: Found) -> AttackRecord | None:
        """The latest attack on a target whose actor is known anywhere in the document."""
        return next((a for a in reversed(self.on_target.get(same(target), [])) if a.actor), None)

    def last_agent(self, now: int, types: frozenset[str], window: int) -> Found | None:
        """Who last attacked or claimed an attack: what 'the group' most often means in a report."""
        actors = (a.actor for a in self.recent_attacks(now, window))
        return next((f for f in actors if f is not None and f.type in types), None)

    def last_official(self, now: int, window: int) -> Found | None:
        return next(recent(self.officials, now, window), None)

    def last_subject(self, now: int, types: frozenset[str]) -> Found | None:
        """What 'it' or 'they' most likely means: the previous sentence's subject, if of the right type."""
        previous = list(recent(self.subjects, now, 1))  # the previous sentence's subjects, latest first
        return previous[-1] if previous and previous[-1].type in types else None

    def told_here(self, now: int) -> list[AttackRecord]:
        """The attacks sentence `now` told."""
        return list(self.recent_attacks(now, 0))

    def recent_attacks(self, now: int, window: int):
        """The attacks told within `window` sentences of `now`, latest first."""
        for record in reversed(self.attacks):
            if now - record.sentence > window:
                return
            yield record

    def last_actor(self, now: int, types: frozenset[str], window: int) -> Found | None:
        return next((f for f in recent(self.actors, now, window) if f.type in types), None)


def same(found: Found) -> str:
    """What makes two mentions one target: the dictionary's id ('Al Asad' is 'Ain al-Asad'), else the name."""
    return found.key or found.name


def recent(items: list[tuple[int, Found]], now: int, window: int):
    """The items of (sentence index, item) pairs told within `window` sentences of `now`, latest first."""
    for index, item in reversed(items):
        if now - index > window:
            return
        yield item
