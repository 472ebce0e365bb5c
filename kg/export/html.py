"""The interactive HTML explorer: one self-contained page over a resolved `Graph`.

`explorer_html` returns the page and `write_explorer` writes it. The page carries its own copy of
vis-network (read at render time from the build that pyvis ships), its own CSS and script, and the
graph as a JSON data block, so it opens from file:// with no network. This is the only module that
imports pyvis, and it does so lazily.

Safety: text from the documents is data, never markup. It travels in a
``<script type="application/json">`` block with ``<``, ``>`` and ``&`` written as ``\\u003c``,
``\\u003e`` and ``\\u0026``; the page builds its DOM with ``textContent``, gives vis-network
plain-text titles, and a Content-Security-Policy lets only the page's own two scripts (by hash) run.

Scale: up to `PHYSICS_LIMIT` entities, vis-network's physics settles a layout computed here and is
then switched off; above it, physics stays off and the precomputed layout is final, edges are
straight and unlabelled. Above `LOD_LIMIT` entities the page first draws the `LOD_LIMIT` entities
of highest degree and reveals the rest on demand (search, "expand", "show more", "show all").
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import pathlib
import re
from collections import deque
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from urllib.parse import urlsplit

import numpy as np

from kg.atomic import write_text_atomically
from kg.errors import NoSuchEntity
from kg.model import ENTITY_TYPES, RELATION_TYPES, Document, Entity, Evidence, Graph

__all__ = ["explorer_html", "write_explorer"]

PHYSICS_LIMIT = 300
"""Above this many entities the layout is precomputed and physics is off."""

LOD_LIMIT = 1000
"""Above this many entities the page first shows only this many, by degree."""

VIS_VERSION = "9.1.2"

DEFAULT_TITLE = "militia-kg explorer"

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
    "backedBy": "#2e8b57",
    "attacked": "#d62728",
    "claimed": "#e6a100",
    "condemned": "#5d6d7e",
    "leaderOf": "#8e44ad",
    "locatedIn": "#a0785a",
}
_OTHER_RELATION = "#999999"

_QID = re.compile(r"Q[1-9][0-9]*")
_TEMPLATE_DIR = "explorer"
_CORE = 400  # entities laid out by force; the rest are placed around their neighbours
_SPACING = 40.0  # pixels between neighbouring entities in the precomputed layout
_GOLDEN = math.pi * (3.0 - math.sqrt(5.0))


def explorer_html(
    graph: Graph,
    *,
    focus: str | None = None,
    hops: int = 2,
    title: str = DEFAULT_TITLE,
) -> str:
    """Render `graph` as one self-contained, interactive HTML page.

    Parameters
    ----------
    graph : kg.model.Graph
        The resolved graph: entities, relations with evidence, attacks and documents.
    focus : str, optional
        An entity name, alias or id (case-insensitive). The page then shows only the ego graph
        of that entity, `hops` steps out, with the entity selected.
    hops : int
        How far the ego graph reaches from `focus`. Ignored without `focus`.
    title : str
        The page title.

    Returns
    -------
    str
        The page. It needs no network: vis-network, CSS, script and data are all inline.

    Raises
    ------
    kg.errors.NoSuchEntity
        When `focus` names no entity; its `suggestions` hold close names.
    ValueError
        When `hops` is negative.

    Examples
    --------
    >>> from kg.model import Graph, Entity
    >>> g = Graph(entities={"iran": Entity("iran", "Iran", "State", qid="Q794")})
    >>> page = explorer_html(g, title="Iran")
    >>> page.startswith("<!DOCTYPE html>") and "<title>Iran</title>" in page
    True
    """
    if not isinstance(hops, int) or isinstance(hops, bool) or hops < 0:
        raise ValueError(f"hops must be a non-negative integer, not {hops!r}")
    focus_id = _find_entity(graph, focus) if focus is not None else None
    data = _payload(graph, focus_id=focus_id, hops=hops, title=title)
    return _render(data, title=title)


def write_explorer(
    graph: Graph,
    path: str | os.PathLike[str],
    *,
    focus: str | None = None,
    hops: int = 2,
    title: str = DEFAULT_TITLE,
) -> pathlib.Path:
    """Write the explorer page for `graph` to `path` (UTF-8) and return the path.

    The folder is created if needed; the page is written under a temporary name and renamed
    into place. See `explorer_html` for the parameters and errors.
    """
    page = explorer_html(graph, focus=focus, hops=hops, title=title)
    return write_text_atomically(path, page)  # a reader, or a kill half-way, never sees half a page


# ---------------------------------------------------------------- focus


def _find_entity(graph: Graph, name: str) -> str:
    """The id of the entity called `name` (its id, name or an alias, case-insensitive)."""
    if name in graph.entities:
        return name
    key = name.strip().casefold()
    for ent in graph.entities.values():
        if ent.name.casefold() == key:
            return ent.id
    for ent in graph.entities.values():
        if any(alias.casefold() == key for alias in ent.aliases):
            return ent.id
    raise NoSuchEntity(name, _suggest(graph, name))


def _suggest(graph: Graph, name: str, limit: int = 3) -> list[str]:
    from rapidfuzz import fuzz, process

    choices: list[str] = []
    owners: list[str] = []
    for ent in graph.entities.values():
        for label in (ent.name, *ent.aliases):
            choices.append(label)
            owners.append(ent.name)
    found: list[str] = []
    for _, _, index in process.extract(name, choices, scorer=fuzz.WRatio, limit=limit * 4, score_cutoff=60):
        if owners[index] not in found:
            found.append(owners[index])
    return found[:limit]


# ---------------------------------------------------------------- payload


@dataclass
class _Edge:
    subject: str
    predicate: str
    object: str
    evidence: list[Evidence] = field(default_factory=list)

    @property
    def hedged(self) -> bool:
        return bool(self.evidence) and all(e.hedged for e in self.evidence)


def _edges(graph: Graph) -> list[_Edge]:
    """Relations, plus the attacked/claimed edges the attacks imply, merged by (s, p, o)."""
    merged: dict[tuple[str, str, str], _Edge] = {}

    def add(subject: str | None, predicate: str, obj: str | None, evidence: list[Evidence]) -> None:
        if subject not in graph.entities or obj not in graph.entities:
            return
        edge = merged.setdefault((subject, predicate, obj), _Edge(subject, predicate, obj))
        seen = {(e.doc, e.start, e.end, e.sentence) for e in edge.evidence}
        for ev in evidence:
            if (ev.doc, ev.start, ev.end, ev.sentence) not in seen:
                edge.evidence.append(ev)
                seen.add((ev.doc, ev.start, ev.end, ev.sentence))

    for rel in graph.relations:
        add(rel.subject, rel.predicate, rel.object, rel.evidence)
    for attack in graph.attacks:
        add(attack.attacker, "attacked", attack.target, attack.evidence)
        for claimer in attack.claimed_by:
            add(claimer, "claimed", attack.target, attack.evidence)
    return list(merged.values())


def _ego(edges: list[_Edge], center: str, hops: int) -> set[str]:
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


def _payload(graph: Graph, *, focus_id: str | None, hops: int, title: str) -> dict:
    """Everything the page shows, as JSON-ready values; entities by falling degree."""
    edges = _edges(graph)
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

    pairs = np.array([(index[e.subject], index[e.object]) for e in edges], dtype=np.int64).reshape(-1, 2)
    positions = _layout(len(entities), pairs)
    evidence = _EvidenceTable(graph.documents)
    nodes = _node_rows(entities, degree, types, positions)
    edge_rows = _edge_rows(edges, index, predicates, evidence)
    attacks = _attack_rows(graph, index, keep if focus_id is not None else None, evidence)

    dates = sorted({d for e in edge_rows for d in (e["d0"], e["d1"]) if d} | {a["date"] for a in attacks if a["date"]})
    large = len(entities) > PHYSICS_LIMIT
    return {
        "meta": {
            "title": title,
            "focus": index[focus_id] if focus_id is not None else None,
            "hops": hops if focus_id is not None else None,
            "entities": len(graph.entities),
            "physics": not large,
            "lod": LOD_LIMIT if len(entities) > LOD_LIMIT else 0,
            "large": large,
            "edgeLabels": not large and len(edge_rows) <= 1000,
            "sizeBy": "mentions" if any(e.mentions > 0 for e in entities) else "degree",
            "dateMin": dates[0] if dates else None,
            "dateMax": dates[-1] if dates else None,
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
    small, big = (12.0, 40.0) if len(entities) <= PHYSICS_LIMIT else (6.0, 30.0)
    type_index = {t: i for i, t in enumerate(types)}
    return [
        {
            "id": ent.id,
            "name": ent.name,
            "type": type_index[ent.type],
            "aliases": [a for a in dict.fromkeys(ent.aliases) if a != ent.name],
            "qid": ent.qid if ent.qid and _QID.fullmatch(ent.qid) else None,
            "mentions": ent.mentions,
            "degree": degree[ent.id],
            "docs": len(ent.docs),
            "x": round(float(positions[i, 0]), 1),
            "y": round(float(positions[i, 1]), 1),
            "size": round(small + (big - small) * math.sqrt(values[i] / top), 1),
        }
        for i, ent in enumerate(entities)
    ]


def _edge_rows(edges: list[_Edge], index: dict[str, int], predicates: list[str], evidence: _EvidenceTable) -> list[dict]:
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
        if keep is not None and not {attack.target, attack.attacker, *attack.claimed_by} & keep:
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


# ---------------------------------------------------------------- layout


def _layout(n: int, pairs: np.ndarray, *, seed: int = 7) -> np.ndarray:
    """Positions in pixels for `n` nodes sorted by degree, in O(n + edges) past a fixed core.

    The `_CORE` nodes of highest degree get a Fruchterman-Reingold layout (dense numpy, a fixed
    number of iterations). Every other node is then placed, breadth first, on a sunflower spiral
    around the first placed neighbour. Components that never touch the core start on a spiral
    outside the rest.
    """
    pos = np.zeros((n, 2))
    if n == 0:
        return pos
    rng = np.random.default_rng(seed)
    neighbours: list[list[int]] = [[] for _ in range(n)]
    for s, o in pairs.tolist():
        if s != o:
            neighbours[s].append(o)
            neighbours[o].append(s)

    linked = [i for i in range(min(n, _CORE)) if any(v < _CORE for v in neighbours[i])]
    placed = np.zeros(n, dtype=bool)
    if linked:
        core = np.array(linked)
        remap = np.full(n, -1)
        remap[core] = np.arange(len(core))
        mask = (pairs < _CORE).all(axis=1) if len(pairs) else np.zeros(0, dtype=bool)
        core_pairs = remap[pairs[mask]] if len(pairs) else np.zeros((0, 2), dtype=np.int64)
        core_pairs = core_pairs[(core_pairs >= 0).all(axis=1)]
        radius = _SPACING * (1.5 + 0.9 * math.sqrt(n))
        pos[core] = _fruchterman_reingold(len(core), core_pairs, rng) * radius
        placed[core] = True

    children = np.zeros(n, dtype=np.int64)

    def grow(queue: deque[int]) -> None:
        while queue:
            u = queue.popleft()
            turn = rng.random() * 2 * math.pi
            for v in neighbours[u]:
                if placed[v]:
                    continue
                c = children[u]
                children[u] += 1
                r = _SPACING * (1.0 + 0.55 * math.sqrt(c))
                angle = turn + c * _GOLDEN
                pos[v] = pos[u] + (r * math.cos(angle), r * math.sin(angle))
                placed[v] = True
                queue.append(v)

    grow(deque(np.flatnonzero(placed).tolist()))
    outer = float(np.sqrt((pos[placed] ** 2).sum(axis=1)).max()) + 3 * _SPACING if placed.any() else 0.0
    slot = 0
    for i in range(n):
        if placed[i]:
            continue
        r = math.sqrt(outer**2 + slot * (2.2 * _SPACING) ** 2)
        pos[i] = (r * math.cos(slot * _GOLDEN), r * math.sin(slot * _GOLDEN))
        placed[i] = True
        slot += 1
        grow(deque([i]))
    return pos - pos.mean(axis=0)


def _fruchterman_reingold(k: int, pairs: np.ndarray, rng: np.random.Generator, iterations: int = 60) -> np.ndarray:
    """Fruchterman-Reingold on a dense adjacency matrix; positions roughly in the unit disc."""
    pos = rng.random((k, 2)) * 2 - 1
    if k < 2:
        return np.zeros((k, 2))
    adjacency = np.zeros((k, k))
    adjacency[pairs[:, 0], pairs[:, 1]] = 1.0
    adjacency[pairs[:, 1], pairs[:, 0]] = 1.0
    np.fill_diagonal(adjacency, 0.0)
    optimal = math.sqrt(4.0 / k)
    temperature = 0.2
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.sqrt((delta**2).sum(axis=-1))
        np.clip(distance, 0.01, None, out=distance)
        force = optimal**2 / distance**2 - adjacency * distance / optimal
        shift = np.einsum("ijk,ij->ik", delta, force)
        length = np.sqrt((shift**2).sum(axis=-1))
        np.clip(length, 0.01, None, out=length)
        pos += shift * (temperature / length)[:, None]
        temperature -= cooling
    pos -= pos.mean(axis=0)
    norms = np.sqrt((pos**2).sum(axis=1))
    scale = float(np.percentile(norms, 95)) or 1.0
    pos /= scale
    norms /= scale
    far = norms > 1.2
    pos[far] *= (1.2 / norms[far])[:, None]
    return pos


# ---------------------------------------------------------------- page


def _script_json(data: dict) -> str:
    """JSON that cannot close its <script> block or start markup: <, >, & as \\u escapes."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    for char in "<>&\u2028\u2029":
        text = text.replace(char, f"\\u{ord(char):04x}")
    return text


def _inline_script(code: str) -> str:
    """`code` made safe to sit between <script> and </script>."""
    return re.sub(r"</(script)", r"<\\/\1", code, flags=re.IGNORECASE)


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _vis_network_js() -> str:
    """vis-network's standalone build, read from the copy inside the pyvis package."""
    import pyvis

    asset = resources.files(pyvis).joinpath("lib", f"vis-{VIS_VERSION}", "vis-network.min.js")
    return _inline_script(asset.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _assets() -> tuple[object, str, str]:
    import jinja2

    folder = resources.files("kg.export").joinpath(_TEMPLATE_DIR)
    env = jinja2.Environment(autoescape=True, keep_trailing_newline=True, undefined=jinja2.StrictUndefined)
    template = env.from_string(folder.joinpath("template.html").read_text(encoding="utf-8"))
    app_js = _inline_script(folder.joinpath("app.js").read_text(encoding="utf-8"))
    css = folder.joinpath("app.css").read_text(encoding="utf-8").replace("</", "<\\/")
    return template, app_js, css


def _render(data: dict, *, title: str) -> str:
    from markupsafe import Markup

    template, app_js, css = _assets()
    vis_js = _vis_network_js()
    csp = "; ".join(
        (
            "default-src 'none'",
            f"script-src {_csp_hash(vis_js)} {_csp_hash(app_js)}",
            f"style-src {_csp_hash(css)}",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        )
    )
    return template.render(
        title=title,
        csp=csp,
        css=Markup(css),
        vis_js=Markup(vis_js),
        app_js=Markup(app_js),
        data_json=Markup(_script_json(data)),
    )
