"""What the explorer page shows, as JSON-ready values: entities, relations with evidence, attacks.

`payload` turns a resolved `Graph` into the data block the page's script reads. Entities come
sorted by falling degree, so the page's first view (the `FIRST_VIEW` most connected) and each
"show more" are prefixes of one list. Every entity carries its names folded by
`kg.names.normalise_name`, the form the CLI's `NameIndex` looks names up by, so the search box
finds every spelling the CLI resolves.
"""

from __future__ import annotations

import math
import re
from urllib.parse import urlsplit

import numpy as np

from kg.export.explorer.layout import layout
from kg.model import ENTITY_TYPES, RELATION_TYPES, Document, Entity, Evidence, Graph, Relation
from kg.names import FUZZY_CUTOFF, SUGGEST_CUTOFF, NameIndex, normalise_name
from kg.paths.edges import graph_edges

__all__ = ["EGO_LIMIT", "FIRST_VIEW", "PHYSICS_LIMIT", "find_entity", "payload"]

FIRST_VIEW = 60
"""The page first shows at most this many entities: the most connected ones."""

EGO_LIMIT = 1000
"""An ego page (`focus`) first shows at most this many entities, the focus and its best connected."""

PHYSICS_LIMIT = 300
"""Above this many entities the layout is precomputed and physics is off."""

VIS_VERSION = "9.1.2"

# type -> (colour, vis-network shape, legend glyph)
TYPE_STYLE: dict[str, tuple[str, str, str]] = {
    "Militia": ("#c0392b", "dot", "\u25cf"),
    "Official": ("#e67e22", "triangle", "\u25b2"),
    "Base": ("#27ae60", "square", "\u25a0"),
    "State": ("#2c7fb8", "diamond", "\u25c6"),
    "Organization": ("#8e44ad", "hexagon", "\u2b22"),
    "Location": ("#7f8c8d", "triangleDown", "\u25bc"),
}
_OTHER_TYPE = ("#b0b0b0", "ellipse", "\u2b2c")

RELATION_COLOR: dict[str, str] = {
    "backedBy": "#1e7b45",
    "attacked": "#d62728",
    "claimed": "#d08c00",
    "condemned": "#4a5a6a",
    "leaderOf": "#8e44ad",
    "locatedIn": "#8a6244",
}
_OTHER_RELATION = "#777777"

_QID = re.compile(r"Q[1-9][0-9]*")


def find_entity(graph: Graph, name: str) -> str:
    """The id of the entity `name` means, resolved as the CLI resolves it (`kg.names.NameIndex`).

    Raises
    ------
    kg.errors.NoSuchEntity
        When nothing comes close enough; its `suggestions` hold the closest names.
    """
    degree: dict[str, int] = {}
    for edge in graph_edges(graph):
        for end in (edge.subject, edge.object):
            degree[end] = degree.get(end, 0) + 1
    index = NameIndex.of_entities(((e.id, e.name, e.aliases, e.qid) for e in graph.entities.values()), weight=degree)
    return index.lookup(name)


def _ego(edges: list[Relation], center: str, hops: int) -> set[str]:
    """The ids within `hops` steps of `center`, edges taken in either direction."""
    neighbours: dict[str, set[str]] = {}
    for edge in edges:
        neighbours.setdefault(edge.subject, set()).add(edge.object)
        neighbours.setdefault(edge.object, set()).add(edge.subject)
    seen = {center}
    frontier = {center}
    for _ in range(hops):
        frontier = {v for u in frontier for v in neighbours.get(u, ())} - seen
        if not frontier:
            break
        seen |= frontier
    return seen


def payload(graph: Graph, *, focus_id: str | None, hops: int, title: str) -> dict:
    """Everything the page shows, as JSON-ready values; entities by falling degree."""
    edges = graph_edges(graph)
    if focus_id is not None:
        keep = _ego(edges, focus_id, hops)
        edges = [e for e in edges if e.subject in keep and e.object in keep]
    else:
        keep = set(graph.entities)

    linked: dict[str, set[str]] = {eid: set() for eid in keep}
    for edge in edges:
        if edge.subject != edge.object:
            linked[edge.subject].add(edge.object)
            linked[edge.object].add(edge.subject)
    degree = {eid: len(others) for eid, others in linked.items()}
    entities = sorted(
        (graph.entities[eid] for eid in keep),
        key=lambda e: (-degree[e.id], -e.mentions, e.name.casefold(), e.id),
    )
    index = {ent.id: i for i, ent in enumerate(entities)}
    types = list(ENTITY_TYPES) + sorted({e.type for e in entities} - set(ENTITY_TYPES))
    predicates = list(RELATION_TYPES) + sorted({e.predicate for e in edges} - set(RELATION_TYPES))

    connected = sum(1 for e in entities if degree[e.id] > 0)
    if focus_id is not None:
        first_view = min(EGO_LIMIT, len(entities))
    else:
        first_view = min(FIRST_VIEW, connected or len(entities))
    pairs = np.array([(index[e.subject], index[e.object]) for e in edges], dtype=np.int64).reshape(-1, 2)
    large = len(entities) > PHYSICS_LIMIT
    evidence = _EvidenceTable(graph.documents)
    if large:
        # the whole graph spread out, and the first view packed tight on its own (fx, fy)
        nodes = _node_rows(entities, degree, types, layout(len(entities), pairs))
        inside = pairs[(pairs < first_view).all(axis=1)]
        for row, (x, y) in zip(nodes, layout(first_view, inside, core=first_view, spread=first_view).tolist()):
            row["fx"], row["fy"] = round(x, 1), round(y, 1)
    else:
        # physics settles the first view; the rest appear beside their neighbours
        nodes = _node_rows(entities, degree, types, layout(len(entities), pairs, core=first_view, spread=first_view))
    edge_rows = _edge_rows(edges, index, predicates, evidence)
    attacks = _attack_rows(graph, index, keep if focus_id is not None else None, evidence)

    dates = sorted({d for e in edge_rows for d in (e["d0"], e["d1"]) if d} | {a["date"] for a in attacks if a["date"]})
    return {
        "meta": {
            "title": title,
            "focus": index[focus_id] if focus_id is not None else None,
            "hops": hops if focus_id is not None else None,
            "entities": len(graph.entities),
            "physics": not large,
            "firstView": first_view,
            "connected": connected,
            "isolated": len(entities) - connected,
            "large": large,
            "edgeLabels": not large and len(edge_rows) <= 1000,
            "sizeBy": "mentions" if any(e.mentions > 0 for e in entities) else "degree",
            "dateMin": dates[0] if dates else None,
            "dateMax": dates[-1] if dates else None,
            "fuzzyCutoff": FUZZY_CUTOFF,
            "suggestCutoff": SUGGEST_CUTOFF,
            "visVersion": VIS_VERSION,
        },
        "types": [
            {"name": t, "color": style[0], "shape": style[1], "glyph": style[2]}
            for t in types
            for style in [TYPE_STYLE.get(t, _OTHER_TYPE)]
        ],
        "predicates": [{"name": p, "color": RELATION_COLOR.get(p, _OTHER_RELATION)} for p in predicates],
        "nodes": nodes,
        "edges": edge_rows,
        "docs": evidence.docs,
        "attacks": attacks,
    }


class _EvidenceTable:
    """Evidence as compact rows that point into a table of the documents they cite."""

    def __init__(self, documents: list[Document]):
        self._documents = {d.id: d for d in documents}
        self._index: dict[str, int] = {}
        self.docs: list[dict] = []

    def _doc(self, doc_id: str) -> int:
        if doc_id not in self._index:
            doc = self._documents.get(doc_id)
            self._index[doc_id] = len(self.docs)
            self.docs.append(
                {
                    "id": doc_id,
                    "title": doc.title if doc else "",
                    "date": doc.date if doc else None,
                    "source": doc.source if doc else "",
                    "url": _safe_url(doc.url) if doc else None,
                }
            )
        return self._index[doc_id]

    def rows(self, items: list[Evidence]) -> list[list]:
        """[doc index, sentence, date (the document's when the evidence has none), hedged, confidence, rule]."""
        out = []
        for ev in items:
            ref = self._doc(ev.doc)
            date = ev.date or self.docs[ref]["date"]
            out.append([ref, ev.sentence, date, bool(ev.hedged), round(float(ev.confidence), 3), ev.rule])
        return out


def _node_rows(entities: list[Entity], degree: dict[str, int], types: list[str], positions: np.ndarray) -> list[dict]:
    by_mentions = any(e.mentions > 0 for e in entities)
    values = [max(e.mentions, 1) if by_mentions else degree[e.id] for e in entities]
    top = max(values, default=1) or 1
    small, big = (10.0, 30.0) if len(entities) <= PHYSICS_LIMIT else (6.0, 30.0)
    type_index = {t: i for i, t in enumerate(types)}
    rows = []
    for i, ent in enumerate(entities):
        aliases = [a for a in dict.fromkeys(ent.aliases) if a != ent.name]
        rows.append(
            {
                "id": ent.id,
                "name": ent.name,
                "type": type_index[ent.type],
                "aliases": aliases,
                # the name and each alias folded as kg.names folds them, in the same order
                "forms": [normalise_name(label) for label in (ent.name, *aliases)],
                "qid": ent.qid if ent.qid and _QID.fullmatch(ent.qid) else None,
                "mentions": ent.mentions,
                "degree": degree[ent.id],
                "docs": len(ent.docs),
                "x": round(float(positions[i, 0]), 1),
                "y": round(float(positions[i, 1]), 1),
                "size": round(small + (big - small) * math.sqrt(values[i] / top), 1),
            }
        )
    return rows


def _edge_rows(edges: list[Relation], index: dict[str, int], predicates: list[str], evidence: _EvidenceTable) -> list[dict]:
    predicate_index = {p: i for i, p in enumerate(predicates)}
    rows = []
    for edge in edges:
        ev = evidence.rows(edge.evidence)
        dates = sorted(row[2] for row in ev if row[2])
        rows.append(
            {
                "s": index[edge.subject],
                "o": index[edge.object],
                "p": predicate_index[edge.predicate],
                "hedged": edge.hedged,
                "d0": dates[0] if dates else None,
                "d1": dates[-1] if dates else None,
                "ev": ev,
            }
        )
    return rows


def _attack_rows(graph: Graph, index: dict[str, int], keep: set[str] | None, evidence: _EvidenceTable) -> list[dict]:
    """The attacks by date (undated last); with `keep`, only those touching one of its entities."""

    def ref(eid: str | None) -> dict | None:
        if eid is None:
            return None
        ent = graph.entities.get(eid)
        return {"n": index.get(eid, -1), "name": ent.name if ent else eid}

    rows = []
    for attack in graph.attacks:
        if keep is not None and not {attack.target, attack.place, attack.attacker, *attack.claimed_by} & keep:
            continue
        rows.append(
            {
                "id": attack.id,
                "date": attack.date,
                "target": ref(attack.target),
                "attacker": ref(attack.attacker),
                "claimedBy": [ref(c) for c in attack.claimed_by],
                "place": ref(attack.place),
                "weapon": attack.weapon,
                "count": attack.count,
                "killed": attack.killed,
                "wounded": attack.wounded,
                "ev": evidence.rows(attack.evidence),
            }
        )
    rows.sort(key=lambda a: (a["date"] is None, a["date"] or "", a["id"]))
    return rows


def _safe_url(url: str) -> str | None:
    """`url` when it is an http(s) address, else None: no javascript: or data: links."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None
