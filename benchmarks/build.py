"""`kg build` beside spaCy's own `nlp.pipe`: words per second, time per stage, peak memory.

    .venv/bin/python benchmarks/build.py                       # ~15k and 50k words, 2 rounds each
    .venv/bin/python benchmarks/build.py --words 15000 50000 500000 --rounds 3
    .venv/bin/python benchmarks/build.py --append 1000 100     # a build of 1,000 reports, then --append 100

The corpus is examples/corpus (each copy made a new document by a marker line) plus generated reports
(benchmarks/synthetic.py) up to the word count; nothing from ../shared. Each round runs, in separate
processes and alternating, (a) raw spaCy: load the same model, `nlp.pipe` over the same texts (what
`kg.ingest` makes of the files) with the same batch size, in one process; (b) `kg build CORPUS --out DIR`,
which reads in one process per core; (c) raw spaCy again with `nlp.pipe(n_process=cores)`, spaCy's
own way to use the same cores. Each reports its imports, its pipeline's load (the model alone, or ours),
its CPU (children included) and the peak memory of all its processes together (Pss, sampled). Then one
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
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]

RAW = """
import json, resource, sys, time
from kg.config import DEFAULT_CONFIG
from kg.ingest import iter_documents
texts = [d.text for d in iter_documents([sys.argv[1]])]  # read before the clock starts: raw spaCy's input
started = time.perf_counter()
import spacy
imported = time.perf_counter()
nlp = spacy.load(next(n for n in DEFAULT_CONFIG.model_names if spacy.util.is_package(n)))
loaded = time.perf_counter()
cpu_loaded = time.process_time()
for doc in nlp.pipe(texts, batch_size=DEFAULT_CONFIG.batch_size, n_process=int(sys.argv[2])):
    pass
done = time.perf_counter()
""" + (REPORT := """
children = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"imports": imported - started, "load": loaded - imported, "startup": loaded - started,
                  "work": done - loaded, "total": done - started, "cpu": time.process_time() - cpu_loaded,
                  "worker_cpu": children.ru_utime + children.ru_stime}))
""")

KG = """
import json, resource, sys, time
started = time.perf_counter()
import spacy
from kg.build import build_graph, make_extractor
from kg.config import DEFAULT_CONFIG
imported = time.perf_counter()
extractor = make_extractor(DEFAULT_CONFIG)
loaded = time.perf_counter()
cpu_loaded = time.process_time()
build_graph([sys.argv[1]], sys.argv[2], extractor=extractor, append=len(sys.argv) > 3)
done = time.perf_counter()
""" + REPORT


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
    """Run a step in its own process; its report, with "pss_mb": the peak of its memory and its
    children's together, each shared page counted once (the sum of Pss, sampled four times a second)."""
    step = subprocess.Popen([sys.executable, "-c", script, *map(str, args)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=REPO)
    peak = [0]
    sampler = threading.Thread(target=_sample_memory, args=(step, peak), daemon=True)
    sampler.start()
    out, err = step.communicate()
    sampler.join()
    if step.returncode != 0:
        raise SystemExit(f"benchmark step failed:\n{err[-3000:]}")
    return {**json.loads(out.strip().splitlines()[-1]), "pss_mb": peak[0] / 1024}


def _sample_memory(step: subprocess.Popen, peak: list[int]) -> None:
    while step.poll() is None:
        peak[0] = max(peak[0], sum(_pss_kb(pid) for pid in _tree(step.pid)))
        time.sleep(0.25)


def _tree(pid: int) -> list[int]:
    pids, k = [pid], 0
    while k < len(pids):
        try:
            for task in Path(f"/proc/{pids[k]}/task").iterdir():
                pids += [int(c) for c in (task / "children").read_text().split()]
        except OSError:
            pass
        k += 1
    return pids


def _pss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:  # gone, or not Linux
        return 0
    return next((int(line.split()[1]) for line in text.splitlines() if line.startswith("Pss:")), 0)


def stages(corpus: Path, out: Path) -> dict[str, float]:
    """One build, stage by stage, in this process (the start-up is timed on its own), after raw
    spaCy (the model alone) has read the same texts in the same process: "spaCy" is its time.
    CPU seconds, which other processes on a shared machine disturb less than wall time."""
    from kg.build import make_extractor, write_views
    from kg.export.rdf import write_rdf_files
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
    write_rdf_files(out, store)  # in a build the views are written beside these, in a forked child
    write_views(out, graph)
    lap("exports", t)
    return seconds


def compare(words: int, rounds: int, tmp: Path, *, with_stages: bool = True) -> None:
    from kg.forked import usable_cores

    corpus = tmp / f"corpus-{words}"
    documents, counted = make_corpus(corpus, words)
    cores = usable_cores()
    print(f"\n## {counted:,} words in {documents:,} documents ({rounds} rounds: raw spaCy in one process, "
          f"kg build, raw spaCy in {cores} processes, alternating)")
    print(f"(seconds; start-up = imports + loading the pipeline. `kg build` reads in {cores} processes, one per core:\n"
          f" the ratios are against spaCy's nlp.pipe in one process (the issue's baseline) and against\n"
          f" nlp.pipe(n_process={cores}); CPU = raw spaCy's CPU against all of ours, the processes' included.\n"
          f" MB: peak memory of all a step's processes together, each shared page counted once (Pss))")
    print(f"{'round':>5} {'spaCy import':>12} {'model load':>10} {'spaCy pipe':>10} {'kg imports':>10} "
          f"{'pipeline load':>13} {'kg build':>8} {'spaCy w/s':>9} {'kg w/s':>6} {'ratio':>5} "
          f"{'incl. start-up':>14} {f'spaCy x{cores} pipe':>13} {f'ratio x{cores}':>8} {'CPU':>5} "
          f"{'spaCy MB':>8} {'kg MB':>5}")
    for r in range(rounds):
        raw = run(RAW, corpus, 1)
        ours = run(KG, corpus, tmp / f"out-{words}-{r}")
        many = run(RAW, corpus, cores)
        print(f"{r + 1:>5} {raw['imports']:>12.2f} {raw['load']:>10.2f} {raw['work']:>10.2f} {ours['imports']:>10.2f} "
              f"{ours['load']:>13.2f} {ours['work']:>8.2f} {counted / raw['work']:>9.0f} {counted / ours['work']:>6.0f} "
              f"{raw['work'] / ours['work']:>5.2f} {raw['total'] / ours['total']:>14.2f} {many['work']:>13.2f} "
              f"{many['work'] / ours['work']:>8.2f} {raw['cpu'] / (ours['cpu'] + ours['worker_cpu']):>5.2f} "
              f"{raw['pss_mb']:>8.0f} {ours['pss_mb']:>5.0f}")
    if not with_stages:
        return
    seconds = stages(corpus, tmp / f"stages-{words}")
    raw = seconds.pop("spaCy")
    total = sum(v for k, v in seconds.items() if k != "start-up")
    print(f"stages (one build in this process, one stage after another, CPU s; `kg build` runs NLP and extraction "
          f"in a process per core and the views beside the RDF files): raw spaCy {raw:.2f} s; kg: " + ", ".join(
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
    first_cpu, second_cpu = (r["cpu"] + r["worker_cpu"] for r in (first, second))  # the processes' included
    print(f"\n## --append: {held:,} reports ({words:,} words), then {added:,} more ({extra_words:,} words)")
    print(f"first build {first['work']:.1f} s ({first_cpu:.1f} s CPU), {first['pss_mb']:.0f} MB peak; "
          f"append {second['work']:.1f} s ({second_cpu:.1f} s CPU), {second['pss_mb']:.0f} MB peak")
    print(f"append / first = {second['work'] / first['work']:.3f} wall, {second_cpu / first_cpu:.3f} CPU "
          f"(proportional to the reports read would be {added / held:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, nargs="+", default=[15_000, 50_000])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-stages", action="store_true", help="skip the in-process stage-by-stage build")
    parser.add_argument("--append", type=int, nargs=2, metavar=("REPORTS", "MORE"),
                        help="only measure a build of REPORTS generated reports and an append of MORE")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kg-bench-build-") as tmp:
        if args.append:
            append(*args.append, Path(tmp))
            return
        for words in args.words:
            compare(words, args.rounds, Path(tmp), with_stages=not args.no_stages)


if __name__ == "__main__":
    main()
