"""Time `kg query`'s table (tabulate, since issue 15) beside the hand-aligned table it replaced, in the same run.

    .venv/bin/python benchmarks/query_table.py            # 100, 2,000 and 20,000 rows of 8 columns
    .venv/bin/python benchmarks/query_table.py --rows 500

Both get the same cells (kg.query's own shortening and cutting), so the numbers compare only
the alignment. Prints the best of three runs of each, and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rdflib import Literal  # noqa: E402

from kg.query import _cut, _short, format_results  # noqa: E402
from kg.vocab import ID  # noqa: E402


def hand_aligned(variables, rows) -> str:
    """The table as kg.query wrote it before tabulate: widths by len(), two spaces between columns."""
    cells = [[_cut(_short(row.get(v))) for v in variables] for row in rows]
    widths = [max([len(v), *(len(r[i]) for r in cells)]) for i, v in enumerate(variables)]
    lines = ["  ".join(v.ljust(w) for v, w in zip(variables, widths)).rstrip(), "  ".join("-" * w for w in widths)]
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
    return "\n".join(lines)


def best_of_three(function) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, action="append", help="Rows per table (repeatable).")
    args = parser.parse_args()
    variables = tuple(f"v{i}" for i in range(8))
    print(f"{'rows':>7}  {'hand (s)':>9}  {'tabulate (s)':>12}  ratio")
    for count in args.rows or [100, 2_000, 20_000]:
        rows = [{v: ID[f"entity-{n}-{i}"] if i % 2 else Literal(f"value {n} of {i}") for i, v in enumerate(variables)}
                for n in range(count)]
        hand = best_of_three(lambda: hand_aligned(variables, rows))
        ours = best_of_three(lambda: format_results(rows, "table"))
        print(f"{count:>7}  {hand:>9.4f}  {ours:>12.4f}  {ours / hand:.2f}x")


if __name__ == "__main__":
    main()
