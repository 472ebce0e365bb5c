"""Explained paths over the knowledge graph: who is linked to whom, and the sentences that say so.

`to_networkx(store)` reads a build's store into a MultiDiGraph; the other functions
take that graph (or any MultiDiGraph shaped like it) and return plain dataclasses.

The graph's nodes are entity ids with attributes ``name``, ``type``, ``aliases``,
``qid`` and ``mentions``. Each edge runs subject -> object, is keyed by its relation
(so two entities have at most one edge per relation and direction), and carries
``relation``, ``evidence`` (a list of kg.model.Evidence) and ``hedged`` (every
sentence attributes it by belief or accusation). An attack event becomes an edge
attacker -attacked-> target (when the attacker is known) and one edge
group -claimed-> target per claiming group, with the attack's evidence.

Walks may follow an edge backwards; each Step records which way it went.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Callable, Collection, Iterator
from dataclasses import asdict, dataclass, field, replace
from datetime import date as _date
from itertools import chain, islice
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.errors import KGError, NoPath, NoSuchEntity
from kg.model import ENTITY_TYPES, RELATION_TYPES, Entity, Evidence
from kg.vocab import ID, KG

if TYPE_CHECKING:
    from kg.store import Store

__all__ = ["Event", "Link", "Path", "Step", "linked_to", "shortest_paths", "timeline", "to_networkx"]

MAX_FRONTIER = 1_000  # nodes expanded per hop by linked_to; see its docstring


# ------------------------------------------------------------------ results


def _evidence_line(e: Evidence, dated: bool = True) -> str:
    notes = [e.doc]
    if e.hedged:
        notes.append("hedged")
    if e.confidence < 1:
        notes.append(f"confidence {e.confidence:g}")
    quote = f'"{e.sentence}"' if e.sentence else "(no sentence stored)"
    line = f"{quote}  [{', '.join(notes)}]"
    return f"{e.date or 'undated':<10}  {line}" if dated else line


@dataclass
class Step:
    """One hop of a walk, from `source` to `target`.

    `forward` is False when the walk went against the stated direction: the
    relation then reads ``target -relation-> source``. `evidence` holds every
    sentence that states it (within the date window asked for).
    """

    source: Entity
    relation: str
    target: Entity
    forward: bool = True
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def subject(self) -> Entity:
        """The entity the relation is stated of (``subject -relation-> object``)."""
        return self.source if self.forward else self.target

    @property
    def object(self) -> Entity:
        return self.target if self.forward else self.source

    @property
    def hedged(self) -> bool:
        """True when every sentence attributes the relation by belief, accusation or blame."""
        return bool(self.evidence) and all(e.hedged for e in self.evidence)

    @property
    def docs(self) -> list[str]:
        """The documents that state it, each once."""
        return list(dict.fromkeys(e.doc for e in self.evidence))

    def __str__(self) -> str:
        arrow = f"-{self.relation}->" if self.forward else f"<-{self.relation}-"
        return f"{self.source.name} {arrow} {self.target.name}"

    def explain(self, *, max_evidence: int | None = 3, dated: bool = True) -> str:
        """This step, then one indented line per sentence: date, quote, [document, hedged, confidence]."""
        shown = self.evidence if max_evidence is None else self.evidence[:max_evidence]
        lines = [str(self) + (" (hedged)" if self.hedged else "")]
        lines += ["  " + _evidence_line(e, dated) for e in shown]
        if len(shown) < len(self.evidence):
            lines.append(f"  ... and {len(self.evidence) - len(shown)} more")
        if not self.evidence:
            lines.append("  (no evidence stored)")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        """Plain values for JSON; ``text`` is ``str(self)``."""
        return {"text": str(self), **asdict(self), "hedged": self.hedged}


@dataclass
class Path:
    """A walk of one or more steps; ``str(path)`` reads
    ``Iran <-backedBy- Kataib Hezbollah -attacked-> Ain al-Asad``."""

    steps: list[Step] = field(default_factory=list)

    @property
    def hops(self) -> int:
        return len(self.steps)

    @property
    def nodes(self) -> list[Entity]:
        """The entities walked through, from the first to the last."""
        return [self.steps[0].source] + [s.target for s in self.steps] if self.steps else []

    @property
    def hedged(self) -> bool:
        """True when any step is only hedged."""
        return any(s.hedged for s in self.steps)

    def __str__(self) -> str:
        if not self.steps:
            return ""
        parts = [self.steps[0].source.name]
        for s in self.steps:
            parts.append(f"-{s.relation}->" if s.forward else f"<-{s.relation}-")
            parts.append(s.target.name)
        return " ".join(parts)

    def explain(self, *, max_evidence: int | None = 3) -> str:
        """The path, then each step with its evidence."""
        if len(self.steps) == 1:
            return self.steps[0].explain(max_evidence=max_evidence)
        lines = [str(self)]
        for step in self.steps:
            lines += ["  " + line for line in step.explain(max_evidence=max_evidence).splitlines()]
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {"text": str(self), "hops": self.hops, "steps": [s.to_dict() for s in self.steps]}


@dataclass
class Link:
    """An entity linked to the one asked about: how far, and the best few of its shortest paths.

    `path_count` is how many shortest paths there are (each parallel relation counted);
    `paths` holds at most `max_paths` of them, best evidenced first.
    """

    entity: Entity
    hops: int
    paths: list[Path] = field(default_factory=list)
    path_count: int = 0

    def __str__(self) -> str:
        qid = f", {self.entity.qid}" if self.entity.qid else ""
        plural = "s" if self.path_count != 1 else ""
        return (f"{self.entity.name} ({self.entity.type}{qid}): "
                f"{self.hops} hop{'s' if self.hops != 1 else ''}, {self.path_count} path{plural}")

    def explain(self, *, max_evidence: int | None = 3) -> str:
        lines = [str(self)]
        for path in self.paths:
            lines += ["  " + line for line in path.explain(max_evidence=max_evidence).splitlines()]
        if len(self.paths) < self.path_count:
            lines.append(f"  ... and {self.path_count - len(self.paths)} more paths")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity": asdict(self.entity), "hops": self.hops, "path_count": self.path_count,
            "paths": [p.to_dict() for p in self.paths],
        }


@dataclass
class Event:
    """One dated entry of a timeline: a relation of the entity, with that day's evidence."""

    date: str | None
    step: Step

    def __str__(self) -> str:
        return f"{self.date or 'undated':<10}  {self.step}"

    def explain(self, *, max_evidence: int | None = 3) -> str:
        head, *rest = self.step.explain(max_evidence=max_evidence, dated=False).splitlines()
        pad = " " * 12
        return "\n".join([f"{self.date or 'undated':<10}  {head}"] + [pad + line.strip() for line in rest])

    def to_dict(self) -> dict[str, Any]:
        return {"date": self.date, "step": self.step.to_dict()}


# ------------------------------------------------------------------ arguments


_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


class _Window:
    """Dates from `since` to `until`, both inclusive and either one open. A year or
    month stands for all of it: until="2021" keeps 2021-12-31."""

    def __init__(self, since: str | _date | None, until: str | _date | None):
        self.since, self.until = _check_date(since, "since"), _check_date(until, "until")
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


def _check_date(value: str | _date | None, name: str) -> str | None:
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


# ------------------------------------------------------------------ building the graph


# Typed literals come back as plain strings (STR): far cheaper to convert than dates and numbers.
_ENTITIES = """
SELECT ?e ?type ?name ?qid (STR(?m) AS ?mentions) WHERE {
  ?e a ?type ; rdfs:label ?name .
  OPTIONAL { ?e kg:qid ?qid }
  OPTIONAL { ?e kg:mentions ?m }
}"""
_ALIASES = "SELECT ?e ?alias WHERE { ?e skos:altLabel ?alias }"
_DOCUMENTS = """
SELECT ?doc ?id (STR(?d) AS ?date) WHERE {
  ?doc a kg:Document .
  OPTIONAL { ?doc dct:identifier ?id }
  OPTIONAL { ?doc dct:date ?d }
}"""
_TRIPLES = "SELECT DISTINCT ?s ?o WHERE { ?s ?p ?o }"
_STATEMENTS = """
SELECT ?s ?p ?o ?doc ?sentence ?rule (STR(?st_) AS ?start) (STR(?en_) AS ?end) (STR(?d) AS ?date)
       (STR(?c) AS ?confidence) (STR(?h) AS ?hedged) WHERE {
  ?st a kg:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; prov:wasDerivedFrom ?doc .
  OPTIONAL { ?st kg:sentence ?sentence }
  OPTIONAL { ?st kg:start ?st_ }
  OPTIONAL { ?st kg:end ?en_ }
  OPTIONAL { ?st kg:date ?d }
  OPTIONAL { ?st kg:confidence ?c }
  OPTIONAL { ?st kg:hedged ?h }
  OPTIONAL { ?st kg:rule ?rule }
}"""
_ATTACKS = """
SELECT ?a ?target ?place ?attacker (STR(?d) AS ?date) ?precision ?weapon WHERE {
  ?a a kg:Attack .
  OPTIONAL { ?a kg:target ?target }
  OPTIONAL { ?a kg:place ?place }
  OPTIONAL { ?a kg:attacker ?attacker }
  OPTIONAL { ?a kg:date ?d OPTIONAL { ?a kg:datePrecision ?precision } }
  OPTIONAL { ?a kg:weapon ?weapon }
}"""
_ATTACK_EVIDENCE = """
SELECT ?a ?doc ?sentence ?rule (STR(?st_) AS ?start) (STR(?en_) AS ?end) (STR(?c) AS ?confidence)
       (STR(?h) AS ?hedged) ?source WHERE {
  ?a a kg:Attack ; kg:evidence ?e . ?e prov:wasDerivedFrom ?doc .
  OPTIONAL { ?e kg:sentence ?sentence } OPTIONAL { ?e kg:rule ?rule }
  OPTIONAL { ?e kg:start ?st_ } OPTIONAL { ?e kg:end ?en_ }
  OPTIONAL { ?e kg:confidence ?c } OPTIONAL { ?e kg:hedged ?h } OPTIONAL { ?e kg:source ?source }
}"""
_PRECISION = {"month": 7, "year": 4}
_CLAIMS = "SELECT ?a ?group WHERE { ?a a kg:Attack ; kg:claimedBy ?group }"
_ATTACK_DOCS = "SELECT ?a ?doc WHERE { ?a a kg:Attack ; prov:wasDerivedFrom ?doc }"


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """The store's entities and relations as a MultiDiGraph, with evidence on every edge.

    Parameters
    ----------
    store : kg.store.Store
        A build's store (or any store written by kg.rdf).

    Returns
    -------
    networkx.MultiDiGraph
        Nodes are entity ids; each edge ``subject -> object`` is keyed by its relation
        and has ``relation``, ``evidence`` (kg.model.Evidence, by date) and ``hedged``.
        Attack events add ``attacked`` and ``claimed`` edges (``attacks`` lists their ids);
        ``G.graph["attacks"]`` keeps every attack event as a dict.

    Notes
    -----
    Every direct triple ``s kg:<relation> o`` in any graph of the store becomes an
    edge, with or without a kg:Statement beside it, so a walk here and a SPARQL
    query over the same store never disagree. An attack event's edges carry the
    sentences that told of it (kg:evidence); a store written before events kept
    them gives document-only evidence with an empty ``sentence``.

    Examples
    --------
    >>> from kg.model import Entity, Graph
    >>> from kg.rdf import graph_to_quads
    >>> from kg.store import open_store
    >>> store = open_store()
    >>> store.load(graph_to_quads(Graph(entities={"iran": Entity("iran", "Iran", "State", qid="Q794")})))
    >>> G = to_networkx(store)
    >>> G.nodes["iran"]["name"], G.nodes["iran"]["qid"]
    ('Iran', 'Q794')
    """
    G = nx.MultiDiGraph()
    types = {str(KG[t]): t for t in ENTITY_TYPES}
    for row in store.select_terms(_ENTITIES):
        kind = types.get(str(row["type"]))
        node = _entity_id(row["e"])
        if kind is None or node is None:
            continue
        data = G.nodes[node] if node in G else None
        if data is not None and ENTITY_TYPES.index(data["type"]) <= ENTITY_TYPES.index(kind):
            continue  # a node with two types keeps the first in ENTITY_TYPES order
        G.add_node(node, name=str(row["name"]), type=kind, aliases=[],
                   qid=str(row["qid"]) if "qid" in row else None,
                   mentions=int(row["mentions"]) if "mentions" in row else 0)
    for row in store.select_terms(_ALIASES):
        node = _entity_id(row["e"])
        if node in G and str(row["alias"]) not in G.nodes[node]["aliases"]:
            G.nodes[node]["aliases"].append(str(row["alias"]))

    docs = {str(r["doc"]): (str(r.get("id") or _local(r["doc"])), _iso(r.get("date")))
            for r in store.select_terms(_DOCUMENTS)}

    def doc_of(iri: Any) -> tuple[str, str | None]:
        return docs.get(str(iri)) or (_local(iri), None)

    edges: dict[tuple[str, str, str], dict] = {}

    def edge(s: str, relation: str, o: str) -> dict:
        for node in (s, o):
            if node not in G:
                G.add_node(node, name=node, type="", aliases=[], qid=None, mentions=0)
        return edges.setdefault((s, o, relation), {"relation": relation, "evidence": set(), "attacks": []})

    relation_of = {str(KG[r]): r for r in RELATION_TYPES}
    for relation in RELATION_TYPES:
        for row in store.select_terms(_TRIPLES, p=KG[relation]):
            s, o = _entity_id(row["s"]), _entity_id(row["o"])
            if s and o:
                edge(s, relation, o)

    for row in store.select_terms(_STATEMENTS):
        relation = relation_of.get(str(row["p"]))
        s, o = _entity_id(row["s"]), _entity_id(row["o"])
        if relation is None or not s or not o:
            continue
        doc, doc_date = doc_of(row["doc"])
        edge(s, relation, o)["evidence"].add(Evidence(
            doc=doc,
            sentence=str(row.get("sentence", "")),
            start=int(row["start"]) if "start" in row else 0,
            end=int(row["end"]) if "end" in row else 0,
            date=_iso(row.get("date")) or doc_date,
            rule=str(row.get("rule", "")),
            confidence=float(row["confidence"]) if "confidence" in row else 1.0,
            hedged=str(row.get("hedged", "")) in ("true", "1"),
        ))

    attacks: dict[str, dict] = {}
    for row in store.select_terms(_ATTACKS):
        target, place = _entity_id(row.get("target")), _entity_id(row.get("place"))
        if target or place:
            day = _iso(row.get("date"))
            attacks.setdefault(_local(row["a"]), {
                "target": target, "place": place, "attacker": _entity_id(row.get("attacker")), "claimed_by": [],
                "date": day[:_PRECISION.get(str(row.get("precision", "")), 10)] if day else None,
                "weapon": str(row["weapon"]) if "weapon" in row else None, "docs": [], "evidence": [],
            })
    for row in store.select_terms(_CLAIMS):
        group, attack = _entity_id(row["group"]), attacks.get(_local(row["a"]))
        if attack and group and group not in attack["claimed_by"]:
            attack["claimed_by"].append(group)
    for row in store.select_terms(_ATTACK_DOCS):
        if (attack := attacks.get(_local(row["a"]))) is not None:
            attack["docs"].append(doc_of(row["doc"]))
    for row in store.select_terms(_ATTACK_EVIDENCE):
        if (attack := attacks.get(_local(row["a"]))) is not None:
            doc, doc_date = doc_of(row["doc"])
            attack["evidence"].append(Evidence(
                doc=doc, sentence=str(row.get("sentence", "")), start=int(row.get("start") or 0),
                end=int(row.get("end") or 0), date=attack["date"] or doc_date, rule=str(row.get("rule", "")),
                confidence=float(row["confidence"]) if "confidence" in row else 1.0,
                hedged=str(row.get("hedged", "")) in ("true", "1"), source=str(row.get("source", ""))))
    for attack_id, attack in attacks.items():
        attack["evidence"].sort(key=lambda e: (e.doc, e.start, e.rule))
        ends = [(attack["attacker"], "attacked")] if attack["attacker"] else []
        ends += [(group, "claimed") for group in attack["claimed_by"]]
        for s, relation in ends if attack["target"] else ():
            data = edge(s, relation, attack["target"])
            data["attacks"].append(attack_id)
            told = attack["evidence"] or [Evidence(doc=doc, sentence="", start=0, end=0, date=attack["date"] or day,
                                                   rule="attack") for doc, day in attack["docs"] or [("", None)]]
            data["evidence"].update(told)

    for (s, o, relation), data in edges.items():
        evidence = _merge_evidence(data.pop("evidence"))
        if not data["attacks"]:
            del data["attacks"]
        G.add_edge(s, o, key=relation, evidence=evidence,
                   hedged=bool(evidence) and all(e.hedged for e in evidence), **data)
    G.graph["attacks"] = attacks
    return G


UNNAMED = Entity("", "an unnamed attacker", "")


def _suffered(G: nx.MultiDiGraph, node: str, me: Entity, window: _Window) -> Iterator[Event]:
    """The attacks on `node` (or in it, as a place) that no edge tells: no attacker is named, or
    `node` is where the attack happened rather than its target."""
    for attack in G.graph.get("attacks", {}).values():
        named = attack["attacker"] or attack["claimed_by"]
        if not (attack["target"] == node and not named or attack["place"] == node and attack["target"] != node):
            continue
        if attack["date"] not in window:
            continue
        attacker = attack["attacker"] or (attack["claimed_by"][0] if attack["claimed_by"] else None)
        other = _entity(G, attacker) if attacker in G else UNNAMED
        yield Event(attack["date"], Step(me, "attacked", other, False, list(attack["evidence"])))


def _merge_evidence(evidence: set[Evidence]) -> list[Evidence]:
    """By date; an attack's document-only evidence gives way to a sentence from the same document,
    and a sentence both stated as a relation and told as an attack is listed once, on the attack's date."""
    quoted = {e.doc for e in evidence if e.sentence}
    kept = [e for e in evidence if e.sentence or e.doc not in quoted]
    told = {(e.doc, e.start): e for e in kept if e.rule.endswith(".event")}
    stated = {(e.doc, e.start) for e in kept if not e.rule.endswith(".event")}
    kept = [e for e in kept if not (e.rule.endswith(".event") and (e.doc, e.start) in stated)]
    kept = [replace(e, date=told[(e.doc, e.start)].date or e.date) if (e.doc, e.start) in told and not e.rule.endswith(".event")
            else e for e in kept]
    return sorted(kept, key=lambda e: (e.date or "9999", e.doc, e.start, e.end, e.rule))


def _entity_id(term: Any) -> str | None:
    text = str(term) if term is not None else ""
    prefix = str(ID)
    if not text.startswith(prefix) or text.startswith(prefix + "attack/") or text.startswith(prefix + "statement/") \
            or text.startswith(prefix + "evidence/"):
        return None
    return text[len(prefix):]


def _local(term: Any) -> str:
    text = str(term)
    for prefix in (str(ID) + "attack/", str(ID)):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text.rstrip("/").rsplit("/", 1)[-1]


def _iso(term: Any) -> str | None:
    return str(term)[:10] if term is not None else None


# ------------------------------------------------------------------ walking


def _entity(G: nx.MultiDiGraph, node: str) -> Entity:
    data = G.nodes[node]
    return Entity(id=node, name=data.get("name", str(node)), type=data.get("type", ""),
                  aliases=list(data.get("aliases", ())), qid=data.get("qid"), mentions=data.get("mentions", 0))


def _expand(
    G: nx.MultiDiGraph,
    frontier: list[str],
    level: int,
    dist: dict[str, int],
    preds: dict[str, list[str]],
    ok: EdgeTest | None,
    count: dict[str, int] | None = None,
    weight: dict[str, int] | None = None,
) -> list[str]:
    """One BFS level over edges in either direction: fill dist/preds (and path counts and
    evidence weights when given) for the nodes first reached at `level`, and return them.

    The hot loop of every walk, so written for speed: locals bound once, and the
    unfiltered, uncounted case (bidirectional search) does no per-edge work at all.
    """
    succ, pred = G._succ, G._pred
    seen = dist.get
    reached: list[str] = []
    add = reached.append
    counting = count is not None
    for u in frontier:
        paths_u = count[u] if counting else 0
        for adj in (succ[u], pred[u]):
            for v, keydict in adj.items():
                dv = seen(v)
                if dv is not None and dv < level:
                    continue
                edges = evidence = 0
                if ok is None:
                    edges = len(keydict)
                    if counting:
                        for data in keydict.values():
                            evidence += len(data.get("evidence", ()))
                else:
                    for data in keydict.values():
                        if ok(data):
                            edges += 1
                            evidence += len(data.get("evidence", ()))
                    if not edges:
                        continue
                if dv is None:
                    dist[v] = level
                    preds[v] = [u]
                    add(v)
                    if counting:
                        count[v] = paths_u * edges
                        weight[v] = evidence
                    continue
                before = preds[v]
                if before[-1] != u:  # u is the only one adding preds just now
                    before.append(u)
                if counting:
                    count[v] += paths_u * edges
                    weight[v] += evidence
    return reached


def _steps_between(G: nx.MultiDiGraph, u: str, v: str, ok: EdgeTest | None, window: _Window) -> list[tuple]:
    """Every usable edge between u and v as (relation, forward, evidence), best evidenced first."""
    found = []
    for forward, keydict in ((True, G._succ[u].get(v, {})), (False, G._pred[u].get(v, {}))):
        for key, data in keydict.items():
            if ok is None or ok(data):
                evidence = [e for e in data.get("evidence", ()) if e.date in window]
                found.append((data.get("relation", key), forward, evidence))
    found.sort(key=lambda f: (-len({e.doc for e in f[2]}), -len(f[2]), not f[1], f[0]))
    return found


def _edge_weight(G: nx.MultiDiGraph, u: str, v: str) -> int:
    return sum(len(d.get("evidence", ())) for adj in (G._succ[u].get(v, {}), G._pred[u].get(v, {}))
               for d in adj.values())


def _walks(preds: dict[str, list[str]], start: str, end: str, G: nx.MultiDiGraph, fan: int) -> Iterator[list[str]]:
    """Node sequences from `end` back to `start` through `preds`, best evidenced preds first
    (at most `fan` of them at each node)."""
    if end == start:
        yield [start]
        return
    before = heapq.nlargest(fan, preds[end], key=lambda u: _edge_weight(G, u, end))
    for u in before:
        for walk in _walks(preds, start, u, G, fan):
            yield walk + [end]


def _expand_steps(G: nx.MultiDiGraph, nodes: list[str], ok: EdgeTest | None, window: _Window,
                  entities: dict[str, Entity]) -> Iterator[Path]:
    """Each path along `nodes`, one per choice of parallel edge at each hop."""
    for n in nodes:
        if n not in entities:
            entities[n] = _entity(G, n)
    options = [_steps_between(G, u, v, ok, window) for u, v in zip(nodes, nodes[1:])]

    def build(i: int, steps: list[Step]) -> Iterator[Path]:
        if i == len(options):
            yield Path(list(steps))
            return
        for relation, forward, evidence in options[i]:
            steps.append(Step(entities[nodes[i]], relation, entities[nodes[i + 1]], forward, evidence))
            yield from build(i + 1, steps)
            steps.pop()

    yield from build(0, [])


def _path_rank(path: Path) -> tuple:
    """Fewer hedged steps, then the weakest step stated by more documents, then more evidence."""
    return (sum(s.hedged for s in path.steps), -min((len(s.docs) for s in path.steps), default=0),
            -sum(len(s.evidence) for s in path.steps), str(path))


def linked_to(
    G: nx.MultiDiGraph,
    source: str,
    hops: int = 2,
    *,
    relations: Collection[str] | None = None,
    types: Collection[str] | None = None,
    since: str | _date | None = None,
    until: str | _date | None = None,
    limit: int | None = 50,
    max_paths: int = 3,
    max_frontier: int | None = MAX_FRONTIER,
) -> list[Link]:
    """The entities within `hops` of `source`, ranked, each with its shortest paths and their evidence.

    Edges are walked in either direction. Links are ranked by fewer hops, then more
    shortest paths, then more evidence on the last hop, then name.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from `to_networkx`.
    source : str
        A node (entity id) of G.
    hops : int
        How far to walk.
    relations : collection of str, optional
        Walk only these relations (kg.model.RELATION_TYPES); all by default.
    types : collection of str, optional
        Report only entities of these types (kg.model.ENTITY_TYPES); the walk passes
        through any type.
    since, until : str or datetime.date, optional
        Walk only edges with evidence dated in this window ("2021", "2021-07" or
        "2021-07-07", both ends inclusive), and show only that evidence. Undated
        evidence falls outside every window.
    limit : int or None
        Return at most this many links (None for all). Because ranking puts fewer
        hops first, the walk stops at the first hop by which `limit` matching
        entities have been found.
    max_paths : int
        Keep at most this many paths per link (``Link.path_count`` still counts them all).
    max_frontier : int or None
        Expand at most this many nodes of each hop to reach the next: those with the
        most paths from `source`, then the most evidence. Around a hub (a state that
        backs everything) a 3-hop neighbourhood is most of the graph; the nodes of the
        frontier beyond the cap are still returned, but not walked through. None lifts the cap.

    Returns
    -------
    list of Link

    Raises
    ------
    NoSuchEntity
        If `source` is not in G.
    KGError
        If an argument is out of range (unknown relation or type, bad date, hops < 1).

    See Also
    --------
    shortest_paths : the shortest paths between two given entities.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("kh", "iran", key="backedBy", relation="backedBy")
    'backedBy'
    >>> G.add_edge("kh", "asad", key="attacked", relation="attacked")
    'attacked'
    >>> [(link.entity.id, link.hops) for link in linked_to(G, "iran", hops=2)]
    [('kh', 1), ('asad', 2)]
    >>> print(linked_to(G, "iran", hops=2)[1].paths[0])
    iran <-backedBy- kh -attacked-> asad
    """
    _check_node(G, source)
    _check_hops(hops, "hops")
    relation_set = _check_choices(relations, RELATION_TYPES, "relation")
    type_set = _check_choices(types, ENTITY_TYPES, "type")
    window = _Window(since, until)
    ok = _edge_test(relation_set, window)
    nodes = G._node

    dist, preds, count, weight = {source: 0}, {source: []}, {source: 1}, {source: 0}
    frontier, levels, found = [source], [], 0
    for level in range(1, hops + 1):
        if max_frontier is not None and len(frontier) > max_frontier:
            frontier = heapq.nlargest(max_frontier, frontier, key=lambda n: (count[n], weight[n]))
        frontier = _expand(G, frontier, level, dist, preds, ok, count, weight)
        matching = frontier if type_set is None else [n for n in frontier if nodes[n].get("type") in type_set]
        levels.append(matching)
        found += len(matching)
        if not frontier or (limit is not None and found >= limit):
            break

    ranked: list[str] = []
    for matching in levels:  # fewer hops first, so only the last level needed may be cut
        room = len(matching) if limit is None else min(limit - len(ranked), len(matching))
        if room <= 0:
            break
        if room < len(matching):  # the best `room` by paths then evidence, compared as plain tuples
            keyed = zip([-count[n] for n in matching], [-weight[n] for n in matching], range(len(matching)))
            matching = [matching[i] for _, _, i in heapq.nsmallest(room, keyed)]
        ranked += sorted(matching, key=lambda n: (-count[n], -weight[n], nodes[n].get("name", str(n)), str(n)))
    entities: dict[str, Entity] = {}
    links = []
    for n in ranked:
        walks = _walks(preds, source, n, G, max_paths)
        paths = list(islice(chain.from_iterable(_expand_steps(G, w, ok, window, entities) for w in walks),
                            2 * max_paths))
        paths.sort(key=_path_rank)
        links.append(Link(entities.get(n) or _entity(G, n), dist[n], paths[:max_paths], count[n]))
    return links


def shortest_paths(
    G: nx.MultiDiGraph,
    source: str,
    target: str,
    max_hops: int = 4,
    *,
    relations: Collection[str] | None = None,
    since: str | _date | None = None,
    until: str | _date | None = None,
    limit: int | None = 10,
) -> list[Path]:
    """The shortest paths between two entities, walking edges either way, each step with its evidence.

    A bidirectional breadth-first search: each round widens whichever side costs less
    (the fewer edges to look at), and stops when the two sides meet.

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from `to_networkx`.
    source, target : str
        Nodes (entity ids) of G.
    max_hops : int
        The longest path to look for.
    relations, since, until
        As in `linked_to`.
    limit : int or None
        Return at most this many paths: fewest hedged steps first, then the best
        corroborated (the weakest step stated by the most documents), then the most evidence.
        At most ``20 * limit`` candidates are weighed.

    Returns
    -------
    list of Path
        All of the same, shortest length; ``[Path([])]`` when source is target.

    Raises
    ------
    NoSuchEntity
        If source or target is not in G.
    NoPath
        If nothing links them within `max_hops`.

    See Also
    --------
    linked_to : everything near one entity.

    Examples
    --------
    >>> import networkx as nx
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("kh", "iran", key="backedBy", relation="backedBy")
    'backedBy'
    >>> G.add_edge("kh", "asad", key="attacked", relation="attacked")
    'attacked'
    >>> [str(p) for p in shortest_paths(G, "iran", "asad")]
    ['iran <-backedBy- kh -attacked-> asad']
    >>> shortest_paths(G, "iran", "asad", max_hops=1)
    Traceback (most recent call last):
    ...
    kg.errors.NoPath: nothing links iran and asad within 1 hop
    """
    _check_node(G, source)
    _check_node(G, target)
    _check_hops(max_hops, "max_hops")
    window = _Window(since, until)
    ok = _edge_test(_check_choices(relations, RELATION_TYPES, "relation"), window)
    if source == target:
        return [Path([])]
    dist_a, preds_a, dist_b, preds_b, meeting = _bidirectional(G, source, target, max_hops, ok)
    if not meeting:
        names = [G.nodes[n].get("name", n) for n in (source, target)]
        raise NoPath(f"nothing links {names[0]} and {names[1]} within {max_hops} hop{'s' if max_hops != 1 else ''}")

    fan = len(G) if limit is None else 20 * limit
    entities: dict[str, Entity] = {}

    def candidates() -> Iterator[Path]:
        for m in meeting:
            for head in _walks(preds_a, source, m, G, fan):
                for tail in _walks(preds_b, target, m, G, fan):
                    yield from _expand_steps(G, head + tail[::-1][1:], ok, window, entities)

    found = list(islice(candidates(), None if limit is None else 20 * limit))
    found.sort(key=_path_rank)
    return found[:limit]


def _bidirectional(G: nx.MultiDiGraph, a: str, b: str, max_hops: int, ok: EdgeTest | None) -> tuple:
    """Level-by-level BFS from both ends. Returns both sides' distances and preds and the
    meeting nodes: those at the newest level of one side through which every shortest path passes."""
    succ, pred = G._succ, G._pred
    dist_a, preds_a, front_a = {a: 0}, {a: []}, [a]
    dist_b, preds_b, front_b = {b: 0}, {b: []}, [b]
    depth_a = depth_b = 0
    while front_a and front_b and depth_a + depth_b < max_hops:
        cost_a = sum(len(succ[u]) + len(pred[u]) for u in front_a)
        cost_b = sum(len(succ[u]) + len(pred[u]) for u in front_b)
        if cost_a <= cost_b:
            depth_a += 1
            front_a = _expand(G, front_a, depth_a, dist_a, preds_a, ok)
            meeting = [v for v in front_a if v in dist_b]
        else:
            depth_b += 1
            front_b = _expand(G, front_b, depth_b, dist_b, preds_b, ok)
            meeting = [v for v in front_b if v in dist_a]
        if meeting:
            best = min(dist_a[v] + dist_b[v] for v in meeting)
            return dist_a, preds_a, dist_b, preds_b, [v for v in meeting if dist_a[v] + dist_b[v] == best]
    return dist_a, preds_a, dist_b, preds_b, []


def timeline(
    G: nx.MultiDiGraph,
    node: str,
    *,
    relations: Collection[str] | None = None,
    since: str | _date | None = None,
    until: str | _date | None = None,
) -> list[Event]:
    """Everything stated of one entity, in date order: one Event per relation and date.

    Both directions count: a group's timeline holds the attacks it carried out and
    the condemnations it received. Each Event's step starts at `node`. Undated
    evidence comes last (and is left out when a date window is given).

    Parameters
    ----------
    G : networkx.MultiDiGraph
        A graph from `to_networkx`.
    node : str
        A node (entity id) of G.
    relations, since, until
        As in `linked_to`.

    Returns
    -------
    list of Event

    Raises
    ------
    NoSuchEntity
        If `node` is not in G.

    Examples
    --------
    >>> import networkx as nx
    >>> from kg.model import Evidence
    >>> G = nx.MultiDiGraph()
    >>> G.add_edge("kh", "asad", key="attacked", relation="attacked",
    ...            evidence=[Evidence("ap-1", "KH fired rockets at Asad.", 0, 25, date="2021-07-07")])
    'attacked'
    >>> G.add_edge("rasool", "kh", key="condemned", relation="condemned",
    ...            evidence=[Evidence("ina-2", "Rasool condemned KH.", 0, 20, date="2021-07-09")])
    'condemned'
    >>> for event in timeline(G, "kh"):
    ...     print(event)
    2021-07-07  kh -attacked-> asad
    2021-07-09  kh <-condemned- rasool
    """
    _check_node(G, node)
    relation_set = _check_choices(relations, RELATION_TYPES, "relation")
    window = _Window(since, until)
    me = _entity(G, node)
    others: dict[str, Entity] = {}
    events = []
    for forward, adj in ((True, G._succ[node]), (False, G._pred[node])):
        for other, keydict in adj.items():
            if other == node and not forward:
                continue  # a self-loop was seen going forward
            for key, data in keydict.items():
                relation = data.get("relation", key)
                if relation_set is not None and relation not in relation_set:
                    continue
                by_date: dict[str | None, list[Evidence]] = {}
                for e in data.get("evidence", ()):
                    if e.date in window:
                        by_date.setdefault(e.date, []).append(e)
                if not by_date and not window and not data.get("evidence"):
                    by_date[None] = []
                if other not in others:
                    others[other] = _entity(G, other)
                for day, evidence in by_date.items():
                    events.append(Event(day, Step(me, relation, others[other], forward, evidence)))
    if relation_set is None or "attacked" in relation_set:
        events.extend(_suffered(G, node, me, window))
    events.sort(key=lambda e: (e.date is None, e.date or "", e.step.relation, e.step.target.name, not e.step.forward))
    return events
