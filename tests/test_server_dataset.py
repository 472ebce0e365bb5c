"""A shared SPARQL server answers with this build's graphs only: another project's data on the same
server (and Virtuoso's own graphs) never shows in an answer (kg.stores.server)."""

from __future__ import annotations

import pytest

from kg.query import run, run_saved, saved_queries
from kg.rdf import graph_to_quads
from kg.stores import open_store
from kg.stores.server import ServerStore
from tests.servers import clear, oxigraph_server, update, virtuoso  # noqa: F401 (fixtures)
from tests.sparql_sample import sample_graph

SERVERS = ["virtuoso", "oxigraph_server"]
NAME = {"entity": {"name": "Kataib Hezbollah"}, "leaders-as-of": {"date": "2021-06-01"}}
OTHERS = """
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
INSERT DATA {
  GRAPH <http://other.example/graph> {
    <http://other.example/x> a <http://other.example/Thing> ; rdfs:label "Iran" , "someone else's" .
    <http://other.example/y> a <https://w3id.org/militia-kg/ontology#Militia> ; rdfs:label "Not ours" .
  }
  GRAPH <http://other.example/second> {
    <https://w3id.org/militia-kg/id/iran> rdfs:label "Iran (theirs)" .
  }
}
"""

QUERIES = [
    "SELECT (COUNT(*) AS ?n) WHERE { ?e a ?t . ?e rdfs:label ?l }",
    "SELECT ?l WHERE { ?e a kg:Militia ; rdfs:label ?l } ORDER BY ?l",
    "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g",
    "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?s a ?t } }",
    'ASK { ?e rdfs:label "Not ours" }',
    "ASK { GRAPH <http://other.example/graph> { ?s ?p ?o } }",
    'SELECT ?e WHERE { ?e rdfs:label "Iran" }',
]


@pytest.fixture(scope="module", params=SERVERS)
def shared(request):
    """A server holding another project's graph (and its default graph) beside this build's graphs."""
    server = request.getfixturevalue(request.param)
    clear(server)
    update(server, OTHERS)
    quads = list(graph_to_quads(sample_graph()))
    there = ServerStore(server.query_url)
    there.publish(quads)
    here = open_store()
    here.load(quads)
    yield server, here, there
    clear(server)


def rows(answer):
    return sorted(sorted((name, term.n3()) for name, term in row.items()) for row in answer.rows) \
        if answer.kind != "ask" else answer.boolean


@pytest.mark.parametrize("query", QUERIES)
def test_a_shared_server_answers_as_the_embedded_store(shared, query):
    _, here, there = shared
    assert rows(run(there, query)) == rows(run(here, query))


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_saved_queries_on_a_shared_server_answer_as_embedded(shared, name):
    _, here, there = shared
    assert rows(run_saved(there, name, **NAME.get(name, {}))) == rows(run_saved(here, name, **NAME.get(name, {})))


def test_the_other_data_is_there_to_be_seen(shared):
    """Without the build's dataset the server would answer with the other project's data: the tests above can fail."""
    import requests

    server, _, _ = shared
    response = requests.post(server.query_url, timeout=60, headers={"Accept": "application/sparql-results+json"},
                             data={"query": 'ASK { GRAPH ?g { ?e ?p "Not ours" } }'})
    assert response.json()["boolean"] is True


def test_paths_and_bindings_on_a_shared_server(shared):
    _, here, there = shared
    query = "SELECT ?e WHERE { ?e rdfs:label ?name }"
    assert sorted(map(str, (r["e"] for r in there.select_terms(query, name="Iran")))) == \
        sorted(map(str, (r["e"] for r in here.select_terms(query, name="Iran"))))
