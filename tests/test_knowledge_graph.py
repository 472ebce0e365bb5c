"""KnowledgeGraph: ask a built graph by name, get answers with their sentences."""

from __future__ import annotations

import json
import subprocess
import sys

import networkx as nx
import pytest
from tests.paths_sample import write_build

from kg import KnowledgeGraph
from kg.errors import NoPath, NoSuchEntity, StoreError
from kg.model import Entity, Evidence, Graph, Relation
from kg.names import normalise_name
from kg.rdf import graph_to_quads
from kg.stores import open_store


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    return write_build(tmp_path_factory.mktemp("kg") / "build")


@pytest.fixture(scope="module")
def g(build):
    return KnowledgeGraph.open(build)


# ------------------------------------------------------------------ names


@pytest.mark.parametrize("name", [
    "Kataib Hezbollah", "KH", "kh", "Kata'ib Hizballah", "Kata’ib Hizballah", "KATAIB-HEZBOLLAH",
    "kataib-hezbollah",  # its id
    "Kataeb Hezbollah",  # a misspelling close enough to resolve
])
def test_entity_resolves_any_spelling(g, name):
    assert g.entity(name).name == "Kataib Hezbollah"


@pytest.mark.parametrize("name", ["Ain al-Asad", "Ain al Asad", "ain asad", "Aïn al-Asad", "al asad airbase"])
def test_al_is_optional_and_accents_do_not_matter(g, name):
    assert g.entity(name).id == "ain-al-asad"


def test_entity_by_wikidata_qid(g):
    iran = g.entity("Q794")
    assert (iran.id, iran.name, iran.type, iran.qid) == ("iran", "Iran", "State", "Q794")


def test_unknown_name_suggests_close_ones(g):
    with pytest.raises(NoSuchEntity) as caught:
        g.entity("Kata Hezb")
    assert str(caught.value) == "no entity 'Kata Hezb'; did you mean Kataib Hezbollah?"
    assert caught.value.suggestions == ["Kataib Hezbollah"]
    with pytest.raises(NoSuchEntity, match=r"^no entity 'Hamas'$"):
        g.entity("Hamas")


def test_search_ranks_candidates(g):
    assert [e.name for e in g.search("Iraq", limit=2)] == ["Iraq", "Iran"]


def test_normalise_name():
    assert normalise_name("Al-Muhandis Revenge Brigade") == "muhandis revenge brigade"
    assert normalise_name("Kata'ib Ḥizballah") == normalise_name("kataib hizballah")


# ------------------------------------------------------------------ questions


def test_linked_to(g):
    links = g.linked_to("Kataib Hezbollah", hops=2)
    assert [(link.entity.name, link.hops) for link in links][:3] == [("Iran", 1), ("Ain al-Asad", 1), ("Yahya Rasool", 1)]
    iraq = links[-1]
    assert str(iraq.paths[0]) == "Kataib Hezbollah -attacked-> Ain al-Asad -locatedIn-> Iraq"
    assert iraq.paths[0].steps[1].evidence[0].doc == "ap-2021-07-07"


def test_linked_to_with_filters(g):
    assert [link.entity.name for link in g.linked_to("KH", hops=2, types=["State"])] == ["Iran", "Iraq"]
    assert [link.entity.name for link in g.linked_to("KH", relations=["condemned"])] == ["Yahya Rasool"]
    assert [link.entity.name for link in g.linked_to("KH", since="2021-07-09")] == ["Yahya Rasool"]


def test_paths(g):
    (path,) = g.paths("Iran", "Ain al-Asad", max_hops=4)
    assert str(path) == "Iran <-backedBy- Kataib Hezbollah -attacked-> Ain al-Asad"
    assert [step.forward for step in path.steps] == [False, True]
    assert path.steps[0].evidence[-1].sentence == "Kataib Hezbollah, which is backed by Iran, denied involvement."


def test_paths_that_do_not_exist(g):
    with pytest.raises(NoPath, match="nothing links Iran and Saraya Awliya al-Dam within 4 hops"):
        g.paths("Iran", "Saraya Awliya al-Dam")
    with pytest.raises(NoSuchEntity, match="did you mean Ain al-Asad"):
        g.paths("Iran", "Ain el-Assaad base")


def test_timeline(g):
    assert [str(event) for event in g.timeline("KH")] == [
        "2020-01-05  Kataib Hezbollah -backedBy-> Iran",
        "2021-07-07  Kataib Hezbollah -attacked-> Ain al-Asad",
        "2021-07-08  Kataib Hezbollah -backedBy-> Iran",
        "2021-07-09  Kataib Hezbollah <-condemned- Yahya Rasool",
    ]


def test_sparql_binds_values_safely(g):
    rows = g.sparql("SELECT ?e WHERE { ?e rdfs:label ?name }", name="Iran")
    assert [r["e"].rsplit("/", 1)[1] for r in rows] == ["iran"]
    assert g.sparql("SELECT ?e WHERE { ?e rdfs:label ?name }", name='Iran" } #') == []


def test_to_networkx_is_the_graph_the_walks_use(g):
    G = g.to_networkx()
    assert isinstance(G, nx.MultiDiGraph) and nx.is_frozen(G)
    assert G.edges["kataib-hezbollah", "iran", "backedBy"]["hedged"] is False
    assert g.to_networkx() is G  # cached while the store is unchanged


def test_answers_serialise_to_json(g):
    data = json.loads(json.dumps({
        "links": [link.to_dict() for link in g.linked_to("KH")],
        "paths": [path.to_dict() for path in g.paths("Iran", "Iraq")],
        "timeline": [event.to_dict() for event in g.timeline("Iran")],
    }))
    assert data["paths"][0]["text"] == "Iran <-backedBy- Kataib Hezbollah -attacked-> Ain al-Asad -locatedIn-> Iraq"
    assert data["timeline"][0]["step"]["evidence"][0]["hedged"] is True


# ------------------------------------------------------------------ keeping up with the store


def test_a_changed_store_is_read_again(tmp_path):
    build = write_build(tmp_path / "build")
    g = KnowledgeGraph.open(build)
    before = g.to_networkx()
    with pytest.raises(NoPath):
        g.paths("Iran", "Saraya Awliya al-Dam")

    store = open_store(build / "store")  # a later build adds a document
    store.load(graph_to_quads(Graph(relations=[Relation("saraya-awliya-al-dam", "backedBy", "iran", [
        Evidence("new-doc", "Saraya Awliya al-Dam is funded by Iran.", 0, 39, date="2022-01-01")])])))
    store.flush()
    del store

    (path,) = g.paths("Iran", "Saraya Awliya al-Dam")
    assert str(path) == "Iran <-backedBy- Saraya Awliya al-Dam"
    assert g.to_networkx() is not before
    rows = g.sparql("SELECT ?s WHERE { ?st kg:sentence ?text ; rdf:subject ?s }",
                    text="Saraya Awliya al-Dam is funded by Iran.")
    assert len(rows) == 1  # SPARQL sees the same snapshot as the walks


def test_in_memory_store():
    store = open_store()
    store.load(graph_to_quads(Graph(entities={"iran": Entity("iran", "Iran", "State", qid="Q794")})))
    g = KnowledgeGraph(store)
    assert g.entity("iran").qid == "Q794"
    store.load(graph_to_quads(Graph(entities={"iraq": Entity("iraq", "Iraq", "State", qid="Q796")})))
    assert g.entity("Iraq").qid == "Q796"


def test_open_a_folder_without_a_build(tmp_path):
    with pytest.raises(StoreError, match="is not a militia-kg build"):
        KnowledgeGraph.open(tmp_path / "nowhere")


def test_import_kg_stays_cheap():
    code = "import sys, kg; print('networkx' in sys.modules, 'spacy' in sys.modules, 'KnowledgeGraph' in kg.__all__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False", "True"]
