"""kg.serve: the SPARQL 1.1 Protocol endpoint, queried over loopback with urllib, SPARQLWrapper and rdflib."""

from __future__ import annotations

import http.client
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from urllib.parse import urlencode, urlsplit

import pytest
from rdflib import Graph, Literal
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore

from kg.errors import StoreError
from kg.model import Entity
from kg.rdf import graph_to_quads
from kg.serve import make_server
from kg.stores import write_build_store
from tests.sparql_sample import HOSTILE, sample_graph

LABELS = "SELECT ?e ?name WHERE { ?e rdfs:label ?name } ORDER BY ?name"
SLOW = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    write_build_store(folder, graph_to_quads(sample_graph()))
    return folder


@contextmanager
def running(build_dir, **options):
    server = make_server(build_dir, "127.0.0.1", 0, quiet=True, **options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def server(build):
    with running(build, timeout=10, max_rows=1000) as started:
        yield started


def request(server, method: str, path: str, body: bytes | str | None = None, headers: dict | None = None):
    """(status, headers, body) of one request on a fresh connection."""
    host, port = server.server_address[:2]
    connection = http.client.HTTPConnection(host, port, timeout=30)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.headers, response.read()
    finally:
        connection.close()


def get(server, query: str, accept: str | None = None, **params):
    headers = {"Accept": accept} if accept else {}
    return request(server, "GET", "/sparql?" + urlencode({"query": query, **params}), headers=headers)


def names(body: bytes) -> list[str]:
    return [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]


# ------------------------------------------------------------------ the protocol


def test_serve_get_and_post(server):
    status, headers, body = get(server, LABELS)
    assert status == 200 and headers["Content-Type"] == "application/sparql-results+json"
    assert HOSTILE in names(body) and "Kataib Hezbollah" in names(body)
    direct = request(server, "POST", "/sparql", LABELS, {"Content-Type": "application/sparql-query; charset=utf-8"})
    form = request(server, "POST", "/sparql", urlencode({"query": LABELS}),
                   {"Content-Type": "application/x-www-form-urlencoded"})
    assert direct[0] == form[0] == 200
    assert names(direct[2]) == names(form[2]) == names(body)


@pytest.mark.parametrize("accept, media", [
    ("application/sparql-results+json", "application/sparql-results+json"),
    ("application/json", "application/json"),
    ("application/sparql-results+xml", "application/sparql-results+xml"),
    ("text/csv", "text/csv; charset=utf-8"),
    ("text/tab-separated-values", "text/tab-separated-values; charset=utf-8"),
    ("text/html,application/xhtml+xml,*/*;q=0.8", "application/sparql-results+json"),
    ("text/csv;q=0.2, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
])
def test_serve_negotiates_select_formats(server, accept, media):
    status, headers, body = get(server, LABELS, accept)
    assert status == 200 and headers["Content-Type"] == media and headers["Vary"] == "Accept"
    assert HOSTILE.split("\n")[0].encode() in body or b"Saraya" in body


@pytest.mark.parametrize("accept, media, syntax", [
    (None, "text/turtle; charset=utf-8", "turtle"),
    ("text/turtle", "text/turtle; charset=utf-8", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/n-triples", "application/n-triples", "nt"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_serve_negotiates_graph_formats(server, accept, media, syntax):
    query = "CONSTRUCT { ?e rdfs:label ?name } WHERE { ?e a kg:Militia ; rdfs:label ?name }"
    status, headers, body = get(server, query, accept)
    assert status == 200 and headers["Content-Type"] == media
    assert Literal(HOSTILE) in set(Graph().parse(data=body, format=syntax).objects())


def test_serve_format_parameter_overrides_accept(server):
    status, headers, _ = get(server, LABELS, "application/sparql-results+json", format="csv")
    assert headers["Content-Type"].startswith("text/csv")
    _, headers, _ = get(server, "DESCRIBE id:iran", output="json")
    assert headers["Content-Type"] == "application/ld+json"


def test_serve_ask(server):
    status, _, body = get(server, "ASK { ?s a kg:Base }")
    assert status == 200 and json.loads(body)["boolean"] is True


def test_serve_dataset_parameters(server):
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    whole = int(json.loads(get(server, query)[2])["results"]["bindings"][0]["n"]["value"])
    only = get(server, query, **{"default-graph-uri": "https://w3id.org/militia-kg/graph/entities"})
    assert 0 < int(json.loads(only[2])["results"]["bindings"][0]["n"]["value"]) < whole


# ------------------------------------------------------------------ refusals


@pytest.mark.parametrize("method, path, body, content_type", [
    ("POST", "/sparql", urlencode({"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}),
     "application/x-www-form-urlencoded"),
    ("POST", "/sparql", "INSERT DATA { <urn:a> <urn:b> <urn:c> }", "application/sparql-update"),
    ("GET", "/sparql?" + urlencode({"update": "CLEAR ALL"}), None, None),
])
def test_serve_refuses_updates(server, build, method, path, body, content_type):
    headers = {"Content-Type": content_type} if content_type else {}
    status, response_headers, text = request(server, method, path, body, headers)
    assert status == 403 and b"read-only" in text
    assert response_headers["X-Content-Type-Options"] == "nosniff"
    assert not json.loads(get(server, "ASK { <urn:a> ?p ?o }")[2])["boolean"]


def test_serve_update_clients_are_refused(server):
    store = SPARQLUpdateStore(query_endpoint=server.url, update_endpoint=server.url)
    with pytest.raises(Exception, match="403"):
        store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")


@pytest.mark.parametrize("method, path, body, headers, status, says", [
    ("GET", "/sparql?" + urlencode({"query": "SELECT ?x WHERE { ?s ?p"}), None, {}, 400, b"malformed SPARQL"),
    ("GET", "/sparql", None, {}, 400, b"no query given"),
    ("GET", "/sparql?query=ASK{}&query=ASK{}", None, {}, 400, b"more than one query"),
    ("GET", "/sparql?" + urlencode({"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}), None, {}, 400,
     b"malformed SPARQL"),
    ("GET", "/nothing", None, {}, 404, b"/sparql"),
    ("POST", "/sparql", "ASK {}", {"Content-Type": "text/plain"}, 415, b"application/sparql-query"),
    ("POST", "/sparql", b"\xff\xfe", {"Content-Type": "application/sparql-query"}, 400, b"UTF-8"),
])
def test_serve_bad_requests(server, method, path, body, headers, status, says):
    got, response_headers, text = request(server, method, path, body, headers)
    assert got == status and says in text
    assert response_headers["Content-Type"].startswith("text/plain")


def test_serve_refuses_huge_bodies(server):
    status, headers, _ = request(server, "POST", "/sparql", b"#" * (2 << 20),
                                 {"Content-Type": "application/sparql-query"})
    assert status == 413 and headers["Connection"] == "close"


# ------------------------------------------------------------------ limits


def test_serve_timeout(build):
    with running(build, timeout=0.3, max_rows=None) as slow:  # no row limit to end it early
        started = time.monotonic()
        status, _, text = get(slow, SLOW)
        assert status == 503 and b"query took longer than 0.3 s" in text
        assert time.monotonic() - started < 3
        assert get(slow, "ASK { }")[0] == 200, "the server goes on answering"


def test_serve_row_limit(build):
    with running(build, max_rows=3) as limited:
        status, headers, body = get(limited, "SELECT * WHERE { ?s ?p ?o }")
        assert status == 200 and headers["X-Truncated"] == "max-rows=3"
        assert len(json.loads(body)["results"]["bindings"]) == 3
        _, headers, _ = get(limited, "ASK { }")
        assert "X-Truncated" not in headers


# ------------------------------------------------------------------ browsers


def test_serve_no_cors_by_default(server):
    _, headers, _ = get(server, "ASK { }")
    assert "Access-Control-Allow-Origin" not in headers
    status, headers, _ = request(server, "OPTIONS", "/sparql", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST"})
    assert status == 204 and "Access-Control-Allow-Origin" not in headers


def test_serve_cors_for_the_origins_named(build):
    with running(build, cors_origins=("http://example.org",)) as allowing:
        _, headers, _ = request(
            allowing, "GET", "/sparql?" + urlencode({"query": "ASK {}"}), headers={"Origin": "http://example.org"})
        assert headers["Access-Control-Allow-Origin"] == "http://example.org"
        assert "Origin" in headers["Vary"] and "Accept" in headers["Vary"]
        status, headers, body = request(allowing, "OPTIONS", "/sparql", headers={
            "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type"})
        assert status == 204 and body == b""
        assert headers["Access-Control-Allow-Origin"] == "http://example.org"
        assert "POST" in headers["Access-Control-Allow-Methods"]
        assert "Content-Type" in headers["Access-Control-Allow-Headers"]
        _, headers, _ = request(allowing, "GET", "/sparql?" + urlencode({"query": "ASK {}"}),
                                headers={"Origin": "http://evil.example"})
        assert "Access-Control-Allow-Origin" not in headers
    with running(build, cors_origins=("*",)) as anyone:
        _, headers, _ = get(anyone, "ASK { }")
        assert headers["Access-Control-Allow-Origin"] == "*"


def test_serve_explorer(tmp_path):
    write_build_store(tmp_path, graph_to_quads(sample_graph()))
    with running(tmp_path) as bare:
        status, headers, body = request(bare, "GET", "/")
        assert status == 404 and headers["Content-Type"].startswith("text/html")
        assert b"kg build INPUT --out" in body
        (tmp_path / "explorer.html").write_text("<html>the explorer</html>")
        status, headers, body = request(bare, "GET", "/")
        assert status == 200 and body == b"<html>the explorer</html>"


def test_serve_needs_a_build(tmp_path):
    with pytest.raises(StoreError, match="is not a militia-kg build"):
        make_server(tmp_path, port=0)


def test_serve_follows_a_rebuild(tmp_path):
    graph = sample_graph()
    write_build_store(tmp_path, graph_to_quads(graph))
    with running(tmp_path) as live:
        assert "Ansar" not in names(get(live, LABELS)[2])
        graph.entities["ansar"] = Entity("ansar", "Ansar Allah", "Militia")
        write_build_store(tmp_path, graph_to_quads(graph))
        assert "Ansar Allah" in names(get(live, LABELS)[2])


# ------------------------------------------------------------------ clients


def test_serve_with_sparqlwrapper(server):
    from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper

    client = SPARQLWrapper(server.url)
    client.setQuery(LABELS)
    client.setReturnFormat(JSON)
    assert HOSTILE in [b["name"]["value"] for b in client.queryAndConvert()["results"]["bindings"]]
    client.setMethod(POST)
    assert HOSTILE in [b["name"]["value"] for b in client.queryAndConvert()["results"]["bindings"]]
    client.setReturnFormat(XML)
    assert client.queryAndConvert().getElementsByTagName("literal")
    client.setReturnFormat(CSV)
    assert client.queryAndConvert().startswith(b"e,name\r\n")
    client.setQuery("CONSTRUCT WHERE { ?e a kg:Base }")
    client.setReturnFormat(TURTLE)
    assert b"kg:Base" in client.queryAndConvert()
    client.setReturnFormat(XML)  # CONSTRUCT as RDF/XML, parsed into an rdflib graph
    assert len(client.queryAndConvert()) == 1


def test_serve_with_rdflib_sparqlstore(server):
    store = SPARQLStore(server.url, returnFormat="json")
    rows = list(store.query("SELECT ?name WHERE { ?e a <https://w3id.org/militia-kg/ontology#Militia> ; "
                            "<http://www.w3.org/2000/01/rdf-schema#label> ?name }"))
    assert {str(r[0]) for r in rows} == {"Kataib Hezbollah", HOSTILE}
    remote = Graph(store=SPARQLStore(server.url))
    labels = set(remote.objects(predicate=Graph().namespace_manager.expand_curie("rdfs:label")))
    assert Literal(HOSTILE) in labels


# ------------------------------------------------------------------ many at once


def test_serve_many_clients_at_once(server):
    queries = [LABELS, "ASK { ?s a kg:Base }", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"]
    start = threading.Barrier(50)

    def client(i: int) -> list[int]:
        host, port = urlsplit(server.url).hostname, urlsplit(server.url).port
        connection = http.client.HTTPConnection(host, port, timeout=60)
        start.wait()
        statuses = []
        for k in range(4):  # four requests on one kept-alive connection
            query = queries[(i + k) % len(queries)]
            connection.request("GET", "/sparql?" + urlencode({"query": query}))
            response = connection.getresponse()
            body = response.read()
            statuses.append(response.status if body else 0)
        connection.close()
        return statuses

    with ThreadPoolExecutor(50) as pool:
        results = [s for statuses in pool.map(client, range(50)) for s in statuses]
    assert results == [200] * 200


def test_serve_caches_answers_per_snapshot(tmp_path):
    write_build_store(tmp_path, graph_to_quads(sample_graph()))
    with running(tmp_path, cache_bytes=1 << 20) as cached:
        first = get(cached, LABELS)
        again = get(cached, LABELS)
        assert again[2] == first[2] and len(cached.endpoint.cache._items) == 1
        get(cached, LABELS, "text/csv")
        assert len(cached.endpoint.cache._items) == 2, "one entry per answer format"
        graph = sample_graph()
        graph.entities["ansar"] = Entity("ansar", "Ansar Allah", "Militia")
        write_build_store(tmp_path, graph_to_quads(graph))
        assert "Ansar Allah" in names(get(cached, LABELS)[2]), "a new snapshot is a new key"
    with running(tmp_path, cache_bytes=0) as uncached:
        get(uncached, LABELS)
        assert len(uncached.endpoint.cache._items) == 0


def test_answer_cache_stays_within_its_budget():
    from kg.endpoint import _AnswerCache
    from kg.stores import Serialized

    cache = _AnswerCache(8000)
    for i in range(20):
        cache.put(("snap", f"q{i}", "json", (), ()), Serialized(b"x" * 900, "application/json", False))
    assert sum(len(a.body) for a in cache._items.values()) <= 8000
    assert cache.get(("snap", "q19", "json", (), ())) is not None and cache.get(("snap", "q0", "json", (), ())) is None
    cache.put(("snap", "big", "json", (), ()), Serialized(b"x" * 2000, "application/json", False))
    assert cache.get(("snap", "big", "json", (), ())) is None, "an answer over an eighth of the budget is not kept"
