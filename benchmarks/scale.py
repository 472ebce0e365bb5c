"""Scaling out: extraction on Dask workers, and the graph on a SPARQL server.

    .venv/bin/python benchmarks/scale.py [--copies 6]          # both parts
    .venv/bin/python benchmarks/scale.py --part stores --triples 1000000

Extraction: the example corpus repeated `--copies` times (each copy a distinct
document, so nothing is served from a cache), built by one process and by a
LocalCluster of 1 and 2 workers; wall time, documents per second, the ratio to
one process, and the peak resident memory of the workers.

Stores: a synthetic build of `--triples` (benchmarks/synthetic.py) written into
the embedded Oxigraph store (`kg build --out`), and published to Oxigraph server
and to Virtuoso (`kg build --store URL`), each started here as the tests start
them (tests/servers.py); then the same graph sent again (nothing changed), and
the path API's first read of the whole graph (KnowledgeGraph.open + linked_to).
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from kg.build import build_graph
from kg.distributed import DaskExtractor

REPO = Path(__file__).resolve().parent.parent


def make_corpus(folder: Path, copies: int) -> int:
    count = 0
    for copy in range(copies):
        target = folder / f"copy-{copy}"
        shutil.copytree(REPO / "examples" / "corpus", target, ignore=shutil.ignore_patterns("README.md"))
        for path in target.iterdir():  # a marker line makes each copy a new document
            text = path.read_text(encoding="utf-8")
            if path.suffix != ".jsonl":
                path.write_text(text + f"\n\nCopy {copy}.\n", encoding="utf-8")
        count += 8
    return count



def timed(corpus: Path, out: Path, extractor) -> tuple[float, int]:
    started = time.perf_counter()
    report = build_graph([corpus], out, extractor=extractor)
    return time.perf_counter() - started, report.read


def peak_worker_rss(address: str, corpus: Path, out: Path) -> tuple[float, int, float]:
    """Build with a LocalCluster and read each worker's peak memory before it closes."""
    import distributed

    workers = int(address.removeprefix("local:"))
    with distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        started = time.perf_counter()
        report = build_graph([corpus], out, extractor=DaskExtractor(cluster.scheduler_address))
        seconds = time.perf_counter() - started

        def rss() -> float:
            import resource

            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        peaks = client.run(rss)
    return seconds, report.read, max(peaks.values())


def stores(triples: int) -> None:
    import sys

    sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]
    from synthetic import synthetic_graph

    from kg.knowledge_graph import KnowledgeGraph
    from kg.rdf import graph_to_quads
    from kg.stores import open_store, write_build_store
    from kg.stores.server import ServerStore
    from tests.servers import find_binary, start_oxigraph, start_virtuoso

    memory = open_store()
    memory.load(graph_to_quads(synthetic_graph(triples)))
    quads = list(memory.quads())
    graphs = len({q[3] for q in quads})
    print(f"\n{len(quads):,} quads in {graphs:,} graphs (synthetic build)\n", flush=True)

    def first_read(where) -> float:
        started = time.perf_counter()
        KnowledgeGraph.open(where).linked_to("Kataib Hezbollah", hops=1)
        return time.perf_counter() - started

    rows = []

    def show(row: tuple) -> None:  # each row as soon as it is measured: a server can take minutes
        name, load, again, read = row
        unchanged = "-" if again is None else f"{again:.2f}"
        print(f"{name:<20} {load:8.2f} {len(quads) / load:9,.0f} {load / rows[0][1]:11.1f}x {unchanged:>12} "
              f"{read:13.2f}", flush=True)

    print(f"{'store':<20} {'load s':>8} {'quads/s':>9} {'vs embedded':>12} {'unchanged s':>12} {'first read s':>13}")
    with tempfile.TemporaryDirectory() as scratch:
        started = time.perf_counter()
        write_build_store(scratch, quads)
        rows.append(("embedded Oxigraph", time.perf_counter() - started, None, first_read(scratch)))
        show(rows[-1])
    servers = [("Oxigraph server", start_oxigraph, "oxigraph"), ("Virtuoso 7", start_virtuoso, "virtuoso-t")]
    for name, start, binary in servers:
        if find_binary(binary) is None:
            print(f"{name}: not installed (bash .ci/install-virtuoso.sh .venv), skipped")
            continue
        with start() as server:
            store = ServerStore(server.query_url)
            started = time.perf_counter()
            store.publish(quads)
            load = time.perf_counter() - started
            started = time.perf_counter()
            store.publish(quads)
            again = time.perf_counter() - started
            rows.append((name, load, again, first_read(server.query_url)))
            show(rows[-1])
    print("\nload: write or publish every graph; unchanged: publish again (only hashes compared); "
          "first read: the path API reading the whole graph into networkx.")


def extraction(copies: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        documents = make_corpus(scratch / "corpus", copies)
        print(f"{documents} documents ({copies} copies of the example corpus)\n")
        rows = []
        seconds, read = timed(scratch / "corpus", scratch / "single", None)
        rows.append(("one process", seconds, read, "-"))
        for workers in (1, 2):
            seconds, read, peak = peak_worker_rss(f"local:{workers}", scratch / "corpus", scratch / f"dask{workers}")
            rows.append((f"LocalCluster, {workers} worker{'s' if workers > 1 else ''}", seconds, read, f"{peak:.0f}"))
        base = rows[0][1]
        print(f"{'runner':<26} {'wall s':>8} {'docs':>6} {'docs/s':>8} {'vs one':>7} {'peak MB/worker':>15}")
        for name, seconds, read, peak in rows:
            print(f"{name:<26} {seconds:8.1f} {read:6d} {read / seconds:8.2f} {base / seconds:6.2f}x {peak:>15}")
        print("\nWall time includes loading spaCy (once per process or worker) and starting the cluster.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=["all", "extraction", "stores"], default="all")
    parser.add_argument("--copies", type=int, default=6, help="how many copies of the example corpus")
    parser.add_argument("--triples", type=int, default=100_000, help="size of the synthetic build for the stores")
    args = parser.parse_args()
    if args.part in ("all", "extraction"):
        extraction(args.copies)
    if args.part in ("all", "stores"):
        stores(args.triples)


if __name__ == "__main__":
    main()
