"""Measure the HTML explorer in headless Chromium at 200, 2,000 and 10,000 synthetic entities.

For each size it builds a synthetic graph, renders the page (timing the Python side, and the
layout alone), opens it from file:// and reports:

    file MB         the page's size
    first paint ms  navigation start to vis-network's first frame
    ready ms        navigation start to a stable, clickable graph (small graphs: physics settled)
    shown           entities drawn at first (level of detail: the most connected first)
    redraw ms       median of synchronous network.redraw() calls on the first view
    select ms       selecting an entity (filters, panel, focus) as seen from Python
    zoomed redraw   redraw once zoomed in on the selected entity
    all redraw ms   redraw of the whole graph after "Show all", zoomed to fit
    net req         requests that were not file:// (must be 0)

    .venv/bin/python benchmarks/explorer.py            # 200, 2000, 10000
    .venv/bin/python benchmarks/explorer.py 500 5000   # other sizes

Needs Debian's chromium (/usr/bin/chromium) and the playwright package; see .ci/install-browser.sh.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from kg.export.explorer.layout import layout
from kg.export.html import explorer_html
from kg.model import ENTITY_TYPES, RELATION_TYPES, Attack, Document, Entity, Evidence, Graph, Relation

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
TYPE_WEIGHTS = (30, 15, 10, 5, 15, 25)  # Militia, Official, Base, State, Organization, Location


def synthetic_graph(n: int, *, seed: int = 1, edges_per_node: int = 2) -> Graph:
    """A scale-free graph of `n` entities, about `edges_per_node` relations each, with evidence and attacks."""
    rng = random.Random(seed)
    entities = {}
    for i in range(n):
        kind = rng.choices(ENTITY_TYPES, weights=TYPE_WEIGHTS)[0]
        eid = f"e{i}"
        entities[eid] = Entity(
            id=eid,
            name=f"{kind} {i}",
            type=kind,
            aliases=[f"{kind[:3].upper()}{i}"] if rng.random() < 0.3 else [],
            qid=f"Q{1000 + i}" if rng.random() < 0.5 else None,
            mentions=rng.randint(1, 40),
        )
    docs = [
        Document(id=f"d{k}", source="synthetic", text="", title=f"Report {k}",
                 date=f"{rng.randint(2019, 2024)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}")
        for k in range(max(1, n // 5))
    ]

    def evidence(sentence: str) -> list[Evidence]:
        out = []
        for _ in range(rng.choice((1, 1, 2))):
            doc = rng.choice(docs)
            out.append(Evidence(doc=doc.id, sentence=sentence, start=0, end=len(sentence),
                                date=doc.date, hedged=rng.random() < 0.15))
        return out

    relations = []
    seen = set()
    targets: list[int] = []  # preferential attachment: one entry per edge end
    for i in range(1, n):
        pool = targets or [0]
        for _ in range(min(i, edges_per_node)):
            j = rng.choice(pool) if rng.random() < 0.8 else rng.randrange(i)
            predicate = rng.choice(RELATION_TYPES)
            s, o = (f"e{i}", f"e{j}") if rng.random() < 0.5 else (f"e{j}", f"e{i}")
            if (s, predicate, o) in seen or s == o:
                continue
            seen.add((s, predicate, o))
            relations.append(Relation(s, predicate, o, evidence(f"{entities[s].name} {predicate} {entities[o].name}.")))
            targets += [i, j]
    attacks = []
    for k in range(n // 10):
        attacker, target = rng.sample(range(n), 2)
        date = rng.choice(docs).date
        attacks.append(Attack(id=f"a{k}", target=f"e{target}", attacker=f"e{attacker}", date=date,
                              weapon=rng.choice(("rockets", "drone", "IED", None)),
                              killed=rng.choice((None, 0, 1, 3)),
                              evidence=evidence(f"Attack on {entities[f'e{target}'].name}.")))
    return Graph(entities=entities, relations=relations, attacks=attacks, documents=docs)


def measure(n: int, folder: Path, browser) -> dict:
    graph = synthetic_graph(n)
    started = time.perf_counter()
    page_html = explorer_html(graph, title=f"synthetic {n}")
    build_s = time.perf_counter() - started
    path = folder / f"explorer-{n}.html"
    path.write_text(page_html, encoding="utf-8")

    import numpy as np

    degree = Counter(e for r in graph.relations for e in (r.subject, r.object))
    index = {eid: i for i, eid in enumerate(sorted(graph.entities, key=lambda e: -degree[e]))}
    pairs = np.array([(index[r.subject], index[r.object]) for r in graph.relations]).reshape(-1, 2)
    started = time.perf_counter()
    layout(n, pairs)
    layout_s = time.perf_counter() - started

    page = browser.new_page(viewport={"width": 1400, "height": 900})
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri())
    page.wait_for_function("() => Boolean(window.kgExplorer && window.kgExplorer.ready)", timeout=300_000)
    first_paint = page.evaluate("kgExplorer.firstDrawMs")
    ready = page.evaluate("kgExplorer.readyMs")
    shown = page.evaluate("kgExplorer.visibleNodeIds().length")
    redraw = page.evaluate("kgExplorer.timeRedraw(15)")
    started = time.perf_counter()
    page.evaluate("kgExplorer.select('e0', {animate: false})")
    select_ms = (time.perf_counter() - started) * 1000
    redraw_zoomed = page.evaluate("kgExplorer.timeRedraw(15)")
    redraw_all = None
    if shown < n:
        page.evaluate("kgExplorer.showAll()")
        page.wait_for_function("() => !kgExplorer.busy", timeout=300_000)  # small graphs: physics settles them
        page.evaluate("kgExplorer.fit()")
        redraw_all = page.evaluate("kgExplorer.timeRedraw(10)")
    outside = [u for u in requests if not u.startswith("file:")]
    page.close()
    return {
        "nodes": n,
        "edges": len(graph.relations),
        "size_mb": path.stat().st_size / 1e6,
        "build_s": build_s,
        "layout_s": layout_s,
        "first_paint_ms": first_paint,
        "ready_ms": ready,
        "shown": shown,
        "redraw_ms": redraw["median"],
        "select_ms": select_ms,
        "redraw_zoomed_ms": redraw_zoomed["median"],
        "redraw_all_ms": redraw_all["median"] if redraw_all else None,
        "network_requests": len(outside),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[200, 2000, 10000])
    parser.add_argument("--keep", type=Path, help="write the pages into this folder and keep them")
    args = parser.parse_args(argv)
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: run .ci/install-browser.sh", file=sys.stderr)
        return 2
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("playwright is missing: run .ci/install-browser.sh", file=sys.stderr)
        return 2

    folder = args.keep or Path(tempfile.mkdtemp(prefix="kg-explorer-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            try:
                for n in args.sizes:
                    rows.append(measure(n, folder, browser))
                    print(f"measured {n} nodes", file=sys.stderr)
            finally:
                browser.close()
    finally:
        if args.keep is None:
            shutil.rmtree(folder, ignore_errors=True)

    header = ("nodes", "edges", "file MB", "build s", "layout s", "first paint ms", "ready ms",
              "shown", "redraw ms", "select ms", "zoomed redraw ms", "all redraw ms", "net req")
    table = [
        (f"{r['nodes']:,}", f"{r['edges']:,}", f"{r['size_mb']:.2f}", f"{r['build_s']:.2f}", f"{r['layout_s']:.2f}",
         f"{r['first_paint_ms']:.0f}", f"{r['ready_ms']:.0f}", f"{r['shown']:,}", f"{r['redraw_ms']:.1f}",
         f"{r['select_ms']:.0f}", f"{r['redraw_zoomed_ms']:.1f}", "-" if r["redraw_all_ms"] is None else f"{r['redraw_all_ms']:.1f}",
         str(r["network_requests"]))
        for r in rows
    ]
    widths = [max(len(h), *(len(row[k]) for row in table)) for k, h in enumerate(header)]
    print(" | ".join(h.rjust(w) for h, w in zip(header, widths)))
    print("-+-".join("-" * w for w in widths))
    for row in table:
        print(" | ".join(c.rjust(w) for c, w in zip(row, widths)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
