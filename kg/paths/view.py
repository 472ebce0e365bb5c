"""The networkx view of a build: `to_networkx(store)` reads the store into a MultiDiGraph.

The queries it runs are ontology/queries/view/*.rq.
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import networkx as nx

from kg.config import DEFAULT_CONFIG
from kg.model import ENTITY_TYPES, RELATION_TYPES, Attack, Evidence
from kg.paths.edges import implied_edges
from kg.vocab import KG, attack_id, entity_id

if TYPE_CHECKING:
    from kg.stores import Store

__all__ = ["to_networkx"]

_PRECISION = {"month": 7, "year": 4}


@lru_cache(maxsize=None)
def _query(name: str) -> str:
    """The text of ontology/queries/view/NAME.rq."""
    return (DEFAULT_CONFIG.queries_dir / "view" / f"{name}.rq").read_text(encoding="utf-8").strip()


def to_networkx(store: Store) -> nx.MultiDiGraph:
    """The store's entities and relations as a MultiDiGraph, with evidence on every edge.

    Parameters
    ----------
    store : kg.stores.GraphStore
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
    >>> from kg.stores import open_store
    >>> store = open_store()
    >>> store.load(graph_to_quads(Graph(entities={"iran": Entity("iran", "Iran", "State", qid="Q794")})))
    >>> G = to_networkx(store)
    >>> G.nodes["iran"]["name"], G.nodes["iran"]["qid"]
    ('Iran', 'Q794')
    """
    G = nx.MultiDiGraph()
    types = {str(KG[t]): t for t in ENTITY_TYPES}
    for row in store.select_terms(_query("entities")):
        kind = types.get(str(row["type"]))
        node = entity_id(row["e"])
        if kind is None or node is None:
            continue
        data = G.nodes[node] if node in G else None
        if data is not None and ENTITY_TYPES.index(data["type"]) <= ENTITY_TYPES.index(kind):
            continue  # a node with two types keeps the first in ENTITY_TYPES order
        G.add_node(node, name=str(row["name"]), type=kind, aliases=[],
                   qid=str(row["qid"]) if "qid" in row else None,
                   mentions=int(row["mentions"]) if "mentions" in row else 0)
    for row in store.select_terms(_query("aliases")):
        node = entity_id(row["e"])
        if node in G and str(row["alias"]) not in G.nodes[node]["aliases"]:
            G.nodes[node]["aliases"].append(str(row["alias"]))

    docs = {str(r["doc"]): (str(r.get("id") or _local(r["doc"])), _iso(r.get("date")))
            for r in store.select_terms(_query("documents"))}

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
        for row in store.select_terms(_query("triples"), p=KG[relation]):
            s, o = entity_id(row["s"]), entity_id(row["o"])
            if s and o:
                edge(s, relation, o)

    for row in store.select_terms(_query("statements")):
        relation = relation_of.get(str(row["p"]))
        s, o = entity_id(row["s"]), entity_id(row["o"])
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
    for row in store.select_terms(_query("attacks")):
        target, place = entity_id(row.get("target")), entity_id(row.get("place"))
        if target or place:
            day = _iso(row.get("date"))
            attacks.setdefault(_attack_key(row["a"]), {
                "target": target, "place": place, "attacker": entity_id(row.get("attacker")), "claimed_by": [],
                "date": day[:_PRECISION.get(str(row.get("precision", "")), 10)] if day else None,
                "weapon": str(row["weapon"]) if "weapon" in row else None, "docs": [], "evidence": [],
            })
    for row in store.select_terms(_query("attack-claims")):
        group, attack = entity_id(row["group"]), attacks.get(_attack_key(row["a"]))
        if attack and group and group not in attack["claimed_by"]:
            attack["claimed_by"].append(group)
    for row in store.select_terms(_query("attack-documents")):
        if (attack := attacks.get(_attack_key(row["a"]))) is not None:
            attack["docs"].append(doc_of(row["doc"]))
    for row in store.select_terms(_query("attack-evidence")):
        if (attack := attacks.get(_attack_key(row["a"]))) is not None:
            doc, doc_date = doc_of(row["doc"])
            attack["evidence"].append(Evidence(
                doc=doc, sentence=str(row.get("sentence", "")), start=int(row.get("start") or 0),
                end=int(row.get("end") or 0), date=attack["date"] or doc_date, rule=str(row.get("rule", "")),
                confidence=float(row["confidence"]) if "confidence" in row else 1.0,
                hedged=str(row.get("hedged", "")) in ("true", "1"), source=str(row.get("source", ""))))
    told: dict[str, list[Evidence]] = {}
    for key, attack in attacks.items():
        attack["evidence"].sort(key=lambda e: (e.doc, e.start, e.rule))
        told[key] = attack["evidence"] or [
            Evidence(doc=doc, sentence="", start=0, end=0, date=attack["date"] or day, rule="attack")
            for doc, day in attack["docs"] or [("", None)]]
    events = (Attack(key, a["target"], a["attacker"], a["claimed_by"]) for key, a in attacks.items())
    for s, relation, o, event in implied_edges(events):
        data = edge(s, relation, o)
        data["attacks"].append(event.id)
        data["evidence"].update(told[event.id])

    for (s, o, relation), data in edges.items():
        evidence = _merge_evidence(data.pop("evidence"))
        if not data["attacks"]:
            del data["attacks"]
        G.add_edge(s, o, key=relation, evidence=evidence,
                   hedged=bool(evidence) and all(e.hedged for e in evidence), **data)
    G.graph["attacks"] = attacks
    return G


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


def _attack_key(term: Any) -> str:
    return attack_id(term) or _local(term)


def _local(term: Any) -> str:
    return str(term).rstrip("/").rsplit("/", 1)[-1]


def _iso(term: Any) -> str | None:
    return str(term)[:10] if term is not None else None
