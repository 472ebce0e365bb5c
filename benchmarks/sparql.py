"""SPARQL at 100k and 1M triples: our Oxigraph store (kg.stores, kg.query) against plain rdflib in memory.

    .venv/bin/python benchmarks/sparql.py                      # 1M triples
    .venv/bin/python benchmarks/sparql.py --triples 100000     # quicker

A synthetic build in our ontology (benchmarks/synthetic.py: kg.model -> kg.rdf.graph_to_quads
-> kg.stores.write_build_store, timed as `kg build` would do it) is dumped as N-Quads. Each
engine then runs in its own subprocess, so its peak memory (RSS) is its own: it loads the
same file (Oxigraph bulk-loads it into an on-disk store with `Store.load_file`, two halves at
once and without IRI checks, as for any file we wrote, and reopens it read-only; rdflib
parses it into an in-memory `Dataset(default_union=True)`), then runs every saved query of
ontology/queries, the median of --repeat runs. rdflib gets --rdflib-timeout seconds per
query and is reported as "> timeout" past it; a slow rdflib query is run as often as fits in
30 s. Both engines must give the same number of rows.

Targets at 1M: load < 10 s; every saved query median < 2 s and >= 20x faster than rdflib.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ENTITY_NAME = "Kataib Hezbollah"  # the entity the `entity` saved query asks about (a hub)
TARGET_LOAD, TARGET_QUERY, TARGET_RATIO = 10.0, 2.0, 20.0
RDFLIB_BUDGET = 30.0  # seconds of rdflib runs per query; its median is of the runs that fit


def params_for(name: str) -> dict[str, str]:
    return {"name": ENTITY_NAME} if name == "entity" else {}


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KB on Linux


# ------------------------------------------------------------------ the engines (each in a subprocess)


def run_oxigraph(data: Path, workdir: Path, repeat: int) -> dict:
    from kg.query import run_saved, saved_queries
    from kg.stores import open_store

    path = workdir / "oxigraph"
    started = time.perf_counter()
    store = open_store(path)
    store.load_file(data, format="nquads", lenient=True)  # our own dump: its IRIs were checked when written
    store.flush()
    load = time.perf_counter() - started
    triples = len(store)
    del store
    started = time.perf_counter()
    store = open_store(path, read_only=True)
    reopen = time.perf_counter() - started
    queries = {}
    for name in saved_queries():
        times, rows = [], 0
        for _ in range(repeat):
            started = time.perf_counter()
            rows = len(run_saved(store, name, **params_for(name)).rows)
            times.append(time.perf_counter() - started)
        queries[name] = {"median": statistics.median(times), "runs": len(times), "rows": rows}
    return {"load": load, "reopen": reopen, "triples": triples, "queries": queries, "peak_mb": peak_mb()}


class _Timeout(Exception):
    pass


def run_rdflib(data: Path, repeat: int, timeout: float) -> dict:
    from rdflib import Dataset, Literal

    from kg.query import saved_queries
    from kg.vocab import PREFIXES

    started = time.perf_counter()
    dataset = Dataset(default_union=True)
    dataset.parse(data, format="nquads")
    load = time.perf_counter() - started

    def alarm(signum, frame):
        raise _Timeout

    signal.signal(signal.SIGALRM, alarm)
    queries = {}
    for name, saved in saved_queries().items():
        bindings = {k: Literal(v) for k, v in params_for(name).items()}
        times, rows, timed_out, error_text = [], 0, False, None
        for _ in range(repeat):
            signal.setitimer(signal.ITIMER_REAL, timeout)
            started = time.perf_counter()
            try:
                rows = len(list(dataset.query(saved.text, initNs=PREFIXES, initBindings=bindings)))
            except _Timeout:
                timed_out = True
                break
            except Exception as error:  # noqa: BLE001 (rdflib's own bugs are reported, not fatal)
                error_text = f"{type(error).__name__}: {error}"
                break
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
            times.append(time.perf_counter() - started)
            if sum(times) > RDFLIB_BUDGET:  # a slow query gets as many runs as fit in the budget, at least one
                break
        failed = timed_out or error_text is not None
        queries[name] = {"median": None if failed else statistics.median(times), "runs": len(times),
                         "rows": None if failed else rows, "error": error_text}
    return {"load": load, "reopen": None, "triples": len(dataset), "queries": queries, "peak_mb": peak_mb()}


# ------------------------------------------------------------------ the comparison


def make_data(triples: int, workdir: Path, seed: int) -> tuple[Path, dict]:
    sys.path.insert(0, str(HERE))
    from synthetic import synthetic_graph

    from kg.rdf import graph_to_quads
    from kg.stores import open_build, write_build_store

    started = time.perf_counter()
    graph = synthetic_graph(triples, seed=seed)
    generate = time.perf_counter() - started
    started = time.perf_counter()
    quads = list(graph_to_quads(graph))
    to_quads = time.perf_counter() - started
    started = time.perf_counter()
    write_build_store(workdir / "build", quads)
    write = time.perf_counter() - started
    data = workdir / "graph.nq"
    open_build(workdir / "build").dump(data, format="nquads")
    info = {"quads": len(quads), "entities": len(graph.entities), "documents": len(graph.documents),
            "attacks": len(graph.attacks), "relations": len(graph.relations), "generate": generate,
            "graph_to_quads": to_quads, "write_build_store": write, "bytes": data.stat().st_size}
    return data, info


def engine(name: str, data: Path, workdir: Path, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--engine", name, "--data", str(data), "--workdir", str(workdir),
               "--repeat", str(args.repeat), "--rdflib-timeout", str(args.rdflib_timeout)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"the {name} run failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def seconds(value: float | None, timeout: float | None = None) -> str:
    if value is None:
        return f"> {timeout:g} s" if timeout else "-"
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def ratio(fast: float | None, slow: float | None, timeout: float) -> tuple[str, float | None]:
    if fast is None:
        return "-", None
    if slow is None:
        return f"> {timeout / fast:.0f}x", timeout / fast
    return f"{slow / fast:.1f}x", slow / fast


def report(info: dict, ox: dict, rl: dict, args: argparse.Namespace) -> bool:
    timeout = args.rdflib_timeout
    print(f"\nSPARQL at {info['quads']:,} quads ({ox['triples']:,} in the store): {info['documents']:,} documents, "
          f"{info['entities']:,} entities, {info['relations']:,} relations, {info['attacks']:,} attacks; "
          f"N-Quads file {info['bytes'] / 2**20:.0f} MB")
    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} "
          f"(1/5/15 min, at the end); Oxigraph median of {args.repeat} runs, rdflib up to {args.repeat} "
          f"({timeout:g} s timeout per query)")
    print(f"build path (informative, as `kg build` writes): graph_to_quads {seconds(info['graph_to_quads'])}, "
          f"write_build_store {seconds(info['write_build_store'])}\n")
    big = info["quads"] >= 900_000
    header = ("step", "oxigraph", "rdflib", "rdflib/oxigraph", "rows", "target")
    lines, ok = [], True
    load_ratio, _ = ratio(ox["load"], rl["load"], timeout)
    load_ok = ox["load"] < TARGET_LOAD
    ok &= load_ok or not big
    lines.append(("load (N-Quads file)", seconds(ox["load"]), seconds(rl["load"]), load_ratio, "",
                  f"< {TARGET_LOAD:g} s: {'met' if load_ok else 'MISSED'}"))
    lines.append(("reopen (read-only)", seconds(ox["reopen"]), "-", "", "", ""))
    for name, q in ox["queries"].items():
        r = rl["queries"][name]
        text, value = ratio(q["median"], r["median"], timeout)
        met = q["median"] < TARGET_QUERY and value is not None and value >= TARGET_RATIO
        ok &= met or not big
        rows = f"{q['rows']:,}" if r["rows"] in (None, q["rows"]) else f"{q['rows']:,} vs {r['rows']:,} (DIFFER)"
        ok &= r["rows"] in (None, q["rows"])
        if r.get("error"):
            text, value, rows = "-", None, f"{q['rows']:,}"
            print(f"rdflib failed on {name}: {r['error']}")
        rdflib_time = "error" if r.get("error") else seconds(r["median"], timeout)
        if r["median"] is not None and r["runs"] < args.repeat:
            rdflib_time += f" ({r['runs']} run{'s' if r['runs'] > 1 else ''})"
        lines.append((name, seconds(q["median"]), rdflib_time, text, rows,
                      f"< {TARGET_QUERY:g} s, >= {TARGET_RATIO:g}x: {'met' if met else 'MISSED'}"))
    lines.append(("peak memory (RSS)", f"{ox['peak_mb']:,.0f} MB", f"{rl['peak_mb']:,.0f} MB",
                  f"{rl['peak_mb'] / ox['peak_mb']:.1f}x", "", ""))
    widths = [max(len(str(row[i])) for row in [header, *lines]) for i in range(len(header))]
    for k, row in enumerate([header, None, *lines]):
        if row is None:
            print("  ".join("-" * w for w in widths))
            continue
        print("  ".join(str(cell).ljust(w) for cell, w in zip(row, widths)).rstrip())
    if not big:
        print("\n(the targets are for 1M triples; at this size they are shown, not enforced)")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--triples", type=int, default=1_000_000, help="about how many triples (default 1M)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per query; the median is reported")
    parser.add_argument("--rdflib-timeout", type=float, default=60.0, help="seconds per rdflib query")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--engine", choices=["oxigraph", "rdflib"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.engine == "oxigraph":
        print(json.dumps(run_oxigraph(args.data, args.workdir, args.repeat)))
        return 0
    if args.engine == "rdflib":
        print(json.dumps(run_rdflib(args.data, args.repeat, args.rdflib_timeout)))
        return 0

    with tempfile.TemporaryDirectory(prefix="kg-sparql-bench-") as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        print(f"generating about {args.triples:,} triples ...", file=sys.stderr)
        data, info = make_data(args.triples, workdir, args.seed)
        print("oxigraph ...", file=sys.stderr)
        ox = engine("oxigraph", data, workdir, args)
        print("rdflib ...", file=sys.stderr)
        rl = engine("rdflib", data, workdir, args)
        ok = report(info, ox, rl, args)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
