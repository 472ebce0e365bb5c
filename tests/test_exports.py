"""The files analysts open in their own tools: GraphML, GEXF, N-Triples and CSV tables."""

from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from lxml import etree

import kg
from kg.cli import cli
from kg.export.explorer.payload import payload
from kg.export.network import analyst_graph, write_graphml
from kg.export.tables import write_tables
from kg.model import Attack, Document, Entity, Evidence, Graph, Relation
from kg.paths.edges import graph_edges

SCHEMA = Path(__file__).parent / "data" / "graphml.xsd"
G_NS = "{http://graphml.graphdrawing.org/xmlns}"


@pytest.fixture(scope="module")
def graphml_schema():
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def small_graph(sentence: str = "Kataib Hezbollah is backed by Iran.") -> Graph:
    entities = {"kh": Entity("kh", "Kataib Hezbollah", "Militia", ["KH"], "Q1", 3, ["d1"]),
                "iran": Entity("iran", "Iran", "State", [], None, 2, ["d1"]),
                "base": Entity("base", "Ain al-Asad", "Base", [], None, 1, ["d1"])}
    relations = [Relation("kh", "backedBy", "iran", [Evidence("d1", sentence, 0, len(sentence), hedged=True)]),
                 Relation("kh", "attacked", "base", [Evidence("d1", "KH fired rockets at Ain al-Asad.", 0, 30)])]
    attacks = [Attack("a1", "base", "kh", [], "2021-07-07", "rockets", 14, None, 2,
                      evidence=[Evidence("d1", "KH fired rockets at Ain al-Asad.", 0, 30)]),
               Attack("a2", "base", "kh", [], "2021-07-08", None),
               Attack("a3", "base", None, ["kh"], "2021-07-09")]
    return Graph(entities, relations, attacks, [Document("d1", "d1.txt", "", "A headline", "2021-07-08")])


def edge_count(build) -> int:
    """The edges a build draws: one per stated relation or attack-implied (s, p, o) (kg.paths.edges)."""
    from kg.held import read_build_graph

    return len(graph_edges(read_build_graph(build)))


def data_of(element) -> dict[str, str]:
    return {d.get("key"): d.text or "" for d in element.findall(f"{G_NS}data")}


# ---------------------------------------------------------------- GraphML


def test_graphml_of_the_example_build_validates_with_unique_edge_ids(example_build, graphml_schema):
    out, report = example_build
    tree = etree.parse(str(out / "graph.graphml"))
    assert graphml_schema.validate(tree), graphml_schema.error_log
    edges = tree.findall(f".//{G_NS}edge")
    ids = [e.get("id") for e in edges]
    assert len(ids) == len(set(ids)) == edge_count(out)
    assert len(tree.findall(f".//{G_NS}node")) == report.entities


def test_graphml_values_are_typed_by_their_keys(example_build):
    out, _ = example_build
    tree = etree.parse(str(out / "graph.graphml"))
    kinds = {k.get("id"): (k.get("attr.name"), k.get("attr.type")) for k in tree.findall(f"{G_NS}key")}
    assert kinds["e_hedged"] == ("hedged", "boolean")
    assert kinds["e_statements"] == ("statements", "int") and kinds["n_mentions"] == ("mentions", "int")
    assert kinds["e_first"] == ("first", "string") and kinds["e_confidence"] == ("confidence", "double")
    seen = Counter()
    for data in tree.iter(f"{G_NS}data"):
        kind = kinds[data.get("key")][1]
        seen[kind] += 1
        if kind == "boolean":
            assert data.text in ("true", "false")
        elif kind == "int":
            int(data.text)
        elif kind == "double":
            float(data.text)
    assert seen["boolean"] and seen["int"] and seen["double"] and seen["string"]


def test_graphml_counts_each_attack_once(example_build):
    out, _ = example_build
    from kg.held import read_build_graph

    graph = read_build_graph(out)
    G = nx.read_graphml(out / "graph.graphml", force_multigraph=True)
    attacked = [d for _, _, d in G.edges(data=True) if d["relation"] == "attacked"]
    assert len(attacked) == sum(r.predicate == "attacked" for r in graph_edges(graph))
    linked = {(r.subject, r.object) for r in graph_edges(graph) if r.predicate == "attacked"}
    assert sum(d["attacks"] for d in attacked) == sum((a.attacker, a.target) in linked for a in graph.attacks)
    assert sum(d["attacks_suffered"] for _, d in G.nodes(data=True)) == sum(a.target is not None for a in graph.attacks)
    assert G.number_of_edges() == len(graph_edges(graph))  # no second edge per attack event


def attack_edges_in_explorer(graph: Graph) -> Counter:
    data = payload(graph, focus_id=None, hops=2, title="t")
    names = [p["name"] for p in data["predicates"]]
    return Counter(names[e["p"]] for e in data["edges"] if names[e["p"]] in ("attacked", "claimed"))


def attack_edges_in_graphml(path: Path) -> Counter:
    G = nx.read_graphml(path, force_multigraph=True)
    return Counter(d["relation"] for _, _, d in G.edges(data=True) if d["relation"] in ("attacked", "claimed"))


def test_explorer_and_graphml_draw_the_same_attack_edges(tmp_path):
    """An attack whose claim no sentence states as a relation (a3) draws its `claimed` edge in both."""
    graph = small_graph()
    write_graphml(analyst_graph(graph), tmp_path / "g.graphml")
    assert attack_edges_in_explorer(graph) == attack_edges_in_graphml(tmp_path / "g.graphml") == \
        Counter({"attacked": 1, "claimed": 1})


def test_explorer_graphml_and_paths_count_the_same_attack_edges_of_a_build(example_build):
    out, _ = example_build
    from kg.held import read_build_graph

    graph = read_build_graph(out)
    stated = Counter(r.predicate for r in graph.relations if r.predicate in ("attacked", "claimed"))
    in_graphml = attack_edges_in_graphml(out / "graph.graphml")
    assert attack_edges_in_explorer(graph) == in_graphml
    assert in_graphml["attacked"] > stated["attacked"]  # the build has attacks no sentence states as a relation
    view = kg.KnowledgeGraph.open(out).to_networkx()
    assert Counter(d["relation"] for _, _, d in view.edges(data=True) if d["relation"] in in_graphml) == in_graphml


def test_the_schema_refuses_repeated_edge_ids_as_networkx_writes_them(graphml_schema, tmp_path):
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="leaderOf")
    G.add_edge("c", "b", key="leaderOf")
    nx.write_graphml(G, tmp_path / "nx.graphml")
    assert not graphml_schema.validate(etree.parse(str(tmp_path / "nx.graphml")))
    write_graphml(analyst_graph(small_graph()), tmp_path / "ours.graphml")
    assert graphml_schema.validate(etree.parse(str(tmp_path / "ours.graphml"))), graphml_schema.error_log


def test_graphml_keeps_hostile_text_well_formed(graphml_schema, tmp_path):
    sentence = 'KH <script>alert("x")</script> & "Iran"\x07\x1b backed it.'
    write_graphml(analyst_graph(small_graph(sentence)), tmp_path / "g.graphml")
    tree = etree.parse(str(tmp_path / "g.graphml"))
    assert graphml_schema.validate(tree), graphml_schema.error_log
    G = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    sentences = {d["sentence"] for _, _, d in G.edges(data=True)}
    assert 'KH <script>alert("x")</script> & "Iran" backed it.' in sentences


def test_edges_carry_dates_counts_and_hedging():
    G = analyst_graph(small_graph())
    edges = {d["relation"]: d for _, _, d in G.edges(data=True)}
    assert edges["backedBy"]["hedged"] is True and edges["attacked"]["hedged"] is False
    assert edges["attacked"]["attacks"] == 2  # a3 has no attacker: the claim is not an attack by KH
    assert (edges["attacked"]["first"], edges["attacked"]["last"]) == ("2021-07-07", "2021-07-08")
    assert G.nodes["base"]["attacks_suffered"] == 3 and G.nodes["kh"]["attacks_made"] == 2
    assert G.nodes["kh"]["qid"] == "Q1" and "qid" not in G.nodes["iran"]


# ---------------------------------------------------------------- GEXF


def test_gexf_opens_in_networkx_with_dates_for_the_timeline(example_build):
    out, report = example_build
    G = nx.read_gexf(out / "graph.gexf")
    assert G.number_of_nodes() == report.entities and G.number_of_edges() == edge_count(out)
    assert G.graph["mode"] == "dynamic"
    root = etree.parse(str(out / "graph.gexf")).getroot()
    graph = root.find("{http://www.gexf.net/1.2draft}graph")
    assert graph.get("timeformat") == "date"
    dated = [d for _, _, d in G.edges(data=True) if "start" in d]
    assert dated, "no edge has a date"
    for d in dated:
        assert d["start"] == d["first"] <= d["end"] == d["last"]
        assert len(d["start"]) == 10


# ---------------------------------------------------------------- N-Triples


def test_ntriples_file_holds_every_distinct_triple(example_build, tmp_path):
    out, _ = example_build
    import pyoxigraph as ox

    lines = (out / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert lines and all(line.endswith(" .") for line in lines)
    parsed = list(ox.parse(path=str(out / "graph.nt"), format=ox.RdfFormat.N_TRIPLES))
    from kg.stores import open_build

    store = open_build(out)
    distinct = store.sparql("SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }")
    assert len(parsed) == len(set(parsed)) == int(distinct[0]["n"])
    result = CliRunner().invoke(cli, ["export", "rdf", str(out), "--format", "ntriples", "--out",
                                      str(tmp_path / "x.nt")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "x.nt").read_text(encoding="utf-8").splitlines() == lines


# ---------------------------------------------------------------- CSV


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_csv_tables_load_with_the_csv_module_and_match_the_build(example_build):
    out, report = example_build
    entities, relations, attacks = (read_csv(out / name) for name in ("entities.csv", "relations.csv", "attacks.csv"))
    assert (len(entities), len(relations), len(attacks)) == (report.entities, report.relations, report.attacks)
    ids = {row["id"] for row in entities}
    assert len(ids) == len(entities)
    for row in relations:
        assert row["subject_id"] in ids and row["object_id"] in ids
        assert row["hedged"] in ("true", "false")
        assert row["evidence"] and row["sources"] and int(row["statements"]) >= 1
    assert all(row["target_id"] in ids or not row["target_id"] and row["place"] for row in attacks)  # told by place
    assert {row["type"] for row in entities} <= {"Militia", "Official", "Base", "State", "Organization", "Location"}


def test_csv_cells_that_a_spreadsheet_would_run_are_defused(tmp_path):
    write_tables(small_graph('=HYPERLINK("http://example.invalid","x") said Iran backs KH.'), tmp_path)
    rows = read_csv(tmp_path / "relations.csv")
    backing = next(r for r in rows if r["predicate"] == "backedBy")
    assert backing["evidence"].startswith("'=HYPERLINK(")
    assert backing["hedged"] == "true"
    attacks = read_csv(tmp_path / "attacks.csv")
    assert [(a["id"], a["count"], a["wounded"], a["claimed_by"]) for a in attacks] == [
        ("a1", "14", "2", ""), ("a2", "", "", ""), ("a3", "", "", "Kataib Hezbollah")]


# ---------------------------------------------------------------- Python API and CLI


def test_python_api_writes_each_format_from_a_build_folder(example_build, tmp_path):
    out, report = example_build
    assert {"write_graphml", "write_gexf", "write_tables", "write_ntriples"} <= set(kg.__all__)
    assert kg.write_graphml(out, tmp_path / "g.graphml") == tmp_path / "g.graphml"
    written = nx.read_graphml(tmp_path / "g.graphml", force_multigraph=True)
    assert written.number_of_edges() == edge_count(out)
    kg.write_gexf(out, tmp_path / "g.gexf")
    assert nx.read_gexf(tmp_path / "g.gexf").number_of_nodes() == report.entities
    paths = kg.write_tables(kg.KnowledgeGraph.open(out), tmp_path / "tables")
    assert [p.name for p in paths] == ["entities.csv", "relations.csv", "attacks.csv"]
    assert len(read_csv(paths[0])) == report.entities
    kg.write_ntriples(out, tmp_path / "g.nt")
    assert (tmp_path / "g.nt").stat().st_size > 0


@pytest.mark.parametrize("command, name", [("graphml", "x.graphml"), ("gexf", "x.gexf"), ("csv", "tables")])
def test_kg_export_commands_write_the_files(example_build, tmp_path, command, name):
    out, _ = example_build
    result = CliRunner().invoke(cli, ["export", command, str(out), "--out", str(tmp_path / name)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / name).exists()
    assert str(tmp_path / name) in result.output


def test_kg_export_names_a_folder_that_is_not_a_build(tmp_path):
    result = CliRunner().invoke(cli, ["export", "graphml", str(tmp_path), "--out", str(tmp_path / "x.graphml")])
    assert result.exit_code == 1
    assert "not a militia-kg build" in result.output and "Traceback" not in result.output


def test_kg_export_makes_missing_folders_and_names_a_place_it_cannot_write(example_build, tmp_path):
    out, _ = example_build
    for command in (["rdf", "--format", "ntriples"], ["graphml"]):
        target = tmp_path / "new" / command[0] / "graph.out"
        result = CliRunner().invoke(cli, ["export", command[0], str(out), *command[1:], "--out", str(target)])
        assert result.exit_code == 0 and target.stat().st_size > 0, result.output
        bad = CliRunner().invoke(cli, ["export", command[0], str(out), *command[1:], "--out", "/proc/no/such/x"])
        assert bad.exit_code == 1 and "cannot write /proc/no/such/x" in bad.output, bad.output
        assert "Traceback" not in bad.output


def test_the_graphml_writer_makes_edge_ids_unique_for_any_graph(graphml_schema, tmp_path):
    G = nx.MultiDiGraph()
    G.add_edge("a", "b", key="leaderOf", hedged=True)
    G.add_edge("c", "b", key="leaderOf", hedged=False)
    write_graphml(G, tmp_path / "g.graphml")
    tree = etree.parse(str(tmp_path / "g.graphml"))
    assert graphml_schema.validate(tree), graphml_schema.error_log
    assert [e.get("id") for e in tree.iter(f"{G_NS}edge")] == ["leaderOf", "leaderOf.2"]
    assert [d.text for d in tree.iter(f"{G_NS}data")] == ["true", "false"]
