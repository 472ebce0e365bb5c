"""Breadth-first walking over the view: the levels of a search, and the paths back through them.

The hot loops of every walk, written for speed over networkx's adjacency dicts.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator

import networkx as nx

from kg.model import Entity
from kg.paths.arguments import EdgeTest, _Window
from kg.paths.explain import Path, Step


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
