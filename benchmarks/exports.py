"""What the analysts' files cost a build: GraphML, GEXF and the CSV tables of a synthetic graph.

For each size (in triples, the shape of benchmarks/synthetic.py) it writes each file and prints
seconds and MB, beside the old export (networkx's GraphML of the old graph, where every attack
was a second edge and edge ids repeated) as the baseline, with ratios.

    .venv/bin/python benchmarks/exports.py                 # 100k and 1M triples
    .venv/bin/python benchmarks/exports.py 50000 200000
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from benchmarks.synthetic import synthetic_graph  # noqa: E402
from kg.export.network import analyst_graph, write_gexf, write_graphml  # noqa: E402
from kg.export.tables import write_tables  # noqa: E402


def old_networkx_graph(graph) -> nx.MultiDiGraph:
    """The GraphML export as it was before (kg/export/files.py at 711857c), for the baseline."""
    g = nx.MultiDiGraph()
    for entity in graph.entities.values():
        g.add_node(entity.id, label=entity.name, type=entity.type, aliases="; ".join(entity.aliases),
                   qid=entity.qid or "", mentions=entity.mentions)
    for relation in graph.relations:
        g.add_edge(relation.subject, relation.object, key=relation.predicate, relation=relation.predicate,
                   evidence=len(relation.evidence), hedged=relation.hedged,
                   sentence=relation.evidence[0].sentence if relation.evidence else "")
    for attack in graph.attacks:
        if attack.attacker:
            g.add_edge(attack.attacker, attack.target, key=f"attack:{attack.id}", relation="attacked",
                       date=attack.date or "", weapon=attack.weapon or "", evidence=len(attack.evidence),
                       hedged=False, sentence=attack.evidence[0].sentence if attack.evidence else "")
    return g


def timed(write) -> float:
    start = time.perf_counter()
    write()
    return time.perf_counter() - start


def size_mb(*paths: Path) -> float:
    return sum(p.stat().st_size for p in paths) / 2**20


def main(sizes: list[int]) -> None:
    print(f"{'triples':>9}  {'file':<22} {'seconds':>8} {'ratio':>6} {'MB':>7}")
    for triples in sizes:
        graph = synthetic_graph(triples)
        with tempfile.TemporaryDirectory() as scratch:
            out = Path(scratch)
            rows = []
            base = timed(lambda: nx.write_graphml(old_networkx_graph(graph), out / "old.graphml"))
            rows.append(("old GraphML (baseline)", base, size_mb(out / "old.graphml")))
            seconds = timed(lambda: write_graphml(analyst_graph(graph), out / "graph.graphml"))
            rows.append(("graph.graphml", seconds, size_mb(out / "graph.graphml")))
            seconds = timed(lambda: write_gexf(graph, out / "graph.gexf"))
            rows.append(("graph.gexf", seconds, size_mb(out / "graph.gexf")))
            paths: list[Path] = []
            seconds = timed(lambda: paths.extend(write_tables(graph, out)))
            rows.append(("3 CSV tables", seconds, size_mb(*paths)))
            for name, seconds, mb in rows:
                print(f"{triples:>9,}  {name:<22} {seconds:>8.2f} {seconds / base:>6.2f} {mb:>7.1f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000])
