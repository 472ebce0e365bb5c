"""Where merge_attacks looks for the attack a telling belongs to: the few events that could be it.

An earlier telling joins an event only when they share a target, place or the place a target
base stands in (kg.resolve.events), and, when dated, when some telling of the event is within a
day of it, or, when undated, when some telling of the event is in its document. `AttackIndex`
files each event under those (key, day) and (key, document) pairs as it grows, so a telling is
checked against the events filed under its own pairs, in the order they were made, not against
every event of the corpus. The checks themselves stay where they are: this only narrows the list.

>>> from kg.model import Attack, AttackMention, Evidence
>>> told = AttackMention(None, Evidence("a.txt", "", 0, 1), date="2021-07-07")
>>> index = AttackIndex({})
>>> index.add(0, Attack("", "ain-al-asad", date="2021-07-07"), told)
>>> index.dated({"ain-al-asad"}, "2021-07-08"), index.dated({"ain-al-asad"}, "2021-07-10")
([0], [])
>>> index.in_document({"ain-al-asad"}, "a.txt"), index.in_document({"erbil"}, "a.txt")
([0], [])
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta

from kg.model import Attack, AttackMention

__all__ = ["AttackIndex", "day_keys", "event_keys"]

DayKey = tuple[str, object]  # ("d", a date) for a full ISO day, else ("s", the string as written)


class AttackIndex:
    """Attack positions (in merge order) filed by (key, day of a telling) and (key, document of a telling)."""

    def __init__(self, located: dict[str, str]):
        self.located = located
        self._keys: dict[int, set[str]] = {}
        self._tellings: dict[int, list[AttackMention]] = defaultdict(list)
        self._by_day: dict[tuple[str, DayKey], set[int]] = defaultdict(set)
        self._by_doc: dict[tuple[str, str], set[int]] = defaultdict(set)

    def add(self, position: int, attack: Attack, telling: AttackMention) -> None:
        """`telling` has joined the attack at `position` (whose target and place are as they are now)."""
        old = self._keys.setdefault(position, set())
        keys = event_keys(attack.target, attack.place, self.located)
        self._tellings[position].append(telling)
        for key in keys - old:  # a key the event has just gained files every telling it has
            for earlier in self._tellings[position]:
                self._file(position, key, earlier)
        for key in old:
            self._file(position, key, telling)
        old |= keys

    def dated(self, keys: set[str], day: str) -> list[int]:
        """The events sharing a key with a telling of `day` and told within a day of it, in order."""
        near = day_keys(day, neighbours=True)
        return sorted({p for key in keys for d in near for p in self._by_day.get((key, d), ())})

    def in_document(self, keys: set[str], doc: str) -> list[int]:
        """The events sharing a key with a telling in document `doc`, and told in it, in order."""
        return sorted({p for key in keys for p in self._by_doc.get((key, doc), ())})

    def _file(self, position: int, key: str, telling: AttackMention) -> None:
        if telling.date is not None:
            self._by_day[key, day_keys(telling.date)[0]].add(position)
        self._by_doc[key, telling.evidence.doc].add(position)


def event_keys(target: str | None, place: str | None, located: dict[str, str]) -> set[str]:
    """What a telling or event is filed under: its target, its place, and where the target stands."""
    return {target, place, located.get(target or "")} - {None}


def day_keys(day: str, *, neighbours: bool = False) -> list[DayKey]:
    """The key of a date as `_within_a_day` compares it (a full ISO day as a date, any other
    string as written), and with `neighbours` the keys of the days either side.

    >>> day_keys("2019-10"), day_keys("2021-07-07", neighbours=True)[1:]
    ([('s', '2019-10')], [('d', datetime.date(2021, 7, 6)), ('d', datetime.date(2021, 7, 8))])
    """
    if len(day) < 10:
        return [("s", day)]
    try:
        parsed = date.fromisoformat(day)
    except ValueError:
        return [("s", day)]
    keys: list[DayKey] = [("d", parsed)]
    if neighbours:
        for step in (-1, 1):
            try:
                keys.append(("d", parsed + timedelta(days=step)))
            except OverflowError:
                pass
    return keys
