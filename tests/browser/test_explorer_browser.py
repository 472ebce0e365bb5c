"""The explorer in a real browser: Debian's chromium, offline, the page opened from file://."""

from __future__ import annotations

import pytest

from kg.export.html import FIRST_VIEW, PHYSICS_LIMIT

pytestmark = pytest.mark.browser


def _panel_name(opened) -> str:
    return opened.page.text_content("#kg-panel-name")


def _click_node(opened, entity_id: str) -> None:
    """A real mouse click at the node's place on screen."""
    at = opened.js("(id) => kgExplorer.domPosition(id)", entity_id)
    assert at is not None, f"{entity_id} is not drawn"
    opened.page.mouse.click(at["x"], at["y"])


def test_explorer_opens_offline_with_legend(open_explorer, graph):
    opened = open_explorer(graph)
    assert all(url.startswith("file://") for url in opened.requests), opened.requests
    assert opened.errors == []
    assert opened.violations() == []
    assert opened.js("kgExplorer.visibleNodeIds().length") == len(graph.entities)
    assert opened.js("kgExplorer.firstDrawMs") > 0
    types = opened.page.locator("#kg-type-filters label").all_text_contents()
    assert [t.split("(")[0].strip(" \u25cf\u25b2\u25a0\u25c6\u2b22\u25bc") for t in types] == [
        "Militia", "Official", "Base", "State", "Organization", "Location",
    ]
    relations = opened.page.locator("#kg-relation-filters label").all_text_contents()
    assert [r.split(" (")[0].strip() for r in relations] == [
        "backedBy", "attacked", "claimed", "condemned", "leaderOf", "locatedIn",
    ]
    assert "Showing 7 of 7 entities" in opened.page.text_content("#kg-status")


def test_explorer_search_suggests_by_alias_and_focuses(open_explorer, graph):
    opened = open_explorer(graph)
    page = opened.page
    page.fill("#kg-search", "kh")
    options = page.locator("#kg-suggest li")
    options.first.wait_for()
    assert options.first.get_attribute("data-entity") == "kataib-hezbollah"
    assert "alias \u201cKH\u201d" in options.first.text_content()
    page.press("#kg-search", "Enter")
    assert _panel_name(opened) == "Kataib Hezbollah"
    assert opened.js("kgExplorer.selected()") == "kataib-hezbollah"
    index = opened.js("kgExplorer.indexOf('kataib-hezbollah')")
    assert opened.js("kgExplorer.network.getSelectedNodes()") == [index]

    page.fill("#kg-search", "airbase")
    page.locator("#kg-suggest li").first.wait_for()
    page.locator("#kg-suggest li").first.dispatch_event("mousedown")
    assert _panel_name(opened) == "Ain al-Asad"


def test_explorer_filters_by_type_relation_and_date(open_explorer, graph):
    opened = open_explorer(graph)
    page = opened.page
    page.uncheck('#kg-type-filters input[data-type="State"]')
    assert "iran" not in opened.js("kgExplorer.visibleNodeIds()")
    assert opened.js("kgExplorer.nodes.get(kgExplorer.indexOf('iran'))") is None
    page.check('#kg-type-filters input[data-type="State"]')
    assert "iran" in opened.js("kgExplorer.visibleNodeIds()")

    edges = opened.js("kgExplorer.visibleEdgeCount()")
    page.uncheck('#kg-relation-filters input[data-predicate="backedBy"]')
    assert opened.js("kgExplorer.visibleEdgeCount()") == edges - 2
    page.check('#kg-relation-filters input[data-predicate="backedBy"]')

    page.fill("#kg-date-from", "2020-01-05")
    page.dispatch_event("#kg-date-from", "change")
    assert sorted(opened.js("kgExplorer.visibleNodeIds()")) == ["ain-al-asad", "kataib-hezbollah"]
    page.click("#kg-reset")
    assert len(opened.js("kgExplorer.visibleNodeIds()")) == len(graph.entities)


def test_explorer_click_opens_evidence_panel(open_explorer, graph):
    opened = open_explorer(graph)
    _click_node(opened, "iran")
    panel = opened.page.locator("#kg-panel")
    panel.wait_for(state="visible")
    assert _panel_name(opened) == "Iran"
    assert opened.page.get_attribute("#kg-panel a.kg-wikidata", "href") == "https://www.wikidata.org/wiki/Q794"
    facts = opened.page.text_content("#kg-panel .kg-facts")
    assert "State" in facts and "2 linked entities" in facts
    # the relations and their evidence lead; the aliases come last, folded
    order = opened.js("""Array.from(document.querySelectorAll('#kg-panel-body > *'), (n) => n.id || n.tagName)""")
    assert order.index("kg-relations") < order.index("kg-aliases") == len(order) - 1
    aliases = opened.page.locator("#kg-aliases")
    assert aliases.get_attribute("open") is None and not opened.page.is_visible("#kg-aliases p")
    assert "Also known as (1)" in aliases.locator("summary").text_content()
    aliases.locator("summary").click()
    assert opened.page.text_content("#kg-aliases p") == "Islamic Republic of Iran"
    relations = opened.page.locator("#kg-relations .kg-rel")
    heads = relations.locator(".kg-rel-head").all_text_contents()
    assert "Kataib Hezbollah backedBy Iran" in heads
    block = relations.filter(has_text="Kataib Hezbollah backedBy Iran")
    assert block.locator("blockquote").text_content() == "Kataib Hezbollah is backed by Iran."
    cite = block.locator(".kg-cite").text_content()
    assert "KH strikes" in cite and "2019-12-30" in cite
    assert block.locator(".kg-cite a").get_attribute("href") == "https://example.org/kh"

    # a relation's other end is a link to that entity
    block.locator("button.kg-link", has_text="Kataib Hezbollah").click()
    assert _panel_name(opened) == "Kataib Hezbollah"
    assert opened.page.locator("#kg-panel .kg-hedged").count() == 1  # UN condemned: hedged


@pytest.mark.parametrize("bypass_csp", [False, True], ids=["with-csp", "escaping-alone"])
def test_explorer_text_from_documents_never_runs(open_explorer, graph, payloads, bypass_csp):
    opened = open_explorer(graph, bypass_csp=bypass_csp)
    page = opened.page
    assert page.title() == "militia-kg explorer"

    _click_node(opened, "hostile")
    assert _panel_name(opened) == payloads["name"]
    assert payloads["sentence"] in page.text_content("#kg-panel")
    assert payloads["doc_title"] in page.text_content("#kg-panel")
    assert page.locator("#kg-panel a.kg-wikidata").count() == 0  # its qid was not a QID
    assert page.locator("#kg-panel .kg-cite a").count() == 0  # javascript: urls are not links

    at = opened.js("(id) => kgExplorer.domPosition(id)", "hostile")
    page.mouse.move(at["x"] + 1, at["y"] + 1)
    tooltip = page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")
    assert payloads["name"] in tooltip.inner_text()
    assert tooltip.locator("*:not(br)").count() == 0  # innerText turns newlines into <br>, nothing else

    page.fill("#kg-search", "<script")
    page.locator("#kg-suggest li").first.wait_for()
    assert "<script>window.__pwned=3</script>" in page.text_content("#kg-suggest")
    page.press("#kg-search", "Enter")

    page.click("#kg-view-attacks")
    assert '<svg onload="window.__pwned=6">' in page.text_content("#kg-attacks")
    assert '<img src=x onerror="window.__pwned=7">' in page.text_content("#kg-attacks")
    page.wait_for_timeout(200)

    # The map view's own <svg id="kg-map"> is the page's; no other may appear, nor anything inside it but drawing.
    assert page.locator("img, svg:not(#kg-map), #kg-map foreignObject, #kg-panel script, #kg-attacks script, iframe").count() == 0
    assert opened.js("window.__pwned === undefined")
    assert opened.errors == []
    assert opened.violations() == []


def test_explorer_ego_view_from_python_and_in_page(open_explorer, graph):
    opened = open_explorer(graph, focus="kh", hops=1)
    assert opened.js("kgExplorer.selected()") == "kataib-hezbollah"
    assert _panel_name(opened) == "Kataib Hezbollah"
    assert sorted(opened.js("kgExplorer.visibleNodeIds()")) == ["ain-al-asad", "iran", "kataib-hezbollah", "muhandis", "un"]
    assert "Ego graph of Kataib Hezbollah, 1 hops" in opened.page.text_content("#kg-size-note")

    whole = open_explorer(graph, name="whole.html")
    _click_node(whole, "anbar")
    whole.page.click("#kg-ego")
    assert sorted(whole.js("kgExplorer.visibleNodeIds()")) == ["ain-al-asad", "anbar", "kataib-hezbollah"]
    assert "ego view of Anbar (2 hops)" in whole.page.text_content("#kg-status")
    whole.page.click("#kg-whole")
    assert len(whole.js("kgExplorer.visibleNodeIds()")) == len(graph.entities)


def test_explorer_attacks_timeline(open_explorer, graph):
    opened = open_explorer(graph)
    page = opened.page
    page.click("#kg-view-attacks")
    rows = page.locator("#kg-attacks tbody tr")
    assert rows.count() == 2
    assert [rows.nth(i).get_attribute("data-attack") for i in range(2)] == ["a2", "a1"]  # by date
    cells = rows.nth(1).locator("td").all_text_contents()
    assert cells[0] == "2020-01-08"
    assert cells[1] == "Kataib Hezbollah" and cells[2] == "Ain al-Asad" and cells[3] == "rockets"
    assert cells[4] == "Anbar" and cells[5] == "2 wounded"
    assert "KH fired rockets at Ain al-Asad." in cells[6] and "KH strikes" in cells[6]
    assert "claimed by" in rows.nth(0).locator("td").nth(1).text_content()

    opened.js("kgExplorer.setDateRange('2020-01-05', null)")
    assert rows.count() == 1

    rows.first.locator("button.kg-link", has_text="Ain al-Asad").click()
    assert page.is_visible("#kg-graph-view") and not page.is_visible("#kg-attacks-view")
    assert _panel_name(opened) == "Ain al-Asad"


def test_explorer_large_graph_shows_top_entities_and_expands(open_explorer, tree_graph):
    n = PHYSICS_LIMIT + 1000
    opened = open_explorer(tree_graph(n))
    assert opened.errors == []
    data_meta = opened.js("kgExplorer.data.meta")
    assert data_meta["physics"] is False and data_meta["firstView"] == FIRST_VIEW
    shown = opened.js("kgExplorer.visibleNodeIds()")
    first = opened.js(f"kgExplorer.data.nodes.slice(0, {FIRST_VIEW}).map((n) => n.id)")
    assert sorted(shown) == sorted(first), "the first view is the most connected"
    assert opened.js("kgExplorer.labelPx()") >= 11

    last = f"e{n - 1}"
    assert last not in shown
    opened.page.fill("#kg-search", f"group {n - 1}")
    opened.page.locator("#kg-suggest li").first.wait_for()
    opened.page.press("#kg-search", "Enter")
    assert opened.js("kgExplorer.selected()") == last
    assert last in opened.js("kgExplorer.visibleNodeIds()")

    parent = f"e{(n - 2) // 3}"
    assert parent not in opened.js("kgExplorer.visibleNodeIds()")
    assert opened.js("(id) => kgExplorer.expand(id)", last) == 1
    assert parent in opened.js("kgExplorer.visibleNodeIds()")

    opened.page.click("#kg-more")
    assert len(opened.js("kgExplorer.visibleNodeIds()")) >= 2 * FIRST_VIEW
    opened.page.click("#kg-all")
    assert len(opened.js("kgExplorer.visibleNodeIds()")) == n
    assert not opened.page.is_visible("#kg-more")
    assert opened.js("kgExplorer.timeRedraw(3)")["median"] > 0
