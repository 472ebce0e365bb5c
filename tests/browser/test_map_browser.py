"""The explorer's map view in a real browser: points where their coordinates put them, offline."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from kg.model import Attack, Entity, Place
from tests.browser.conftest import HOSTILE, _ev

pytestmark = pytest.mark.browser

# Four points far apart: north (Erbil), west (Tower 22), south-east (Basra), and a hostile name.
PLACES = {
    "ain-al-asad": Place("ain-al-asad", "dictionary", "an airport table", 33.79, 42.44, "site", "IQ.01", "Anbar"),
    "anbar": Place("anbar", "gazetteer", "GeoNames admin-1 IQ.01", province="IQ.01", province_name="Anbar"),
    "erbil": Place("erbil", "gazetteer", "GeoNames Erbil", 36.19, 44.01, "town", "IQ.11", "Erbil"),
    "tower-22": Place("tower-22", "dictionary", "GeoNames Rukban", 33.31, 38.70, "town", "JO.15", "Mafraq"),
    "basra": Place("basra", "gazetteer", "GeoNames Basrah", 30.51, 47.78, "town", "IQ.02", "Basra"),
    "hostile-place": Place("hostile-place", "gazetteer", HOSTILE, 32.0, 45.0, "town", "IQ.99", HOSTILE),
}


@pytest.fixture
def placed(graph):
    extra = [Entity("erbil", "Erbil", "Location"), Entity("tower-22", "Tower 22", "Base"),
             Entity("basra", "Basra", "Location"), Entity("hostile-place", HOSTILE + " town", "Location")]
    for entity in extra:
        graph.entities[entity.id] = entity
    graph.attacks = [*graph.attacks,
                     Attack("a3", "tower-22", attacker="kataib-hezbollah", date="2024-01-28",
                            evidence=[_ev("d1", "A drone struck Tower 22.", "2024-01-28")]),
                     Attack("a4", "tower-22", date="2024-02-01", evidence=[_ev("d1", "Tower 22 was hit again.")])]
    return replace(graph, places=dict(PLACES))


def _open_map(open_explorer, graph):
    opened = open_explorer(graph)
    opened.page.click("#kg-view-map")
    opened.page.wait_for_function("() => window.kgMap.drawn()")
    return opened


def test_map_points_stand_where_their_coordinates_put_them(open_explorer, placed):
    opened = _open_map(open_explorer, placed)
    assert not opened.page.is_hidden("#kg-map-view") and opened.page.is_hidden("#kg-graph-view")
    points = {p["id"]: p for p in opened.js("kgMap.positions()")}
    assert set(points) == {"ain-al-asad", "erbil", "tower-22", "basra", "hostile-place"}  # Anbar has no point
    view, frame = opened.js("kgMap.view()"), opened.js("kgMap.frame()")
    k = math.cos(math.radians((view["north"] + view["south"]) / 2))
    for p in points.values():
        # Equirectangular: read back from the drawn circle, recomputed here from the coordinates.
        x = frame["left"] + view["ox"] + (p["lon"] - view["west"]) * k * view["scale"]
        y = frame["top"] + view["oy"] + (view["north"] - p["lat"]) * view["scale"]
        assert abs(p["x"] - x) < 1.5 and abs(p["y"] - y) < 1.5, p
        assert frame["left"] <= p["x"] <= frame["left"] + frame["width"]
        assert frame["top"] <= p["y"] <= frame["top"] + frame["height"]
    # Geography, independent of the formula: north is up, east is right, distances keep their ratio.
    assert points["erbil"]["y"] < points["ain-al-asad"]["y"] < points["basra"]["y"]
    assert points["tower-22"]["x"] < points["ain-al-asad"]["x"] < points["erbil"]["x"] < points["basra"]["x"]
    dx = points["basra"]["x"] - points["tower-22"]["x"]
    dy = points["basra"]["y"] - points["erbil"]["y"]
    expected = ((47.78 - 38.70) * k) / (36.19 - 30.51)
    assert abs(dx / dy - expected) < 0.02
    # A point's area grows with the attacks it suffered: Tower 22 (2) > Ain al-Asad (1) > Erbil (0).
    assert points["tower-22"]["r"] > points["ain-al-asad"]["r"] > points["erbil"]["r"]
    assert opened.page.locator("#kg-map .kg-land path").count() >= 10  # the region's country outlines
    assert opened.errors == [] and opened.violations() == []


def test_map_draws_province_outlines_and_each_point_stands_in_its_province(open_explorer, placed):
    opened = _open_map(open_explorer, placed)
    provinces = opened.page.locator("#kg-map .kg-provinces path")
    codes = set(opened.js("[...document.querySelectorAll('#kg-map .kg-provinces path')].map(p => p.dataset.code)"))
    assert provinces.count() > 100 and {"IQ.01", "IQ.11", "IQ.02", "SY.07", "JO.15", "LB.04", "YE.08"} <= codes
    # Under the points: the province layer comes before the points in the SVG's painting order.
    order = opened.js("[...document.querySelector('#kg-map').children].map(g => g.getAttribute('class'))")
    assert order.index("kg-land") < order.index("kg-provinces") < order.index("kg-points")
    # Lighter than the countries: a thinner stroke.
    width = "(sel) => parseFloat(getComputedStyle(document.querySelector(sel)).strokeWidth)"
    assert opened.js(f"({width})('#kg-map .kg-provinces path')") < opened.js(f"({width})('#kg-map .kg-land path')")
    points = {p["id"]: p for p in opened.js("kgMap.positions()")}
    at = lambda pid: opened.js("([x, y]) => kgMap.provincesAt(x, y)", [points[pid]["x"], points[pid]["y"]])  # noqa: E731
    # Each point inside its own province's outline as drawn (point-in-polygon on the painted path), and no other.
    assert at("ain-al-asad") == ["IQ.01"]  # Ain al-Asad, in Anbar
    assert at("erbil") == ["IQ.11"]
    assert at("basra") == ["IQ.02"]
    assert at("tower-22") == ["JO.15"]  # Rukban, in Mafraq
    # The province names itself on hover, as text.
    anbar = opened.page.locator('#kg-map .kg-provinces path[data-code="IQ.01"] > title')
    assert anbar.text_content() == "Anbar, Iraq"
    assert opened.errors == [] and opened.violations() == []


def test_map_click_opens_the_entity_panel_with_where_it_stands(open_explorer, placed):
    opened = _open_map(open_explorer, placed)
    at = next(p for p in opened.js("kgMap.positions()") if p["id"] == "tower-22")
    opened.page.mouse.click(at["x"], at["y"])
    assert opened.page.text_content("#kg-panel-name") == "Tower 22"
    assert "Attacks (2)" in opened.page.text_content("#kg-panel-body")
    where = opened.page.text_content("#kg-where")
    assert "Mafraq" in where and "33.31, 38.70" in where and "dictionary" in where and "Not from a document" in where
    assert not opened.page.is_hidden("#kg-map-view")  # the map stays; the panel opens beside it


def test_map_works_with_the_network_blocked_and_escapes_names(open_explorer, placed, browser):
    opened = open_explorer(placed)
    opened.page.route("**/*", lambda route: route.abort())  # anything past file:// fails from here on
    opened.page.click("#kg-view-map")
    opened.page.wait_for_function("() => window.kgMap.drawn()")
    assert opened.js("kgMap.points()") == 5
    assert opened.page.locator("#kg-map .kg-provinces path").count() > 100  # inlined, not fetched
    assert all(url.startswith("file://") for url in opened.requests), opened.requests
    at = next(p for p in opened.js("kgMap.positions()") if p["id"] == "hostile-place")
    opened.page.mouse.click(at["x"], at["y"])
    assert HOSTILE in opened.page.text_content("#kg-where")  # shown as text
    assert opened.page.locator("#kg-map img, #kg-panel img").count() == 0
    assert opened.js("window.__pwned === undefined")
    assert opened.errors == [] and opened.violations() == []


def test_map_tab_hidden_when_nothing_is_placed(open_explorer, graph):
    opened = open_explorer(graph)
    assert opened.page.is_hidden("#kg-view-map")
