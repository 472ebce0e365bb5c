"""kg.query: the saved queries over a small hand-built graph, their parameters, and the output formats."""

from __future__ import annotations

import csv
import io
import json

import pytest
from rdflib import BNode, Literal, URIRef

from kg.errors import QueryError
from kg.query import FORMATS, format_results, read_saved, run, run_saved, saved_queries
from kg.rdf import graph_to_quads
from kg.stores import Answer, open_store
from tests.sparql_sample import HOSTILE, HOSTILE_ALIAS, sample_graph

REQUIRED = {"attacks-by-militia", "backers", "claims-timeline", "condemnations", "entity", "attacks-on-bases",
            "documents"}


@pytest.fixture(scope="module")
def store():
    fresh = open_store()
    fresh.load(graph_to_quads(sample_graph()))
    return fresh


def table(answer: Answer, *columns: str) -> list[tuple]:
    return [tuple(None if row.get(c) is None else row[c].toPython() for c in columns) for row in answer.rows]


# ------------------------------------------------------------------ the saved queries


def test_saved_queries_are_described():
    saved = saved_queries()
    assert REQUIRED <= set(saved)
    for query in saved.values():
        assert query.description and not query.description.startswith("#")
        assert query.params == {"entity": ("name",), "leaders-as-of": ("date",)}.get(query.name, ())


def test_read_saved(tmp_path):
    path = tmp_path / "who.rq"
    path.write_text("# Who is called NAME.\n# param: name\n#param:  kind \n\n# not the description\n"
                    "SELECT ?e ?name WHERE { ?e rdfs:label ?name }\n# param: ignored\n")
    query = read_saved(path)
    assert (query.name, query.description, query.params) == ("who", "Who is called NAME.", ("name", "kind"))
    assert saved_queries(tmp_path)["who"] == query


def test_attacks_by_militia(store):
    answer = run_saved(store, "attacks-by-militia")
    assert table(answer, "militia", "month", "attacks", "reports") == [
        ("Kataib Hezbollah", "2021-07", 1, 1),
        (HOSTILE, "2021-08", 1, 0),  # a group's own claim counts as its attack
    ]


def test_backers(store):
    rows = table(run_saved(store, "backers"), "groupName", "backerName", "documents", "hedged", "first", "last")
    assert [(g, b, d, h, str(f), str(last)) for g, b, d, h, f, last in rows] == [
        ("Kataib Hezbollah", "Iran", 2, 1, "2021-07-07", "2021-08-02"),
        (HOSTILE, "Iran", 1, 0, "2021-08-02", "2021-08-02"),
    ]


def test_claims_timeline(store):
    rows = table(run_saved(store, "claims-timeline"), "date", "groupName", "targetName", "kind", "document")
    assert [(str(d), g, t, k, doc) for d, g, t, k, doc in rows] == [
        ("2021-07-08", "Kataib Hezbollah", "Ain al-Asad", "statement", "wire.jsonl#2"),
        ("2021-08-01", HOSTILE, "Ain al-Asad", "attack", None),
    ]


def test_condemnations(store):
    rows = table(run_saved(store, "condemnations"), "actorName", "condemnedName", "documents", "actorType")
    assert rows == [("United States", "Kataib Hezbollah", 1, "State")]


def test_attacks_on_bases(store):
    rows = table(run_saved(store, "attacks-on-bases"), "date", "baseName", "attackerName", "claimedBy", "weapon",
                 "wounded")
    assert [(str(r[0]), r[1], r[2], r[3] or "", *r[4:]) for r in rows] == [  # no claimant: "" or unbound
        ("2021-07-07", "Ain al-Asad", "Kataib Hezbollah", "", "rockets", 2),
        ("2021-08-01", "Ain al-Asad", None, HOSTILE, "drone", None),
    ]


def test_documents(store):
    rows = table(run_saved(store, "documents"), "id", "statements")
    assert sorted(rows) == [("forum.html", 2), ("wire.jsonl#1", 2), ("wire.jsonl#2", 2)]


@pytest.mark.parametrize("name", ["Kataib Hezbollah", "kataib hezbollah", "KH", "kh", "KATA'IB HIZBALLAH"])
def test_entity_by_any_name_any_case(store, name):
    answer = run_saved(store, "entity", name=name)
    assert {str(r["entity"]) for r in answer.rows} == {"https://w3id.org/militia-kg/id/kataib-hezbollah"}
    facts = {(r["direction"].toPython(), r["property"].split("#")[-1], str(r.get("valueName") or r["value"]))
             for r in answer.rows}
    assert ("out", "backedBy", "Iran") in facts
    assert ("out", "altLabel", "KH") in facts
    assert ("in", "condemned", "United States") in facts
    assert ("in", "attacker", "attack on ain-al-asad on 2021-07-07") in facts
    backing = next(r for r in answer.rows if r["property"].endswith("#backedBy"))
    assert backing["documents"].toPython() == 2


@pytest.mark.parametrize("name", [HOSTILE, HOSTILE.upper(), HOSTILE_ALIAS])
def test_entity_with_a_hostile_name(store, name):
    answer = run_saved(store, "entity", name=name)
    assert {str(r["entity"]) for r in answer.rows} == {"https://w3id.org/militia-kg/id/hostile"}
    assert all(str(r["name"]) == name for r in answer.rows)


@pytest.mark.parametrize("name", ['" } UNION { ?entity ?property ?value } #', "Kataib", "", "\\", "KH\n"])
def test_entity_unknown_names_find_nothing(store, name):
    assert run_saved(store, "entity", name=name).rows == []


def test_run_saved_checks_its_arguments(store):
    with pytest.raises(QueryError, match="no saved query 'nope'; the saved ones are attacks-by-militia"):
        run_saved(store, "nope")
    with pytest.raises(QueryError, match="needs a value for name"):
        run_saved(store, "entity")
    with pytest.raises(QueryError, match="has no parameter 'who'"):
        run_saved(store, "backers", who="x")


def test_run_saved_limits(store):
    answer = run_saved(store, "entity", name="KH", max_rows=2, timeout=30)
    assert len(answer.rows) == 2 and answer.truncated


def test_run_with_params(store):
    answer = run(store, "SELECT ?e ?n WHERE { ?e skos:altLabel ?l FILTER(CONTAINS(?l, ?n)) }",
                 params={"n": "DROP }"})
    assert [str(r["e"]) for r in answer.rows] == ["https://w3id.org/militia-kg/id/hostile"]
    iri = run(store, "SELECT ?l ?e WHERE { ?e rdfs:label ?l }",
              params={"e": URIRef("https://w3id.org/militia-kg/id/iran")})
    assert [str(r["l"]) for r in iri.rows] == ["Iran"]


# ------------------------------------------------------------------ formats


ROWS = [
    {"e": URIRef("https://w3id.org/militia-kg/id/kataib-hezbollah"), "n": Literal(3), "name": Literal(HOSTILE)},
    {"e": BNode("b0"), "name": Literal("Iran", lang="en")},
]


def test_format_table():
    text = format_results(ROWS, "table")
    lines = text.splitlines()
    assert lines[0].split() == ["e", "n", "name"]
    assert lines[2].startswith("id:kataib-hezbollah  3")
    assert len(lines) == 4, "a newline in a value stays on its row"
    assert "_:b0" in lines[3]


def test_format_csv():
    rows = list(csv.DictReader(io.StringIO(format_results(ROWS, "csv"), newline="")))
    assert rows[0] == {"e": "https://w3id.org/militia-kg/id/kataib-hezbollah", "n": "3", "name": HOSTILE}
    assert rows[1] == {"e": "_:b0", "n": "", "name": "Iran"}


def test_format_tsv():
    lines = format_results(ROWS, "tsv").split("\n")
    assert lines[0] == "?e\t?n\t?name"
    cells = lines[1].split("\t")
    assert cells[1] == '"3"^^<http://www.w3.org/2001/XMLSchema#integer>'
    assert cells[2] == '"Saraya \\"Awliya\\" al-Dam \\\\ } UNION { ?s ?p ?o } #\\nx"'
    assert lines[2] == '_:b0\t\t"Iran"@en' and lines[3] == ""


def test_format_json():
    document = json.loads(format_results(ROWS, "json"))
    assert document["head"]["vars"] == ["e", "n", "name"]
    first, second = document["results"]["bindings"]
    assert first["name"] == {"type": "literal", "value": HOSTILE}
    assert first["n"]["datatype"].endswith("#integer")
    assert second == {"e": {"type": "bnode", "value": "b0"},
                      "name": {"type": "literal", "value": "Iran", "xml:lang": "en"}}


def test_format_answers(store):
    ask = run(store, "ASK { ?s a kg:Base }")
    assert format_results(ask, "table") == "true"
    assert json.loads(format_results(ask, "json")) == {"head": {}, "boolean": True}
    graph = run(store, "CONSTRUCT { ?s a kg:Base } WHERE { ?s a kg:Base }")
    assert format_results(graph, "csv").splitlines() == [
        "subject,predicate,object",
        "https://w3id.org/militia-kg/id/ain-al-asad,http://www.w3.org/1999/02/22-rdf-syntax-ns#type,"
        "https://w3id.org/militia-kg/ontology#Base",
    ]
    empty = run(store, "SELECT ?x ?y WHERE { ?x a kg:Nothing }")
    assert format_results(empty, "table").splitlines()[0].split() == ["x", "y"]
    assert json.loads(format_results(empty, "json"))["head"]["vars"] == ["x", "y"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_saved_query_prints_in_every_format(store, fmt):
    for name in saved_queries():
        params = {"entity": {"name": "KH"}, "leaders-as-of": {"date": "2021-06-01"}}.get(name, {})
        assert format_results(run_saved(store, name, **params), fmt)


def test_format_refuses_unknown_formats():
    with pytest.raises(QueryError, match="no format 'xml'"):
        format_results(ROWS, "xml")
