"""How fast kg.paths answers on a large graph: linked_to, shortest_paths and timeline at 1M edges.

    .venv/bin/python benchmarks/paths.py                 # 1M edges, 100k entities
    .venv/bin/python benchmarks/paths.py --edges 200000  # quicker

The graph is synthetic and built directly as the MultiDiGraph `kg.paths.to_networkx`
returns (one Evidence per edge). Endpoints are drawn from a power law, so a few
"states" are hubs with tens of thousands of edges, as Iran and the United States are
in real news. A second, smaller part writes a graph into an on-disk store and times
the whole path a user takes: `KnowledgeGraph.open`, the first question (which reads
the store into networkx) and the cached ones after it.

Targets: linked_to at 3 hops, median < 100 ms; shortest_paths, median < 200 ms.
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import networkx as nx
import numpy as np

from kg.errors import NoPath
from kg.model import ENTITY_TYPES, RELATION_TYPES, Entity, Evidence, Graph, Relation
from kg.paths import linked_to, shortest_paths, timeline

TYPE_WEIGHTS = {"Militia": 0.25, "Official": 0.3, "Base": 0.1, "State": 0.01, "Organization": 0.14, "Location": 0.2}
RELATION_WEIGHTS = {"backedBy": 0.15, "attacked": 0.3, "claimed": 0.15, "condemned": 0.2, "leaderOf": 0.1,
                    "locatedIn": 0.1}


def rss_mb() -> float:
    """Resident memory now, in MB (Linux /proc; elsewhere the peak from getrusage)."""
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20
    except OSError:
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def synthetic_graph(n_nodes: int, n_edges: int, seed: int) -> nx.MultiDiGraph:
    rng = np.random.default_rng(seed)
    types = rng.choice(list(TYPE_WEIGHTS), size=n_nodes, p=list(TYPE_WEIGHTS.values()))
    weights = 1.0 / np.arange(1, n_nodes + 1) ** 0.8  # node 0 is the biggest hub
    weights /= weights.sum()
    types[:50] = "State"  # the hubs are states
    G = nx.MultiDiGraph()
    for i in range(n_nodes):
        G.add_node(f"e{i}", name=f"Entity {i}", type=str(types[i]), aliases=[f"E{i}"], qid=None, mentions=1)
    relations = list(RELATION_WEIGHTS)
    while G.number_of_edges() < n_edges:
        batch = n_edges - G.number_of_edges()
        us = rng.choice(n_nodes, size=batch, p=weights)
        vs = rng.choice(n_nodes, size=batch, p=weights)
        rels = rng.choice(len(relations), size=batch, p=list(RELATION_WEIGHTS.values()))
        days = rng.integers(0, 3650, size=batch)
        hedged = rng.random(batch) < 0.2
        for u, v, r, day, h in zip(us.tolist(), vs.tolist(), rels.tolist(), days.tolist(), hedged.tolist()):
            if u == v:
                continue
            relation = relations[r]
            date = f"{2015 + day // 365}-{1 + day % 365 // 31:02d}-{1 + day % 31 % 28:02d}"
            evidence = [Evidence(f"doc-{u}-{v}", f"Entity {u} {relation} Entity {v}.", 0, 30,
                                 date=date, rule="synthetic", hedged=h)]
            G.add_edge(f"e{u}", f"e{v}", key=relation, relation=relation, evidence=evidence, hedged=h)
    return G


def timed(fn: Callable[[], object], repeat: int) -> list[tuple[float, float]]:
    """(wall ms, CPU ms) of each run; CPU time is what a busy shared machine cannot inflate."""
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return times


def row(name: str, times: list[tuple[float, float]], note: str = "") -> tuple:
    wall = sorted(t[0] for t in times)
    p95 = wall[min(len(wall) - 1, int(0.95 * len(wall)))]
    return name, len(wall), statistics.median(wall), p95, wall[-1], statistics.median(t[1] for t in times), note


def calibration_ms() -> float:
    """A 10M-step Python loop: ~0.4 s on an idle modern core; scale the table by it."""
    start, total = time.perf_counter(), 0
    for i in range(10_000_000):
        total += i
    return (time.perf_counter() - start) * 1000


def bench_networkx(args: argparse.Namespace) -> list[tuple]:
    rows = []
    before = rss_mb()
    start = time.perf_counter()
    G = synthetic_graph(args.nodes, args.edges, args.seed)
    build_s = time.perf_counter() - start
    gc.collect()
    gc.freeze()  # a long-lived graph: keep the cyclic GC from re-scanning its millions of objects
    memory = rss_mb() - before
    degrees = sorted((d for _, d in G.degree()), reverse=True)
    print(f"synthetic graph: {G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges, "
          f"built in {build_s:.1f} s, {memory:,.0f} MB resident; largest degrees {degrees[:3]}, "
          f"median degree {degrees[len(degrees) // 2]}", file=sys.stderr)

    rng = random.Random(args.seed)
    nodes = [n for n, d in G.degree() if d]
    sources = [rng.choice(nodes) for _ in range(args.queries)]
    hubs = [f"e{i}" for i in range(5)]

    def each(fn: Callable[[str], object], targets: list[str]) -> list[float]:
        it = iter(targets)
        return timed(lambda: fn(next(it)), len(targets))

    sizes = []

    def linked_many(n: str) -> None:
        sizes.append(len(linked_to(G, n, hops=3, limit=500)))

    rows.append(row("linked_to hops=3 (limit 50)", each(lambda n: linked_to(G, n, hops=3), sources)))
    rows.append(row("linked_to hops=3 types=[State]",
                    each(lambda n: linked_to(G, n, hops=3, types=["State"]), sources)))
    rows.append(row("linked_to hops=3 relations=[backedBy]",
                    each(lambda n: linked_to(G, n, hops=3, relations=["backedBy"]), sources)))
    rows.append(row("linked_to hops=3 since/until 2019",
                    each(lambda n: linked_to(G, n, hops=3, since="2019", until="2019"), sources)))
    rows.append(row("linked_to hops=3 limit=500", each(linked_many, sources),
                    f"median {statistics.median(sizes):,.0f} links returned"))
    rows.append(row("linked_to hops=3 from a hub", each(lambda n: linked_to(G, n, hops=3), hubs)))

    pairs = [(rng.choice(nodes), rng.choice(nodes)) for _ in range(args.queries)]
    misses, lengths = [], []

    def paths(pair: tuple[str, str]) -> None:
        try:
            lengths.append(shortest_paths(G, *pair, max_hops=4)[0].hops)
        except NoPath:
            misses.append(pair)

    it = iter(pairs)
    times = timed(lambda: paths(next(it)), len(pairs))
    rows.append(row("shortest_paths max_hops=4", times,
                    f"{len(misses)} NoPath; hops median {statistics.median(lengths) if lengths else '-'}"))
    it = iter([(h, rng.choice(nodes)) for h in hubs])
    rows.append(row("shortest_paths from a hub", timed(lambda: paths(next(it)), len(hubs))))
    rows.append(row("timeline", each(lambda n: timeline(G, n), sources)))
    rows.append(row("timeline of a hub", each(lambda n: timeline(G, n), hubs),
                    f"{len(timeline(G, hubs[0])):,} events"))
    rows.append(("(graph memory, MB)", 1, memory, memory, memory, memory, "resident for the MultiDiGraph"))
    return rows


def bench_store(args: argparse.Namespace) -> list[tuple]:
    from kg.knowledge_graph import KnowledgeGraph
    from kg.rdf import graph_to_quads
    from kg.stores import open_store

    rng = random.Random(args.seed)
    n = args.store_entities
    entities = {f"e{i}": Entity(f"e{i}", f"Entity {i}", rng.choice(ENTITY_TYPES), aliases=[f"E-{i}"])
                for i in range(n)}
    hubs = [f"e{i}" for i in range(10)]
    relations = []
    for j in range(args.store_relations):
        s = rng.choice(hubs) if rng.random() < 0.2 else f"e{rng.randrange(n)}"
        o = f"e{rng.randrange(n)}"
        relations.append(Relation(s, rng.choice(RELATION_TYPES), o, [
            Evidence(f"doc{j % 500}", f"Entity {s} did something to Entity {o}.", j, j + 40, date="2021-01-01")]))
    with tempfile.TemporaryDirectory() as tmp:
        build = Path(tmp) / "build"
        build.mkdir()
        start, cpu = time.perf_counter(), time.process_time()
        store = open_store(build / "store")
        store.load(graph_to_quads(Graph(entities=entities, relations=relations)))
        store.flush()
        quads = len(store)
        del store
        load_ms, load_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
        start, cpu = time.perf_counter(), time.process_time()
        g = KnowledgeGraph.open(build)
        G = g.to_networkx()
        first_ms, first_cpu = (time.perf_counter() - start) * 1000, (time.process_time() - cpu) * 1000
        names = [f"entity {rng.randrange(n)}" for _ in range(args.queries)]
        it = iter(names)
        linked = timed(lambda: g.linked_to(next(it), hops=3), len(names))
        it = iter(zip(names, reversed(names)))
        paths = timed(lambda: _paths_or_none(g, *next(it)), len(names))
        note = f"{len(entities):,} entities, {len(relations):,} relations, {quads:,} quads"
        return [
            row("store: load quads", [(load_ms, load_cpu)], note),
            row("store: open + read into networkx", [(first_ms, first_cpu)],
                f"{G.number_of_nodes():,} nodes, {G.number_of_edges():,} edges"),
            row("store: g.linked_to(name, hops=3)", linked, "cached graph, name resolved"),
            row("store: g.paths(a, b)", paths, "cached graph, names resolved"),
        ]


def _paths_or_none(g, a: str, b: str):
    try:
        return g.paths(a, b)
    except NoPath:
        return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edges", type=int, default=1_000_000)
    parser.add_argument("--nodes", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--store-entities", type=int, default=2_000)
    parser.add_argument("--store-relations", type=int, default=10_000, help="0 skips the store part")
    args = parser.parse_args()

    print(f"calibration: a 10M-step Python loop takes {calibration_ms():,.0f} ms here "
          f"(~400 ms on an idle modern core); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print_table(bench_networkx(args))
    if args.store_relations:
        print()
        print_table(bench_store(args))


def print_table(rows: list[tuple]) -> None:
    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'runs':>4}  {'median ms':>9}  {'p95 ms':>8}  {'max ms':>8}  {'median CPU ms':>13}  note")
    for name, runs, median, p95, worst, cpu, note in rows:
        print(f"{name:<{width}}  {runs:>4}  {median:>9.1f}  {p95:>8.1f}  {worst:>8.1f}  {cpu:>13.1f}  {note}",
              flush=True)


if __name__ == "__main__":
    main()
