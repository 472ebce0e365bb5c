"""What hostile input costs: reading deeply nested HTML, and extracting one long paragraph.

    .venv/bin/python benchmarks/hostile_input.py              # HTML nesting curve
    .venv/bin/python benchmarks/hostile_input.py --paragraph  # also the long-paragraph curve (loads spaCy)

Each row is timed beside a baseline made in the same run: a flat page of the same size
(for HTML), and the smallest paragraph scaled by length (for extraction). A ratio that
stays flat as the size doubles is linear cost; one that doubles with it is quadratic.
"""

from __future__ import annotations

import argparse
import random
import resource
import time

from kg.ingest.readers import read_html as _read_html

SENTENCES = ["Kataib Hezbollah fired rockets at Ain al-Asad air base on Tuesday",
             "Iran backs the group, US officials said", "The attack was condemned by the Iraqi government",
             "Asaib Ahl al-Haq claimed the drone strike near Erbil",
             "Qais al-Khazali, the leader of the group, denied any role"]


def timed(work) -> tuple[float, float]:
    """(seconds, the process's peak resident MB so far)."""
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def html_curve() -> None:
    print("HTML nested N deep vs a flat page of the same size")
    print(f"{'depth':>7} {'bytes':>9} {'deep s':>8} {'flat s':>8} {'ratio':>6} {'max RSS MB':>10}")
    for depth in (2_500, 5_000, 10_000, 20_000, 40_000):
        text = "Kataib Hezbollah fired rockets at the base."
        deep = "<html><body>" + "<div>" * depth + text + "</div>" * depth + "</body></html>"
        flat = "<html><body>" + "<div></div>" * depth + f"<p>{text}</p></body></html>"
        deep_s, peak = timed(lambda: _read_html(deep, "d", "d.html", print))
        flat_s, _ = timed(lambda: _read_html(flat, "f", "f.html", print))
        print(f"{depth:>7} {len(deep):>9} {deep_s:>8.2f} {flat_s:>8.2f} {deep_s / flat_s:>6.1f} {peak:>10.0f}")


def paragraph_curve(sizes: list[int]) -> None:
    from kg.extract.relations import Extractor
    from kg.model import Document

    rng = random.Random(5)
    extractor = Extractor()
    print("\nOne paragraph of N characters through extraction (seconds per 10k characters, against the first)")
    print(f"{'chars':>8} {'s':>8} {'s/10k':>7} {'ratio':>6}")
    first = None
    for size in sizes:
        parts, length = [], 0
        while length < size:
            part = rng.choice(SENTENCES) + rng.choice([", and ", "; ", ". "])
            parts.append(part)
            length += len(part)
        text = "".join(parts)
        seconds, _ = timed(lambda: list(extractor.extract([Document("p.txt", "p.txt", text)])))
        per = seconds / (len(text) / 10_000)
        first = first or per
        print(f"{len(text):>8} {seconds:>8.2f} {per:>7.3f} {per / first:>6.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paragraph", action="store_true", help="also time one long paragraph (loads spaCy)")
    parser.add_argument("--sizes", default="25000,50000,100000", help="paragraph sizes in characters")
    args = parser.parse_args()
    html_curve()
    if args.paragraph:
        paragraph_curve([int(n) for n in args.sizes.split(",")])
