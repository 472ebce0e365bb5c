"""Fixtures for the browser tests: Debian's chromium driven by playwright, offline, from file://.

Every test here skips, with the reason, when /usr/bin/chromium or the playwright package is missing
(.ci/install-browser.sh installs both). Playwright's own browser download is never used.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from kg.export.html import write_explorer
from kg.model import ENTITY_TYPES, RELATION_TYPES, Attack, Document, Entity, Evidence, Graph, Relation

CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run", "--disable-sync",
]
HOSTILE = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SENTENCE = "<script>window.__pwned=2</script> the statement said."
HOSTILE_DOC = '<b onmouseover="window.__pwned=4">forum</b>'

# Collected from the first script that runs in each page (init scripts are not held to the page's CSP).
WATCH = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "") + " " + (e.sample || ""));
});
"""


def _chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
    if path is None:
        pytest.skip("Debian's chromium is not installed (run .ci/install-browser.sh)")
    return path


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright import sync_api
    except ImportError as missing:  # absent, or installed without a working greenlet
        pytest.skip(f"playwright is not installed (run .ci/install-browser.sh): {missing}")
    executable = _chromium()
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@dataclass
class Opened:
    """A page opened from file://, with what it asked of the network and what went wrong in it."""

    page: object
    path: Path
    requests: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def js(self, expression: str, arg=None):
        return self.page.evaluate(expression, arg)

    def violations(self) -> list[str]:
        return self.page.evaluate("window.__cspViolations")


@pytest.fixture
def open_explorer(browser, tmp_path) -> Iterator[Callable[..., Opened]]:
    """open_explorer(graph, bypass_csp=False, **write_explorer_kwargs) -> Opened, ready to use."""
    contexts = []

    def open_(graph: Graph, *, bypass_csp: bool = False, name: str = "explorer.html", **kwargs) -> Opened:
        path = write_explorer(graph, tmp_path / name, **kwargs)
        context = browser.new_context(offline=True, bypass_csp=bypass_csp, viewport={"width": 1400, "height": 900})
        contexts.append(context)
        context.add_init_script(WATCH)
        page = context.new_page()
        opened = Opened(page, path)
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("pageerror", lambda e: opened.errors.append(str(e)))
        page.on("console", lambda m: m.type == "error" and opened.errors.append(m.text))
        page.goto(path.as_uri())
        page.wait_for_function("() => Boolean(window.kgExplorer && window.kgExplorer.ready)", timeout=120_000)
        return opened

    yield open_
    for context in contexts:
        context.close()


def _ev(doc: str, sentence: str, date: str | None = None, hedged: bool = False) -> Evidence:
    return Evidence(doc=doc, sentence=sentence, start=0, end=len(sentence), date=date, hedged=hedged)


@pytest.fixture
def payloads() -> dict[str, str]:
    """The hostile strings that `graph` carries, each of which would set window.__pwned if it ran."""
    return {"name": HOSTILE, "sentence": HOSTILE_SENTENCE, "doc_title": HOSTILE_DOC}


@pytest.fixture
def graph() -> Graph:
    entities = [
        Entity("kataib-hezbollah", "Kataib Hezbollah", "Militia", aliases=["KH", "Kata'ib Hizballah"], qid="Q1754411", mentions=12),
        Entity("iran", "Iran", "State", aliases=["Islamic Republic of Iran"], qid="Q794", mentions=9),
        Entity("ain-al-asad", "Ain al-Asad", "Base", aliases=["Al Asad Airbase"], mentions=4),
        Entity("anbar", "Anbar", "Location", mentions=2),
        Entity("muhandis", "Abu Mahdi al-Muhandis", "Official", aliases=["al-Muhandis"], mentions=3),
        Entity("un", "United Nations", "Organization", aliases=["UN"], mentions=1),
        Entity("hostile", HOSTILE, "Militia", aliases=["<script>window.__pwned=3</script>"],
               qid="javascript:window.__pwned=8", mentions=1),
    ]
    documents = [
        Document("d1", "wire.jsonl", "", title="KH strikes", date="2019-12-30", url="https://example.org/kh"),
        Document("d2", "forum.txt", "", title=HOSTILE_DOC, date="2020-01-03", url="javascript:window.__pwned=5"),
    ]
    return Graph(
        entities={e.id: e for e in entities},
        relations=[
            Relation("kataib-hezbollah", "backedBy", "iran",
                     [_ev("d1", "Kataib Hezbollah is backed by Iran.", "2019-12-30")]),
            Relation("muhandis", "leaderOf", "kataib-hezbollah", [_ev("d1", "Al-Muhandis leads KH.", "2019-12-30")]),
            Relation("ain-al-asad", "locatedIn", "anbar", [_ev("d1", "Ain al-Asad lies in Anbar.", "2019-12-30")]),
            Relation("un", "condemned", "kataib-hezbollah",
                     [_ev("d2", "The UN is said to have condemned the group.", "2020-01-03", hedged=True)]),
            Relation("hostile", "backedBy", "iran", [_ev("d2", HOSTILE_SENTENCE, "2020-01-03", hedged=True)]),
        ],
        attacks=[
            Attack("a1", "ain-al-asad", attacker="kataib-hezbollah", date="2020-01-08", weapon="rockets", wounded=2,
                   place="anbar", evidence=[_ev("d1", "KH fired rockets at Ain al-Asad.", "2020-01-08")]),
            Attack("a2", "iran", claimed_by=["hostile"], date="2020-01-03", weapon='<svg onload="window.__pwned=6">',
                   evidence=[_ev("d2", '<img src=x onerror="window.__pwned=7">', "2020-01-03")]),
        ],
        documents=documents,
    )


@pytest.fixture
def tree_graph() -> Callable[[int], Graph]:
    """tree_graph(n): n entities in a ternary tree, entity i linked to (i - 1) // 3."""
    return _tree_graph


def _tree_graph(n: int) -> Graph:
    entities = {f"e{i}": Entity(f"e{i}", f"Group {i}", ENTITY_TYPES[i % 6], aliases=[f"G{i}"]) for i in range(n)}
    relations = [
        Relation(f"e{i}", RELATION_TYPES[i % 6], f"e{(i - 1) // 3}", [_ev("d", f"Group {i} and Group {(i - 1) // 3}.", "2021-05-01")])
        for i in range(1, n)
    ]
    return Graph(entities=entities, relations=relations, documents=[Document("d", "synthetic", "", title="Synthetic")])
