"""Who held which post on a given day: a build's roles read back, and its graph as of a date.

    read_roles(store)        every kg:Role of a build as a Tenure (holder, body, title, start, end, source)
    held_on(roles, day)      the roles of one holder and body that cover `day`
    as_of_graph(G, day)      G with leaderOf as it stood on `day`

A role covers a day from its start (inclusive) to its end (exclusive); an unknown start or end is
open, except that a post the text only observes counts from its first sentence (kg:firstSeen). A coarse date stands for its first day ("2020" is 2020-01-01). Several sources may tell of one
post (the actor dictionary, the text): a day is covered when one role covers it and no role of the
same holder and body says the post ended between that role's start and the day. So "Soleimani,
commander of the Quds Force" in a 2020 story does not make him its commander in 2021 when a
sentence or the dictionary says his post ended in January 2020.

`as_of_graph` drops every leaderOf edge whose roles do not cover the day, keeps those no role
speaks of (nothing says they ended), adds the dictionary's covering roles to a kept edge's evidence, and adds an edge for each role that covers the day where the
text stated none (a post the dictionary knows), with the role as its evidence.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import networkx as nx

from kg.errors import KGError
from kg.extract.dates import first_day
from kg.model import Evidence
from kg.paths.arguments import check_date
from kg.vocab import entity_id

__all__ = ["Tenure", "as_of_graph", "check_day", "held_on", "read_roles"]

LEADER = "leaderOf"


@dataclass(frozen=True)
class Tenure:
    holder: str  # entity id
    body: str
    title: str
    start: str | None  # an ISO day
    end: str | None
    source: str  # "dictionary" or "text"
    cited: str = ""  # the dictionary entry's own source
    sentences: tuple[Evidence, ...] = ()
    span: str = ""  # the dates as precisely as the source gives them: "1997 to 2020"

    def covers(self, day: str) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def describe(self) -> str:
        """'commander, 2020-01-03 to now (actor dictionary)'."""
        span = self.span or f"{self.start or '?'} to {self.end or 'now'}"
        where = "actor dictionary" + (f", after {self.cited}" if self.cited else "") if self.source == "dictionary" \
            else "read from the text"
        return f"{self.title or 'leader'}, {span} ({where})"


def check_day(value: str | date | None, name: str = "as_of") -> str | None:
    """An ISO date ("2021", "2021-06" or "2021-06-01") as its first day; KGError for anything else."""
    text = check_date(value.strip() if isinstance(value, str) else value, name)
    if text is None:
        return None
    day = first_day(text)
    try:
        date.fromisoformat(day)
    except ValueError:
        raise KGError(f"{name} {text!r} is not a day of the calendar") from None
    return day


def held_on(roles: Iterable[Tenure], day: str) -> list[Tenure]:
    """The roles (of one holder and one body) that cover `day`, unless another says the post had ended."""
    roles = list(roles)
    ends = [r.end for r in roles if r.end is not None]
    return [r for r in roles if r.covers(day)
            and not any((r.start is None or r.start < end) and end <= day for end in ends)]


def as_of_graph(G: nx.MultiDiGraph, day: str | date) -> nx.MultiDiGraph:
    """A copy of G whose leaderOf edges are the posts held on `day` (roles in ``G.graph["roles"]``)."""
    day = check_day(day)
    H = G.copy()
    by_pair: dict[tuple[str, str], list[Tenure]] = defaultdict(list)
    for role in G.graph.get("roles", ()):
        by_pair[role.holder, role.body].append(role)
    for u, v, key in [(u, v, k) for u, v, k in H.edges(keys=True) if k == LEADER]:
        roles = by_pair.get((u, v))
        held = held_on(roles, day) if roles else []
        if roles and not held:
            H.remove_edge(u, v, key=key)
        elif held:  # say which post was held that day, where only the dictionary dates it
            data = H[u][v][key]
            data["evidence"] = sorted([*data.get("evidence", ()),
                                       *(_role_evidence(r) for r in held if r.source == "dictionary")],
                                      key=lambda e: (e.date or "", e.doc, e.start))
    for (u, v), roles in by_pair.items():
        held = held_on(roles, day)
        if held and not H.has_edge(u, v, key=LEADER) and u in H and v in H:
            evidence = sorted({e for r in held for e in r.sentences} | {_role_evidence(r) for r in held
                                                                          if not r.sentences},
                              key=lambda e: (e.date or "", e.doc, e.start))
            H.add_edge(u, v, key=LEADER, relation=LEADER, evidence=evidence, hedged=False)
    return H


def _role_evidence(role: Tenure) -> Evidence:
    """A dictionary role shown where a sentence would be: what it says and where it comes from."""
    return Evidence(doc="actor dictionary", sentence=role.describe(), start=0, end=0,
                    date=role.span.split(" to ")[0] if role.span and role.start else role.start, rule="role.dictionary")


# ------------------------------------------------------------------ reading a build

_ROLES = """
SELECT ?r ?holder ?org ?title (STR(COALESCE(?s0, ?seen)) AS ?start) (STR(?e) AS ?end) ?source ?cited ?sp ?ep WHERE {
  ?r a kg:Role ; kg:holder ?holder ; kg:organization ?org .
  OPTIONAL { ?r kg:title ?title }
  OPTIONAL { ?r kg:startDate ?s0 }
  OPTIONAL { ?r kg:firstSeen ?seen }
  OPTIONAL { ?r kg:endDate ?e }
  OPTIONAL { ?r kg:startPrecision ?sp }
  OPTIONAL { ?r kg:endPrecision ?ep }
  OPTIONAL { ?r kg:roleSource ?source }
  OPTIONAL { ?r dct:source ?cited }
}"""
_ROLE_EVIDENCE = """
SELECT ?r ?doc ?id ?sentence ?rule (STR(?st_) AS ?start) (STR(?en_) AS ?end) (STR(?d) AS ?date) WHERE {
  ?r a kg:Role ; kg:evidence ?x . ?x prov:wasDerivedFrom ?doc .
  OPTIONAL { ?doc dct:identifier ?id }
  OPTIONAL { ?x kg:sentence ?sentence } OPTIONAL { ?x kg:rule ?rule } OPTIONAL { ?x kg:date ?d }
  OPTIONAL { ?x kg:start ?st_ } OPTIONAL { ?x kg:end ?en_ }
}"""


def read_roles(store) -> list[Tenure]:
    """Every kg:Role of a build (any kg.stores.GraphStore), with its sentences."""
    told: dict[str, list[Evidence]] = defaultdict(list)
    for row in store.select_terms(_ROLE_EVIDENCE):
        told[str(row["r"])].append(Evidence(
            doc=str(row.get("id") or _local(row["doc"])), sentence=str(row.get("sentence", "")),
            start=int(row.get("start") or 0), end=int(row.get("end") or 0), date=_text(row.get("date")),
            rule=str(row.get("rule", ""))))
    roles = []
    for row in store.select_terms(_ROLES):
        holder, body = entity_id(row["holder"]), entity_id(row["org"])
        if holder and body:
            start, end = _text(row.get("start")), _text(row.get("end"))
            span = f"{_shown(start, row.get('sp'))} to {_shown(end, row.get('ep')) if end else 'now'}"
            roles.append(Tenure(holder, body, _text(row.get("title")) or "", start, end,
                                _text(row.get("source")) or "text", _text(row.get("cited")) or "",
                                tuple(sorted(told.get(str(row["r"]), ()), key=lambda e: (e.date or "", e.doc, e.start))),
                                span))
    return sorted(roles, key=lambda r: (r.body, r.start or "", r.holder, r.title, r.source))


_PRECISION = {"year": 4, "month": 7}


def _shown(day: str | None, precision) -> str:
    """A date as precisely as its source gave it: '1997-01-01' of precision 'year' is '1997'."""
    return day[:_PRECISION.get(str(precision), 10)] if day else "?"


def _text(term) -> str | None:
    return str(term) if term is not None else None


def _local(term) -> str:
    return str(term).rsplit("/", 1)[-1]


