"""The arguments of a walk checked: dates and their window, relation and type names, nodes, hop counts."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from datetime import date as _date

import networkx as nx

from kg.errors import KGError, NoSuchEntity


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class _Window:
    """Dates from `since` to `until`, both inclusive and either one open. A year or
    month stands for all of it: until="2021" keeps 2021-12-31."""

    def __init__(self, since: str | _date | None, until: str | _date | None):
        self.since, self.until = check_date(since, "since"), check_date(until, "until")
        common = min(len(self.since or ""), len(self.until or ""))
        if common and self.since[:common] > self.until[:common]:
            raise KGError(f"since {self.since} is after until {self.until}")

    def __bool__(self) -> bool:
        return bool(self.since or self.until)

    def __contains__(self, day: str | None) -> bool:
        if not self:
            return True
        if not day:
            return False  # undated evidence cannot be shown to fall in the window
        if self.since and day[: len(self.since)] < self.since:
            return False
        return not (self.until and day[: len(self.until)] > self.until)


def check_date(value: str | _date | None, name: str) -> str | None:
    """A date argument as given ("2021", "2021-07" or "2021-07-07"); KGError for anything else."""
    if value is None or value == "":
        return None
    if isinstance(value, _date):
        return value.isoformat()[:10]
    if not isinstance(value, str) or not _DATE.fullmatch(value):
        raise KGError(f"{name} must be a date like 2021, 2021-07 or 2021-07-07, not {value!r}")
    return value


def _check_choices(values: Collection[str] | str | None, allowed: tuple[str, ...], what: str) -> frozenset[str] | None:
    if values is None:
        return None
    values = [values] if isinstance(values, str) else list(values)
    unknown = [v for v in values if v not in allowed]
    if unknown:
        raise KGError(f"unknown {what} {unknown[0]!r}; choose from {', '.join(allowed)}")
    return frozenset(values)


def _check_node(G: nx.MultiDiGraph, node: str) -> None:
    if node not in G:
        raise NoSuchEntity(node)


def _check_hops(value: int, name: str) -> None:
    if not isinstance(value, int) or value < 1:
        raise KGError(f"{name} must be a whole number of at least 1, not {value!r}")


EdgeTest = Callable[[dict], bool]


def _edge_test(relations: frozenset[str] | None, window: _Window) -> EdgeTest | None:
    """Which edges a walk may use, or None for all of them (the fast path)."""
    if relations is None and not window:
        return None

    def ok(data: dict) -> bool:
        if relations is not None and _relation(data) not in relations:
            return False
        return not window or any(e.date in window for e in data.get("evidence", ()))

    return ok


def _relation(data: dict) -> str:
    return data.get("relation", "")
