"""How soon a build shows progress, and what it costs: spaCy batch sizes 16 (the old default) and 4.

`nlp.pipe` hands back no document of a batch until the whole batch has been through every
component, so with batches of 16 a build of up to 16 documents sits at 0 % until it is done.
This reads the same documents with each batch size (interleaved, best of `--runs`) and prints
the time to the first and to the last document, with ratios against batch size 16.

    .venv/bin/python benchmarks/progress.py                       # examples/corpus + benchmarks/heldout
    .venv/bin/python benchmarks/progress.py --runs 5 DIR_OR_FILE...
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from kg.config import DEFAULT_CONFIG  # noqa: E402
from kg.extract.relations import Extractor  # noqa: E402
from kg.ingest import iter_documents  # noqa: E402

BASELINE = 16


def timings(extractor: Extractor, documents, batch_size: int) -> tuple[float, float]:
    extractor.config = replace(DEFAULT_CONFIG, batch_size=batch_size, processes=1)  # spaCy's batches alone
    start = time.perf_counter()
    first = last = 0.0
    for n, _ in enumerate(extractor.extract(documents)):
        last = time.perf_counter() - start
        first = first or last
    return first, last


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("inputs", nargs="*", default=[REPO / "examples" / "corpus", REPO / "benchmarks" / "heldout" / "corpus"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", type=int, nargs="+", default=[BASELINE, 4, 1])
    args = parser.parse_args()
    documents = list(iter_documents(args.inputs))
    words = sum(len(d.text.split()) for d in documents)
    extractor = Extractor()
    list(extractor.extract(documents[:2]))  # warm up
    best: dict[int, tuple[float, float]] = {}
    for _ in range(args.runs):
        for size in args.sizes:
            first, last = timings(extractor, documents, size)
            old = best.get(size, (float("inf"), float("inf")))
            best[size] = (min(old[0], first), min(old[1], last))
    base_first, base_last = best[BASELINE]
    print(f"{len(documents)} documents, {words:,} words; best of {args.runs} runs")
    print(f"{'batch':>5}  {'first doc s':>11}  {'ratio':>6}  {'all docs s':>10}  {'ratio':>6}")
    for size in args.sizes:
        first, last = best[size]
        print(f"{size:>5}  {first:>11.2f}  {first / base_first:>6.2f}  {last:>10.2f}  {last / base_last:>6.2f}")


if __name__ == "__main__":
    main()
