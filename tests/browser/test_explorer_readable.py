"""What an analyst sees on opening the explorer: a legible first view, a fitted ego view, and a
search box that finds every spelling the CLI resolves. Chromium, offline, from file://."""

from __future__ import annotations

import re

import pytest

from kg.export.html import FIRST_VIEW
from kg.model import Entity

pytestmark = pytest.mark.browser

MIN_LABEL_PX = 11  # the smallest label, in CSS pixels on screen, an analyst reads without zooming
MIN_EDGE_PX = 1.5

# What vis-network actually draws, read from its own node and edge objects, not from our API.
DRAWN = """() => {
  const net = kgExplorer.network, scale = net.getScale();
  const ids = kgExplorer.nodes.getIds(), edges = kgExplorer.edges.getIds();
  return {
    scale: scale,
    labelPx: Math.min(...ids.map((i) => net.body.nodes[i].options.font.size * scale)),
    edgePx: edges.length ? Math.min(...edges.map((j) => net.body.edges[j].options.width * scale)) : null,
  };
}"""


def _clipped(opened) -> list[str]:
    """The names whose drawn box (shape and label) reaches outside the canvas."""
    boxes = opened.js("kgExplorer.labelBoxes()")
    c = boxes["canvas"]
    return [n["name"] for n in boxes["nodes"]
            if n["left"] < c["left"] or n["right"] > c["right"] or n["top"] < c["top"] or n["bottom"] > c["bottom"]]


def _with_loners(graph, count: int):
    for i in range(count):
        graph.entities[f"lone{i}"] = Entity(f"lone{i}", f"Lone place {i}", "Location", mentions=40)
    return graph


def test_first_view_shows_the_most_connected_legibly(open_explorer, tree_graph):
    graph = _with_loners(tree_graph(FIRST_VIEW + 50), 30)
    opened = open_explorer(graph)
    assert opened.errors == []
    shown = opened.js("kgExplorer.visibleNodeIds()")
    first = opened.js(f"kgExplorer.data.nodes.slice(0, {FIRST_VIEW}).map((n) => n.id)")
    assert sorted(shown) == sorted(first)
    assert not any(s.startswith("lone") for s in shown), "entities with no relation wait behind the toggle"
    drawn = opened.js(DRAWN)
    assert drawn["labelPx"] >= MIN_LABEL_PX, drawn
    assert drawn["edgePx"] >= MIN_EDGE_PX, drawn
    assert "Showing 60 of 140 entities" in opened.page.text_content("#kg-status")

    opened.page.check("#kg-isolated")
    shown = opened.js("kgExplorer.visibleNodeIds()")
    assert sum(s.startswith("lone") for s in shown) == 30
    opened.page.uncheck("#kg-isolated")
    assert not any(s.startswith("lone") for s in opened.js("kgExplorer.visibleNodeIds()"))

    opened.page.fill("#kg-search", "Lone place 7")  # search still finds a hidden loner
    opened.page.locator("#kg-suggest li").first.wait_for()
    opened.page.press("#kg-search", "Enter")
    assert "lone7" in opened.js("kgExplorer.visibleNodeIds()")
    assert opened.errors == []


def test_ego_view_is_centred_and_clips_no_label(open_explorer, tree_graph):
    graph = tree_graph(200)
    graph.entities["e0"] = Entity("e0", "Islamic Resistance Coordination Committee of Iraq", "Militia")
    opened = open_explorer(graph, focus="e0", hops=3)
    assert opened.js("kgExplorer.selected()") == "e0"
    assert opened.page.is_visible("#kg-panel")
    assert len(opened.js("kgExplorer.visibleNodeIds()")) == 40
    assert _clipped(opened) == []
    boxes = opened.js("kgExplorer.labelBoxes()")
    c = boxes["canvas"]
    left = min(n["left"] for n in boxes["nodes"]) - c["left"]
    right = c["right"] - max(n["right"] for n in boxes["nodes"])
    top = min(n["top"] for n in boxes["nodes"]) - c["top"]
    bottom = c["bottom"] - max(n["bottom"] for n in boxes["nodes"])
    assert abs(left - right) <= 2 and abs(top - bottom) <= 2, "centred"
    assert min(left + right, top + bottom) <= 60, "fitted: it fills the canvas one way"


# ---------------------------------------------------------------- the example build


@pytest.fixture(scope="module")
def example(example_build):
    from kg.held import read_build_graph
    from kg.knowledge_graph import KnowledgeGraph

    out, _ = example_build
    return read_build_graph(out), KnowledgeGraph.open(out)


def test_example_first_view_is_legible(open_explorer, example, tmp_path):
    graph, _ = example
    opened = open_explorer(graph)
    assert opened.errors == []
    meta = opened.js("kgExplorer.data.meta")
    shown = opened.js("kgExplorer.visibleNodeIds()")
    assert 0 < len(shown) == min(FIRST_VIEW, meta["connected"])
    assert meta["isolated"] > 0 and opened.page.is_visible("#kg-isolated-box")
    degree = {n["id"]: n["degree"] for n in opened.js("kgExplorer.data.nodes")}
    assert all(degree[s] > 0 for s in shown)
    drawn = opened.js(DRAWN)
    assert drawn["labelPx"] >= MIN_LABEL_PX, drawn
    assert drawn["edgePx"] >= MIN_EDGE_PX, drawn
    hub = max(shown, key=lambda s: degree[s])
    box = next(n for n in opened.js("kgExplorer.labelBoxes()")["nodes"] if n["id"] == hub)
    assert hub not in _clipped(opened), f"the best connected entity, {box['name']}, is on screen"
    opened.page.screenshot(path=str(tmp_path / "first-view.png"))


def test_example_ego_view_clips_no_label(open_explorer, example):
    graph, _ = example
    opened = open_explorer(graph, focus="Kataib Hezbollah", hops=2)
    assert opened.js("kgExplorer.selected()") == opened.js("kgExplorer.data.nodes[kgExplorer.data.meta.focus].id")
    assert len(opened.js("kgExplorer.visibleNodeIds()")) > 5
    assert _clipped(opened) == []
    assert opened.js(DRAWN)["labelPx"] >= MIN_LABEL_PX


def _spellings(name: str) -> set[str]:
    """The ways an analyst might type `name`: as written, in capitals, without hyphens or the
    article, and with the vowels of another transliteration."""
    out = {name, name.upper(), name.replace("-", " "), re.sub(r"\bal-", "", name)}
    for a, b in (("e", "i"), ("i", "e"), ("o", "a"), ("a", "e"), ("ou", "u"), ("ah", "a")):
        if a in name:
            out.add(name.replace(a, b, 1))
    return out


def test_example_search_finds_every_spelling_the_cli_resolves(open_explorer, example):
    from kg.errors import NoSuchEntity

    graph, kg = example
    opened = open_explorer(graph)
    spellings = {"Kataeb Hizbollah", "kata'ib hizballah", "Q794"}
    for ent in graph.entities.values():
        for label in (ent.name, *ent.aliases):
            spellings |= _spellings(label)
    expected = {}
    for text in sorted(spellings):
        try:
            expected[text] = kg.entity(text).id
        except NoSuchEntity:
            continue
    assert expected["Kataeb Hizbollah"] == kg.entity("Kataib Hezbollah").id
    found = opened.js("""(texts) => texts.map((t) => {
        const s = kgExplorer.suggest(t, 1)[0];
        return s ? [s.id, s.resolves] : null;
    })""", list(expected))
    wrong = {text: (want, got) for (text, want), got in zip(expected.items(), found) if got != [want, True]}
    assert wrong == {}, f"{len(wrong)} of {len(expected)} spellings differ"
    assert len(expected) > 500

    page = opened.page
    page.fill("#kg-search", "Kataeb Hizbollah")
    page.locator("#kg-suggest li").first.wait_for()
    assert page.locator("#kg-suggest li").first.get_attribute("data-entity") == expected["Kataeb Hizbollah"]
    page.press("#kg-search", "Enter")
    assert page.text_content("#kg-panel-name") == "Kataib Hezbollah"
