"""Documents per second: one process against a Dask LocalCluster of 1 and 2 workers, same corpus.

    .venv/bin/python benchmarks/scale.py [--copies 6]

The corpus is the example corpus repeated `--copies` times (each copy a
distinct document, so nothing is served from a cache). Each run builds into a
fresh folder; the table shows wall time, documents per second, the ratio to
one process, and the peak resident memory of the workers.
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--copies", type=int, default=6, help="how many copies of the example corpus")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        documents = make_corpus(scratch / "corpus", args.copies)
        print(f"{documents} documents ({args.copies} copies of the example corpus)\n")
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


if __name__ == "__main__":
    main()
