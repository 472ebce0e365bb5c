"""Binding and paging a query by its text (kg.sparql_text), checked against Oxigraph's own binding."""

import pytest
from rdflib import Literal, URIRef

from kg.errors import QueryError
from kg.model import Entity, Graph
from kg.query import saved_queries
from kg.rdf import graph_to_quads
from kg.sparql_text import bind_in_groups, page, query_form, tokens
from kg.stores import open_store


@pytest.fixture(scope="module")
def store():
    store = open_store()
    store.load(graph_to_quads(Graph(entities={
        "kh": Entity("kh", "Kataib Hezbollah", "Militia", ["KH", "Kata'ib Hizballah"]),
        "iran": Entity("iran", "Iran", "State", qid="Q794"),
        "quote": Entity("quote", 'The "}" Brigade #1', "Militia"),
    })))
    return store


def rows(answer):
    return sorted(sorted((k, v.n3()) for k, v in row.items()) for row in answer.rows)


QUERIES = [
    # a FILTER in a sub-SELECT, a projected parameter, GROUP BY on it
    saved_queries()["entity"].text,
    # the parameter only in the projection
    "SELECT ?name WHERE { }",
    # inside OPTIONAL and a nested group
    "SELECT ?e ?l ?name WHERE { ?e a kg:Militia OPTIONAL { ?e skos:altLabel ?l FILTER(CONTAINS(?l, ?name)) } }",
    # a MINUS that does not use the parameter keeps its meaning
    "SELECT ?e ?name WHERE { ?e rdfs:label ?l FILTER(?l != ?name) MINUS { ?e a kg:State } }",
    # braces and variable names inside strings, IRIs and comments are not syntax
    'SELECT ?e ?name WHERE { # { ?name }\n ?e rdfs:label ?l FILTER(?l = ?name || ?l = "{ ?name }") }',
]


def oxigraph_substituted(store, query: str, name: str) -> list:
    """The rows Oxigraph's own substitution gives (it needs the variable projected, as QUERIES do)."""
    import pyoxigraph as ox

    from kg.stores.terms import from_ox_term, to_ox_quads
    from kg.vocab import PREFIXES

    raw = ox.Store()
    raw.bulk_extend(to_ox_quads(store.quads()))
    solutions = raw.query(query, prefixes=PREFIXES, use_default_graph_as_union=True,
                          substitutions={ox.Variable("name"): ox.Literal(name)})
    names = [v.value for v in solutions.variables]
    return sorted(sorted((n, from_ox_term(row[n]).n3()) for n in names if row[n] is not None) for row in solutions)


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("name", ["KH", "Iran", 'The "}" Brigade #1', "nobody } UNION { ?s ?p ?o"])
def test_binding_in_groups_answers_as_oxigraph_substitution_does(store, query, name):
    bound_in_text = store.execute(bind_in_groups(query, {"name": name}))
    assert rows(bound_in_text) == oxigraph_substituted(store, query, name)
    assert rows(store.execute(query, params={"name": name})) == rows(bound_in_text)
    assert store.sparql(query, name=name) == store.sparql(bind_in_groups(query, {"name": name}))


def test_a_hostile_value_stays_one_literal():
    text = bind_in_groups("SELECT ?x WHERE { ?s ?p ?x }", {"x": '"} } DROP ALL #'})
    assert '"\\"} } DROP ALL #"' in text
    assert [t.kind for t in tokens(text)].count("string") == 1


def test_an_iri_is_bound_as_an_iri():
    assert "<urn:kg:x>" in bind_in_groups("SELECT ?e { ?e ?p ?o }", {"e": URIRef("urn:kg:x")})


def test_a_bad_variable_name_or_iri_is_refused():
    with pytest.raises(QueryError):
        bind_in_groups("SELECT ?x {}", {"x y": 1})
    with pytest.raises(QueryError, match="not a valid IRI"):
        bind_in_groups("SELECT ?x {}", {"x": URIRef("urn:a> } #")})


def test_constructs_template_and_values_blocks_are_not_groups():
    text = bind_in_groups("CONSTRUCT { ?s ?p ?x } WHERE { VALUES ?y { 1 } ?s ?p ?o }", {"x": Literal(1)})
    assert text.startswith("CONSTRUCT { ?s ?p ?x } WHERE { VALUES (?x)")
    assert "VALUES ?y { 1 }" in text


@pytest.mark.parametrize("query, pageable", [
    ("SELECT ?s WHERE { ?s ?p ?o }", True),
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", True),
    ('SELECT ?s WHERE { ?s ?p "LIMIT 5" }', True),
    ("SELECT ?s WHERE { ?s ?p ?o } # LIMIT 5", True),
    ("SELECT ?s WHERE { { SELECT ?s { ?s ?p ?o } LIMIT 5 } }", True),
    ("SELECT ?s WHERE { ?s ?p ?o } LIMIT 5", False),
    ("SELECT ?s WHERE { ?s ?p ?o } OFFSET 5", False),
    ("SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <urn:a> }", False),
    ("ASK { ?s ?p ?o }", False),
    ("DESCRIBE <urn:a>", False),
])
def test_paging_only_where_it_keeps_the_meaning(query, pageable):
    assert (page(query, 10, 20) is not None) == pageable


def test_pages_read_in_turn_give_the_whole_answer(store):
    query = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
    whole = store.execute(query).rows
    pages = [store.execute(page(query, 7, offset)).rows for offset in range(0, len(whole) + 7, 7)]
    assert [row for rows_ in pages for row in rows_] == whole


def test_query_form_reads_past_prefixes_and_comments():
    assert query_form("PREFIX a: <urn:a#>\n# SELECT\nCONSTRUCT WHERE { ?s ?p ?o }") == "CONSTRUCT"
    assert query_form("DELETE WHERE { ?s ?p ?o }") == "UPDATE"
    assert query_form("SELEC ?x") == ""


def test_unbalanced_braces_are_a_query_error():
    with pytest.raises(QueryError, match="braces"):
        tokens("SELECT ?x { ?x ?p ?o")
