"""Attack events against the shared event gold: the ten dev documents, each built alone.

    .venv/bin/python benchmarks/events.py                 # build, score, print the scorer's table
    .venv/bin/python benchmarks/events.py --keep /tmp/ev  # keep the builds and graphs for a look

Each document (../shared/eval/corpus/seed-thread.txt and ../shared/eval/news/corpus/*.txt) goes
into a temporary JSONL line that carries its publication date, from the table in
../shared/eval/events/README.md, as a user would pass it; it is built alone with kg.build_graph
and its graph.ttl is scored by ../shared/eval/events/score.py. The co-occurrence baseline of
benchmarks/baseline.py writes no kg:Attack events, so it would score 0 events (precision
undefined, recall 0.00); the line is printed for comparison. Wall time is printed too.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

EVAL = Path(__file__).resolve().parents[2] / "shared" / "eval"
EVENTS = EVAL / "events"
DATE_ROW = re.compile(r"^\|\s*([\w.-]+)\.txt\s*\|\s*(\d{4}-\d{2}-\d{2})\s*\|", re.M)


def publication_dates(readme: Path) -> dict[str, str]:
    """NAME -> publication date, from the table of the event gold's README."""
    return dict(DATE_ROW.findall(readme.read_text(encoding="utf-8")))


def documents() -> list[Path]:
    return [EVAL / "corpus" / "seed-thread.txt", *sorted((EVAL / "news" / "corpus").glob("*.txt"))]


def build_all(docs: list[Path], dates: dict[str, str], work: Path) -> Path:
    """Build each document alone from a one-line JSONL file; the graphs go to work/graphs/NAME.ttl."""
    from kg.build import build_graph, make_extractor
    from kg.config import DEFAULT_CONFIG

    extractor = make_extractor(DEFAULT_CONFIG)
    graphs = work / "graphs"
    graphs.mkdir(parents=True, exist_ok=True)
    for path in docs:
        line = {"id": path.stem, "date": dates.get(path.stem), "source": path.stem,
                "text": path.read_text(encoding="utf-8")}
        shutil.rmtree(work / path.stem, ignore_errors=True)  # a fresh build: no cached extraction
        source = work / f"{path.stem}.jsonl"
        source.write_text(json.dumps(line) + "\n", encoding="utf-8")
        build_graph([source], work / path.stem, extractor=extractor)
        (graphs / f"{path.stem}.ttl").write_bytes((work / path.stem / "graph.ttl").read_bytes())
    return graphs


def score(graphs: Path, as_json: bool = False) -> str:
    command = [sys.executable, str(EVENTS / "score.py"), str(EVENTS), str(EVAL / "news" / "gold"),
               str(EVAL / "gold"), "--graphs", str(graphs)] + (["--json"] if as_json else [])
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode:
        raise SystemExit(f"score.py failed: {result.stderr.strip()}")
    return result.stdout


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", type=Path, help="build here and keep the result")
    args = parser.parse_args(argv)
    if not EVENTS.is_dir():
        print(f"no event gold at {EVENTS}", file=sys.stderr)
        return 2
    dates = publication_dates(EVENTS / "README.md")
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        work = args.keep or Path(tmp)
        graphs = build_all(documents(), dates, work)
        seconds = time.perf_counter() - start
        table = score(graphs)
    print(table, end="")
    print("co-occurrence baseline: no kg:Attack events (precision -, recall 0.00)")
    print(f"built and scored {len(documents())} documents in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
