"""The graph for network tools: GraphML (Gephi, yEd, Cytoscape) and GEXF (Gephi, with a timeline).

    analyst_graph(graph)        a networkx MultiDiGraph: entities as nodes, one edge per relation
    write_graphml(G, path)      GraphML with unique edge ids and typed keys (booleans true/false)
    write_gexf(graph, path)     GEXF 1.2 in dynamic mode: dates as time intervals for Gephi's timeline

Each relation is one edge, whatever the number of sentences behind it, so an attack
is counted once: the `attacked` edge carries how many attack events link the pair
(`attacks`), and each node how many attacks it made and suffered. The edges are those of
`kg.paths.edges.graph_edges`, as in the explorer and `kg paths`: an attack event whose
attacker or claimant no sentence states as a relation still draws its edge. The events
themselves, with their dates, weapons and casualties, are in attacks.csv.
"""

from __future__ import annotations

import os
import re
from collections import Counter, defaultdict
from xml.etree import ElementTree as ET

import networkx as nx

from kg.model import Graph, Relation
from kg.paths.edges import graph_edges, implied_edges
from kg.vocab import GRAPHML_NS, XSI

__all__ = ["analyst_graph", "write_gexf", "write_graphml"]

_SCHEMA_LOCATION = f"{GRAPHML_NS} {GRAPHML_NS}/1.0/graphml.xsd"
# Characters XML 1.0 cannot hold at all; web text that slipped through ingest must not break the file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def analyst_graph(graph: Graph) -> nx.MultiDiGraph:
    """Entities as nodes and relations (with the edges attacks imply) as edges, with plain typed attributes.

    Node attributes: label, type, aliases, qid (when known), mentions, documents,
    attacks_made, attacks_suffered, first and last (ISO days, when known).
    Edge attributes: id (unique), label and relation (the predicate), statements,
    documents, weight (documents, as a float: Gephi's edge weight), hedged, confidence,
    first, last, sentence (the most confident one),
    and on `attacked` edges, attacks (the number of attack events between the pair).

    >>> from kg.model import Entity, Evidence, Graph, Relation
    >>> g = Graph({"a": Entity("a", "A", "Militia"), "b": Entity("b", "B", "State")},
    ...           [Relation("a", "backedBy", "b", [Evidence("d", "A is backed by B.", 0, 17)])])
    >>> G = analyst_graph(g)
    >>> [(u, v, d["id"], d["hedged"], d["statements"]) for u, v, d in G.edges(data=True)]
    [('a', 'b', 'a.backedBy.b', False, 1)]
    """
    day_of = {d.id: d.date for d in graph.documents if d.date}
    attacks_between, attack_days = Counter(), defaultdict(list)
    for subject, predicate, obj, attack in implied_edges(graph):
        if predicate == "attacked":
            attacks_between[(subject, obj)] += 1
            if attack.date:
                attack_days[(subject, obj)].append(attack.date)
    made, suffered = Counter(), Counter()
    for attack in graph.attacks:
        if attack.target:  # an attack told only by its place has no target
            suffered[attack.target] += 1
        if attack.attacker:
            made[attack.attacker] += 1
    node_days: dict[str, list[str]] = {}  # entity id -> the days it is told of (their min and max suffice)
    G = nx.MultiDiGraph()
    for entity in graph.entities.values():
        node_days[entity.id] = _bounds([day_of[d] for d in entity.docs if d in day_of])
    taken: set[str] = set()
    edges = []
    for relation in graph_edges(graph):
        days = [e.date or day_of.get(e.doc) for e in relation.evidence]
        if relation.predicate == "attacked":
            days += attack_days[(relation.subject, relation.object)]
        days = _bounds([d for d in days if d])
        for end in (relation.subject, relation.object):
            node_days[end] = _bounds(node_days[end] + days)
        edges.append((relation, _edge_id(relation, taken), days))
    for entity in graph.entities.values():
        data = {"label": _text(entity.name), "type": entity.type, "aliases": _text("; ".join(entity.aliases)),
                "mentions": int(entity.mentions), "documents": len(entity.docs),
                "attacks_made": made[entity.id], "attacks_suffered": suffered[entity.id]}
        if entity.qid:
            data["qid"] = entity.qid
        G.add_node(entity.id, **data, **_span(node_days[entity.id]))
    for relation, edge_id, days in edges:
        best = max(relation.evidence, key=lambda e: e.confidence, default=None)
        data = {"id": edge_id, "label": relation.predicate, "relation": relation.predicate,
                "statements": len(relation.evidence), "documents": relation.corroboration,
                "weight": float(relation.corroboration),  # Gephi draws and lays out edges by `weight`
                "hedged": relation.hedged, "confidence": round(best.confidence, 3) if best else 0.0,
                "sentence": _text(best.sentence) if best else ""}
        if relation.predicate == "attacked":
            data["attacks"] = attacks_between[(relation.subject, relation.object)]
        G.add_edge(relation.subject, relation.object, key=edge_id, **data, **_span(days))
    return G


def write_graphml(G: nx.MultiDiGraph, path: str | os.PathLike) -> None:
    """Write `G` as GraphML 1.0: each attribute a typed <key>, each edge its own id.

    networkx's writer spells booleans "True" and takes edge ids from keys that may
    repeat; this one writes booleans as the schema's true/false, counts as int,
    scores as double, everything else as string, and edge ids from the `id` attribute.
    """
    keys = _keys(G)
    root = ET.Element("graphml", {"xmlns": GRAPHML_NS, "xmlns:xsi": XSI, "xsi:schemaLocation": _SCHEMA_LOCATION})
    for (domain, name), (key_id, kind) in keys.items():
        ET.SubElement(root, "key", {"id": key_id, "for": domain, "attr.name": name, "attr.type": kind})
    graph = ET.SubElement(root, "graph", {"id": "G", "edgedefault": "directed"})
    for node, data in G.nodes(data=True):
        _data(ET.SubElement(graph, "node", {"id": str(node)}), data, keys, "node")
    taken: set[str] = set()
    for n, (u, v, k, data) in enumerate(G.edges(keys=True, data=True)):
        edge_id = _unique(str(data.get("id", k if isinstance(k, str) else f"e{n}")), taken)
        attributes = {"id": edge_id, "source": str(u), "target": str(v)}
        _data(ET.SubElement(graph, "edge", attributes), {a: b for a, b in data.items() if a != "id"}, keys, "edge")
    ET.indent(root)
    ET.ElementTree(root).write(os.fspath(path), encoding="utf-8", xml_declaration=True)


def write_gexf(graph: Graph, path: str | os.PathLike) -> None:
    """Write GEXF 1.2 (networkx's writer) in dynamic mode: each node and edge lives from the first to
    the last day the documents tell of it, so Gephi's timeline slider filters by date. Undated ones
    are always shown."""
    G = analyst_graph(graph)
    G.graph["mode"] = "dynamic"
    for _, data in G.nodes(data=True):
        _interval(data)
    for _, _, data in G.edges(data=True):
        _interval(data)
    nx.write_gexf(G, os.fspath(path))


# ---------------------------------------------------------------- helpers


def _edge_id(relation: Relation, taken: set[str]) -> str:
    """'subject.predicate.object' (an XML name token, as GraphML asks), suffixed if ever repeated."""
    return _unique(f"{relation.subject}.{relation.predicate}.{relation.object}", taken)


def _unique(base: str, taken: set[str]) -> str:
    edge_id, n = base, 1
    while edge_id in taken:
        n += 1
        edge_id = f"{base}.{n}"
    taken.add(edge_id)
    return edge_id


def _bounds(days: list[str]) -> list[str]:
    """The first and last of some ISO days ([] for none)."""
    return [min(days), max(days)] if days else []


def _span(days: list[str]) -> dict[str, str]:
    return {"first": min(days), "last": max(days)} if days else {}


def _interval(data: dict) -> None:
    """first/last as GEXF's start/end, which networkx writes as the element's time interval."""
    if "first" in data:
        data["start"], data["end"] = data["first"], data["last"]


def _text(value: str) -> str:
    return _NOT_XML.sub("", value)


_GRAPHML_TYPES = ((bool, "boolean"), (int, "int"), (float, "double"), (str, "string"))  # bool before int


def _kind(value: object) -> str:
    for python_type, kind in _GRAPHML_TYPES:
        if isinstance(value, python_type):
            return kind
    raise TypeError(f"cannot write a {type(value).__name__} to GraphML")


def _keys(G: nx.MultiDiGraph) -> dict[tuple[str, str], tuple[str, str]]:
    """(domain, attribute) -> (key id, GraphML type); an attribute whose values mix types becomes string."""
    kinds: dict[tuple[str, str], set[str]] = defaultdict(set)
    for _, data in G.nodes(data=True):
        for name, value in data.items():
            kinds[("node", name)].add(_kind(value))
    for _, _, data in G.edges(data=True):
        for name, value in data.items():
            if name != "id":
                kinds[("edge", name)].add(_kind(value))
    keys = {}
    for domain, name in sorted(kinds):
        found = kinds[(domain, name)]
        kind = found.pop() if len(found) == 1 else "string"
        keys[(domain, name)] = (f"{domain[0]}_{name}", kind)
    return keys


def _data(element: ET.Element, data: dict, keys: dict, domain: str) -> None:
    for name, value in data.items():
        key_id, kind = keys[(domain, name)]
        text = ("true" if value else "false") if kind == "boolean" else str(value)
        ET.SubElement(element, "data", {"key": key_id}).text = text
