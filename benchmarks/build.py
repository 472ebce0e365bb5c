"""`kg build` beside spaCy's own `nlp.pipe`: words per second, time per stage, peak memory.

    .venv/bin/python benchmarks/build.py                       # ~15k and 50k words, 2 rounds each
    .venv/bin/python benchmarks/build.py --words 15000 50000 500000 --rounds 3
    .venv/bin/python benchmarks/build.py --append 1000 100     # a build of 1,000 reports, then --append 100

The corpus is examples/corpus (each copy made a new document by a marker line) plus generated reports
(benchmarks/synthetic.py) up to the word count; nothing from ../shared. Each round runs, in separate
processes and alternating, (a) raw spaCy: load the same model, `nlp.pipe` over the same texts (what
`kg.ingest` makes of the files) with the same batch size; (b) `kg build CORPUS --out DIR -q`. Each
process reports its own start-up (model load, or our pipeline's load) and peak RSS. Then one
in-process run times each stage of a build: ingest, NLP (nlp.pipe), extraction, resolution, RDF,
store, exports. The machine is shared, so compare the ratios, and the spread between rounds.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]

RAW = """
import json, resource, sys, time
started = time.perf_counter()
from kg.config import DEFAULT_CONFIG
from kg.ingest import iter_documents
from kg.nlp.pipeline import load_model
nlp = load_model(DEFAULT_CONFIG.model_names)
loaded = time.perf_counter()
cpu_loaded = time.process_time()
texts = [d.text for d in iter_documents([sys.argv[1]])]
for doc in nlp.pipe(texts, batch_size=DEFAULT_CONFIG.batch_size):
    pass
done = time.perf_counter()
print(json.dumps({"startup": loaded - started, "work": done - loaded, "total": done - started,
                  "cpu": time.process_time() - cpu_loaded,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

KG = """
import json, resource, sys, time
started = time.perf_counter()
import kg.build
from kg.build import build_graph, make_extractor
from kg.config import DEFAULT_CONFIG
extractor = make_extractor(DEFAULT_CONFIG)
loaded = time.perf_counter()
cpu_loaded = time.process_time()
build_graph([sys.argv[1]], sys.argv[2], extractor=extractor, append=len(sys.argv) > 3)
done = time.perf_counter()
print(json.dumps({"startup": loaded - started, "work": done - loaded, "total": done - started,
                  "cpu": time.process_time() - cpu_loaded,
                  "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def make_corpus(folder: Path, words: int, *, first_report: int = 0, examples: bool = True,
                reports: int | None = None) -> tuple[int, int]:
    """examples/corpus and generated reports up to about `words` words, or exactly `reports` reports:
    (documents, words)."""
    from synthetic import synthetic_report

    folder.mkdir(parents=True, exist_ok=True)
    total = documents = 0
    if examples:
        target = folder / "examples"
        shutil.copytree(REPO / "examples" / "corpus", target, ignore=shutil.ignore_patterns("README.md"))
        total += sum(len(p.read_text(encoding="utf-8").split()) for p in target.iterdir())
        documents += 12  # wire.jsonl holds several stories
    k = first_report
    report_dir = folder / "reports"
    report_dir.mkdir(exist_ok=True)
    while (total < words) if reports is None else (k - first_report < reports):
        text = synthetic_report(k)
        (report_dir / f"report-{k:06d}.txt").write_text(text, encoding="utf-8")
        total += len(text.split())
        documents += 1
        k += 1
    return documents, total


def run(script: str, *args) -> dict:
    done = subprocess.run([sys.executable, "-c", script, *map(str, args)], capture_output=True, text=True, cwd=REPO)
    if done.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def stages(corpus: Path, out: Path) -> dict[str, float]:
    """One build, stage by stage, in this process (the start-up is timed on its own), after raw
    spaCy (the model alone) has read the same texts in the same process: "spaCy" is its time.
    CPU seconds, which other processes on a shared machine disturb less than wall time."""
    from kg.build import make_extractor, write_exports
    from kg.config import DEFAULT_CONFIG
    from kg.actors import load_actors
    from kg.extract.relations import extract_document
    from kg.ingest import iter_documents
    from kg.rdf import graph_to_quads
    from kg.resolve.aliases import resolve
    from kg import stores as kg_store

    from kg.nlp.pipeline import load_model

    seconds: dict[str, float] = {}

    def lap(name: str, started: float) -> float:
        now = time.process_time()
        seconds[name] = seconds.get(name, 0.0) + now - started
        return now

    texts = [d.text for d in iter_documents([corpus])]
    nlp = load_model(DEFAULT_CONFIG.model_names)
    t = time.process_time()
    for _ in nlp.pipe(texts, batch_size=DEFAULT_CONFIG.batch_size):
        pass
    t = lap("spaCy", t)
    del nlp, texts
    extractor = make_extractor(DEFAULT_CONFIG)
    t = lap("start-up", t)
    documents = list(iter_documents([corpus]))
    t = lap("ingest", t)
    docs = extractor.nlp.pipe((d.text for d in documents), batch_size=DEFAULT_CONFIG.batch_size)
    extractions = []
    for document in documents:
        doc = next(docs)
        t = lap("NLP", t)
        extractions.append(extract_document(doc, document, extractor.lexicon, extractor.actors,
                                            DEFAULT_CONFIG.coreference_window))
        t = lap("extraction", t)
    actors = load_actors([DEFAULT_CONFIG.actors_path, *DEFAULT_CONFIG.extra_actor_files])
    graph = resolve(extractions, actors, DEFAULT_CONFIG.fuzzy_threshold)
    t = lap("resolution", t)
    quads = list(graph_to_quads(graph))
    t = lap("RDF", t)
    out.mkdir(parents=True, exist_ok=True)
    kg_store.write_build_store(out, quads)
    store = kg_store.open_build(out)
    t = lap("store", t)
    write_exports(out, graph, store)
    lap("exports", t)
    return seconds


def compare(words: int, rounds: int, tmp: Path) -> None:
    corpus = tmp / f"corpus-{words}"
    documents, counted = make_corpus(corpus, words)
    print(f"\n## {counted:,} words in {documents:,} documents ({rounds} rounds, raw spaCy and kg build alternating)")
    print(f"{'round':>5} {'spaCy load s':>12} {'spaCy pipe s':>12} {'kg start-up s':>13} {'kg build s':>10} "
          f"{'spaCy w/s':>9} {'kg w/s':>7} {'ratio':>5} {'ratio incl. start-up':>20} "
          f"{'CPU ratio':>9} {'spaCy MB':>8} {'kg MB':>6}")
    for r in range(rounds):
        raw = run(RAW, corpus)
        ours = run(KG, corpus, tmp / f"out-{words}-{r}")
        print(f"{r + 1:>5} {raw['startup']:>12.2f} {raw['work']:>12.2f} {ours['startup']:>13.2f} {ours['work']:>10.2f} "
              f"{counted / raw['work']:>9.0f} {counted / ours['work']:>7.0f} {raw['work'] / ours['work']:>5.2f} "
              f"{raw['total'] / ours['total']:>20.2f} {raw['cpu'] / ours['cpu']:>9.2f} {raw['rss_mb']:>8.0f} {ours['rss_mb']:>6.0f}")
    seconds = stages(corpus, tmp / f"stages-{words}")
    raw = seconds.pop("spaCy")
    total = sum(v for k, v in seconds.items() if k != "start-up")
    print(f"stages (one in-process build, CPU s): raw spaCy {raw:.2f} s; kg: " + ", ".join(
        f"{name} {value:.2f} s" + ("" if name == "start-up" else f" ({value / total:.0%})")
        for name, value in seconds.items())
        + f"; raw spaCy / kg build = {raw / total:.2f} ({raw / (total + seconds['start-up']):.2f} with start-up)")


def append(reports: int, more: int, tmp: Path) -> None:
    """Build `reports` generated reports, then --append `more`: the append's cost beside the first build's."""
    corpus, extra = tmp / "append-base", tmp / "append-more"
    held, words = make_corpus(corpus, 0, examples=False, reports=reports)
    added, extra_words = make_corpus(extra, 0, first_report=10_000_000, examples=False, reports=more)
    out = tmp / "append-out"
    first = run(KG, corpus, out)
    second = run(KG, extra, out, "--append")
    print(f"\n## --append: {held:,} reports ({words:,} words), then {added:,} more ({extra_words:,} words)")
    print(f"first build {first['work']:.1f} s ({first['cpu']:.1f} s CPU), {first['rss_mb']:.0f} MB peak; "
          f"append {second['work']:.1f} s ({second['cpu']:.1f} s CPU), {second['rss_mb']:.0f} MB peak")
    print(f"append / first = {second['work'] / first['work']:.3f} wall, {second['cpu'] / first['cpu']:.3f} CPU "
          f"(proportional to the reports read would be {added / held:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, nargs="+", default=[15_000, 50_000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--append", type=int, nargs=2, metavar=("REPORTS", "MORE"),
                        help="only measure a build of REPORTS generated reports and an append of MORE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-build-") as tmp:
        if args.append:
            append(*args.append, Path(tmp))
            return
        for words in args.words:
            compare(words, args.rounds, Path(tmp))


if __name__ == "__main__":
    main()
