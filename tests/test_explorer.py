"""kg.export.html: the page's structure, its escaping, its focus/ego view and its layout.

The browser tests in tests/browser/ open the same pages in Chromium.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import re
import time
from html.parser import HTMLParser

import numpy as np
import pytest

from kg.errors import NoSuchEntity
from kg.names import NameIndex, normalise_name
from kg.export import html as explorer
from kg.export.explorer.layout import layout
from kg.export.html import FIRST_VIEW, PHYSICS_LIMIT, explorer_html, write_explorer
from kg.model import ENTITY_TYPES, RELATION_TYPES, Attack, Document, Entity, Evidence, Graph, Relation

HOSTILE = '<img src=x onerror="window.__pwned=1">'
HOSTILE_SENTENCE = "<script>window.__pwned=2</script> said the statement."


def _ev(doc: str, sentence: str, date: str | None = None, hedged: bool = False) -> Evidence:
    return Evidence(doc=doc, sentence=sentence, start=0, end=len(sentence), date=date, hedged=hedged)


@pytest.fixture
def graph() -> Graph:
    entities = [
        Entity("kataib-hezbollah", "Kataib Hezbollah", "Militia", aliases=["KH", "Kata'ib Hizballah"], mentions=12),
        Entity("iran", "Iran", "State", aliases=["Islamic Republic of Iran"], qid="Q794", mentions=9),
        Entity("ain-al-asad", "Ain al-Asad", "Base", aliases=["Al Asad Airbase"], mentions=4),
        Entity("anbar", "Anbar", "Location", mentions=2),
        Entity("hostile", HOSTILE, "Militia", aliases=["</script><script>window.__pwned=3</script>"],
               qid="javascript:alert(1)", mentions=1),
    ]
    documents = [
        Document("d1", "wire.jsonl", "", title="KH strikes", date="2019-12-30", url="https://example.org/kh"),
        Document("d2", "forum.txt", "", title="<b>forum</b>", date="2020-01-03", url="javascript:window.__pwned=5"),
    ]
    return Graph(
        entities={e.id: e for e in entities},
        relations=[
            Relation("kataib-hezbollah", "backedBy", "iran", [_ev("d1", "Kataib Hezbollah is backed by Iran.", "2019-12-30")]),
            Relation("ain-al-asad", "locatedIn", "anbar", [_ev("d1", "Ain al-Asad lies in Anbar.")]),
            Relation("hostile", "backedBy", "iran", [_ev("d2", HOSTILE_SENTENCE, "2020-01-03", hedged=True)]),
        ],
        attacks=[
            Attack("a1", "ain-al-asad", attacker="kataib-hezbollah", date="2020-01-08", weapon="rockets",
                   evidence=[_ev("d1", "KH fired rockets at Ain al-Asad.", "2020-01-08")]),
        ],
        documents=documents,
    )


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self._script: dict[str, str | None] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "script":
            self._script, self._text = dict(attrs), []

    def handle_data(self, data):
        if self._script is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "script" and self._script is not None:
            self.scripts.append((self._script, "".join(self._text)))
            self._script = None


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    parser.close()
    return parser


def _data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.DOTALL)
    assert found, "no data block"
    return json.loads(found.group(1))


def _names(page: str) -> set[str]:
    return {n["name"] for n in _data(page)["nodes"]}


# ---------------------------------------------------------------- self-contained


def test_explorer_page_has_no_external_resources(graph):
    page = explorer_html(graph)
    tags = _parse(page).tags
    assert not [t for t, a in tags if t in ("link", "iframe", "img", "object", "embed")]
    assert not [a["src"] for t, a in tags if t == "script" and "src" in a]
    assert not re.search(r"<(script|link|img|iframe)\b[^>]*\b(src|href)\s*=\s*[\"']?\s*(https?:)?//", page, re.I)


def test_explorer_page_inlines_vis_network_from_pyvis(graph):
    page = explorer_html(graph)
    scripts = _parse(page).scripts
    code = [text for attrs, text in scripts if "type" not in attrs]
    assert len(code) == 3
    assert "vis-network" in code[0] and "@version " + explorer.VIS_VERSION in code[0]
    assert "window.kgExplorer" in code[1]
    assert "window.kgMap" in code[2]  # the map view, over the explorer's API
    assert [attrs.get("type") for attrs, _ in scripts].count("application/json") == 1


def test_explorer_csp_allows_only_the_pages_own_scripts(graph):
    page = explorer_html(graph)
    csp = next(a["content"] for t, a in _parse(page).tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "connect-src 'none'" in csp
    assert "unsafe" not in csp
    inline = [text for attrs, text in _parse(page).scripts if "type" not in attrs]
    inline.append(re.search(r"<style>(.*?)</style>", page, re.DOTALL).group(1))
    for text in inline:
        digest = base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()
        assert f"'sha256-{digest}'" in csp


def test_explorer_legend_styles_every_type_and_relation(graph):
    data = _data(explorer_html(graph))
    types = {t["name"]: t for t in data["types"]}
    assert set(ENTITY_TYPES) <= set(types)
    assert len({types[t]["shape"] for t in ENTITY_TYPES}) == len(ENTITY_TYPES)
    assert len({types[t]["color"] for t in ENTITY_TYPES}) == len(ENTITY_TYPES)
    colors = {p["name"]: p["color"] for p in data["predicates"]}
    assert set(RELATION_TYPES) <= set(colors)
    assert len({colors[p] for p in RELATION_TYPES}) == len(RELATION_TYPES)


# ---------------------------------------------------------------- escaping


def test_explorer_text_never_appears_as_markup(graph):
    page = explorer_html(graph, title="<b>t</b>")
    for raw in (HOSTILE, "<img", "window.__pwned=2</script>", "<script>window.__pwned", "<b>forum</b>", "</script><script>"):
        assert raw not in page
    assert "<title>&lt;b&gt;t&lt;/b&gt;</title>" in page
    assert "\\u003cimg src=x onerror=" in page


def test_explorer_data_block_round_trips_the_text(graph):
    data = _data(explorer_html(graph))
    assert HOSTILE in {n["name"] for n in data["nodes"]}
    sentences = {ev[1] for e in data["edges"] for ev in e["ev"]}
    assert HOSTILE_SENTENCE in sentences
    assert "<b>forum</b>" in {d["title"] for d in data["docs"]}


def test_explorer_drops_unsafe_links_and_bad_qids(graph):
    data = _data(explorer_html(graph))
    urls = {d["id"]: d["url"] for d in data["docs"]}
    assert urls == {"d1": "https://example.org/kh", "d2": None}
    qids = {n["id"]: n["qid"] for n in data["nodes"]}
    assert qids["iran"] == "Q794" and qids["hostile"] is None


@pytest.mark.parametrize("text", ["</script>", "<!--", "&amp;", "\u2028", "a>b"])
def test_explorer_script_json_escapes(text):
    encoded = explorer._script_json({"k": text})
    assert not set("<>&\u2028") & set(encoded)
    assert json.loads(encoded) == {"k": text}


# ---------------------------------------------------------------- content


def test_explorer_attacks_become_edges_and_timeline(graph):
    data = _data(explorer_html(graph))
    names = [n["name"] for n in data["nodes"]]
    preds = [p["name"] for p in data["predicates"]]
    edges = {(names[e["s"]], preds[e["p"]], names[e["o"]]) for e in data["edges"]}
    assert ("Kataib Hezbollah", "attacked", "Ain al-Asad") in edges
    (attack,) = data["attacks"]
    assert attack["attacker"]["name"] == "Kataib Hezbollah" and attack["target"]["name"] == "Ain al-Asad"
    assert attack["date"] == "2020-01-08" and attack["weapon"] == "rockets"
    assert attack["ev"][0][1] == "KH fired rockets at Ain al-Asad."


def test_explorer_marks_hedged_edges_and_dates(graph):
    data = _data(explorer_html(graph))
    hostile = next(i for i, n in enumerate(data["nodes"]) if n["id"] == "hostile")
    (edge,) = [e for e in data["edges"] if e["s"] == hostile]
    assert edge["hedged"] is True and edge["d0"] == "2020-01-03"
    assert data["meta"]["dateMin"] == "2019-12-30" and data["meta"]["dateMax"] == "2020-01-08"


def test_explorer_evidence_falls_back_to_document_date(graph):
    data = _data(explorer_html(graph))
    sentence = {ev[1]: ev[2] for e in data["edges"] for ev in e["ev"]}
    assert sentence["Ain al-Asad lies in Anbar."] == "2019-12-30"


# ---------------------------------------------------------------- focus


def test_explorer_focus_keeps_the_ego_graph(graph):
    assert _names(explorer_html(graph, focus="Ain al-Asad", hops=1)) == {"Ain al-Asad", "Anbar", "Kataib Hezbollah"}
    two = _names(explorer_html(graph, focus="Ain al-Asad", hops=2))
    assert two == {"Ain al-Asad", "Anbar", "Kataib Hezbollah", "Iran"}
    assert _names(explorer_html(graph, focus="Anbar", hops=0)) == {"Anbar"}


@pytest.mark.parametrize("name", ["kh", "KH", "kataib hezbollah", "kataib-hezbollah", "kata'ib hizballah"])
def test_explorer_focus_matches_names_and_aliases(graph, name):
    data = _data(explorer_html(graph, focus=name, hops=1))
    assert data["nodes"][data["meta"]["focus"]]["id"] == "kataib-hezbollah"
    assert data["meta"]["hops"] == 1


def test_explorer_focus_keeps_attacks_that_touch_the_ego_graph(graph):
    assert len(_data(explorer_html(graph, focus="Anbar", hops=1))["attacks"]) == 1
    assert _data(explorer_html(graph, focus="Iran", hops=0))["attacks"] == []


@pytest.mark.parametrize("name", ["Kataib Hezbolah", "KATAIB-HEZBOLLAH", "kata'ib-hizballah"])
def test_explorer_focus_resolves_names_as_the_cli_does(graph, name):
    """--focus goes through kg.names.NameIndex: a misspelling the CLI resolves, any case, any hyphen."""
    data = _data(explorer_html(graph, focus=name, hops=1))
    assert data["nodes"][data["meta"]["focus"]]["id"] == "kataib-hezbollah"


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [("Kataib Hezb", "Kataib Hezbollah"), ("Ain Asad base", "Ain al-Asad"), ("Irak", "Iran")],
)
def test_explorer_unknown_focus_suggests_close_names(graph, name, suggestion):
    with pytest.raises(NoSuchEntity, match="did you mean") as caught:
        explorer_html(graph, focus=name)
    assert caught.value.suggestions[0] == suggestion


def test_explorer_rejects_negative_hops(graph):
    with pytest.raises(ValueError, match="hops"):
        explorer_html(graph, focus="Iran", hops=-1)


def test_write_explorer_writes_utf8_and_returns_the_path(graph, tmp_path):
    out = write_explorer(graph, tmp_path / "sub" / "x.html", title="Ünïcode")
    assert out == tmp_path / "sub" / "x.html"
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "Ünïcode" in page


def test_explorer_renders_an_empty_graph():
    data = _data(explorer_html(Graph()))
    assert data["nodes"] == [] and data["edges"] == [] and data["meta"]["dateMin"] is None


# ---------------------------------------------------------------- scale


def _tree(n: int) -> Graph:
    entities = {f"e{i}": Entity(f"e{i}", f"Group {i}", ENTITY_TYPES[i % 6]) for i in range(n)}
    relations = [Relation(f"e{i}", RELATION_TYPES[i % 6], f"e{(i - 1) // 3}") for i in range(1, n)]
    return Graph(entities=entities, relations=relations)


def test_explorer_small_graph_uses_physics_and_labels():
    meta = _data(explorer_html(_tree(50)))["meta"]
    assert meta["physics"] is True and meta["edgeLabels"] is True
    assert meta["firstView"] == 50 and meta["connected"] == 50 and meta["isolated"] == 0


def test_explorer_first_view_is_the_most_connected_and_hides_the_unlinked():
    graph = _tree(FIRST_VIEW + 40)
    for i in range(30):
        graph.entities[f"lone{i}"] = Entity(f"lone{i}", f"Lone {i}", "Location", mentions=50)
    data = _data(explorer_html(graph))
    meta = data["meta"]
    assert meta["firstView"] == FIRST_VIEW
    assert meta["connected"] == FIRST_VIEW + 40 and meta["isolated"] == 30
    degrees = [n["degree"] for n in data["nodes"]]
    assert degrees == sorted(degrees, reverse=True), "the first view is a prefix of the node list"
    assert all(n["degree"] > 0 for n in data["nodes"][:FIRST_VIEW])
    assert {n["id"] for n in data["nodes"][-30:]} == {f"lone{i}" for i in range(30)}, "many mentions, no relation: last"


def test_explorer_first_view_of_an_unlinked_graph_shows_its_entities():
    graph = Graph(entities={f"e{i}": Entity(f"e{i}", f"E {i}", "State") for i in range(5)})
    meta = _data(explorer_html(graph))["meta"]
    assert meta["connected"] == 0 and meta["firstView"] == 5


def test_explorer_ego_page_shows_the_whole_neighbourhood():
    meta = _data(explorer_html(_tree(FIRST_VIEW * 3), focus="Group 0", hops=4))["meta"]
    assert meta["firstView"] == meta["connected"] > FIRST_VIEW


def test_explorer_large_graph_uses_precomputed_layout():
    data = _data(explorer_html(_tree(PHYSICS_LIMIT + 500)))
    meta = data["meta"]
    assert meta["physics"] is False and meta["edgeLabels"] is False and meta["firstView"] == FIRST_VIEW
    assert FIRST_VIEW < PHYSICS_LIMIT


@pytest.mark.parametrize(
    "spelling", ["Kataeb Hizbollah", "KATA’IB HIZBALLAH", "kataib-hezbollah", "Kataʿib al-Hizballah"]
)
def test_explorer_ships_the_cli_name_index_forms(spelling):
    """Every spelling the CLI's NameIndex resolves through a folded form is a form in the page's data."""
    kh = Entity("kh", "Kataib Hezbollah", "Militia", aliases=["KH", "Kata'ib Hizballah", "Kataeb Hizbollah"])
    graph = Graph(entities={"kh": kh, "iran": Entity("iran", "Iran", "State")},
                  relations=[Relation("kh", "backedBy", "iran")])
    index = NameIndex([("kh", kh.name, True), *(("kh", a, False) for a in kh.aliases)])
    assert index.lookup(spelling) == "kh"
    node = next(n for n in _data(explorer_html(graph))["nodes"] if n["id"] == "kh")
    assert node["forms"] == [normalise_name(x) for x in (kh.name, *kh.aliases)]
    assert normalise_name(spelling) in node["forms"]


def test_explorer_layout_is_fast_spread_and_deterministic():
    n = 10_000
    rng = np.random.default_rng(3)
    pairs = np.stack([np.arange(1, n), rng.integers(0, np.arange(1, n))], axis=1)
    started = time.perf_counter()
    pos = layout(n, pairs)
    assert time.perf_counter() - started < 20  # about a second here; networkx's spring_layout takes minutes
    assert pos.shape == (n, 2) and np.isfinite(pos).all()
    distinct = len({(round(x / 5), round(y / 5)) for x, y in pos.tolist()})
    assert distinct > 0.9 * n, "nodes do not pile up"
    assert np.array_equal(pos, layout(n, pairs))
    lengths = np.hypot(*(pos[pairs[:, 0]] - pos[pairs[:, 1]]).T)
    span = np.ptp(pos, axis=0).max()
    assert np.median(lengths) < span / 10, "neighbours sit near each other"


def test_explorer_layout_places_disconnected_parts():
    pos = layout(5, np.array([[0, 1]]))
    assert np.isfinite(pos).all()
    assert len({tuple(p) for p in pos.round(3).tolist()}) == 5
    assert math.isclose(float(pos.mean()), 0.0, abs_tol=1e-6)


# ---------------------------------------------------------------- the README's pictures


def test_readme_shows_explorer_screenshots_readable_at_100_percent():
    """Each explorer picture the README shows exists and was taken at 1400 x 900, device scale 1."""
    import pathlib
    import struct

    repo = pathlib.Path(__file__).resolve().parent.parent
    shown = re.findall(r"!\[[^\]]*\]\((docs/explorer[^)]*\.png)\)", (repo / "README.md").read_text(encoding="utf-8"))
    assert {"docs/explorer.png", "docs/explorer-seed.png", "docs/explorer-panel.png", "docs/explorer-ego.png"} <= set(shown)
    for name in shown:
        head = (repo / name).read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n", name
        assert struct.unpack(">II", head[16:24]) == (1400, 900), name
