"""`KnowledgeGraph.sparql(query, **bindings)` binds before evaluation, checks what it binds, and never pastes.

Each binding case is checked against the same query with the value written into it by
hand (safe here: the values are our own), which is what binding before evaluation means.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from kg import KnowledgeGraph
from kg.cli import cli
from kg.errors import QueryError
from kg.rdf import graph_to_quads
from kg.stores import open_store, write_build_store
from tests.sparql_sample import sample_graph


@pytest.fixture(scope="module")
def g():
    store = open_store()
    store.load(graph_to_quads(sample_graph()))
    return KnowledgeGraph(store)


# (query with ?name bound, the same query with "Iran" written in)
CASES = {
    "aggregate": ("SELECT (COUNT(*) AS ?n) WHERE { ?e skos:prefLabel ?name }",
                  'SELECT (COUNT(*) AS ?n) WHERE { ?e skos:prefLabel "Iran" }'),
    "group by": ("SELECT ?t (COUNT(?e) AS ?n) WHERE { ?e a ?t ; rdfs:label ?name } GROUP BY ?t",
                 'SELECT ?t (COUNT(?e) AS ?n) WHERE { ?e a ?t ; rdfs:label "Iran" } GROUP BY ?t'),
    "filter": ("SELECT ?e WHERE { ?e skos:prefLabel ?l FILTER(?l = ?name) }",
               'SELECT ?e WHERE { ?e skos:prefLabel ?l FILTER(?l = "Iran") }'),
    "subquery": ("SELECT ?e WHERE { { SELECT ?e WHERE { ?e skos:prefLabel ?name } } }",
                 'SELECT ?e WHERE { { SELECT ?e WHERE { ?e skos:prefLabel "Iran" } } }'),
    "optional": ("SELECT ?e ?a WHERE { ?e a kg:State OPTIONAL { ?e skos:altLabel ?a FILTER(CONTAINS(?a, ?name)) } }",
                 'SELECT ?e ?a WHERE { ?e a kg:State OPTIONAL { ?e skos:altLabel ?a FILTER(CONTAINS(?a, "Iran")) } }'),
    "not exists": ("SELECT ?e WHERE { ?e a kg:State FILTER NOT EXISTS { ?e skos:prefLabel ?name } }",
                   'SELECT ?e WHERE { ?e a kg:State FILTER NOT EXISTS { ?e skos:prefLabel "Iran" } }'),
}


def same(rows):
    return sorted(sorted(row.items()) for row in rows)


@pytest.mark.parametrize("case", CASES)
def test_bindings_are_substituted_before_evaluation(g, case):
    bound, written = CASES[case]
    expected = g.sparql(written)
    assert expected, "the case must find something"
    assert same(g.sparql(bound, name="Iran")) == same(expected)


def test_the_aggregate_counts_one(g):
    assert g.sparql(CASES["aggregate"][0], name="Iran") == [{"n": 1}]


def test_a_projected_binding_is_in_the_answer(g):
    assert g.sparql("SELECT ?e ?name WHERE { ?e skos:prefLabel ?name }", name="Iran") == [
        {"e": "https://w3id.org/militia-kg/id/iran", "name": "Iran"}]


@pytest.mark.parametrize("value, says", [
    (Literal("Iran", datatype='http://a>) ("Iran") } UNION { ?e ?p ?o } #'), "datatype .* is not a valid IRI"),
    (Literal("Iran", datatype="not an iri"), "is not a valid IRI"),
    (URIRef('urn:a> } UNION { ?e ?p ?o } #'), "not a valid IRI"),
    (URIRef("relative/path"), "not a valid IRI"),
    ("Ir\udcffan", "lone surrogate"),
    (Literal("x", datatype="urn:\ud800"), "lone surrogate"),
])
def test_hostile_bindings_are_refused_in_one_printable_line(g, value, says):
    with pytest.raises(QueryError, match=says) as caught:
        g.sparql("SELECT ?e WHERE { ?e skos:prefLabel ?name }", name=value)
    message = str(caught.value)
    assert "\n" not in message
    message.encode("utf-8")  # printable: no lone surrogate in the message itself


def test_a_blank_node_cannot_be_bound(g):
    from rdflib import BNode

    with pytest.raises(QueryError, match="blank node"):
        g.sparql("SELECT ?e WHERE { ?e ?p ?name }", name=BNode())


def test_a_query_with_a_lone_surrogate_is_a_query_error(g):
    with pytest.raises(QueryError, match="not valid Unicode"):
        g.sparql('SELECT ?e WHERE { ?e skos:prefLabel "\udcff" }')


def test_kg_query_param_with_a_lone_surrogate_is_one_line(tmp_path):
    write_build_store(tmp_path, graph_to_quads(sample_graph()))
    result = CliRunner().invoke(cli, ["query", str(tmp_path), "SELECT ?e WHERE { ?e skos:prefLabel ?name }",
                                      "--param", "name=Ir\udcffan"])
    assert result.exit_code == 1
    assert "lone surrogate" in result.output and "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_kg_query_param_binds_before_grouping(tmp_path):
    write_build_store(tmp_path, graph_to_quads(sample_graph()))
    result = CliRunner().invoke(cli, ["query", str(tmp_path), CASES["aggregate"][0], "--param", "name=Iran",
                                      "--format", "csv"])
    assert result.exit_code == 0, result.output
    assert result.output.split() == ["n", "1"]
