"""kg.stores (the embedded store and a build folder): loading, safe binding, limits, answer formats, named graphs, and a build's atomic store switch."""

from __future__ import annotations

import csv
import io
import json
import os
import threading
import time
import xml.etree.ElementTree as ET

import pytest
from rdflib import XSD, Dataset, Literal, URIRef

from kg.errors import QueryError, QueryTimeout, StoreError
from kg.model import Document, Entity, Graph
from kg.rdf import graph_to_quads
from kg.stores import (
    STORE_DIRNAME, negotiate, open_build, open_store, update_build_store, write_build_store,
)
from kg.vocab import ENTITY_GRAPH, document_graph, entity_iri
from tests.sparql_sample import HOSTILE, HOSTILE_ALIAS, sample_graph

HOSTILE_VALUES = [HOSTILE, HOSTILE_ALIAS, 'a"b', "back\\slash", "new\nline", "} #", '"""', "\\u0022", "é ü 中文"]
SLOW = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # streams 10^8+ rows
LABEL_IS = "SELECT ?e ?name WHERE { ?e rdfs:label|skos:altLabel ?l FILTER(STR(?l) = ?name) }"


@pytest.fixture
def store():
    fresh = open_store()
    fresh.load(graph_to_quads(sample_graph()))
    return fresh


def small_graph(n: int) -> Graph:
    return Graph(entities={f"e{i}": Entity(f"e{i}", f"Entity {i}", "Militia") for i in range(n)},
                 documents=[Document(f"d{i}", "s", "t") for i in range(n)])


def no_workers_left(within: float = 5.0) -> bool:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if not any(t.name == "kg-sparql" for t in threading.enumerate()):
            return True
        time.sleep(0.02)
    return False


# ------------------------------------------------------------------ loading and graphs


def test_store_keeps_each_document_in_its_graph(store):
    graphs = store.graphs()
    assert ENTITY_GRAPH in graphs
    assert {document_graph(d) for d in ("wire.jsonl#1", "wire.jsonl#2", "forum.html")} <= set(graphs)


def test_store_remove_and_replace_graph(store):
    before = len(store)
    doc = document_graph("forum.html")
    store.remove_graph(doc)
    assert doc not in store.graphs() and len(store) < before
    store.replace_graph(doc, [(entity_iri("iran"), URIRef("urn:p"), Literal("x"), doc)])
    assert store.sparql("ASK { GRAPH ?g { ?s <urn:p> 'x' } }", g=doc) is True


def test_store_load_file(tmp_path, store):
    path = tmp_path / "all.nq"
    store.dump(path, format="nquads")
    copy = open_store(tmp_path / "copy")
    copy.load_file(path)
    assert len(copy) == len(store)
    with pytest.raises(StoreError, match="cannot load"):
        copy.load_file(tmp_path / "missing.nq")


# ------------------------------------------------------------------ binding


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_store_params_bind_hostile_strings(value):
    fresh = open_store()
    fresh.load([(URIRef("urn:e"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(value),
                 URIRef("urn:g"))])
    answer = fresh.execute(LABEL_IS, params={"name": value})
    assert [str(r["e"]) for r in answer.rows] == ["urn:e"]
    assert str(answer.rows[0]["name"]) == value
    assert fresh.execute(LABEL_IS, params={"name": value + " "}).rows == []


@pytest.mark.parametrize("value", HOSTILE_VALUES)
def test_store_values_bind_hostile_strings(value):
    fresh = open_store()
    fresh.load([(URIRef("urn:e"), URIRef("urn:p"), Literal(value), URIRef("urn:g"))])
    assert fresh.sparql("SELECT ?e WHERE { ?e <urn:p> ?v }", v=value) == [{"e": "urn:e"}]


def test_store_an_injection_stays_a_value(store):
    injection = '"} UNION { ?e ?p ?name } #'
    assert store.execute(LABEL_IS, params={"name": injection}).rows == []
    assert store.sparql("SELECT ?e WHERE { ?e rdfs:label ?name }", name=injection) == []


def test_store_params_need_not_be_projected(store):
    """Bound before evaluation: a FILTER sees the value although the SELECT does not project it."""
    answer = store.execute("SELECT ?e WHERE { ?e rdfs:label ?l FILTER(?l = ?name) }", params={"name": "Iran"})
    assert [str(r["e"]) for r in answer.rows] == [str(entity_iri("iran"))]


@pytest.mark.parametrize("name", ["bad name", "x}", "1x", ""])
def test_store_refuses_bad_variable_names(store, name):
    with pytest.raises(QueryError, match="cannot bind"):
        store.execute("SELECT * WHERE { }", params={name: "v"})


def test_store_malformed_query_is_one_clear_line(store):
    with pytest.raises(QueryError, match=r"malformed SPARQL at line 1, column \d+") as caught:
        store.execute("SELECT ?x WHERE { ?s ?p")
    assert "\n" not in str(caught.value) and len(str(caught.value)) < 300


# ------------------------------------------------------------------ limits


def test_store_row_limit(store):
    total = len(store.execute("SELECT * WHERE { ?s ?p ?o }").rows)
    assert total > 5
    cut = store.execute("SELECT * WHERE { ?s ?p ?o }", max_rows=5)
    assert len(cut.rows) == 5 and cut.truncated
    whole = store.execute("SELECT * WHERE { ?s ?p ?o }", max_rows=total)
    assert len(whole.rows) == total and not whole.truncated
    graph = store.execute("CONSTRUCT WHERE { ?s ?p ?o }", max_rows=3)
    assert graph.kind == "graph" and len(graph.rows) == 3 and graph.truncated


def test_store_timeout_stops_a_streaming_query():
    fresh = open_store()
    fresh.load(graph_to_quads(small_graph(20)))
    started = time.monotonic()
    with pytest.raises(QueryTimeout, match=r"query took longer than 0.2 s"):
        fresh.execute(SLOW, timeout=0.2)
    assert time.monotonic() - started < 1.5
    assert no_workers_left(), "the worker should stop at its next row"


def test_store_timeout_answers_at_once_while_a_blocking_query_finishes():
    fresh = open_store()
    fresh.load(graph_to_quads(small_graph(20)))
    started = time.monotonic()
    with pytest.raises(QueryTimeout):
        fresh.execute("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }", timeout=0.05)
    assert time.monotonic() - started < 0.5
    assert no_workers_left(30)


def test_store_fast_query_within_timeout(store):
    answer = store.execute("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", timeout=10, max_rows=10)
    assert int(answer.rows[0]["n"]) > 0


def test_store_busy_slots_time_out(store):
    slots = threading.BoundedSemaphore(1)
    slots.acquire()
    try:
        with pytest.raises(QueryTimeout, match="busy"):
            store.sparql_raw("ASK { }", timeout=0.1, slots=slots)
    finally:
        slots.release()
    assert store.sparql_raw("ASK { }", timeout=1, slots=slots).body  # the slot is free again


@pytest.mark.parametrize("options", [{"timeout": 0}, {"timeout": -1}, {"max_rows": -1}])
def test_store_refuses_bad_limits(store, options):
    with pytest.raises(QueryError):
        store.execute("ASK { }", **options)


# ------------------------------------------------------------------ answer formats


def test_store_raw_select_formats(store):
    query = "SELECT ?e ?name WHERE { ?e rdfs:label ?name } ORDER BY ?name"
    body, media, truncated = store.sparql_raw(query, accept="application/sparql-results+json")
    assert media == "application/sparql-results+json" and not truncated
    names = [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]
    assert HOSTILE in names and "Kataib Hezbollah" in names

    body, media, _ = store.sparql_raw(query, accept="application/sparql-results+xml")
    assert media == "application/sparql-results+xml"
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    assert HOSTILE in [el.text for el in ET.fromstring(body).iterfind(".//r:literal", ns)]

    body, media, _ = store.sparql_raw(query, accept="text/csv")
    assert media == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8"), newline="")))
    assert HOSTILE in [r["name"] for r in rows]

    body, media, _ = store.sparql_raw(query, accept="text/tab-separated-values")
    assert media.startswith("text/tab-separated-values")
    lines = body.decode("utf-8").splitlines()
    assert lines[0] == "?e\t?name" and len(lines) == 1 + len(rows)  # the newline in HOSTILE is escaped


def test_store_raw_graph_formats(store):
    query = "CONSTRUCT { ?e rdfs:label ?name } WHERE { ?e a kg:Militia ; rdfs:label ?name }"
    for accept, media, syntax in [("text/turtle", "text/turtle; charset=utf-8", "turtle"),
                                  ("application/ld+json", "application/ld+json", "json-ld"),
                                  ("application/n-triples", "application/n-triples", "nt"),
                                  ("application/rdf+xml", "application/rdf+xml", "xml")]:
        body, got, _ = store.sparql_raw(query, accept=accept)
        assert got == media
        parsed = Dataset()
        parsed.parse(data=body, format=syntax)
        assert Literal(HOSTILE) in set(parsed.objects()), accept


def test_store_raw_defaults_and_ask(store):
    assert store.sparql_raw("SELECT * WHERE { }").media_type == "application/sparql-results+json"
    assert store.sparql_raw("CONSTRUCT WHERE { ?s ?p ?o }", accept="*/*").media_type.startswith("text/turtle")
    assert store.sparql_raw("SELECT * WHERE { }", accept="text/html").media_type == "application/sparql-results+json"
    body, media, _ = store.sparql_raw("ASK { ?s a kg:Base }", accept="application/json")
    assert media == "application/json" and json.loads(body) == {"head": {}, "boolean": True}
    body, _, _ = store.sparql_raw("ASK { ?s a kg:Nothing }", accept="application/sparql-results+xml")
    assert b"<boolean>false</boolean>" in body


def test_store_raw_narrowed_dataset(store):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"

    def count(**options) -> int:
        return int(json.loads(store.sparql_raw(query, **options).body)["results"]["bindings"][0]["n"]["value"])

    assert count() == len(store)
    only = count(default_graphs=[str(document_graph("forum.html"))])
    assert 0 < only < len(store)
    with pytest.raises(QueryError, match="not a graph IRI"):
        count(default_graphs=["not an iri"])


@pytest.mark.parametrize("accept, expected", [
    ("text/csv;q=0.5, application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/*", "text/csv"),
    ("application/json;q=0, */*;q=0.1", "application/sparql-results+json"),
    ("text/html", None),
    ("", "application/sparql-results+json"),
    ("TEXT/CSV", "text/csv"),
    ("text/csv;q=abc, text/tab-separated-values", "text/tab-separated-values"),
])
def test_negotiate(accept, expected):
    offered = ["application/sparql-results+json", "application/json", "application/sparql-results+xml",
               "text/csv", "text/tab-separated-values"]
    assert negotiate(accept, offered) == expected


# ------------------------------------------------------------------ files


def test_store_dumps_keep_the_graphs(tmp_path, store):
    for name, fmt in (("g.trig", "trig"), ("g.nq", "nquads")):
        store.dump(tmp_path / name, format=fmt)
        parsed = Dataset()
        parsed.parse(tmp_path / name, format=fmt)
        assert {str(g.identifier) for g in parsed.graphs()} >= {str(ENTITY_GRAPH), str(document_graph("forum.html"))}
    store.dump_jsonld(tmp_path / "g.jsonld")
    parsed = Dataset()
    parsed.parse(tmp_path / "g.jsonld", format="json-ld")
    assert {str(g.identifier) for g in parsed.graphs()} >= {str(ENTITY_GRAPH), str(document_graph("forum.html"))}
    store.dump_jsonld(tmp_path / "flat.jsonld", graphs=False)
    assert Literal(HOSTILE) in set(Dataset().parse(tmp_path / "flat.jsonld", format="json-ld").objects())
    store.dump_turtle(tmp_path / "g.ttl")
    assert Literal(HOSTILE) in set(Dataset().parse(tmp_path / "g.ttl", format="turtle").objects())


# ------------------------------------------------------------------ a build's store


def test_open_build_without_a_store(tmp_path):
    with pytest.raises(StoreError, match=r"is not a militia-kg build \(no store\); run `kg build INPUT --out "):
        open_build(tmp_path)


def test_write_build_store_switches_atomically(tmp_path):
    first = write_build_store(tmp_path, graph_to_quads(small_graph(3)))
    link = tmp_path / STORE_DIRNAME
    assert link.is_symlink() and link.resolve() == first.resolve()
    old_reader = open_build(tmp_path)
    old_size = len(old_reader)

    second = write_build_store(tmp_path, graph_to_quads(small_graph(7)))
    assert second != first and not first.exists(), "the old snapshot is deleted after the switch"
    assert link.resolve() == second.resolve()
    assert [p.name for p in tmp_path.glob("store-*")] == [second.name]

    assert len(old_reader) == old_size, "a reader keeps its snapshot"
    labels = old_reader.execute("SELECT ?l WHERE { ?e a kg:Militia ; rdfs:label ?l }").rows
    assert sorted(str(r["l"]) for r in labels) == ["Entity 0", "Entity 1", "Entity 2"]
    new_reader = open_build(tmp_path)
    assert len(new_reader) > old_size
    assert new_reader.path == link


def test_readers_never_see_half_a_store(tmp_path):
    sizes = set()
    for n in (2, 4, 6):
        write_build_store(tmp_path, graph_to_quads(small_graph(n)))
        sizes.add(len(open_build(tmp_path)))
    seen, errors, stop = [], [], threading.Event()

    def read() -> None:
        while not stop.is_set():
            try:
                seen.append(len(open_build(tmp_path)))
            except Exception as error:  # noqa: BLE001 (any failure fails the test)
                errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for n in (2, 4, 6, 2, 4, 6):
            write_build_store(tmp_path, graph_to_quads(small_graph(n)))
    finally:
        stop.set()
        for reader in readers:
            reader.join()
    assert not errors
    assert seen and set(seen) <= sizes


def test_update_build_store_replaces_one_document(tmp_path):
    graph = sample_graph()
    write_build_store(tmp_path, graph_to_quads(graph))
    before = open_build(tmp_path)
    forum = document_graph("forum.html")
    new_quads = [(entity_iri("iran"), URIRef("urn:said"), Literal("new"), forum)]
    update_build_store(tmp_path, remove_graphs=[forum], quads=new_quads)
    after = open_build(tmp_path)
    assert after.sparql("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", g=forum) == [{"o": "new"}]
    assert len(before.sparql("SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }", g=forum)) > 1, "the old snapshot stands"
    assert len(list(tmp_path.glob("store-*"))) == 1


def test_write_build_store_keeps_every_term_exactly(tmp_path):
    values = [*HOSTILE_VALUES, "carriage\rreturn", "tab\there", "_:b0 <x> .", ""]
    quads = [(URIRef(f"urn:e{i}"), URIRef("urn:p"), Literal(v), URIRef("urn:g")) for i, v in enumerate(values)]
    quads += [(URIRef("urn:t"), URIRef("urn:p"), term, URIRef("urn:g2")) for term in (
        Literal("Kataib Hezbollah", lang="en"), Literal('a "quoted" name', lang="ar-Latn"),
        Literal("2020-01-03", datatype=XSD.date), Literal(3), Literal(0.25), Literal(True),
    )]
    write_build_store(tmp_path, quads)
    stored = set(open_build(tmp_path).quads())
    assert stored == set(quads)
    assert not list(tmp_path.glob(".load-*")), "the file it loaded from is gone"


def test_write_build_store_replaces_an_old_style_folder(tmp_path):
    legacy = open_store(tmp_path / STORE_DIRNAME)
    legacy.load(graph_to_quads(small_graph(2)))
    legacy.flush()
    del legacy
    assert len(open_build(tmp_path)) > 0
    write_build_store(tmp_path, graph_to_quads(small_graph(5)))
    assert (tmp_path / STORE_DIRNAME).is_symlink()
    assert len(list(tmp_path.glob("store-*"))) == 1


def test_write_build_store_cleans_up_after_dead_writers(tmp_path):
    write_build_store(tmp_path, graph_to_quads(small_graph(2)))
    dead = tmp_path / "store-20200101T000000.000000-999999999"
    dead.mkdir()
    write_build_store(tmp_path, graph_to_quads(small_graph(2)))
    assert not dead.exists()


def test_write_build_store_failure_leaves_the_build_alone(tmp_path):
    write_build_store(tmp_path, graph_to_quads(small_graph(2)))
    size = len(open_build(tmp_path))
    bad = [(URIRef("not an iri"), URIRef("urn:p"), Literal("o"), URIRef("urn:g"))]
    with pytest.raises(StoreError):
        write_build_store(tmp_path, bad)
    assert len(open_build(tmp_path)) == size
    assert len(list(tmp_path.glob("store-*"))) == 1
    assert not any(p.name.endswith(".tmp") or p.name.startswith(".load-") for p in tmp_path.iterdir())
    assert os.path.islink(tmp_path / STORE_DIRNAME)


def test_concurrent_updates_keep_every_change(tmp_path):
    write_build_store(tmp_path, graph_to_quads(small_graph(2)))
    graphs = [URIRef(f"urn:graph:{i}") for i in range(4)]

    def add(graph: URIRef) -> None:
        update_build_store(tmp_path, quads=[(URIRef("urn:s"), URIRef("urn:p"), Literal(str(graph)), graph)])

    threads = [threading.Thread(target=add, args=(g,)) for g in graphs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert set(graphs) <= set(open_build(tmp_path).graphs())
    assert len(list(tmp_path.glob("store-*"))) == 1


def test_update_build_store_needs_a_build(tmp_path):
    with pytest.raises(StoreError, match="is not a militia-kg build"):
        update_build_store(tmp_path, quads=[])
