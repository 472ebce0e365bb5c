"""A SPARQL server as the store: the example corpus built into Virtuoso and into Oxigraph server
answers exactly as the embedded store does (kg.stores.server)."""

import shutil
import threading
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from kg.build import build_graph, remove_documents
from kg.cli import cli
from kg.errors import StoreError
from kg.knowledge_graph import KnowledgeGraph
from kg.query import run_saved, saved_queries
from kg.stores import open_build, server_of
from kg.stores.server import META_GRAPH, ServerEndpoint, ServerStore
from tests.servers import clear, graph_names, oxigraph_server, virtuoso  # noqa: F401 (fixtures)

CORPUS = Path(__file__).resolve().parents[1] / "examples" / "corpus"
SERVERS = ["virtuoso", "oxigraph_server"]
NAME = {"entity": {"name": "Kataib Hezbollah"}, "leaders-as-of": {"date": "2021-06-01"}}


@pytest.fixture(scope="module")
def embedded(tmp_path_factory):
    out = tmp_path_factory.mktemp("embedded") / "build"
    build_graph([CORPUS], out)
    return out


@pytest.fixture(scope="module", params=SERVERS)
def server(request):
    return request.getfixturevalue(request.param)


@pytest.fixture(scope="module")
def on_server(server, embedded, tmp_path_factory):
    """The example corpus built into the server; the extraction cache is the embedded build's."""
    clear(server)
    out = tmp_path_factory.mktemp("server") / "build"
    shutil.copytree(embedded / "extractions", out / "extractions")
    build_graph([CORPUS], out, store_url=server.query_url)
    return out


def rows(answer):
    return sorted(sorted((name, term.n3()) for name, term in row.items()) for row in answer.rows)


@pytest.mark.parametrize("name", sorted(saved_queries()))
def test_every_saved_query_answers_as_on_the_embedded_store(server, on_server, embedded, name):
    here, there = open_build(embedded), ServerStore(server.query_url)
    expected = run_saved(here, name, **NAME.get(name, {}))
    answer = run_saved(there, name, **NAME.get(name, {}))
    assert answer.variables == expected.variables
    assert rows(answer) == rows(expected)


def test_the_recipes_of_docs_model_md_answer_as_on_the_embedded_store(server, on_server, embedded):
    from kg.query import run
    from tests.test_model_doc import recipes

    here, there = open_build(embedded), ServerStore(server.query_url)
    for recipe in recipes():
        expected = run(here, recipe)
        assert expected.rows and rows(run(there, recipe)) == rows(expected), recipe


def test_the_build_folder_remembers_its_server(server, on_server):
    assert server_of(on_server) == server.query_url
    assert not (on_server / "store").exists()
    assert isinstance(open_build(on_server), ServerStore)
    assert (on_server / "graph.ttl").stat().st_size > 0  # exports are written all the same


def test_linked_to_paths_and_timeline_answer_as_on_the_embedded_store(server, on_server, embedded):
    here, there = KnowledgeGraph.open(embedded), KnowledgeGraph.open(server.query_url)
    for name in ("Kataib Hezbollah", "Iran", "Houthis"):
        assert [l.explain() for l in there.linked_to(name, hops=2)] == [l.explain() for l in here.linked_to(name, hops=2)]
        assert [e.explain() for e in there.timeline(name)] == [e.explain() for e in here.timeline(name)]
    assert [p.explain() for p in there.paths("Iran", "Kataib Hezbollah", 3)] == \
        [p.explain() for p in here.paths("Iran", "Kataib Hezbollah", 3)]


def test_small_pages_give_the_whole_answer(server, on_server, embedded):
    paged = ServerStore(server.query_url, page_size=25)
    query = "SELECT ?s ?p ?o WHERE { ?s a kg:Statement ; ?p ?o }"
    assert sorted(str(r) for r in paged.select_terms(query)) == \
        sorted(str(r) for r in open_build(embedded).select_terms(query))
    assert len(paged.execute(query, max_rows=30).rows) == 30


def test_the_cli_reads_a_server_in_place_of_a_build_folder(server, on_server, embedded):
    runner = CliRunner()
    for args in (["query", "--saved", "backers", "--format", "csv"], ["linked", "Kataib Hezbollah"],
                 ["paths", "Iran", "Kataib Hezbollah"], ["timeline", "Iran"]):
        local = runner.invoke(cli, [args[0], str(embedded), *args[1:]])
        remote = runner.invoke(cli, [args[0], "--store", server.query_url, *args[1:]])
        assert remote.exit_code == 0, remote.output
        assert remote.stdout == local.stdout
    assert runner.invoke(cli, ["validate", "--store", server.query_url]).exit_code == 0


def test_append_and_remove_change_only_their_documents(server, on_server, tmp_path):
    extra = tmp_path / "extra.txt"
    extra.write_text("BAGHDAD, March 3, 2024 - Kataib Hezbollah is backed by Iran, officials said.\n")
    store = ServerStore(server.query_url)
    before = set(store.graphs())
    report = build_graph([extra], on_server, append=True)
    assert report.store == server.query_url
    added = set(store.graphs()) - before
    assert len(added) == 1
    remove_documents(on_server, [report_id(on_server, extra)])
    assert set(store.graphs()) == before


def report_id(build: Path, path: Path) -> str:
    import json

    held = json.loads((build / "manifest.json").read_text())["documents"]
    return next(doc for doc in held if doc.endswith(path.name))


def test_rebuilding_sends_nothing_and_leaves_others_graphs_alone(server, on_server):
    store = ServerStore(server.query_url)
    theirs = URIRef("urn:someone-else:graph")
    store.replace_graphs({theirs: ['<urn:a> <urn:b> "kept" .']})
    revision = store.revision()
    build_graph([CORPUS], on_server)  # the same documents: every graph's hash is unchanged
    assert store.revision() == revision
    assert str(theirs) in graph_names(server)  # asked directly: the build's own queries never see it
    assert not store.sparql('ASK { ?s ?p "kept" }')
    store.remove_graph(theirs)


def test_hostile_text_round_trips_as_one_literal(server):
    store = ServerStore(server.query_url)
    graph = URIRef("https://w3id.org/militia-kg/graph/doc/hostile-test")
    text = 'He said "}" ; DROP ALL #\n\\u0000 back\\slash \u202e عربي 🚀'
    store.publish([(URIRef("urn:kg:test"), URIRef("urn:kg:says"), Literal(text), graph)])
    try:
        assert store.sparql("SELECT ?o WHERE { <urn:kg:test> <urn:kg:says> ?o }") == [{"o": text}]
        assert store.sparql("SELECT ?s ?text WHERE { ?s <urn:kg:says> ?text }", text=text) == [{"s": "urn:kg:test", "text": text}]
    finally:
        store.clear()


@pytest.mark.parametrize("request_chars", [4_000_000, 5_000], ids=["one request", "staged and moved"])
def test_a_document_graph_is_replaced_atomically(server, request_chars):
    """A reader never sees half a document while it is replaced again and again, whether it
    fits one update request or is staged a request at a time and moved into place."""
    store = ServerStore(server.query_url, request_chars=request_chars)
    graph = URIRef("https://w3id.org/militia-kg/graph/doc/atomic-test")
    versions = [[(URIRef(f"urn:kg:s{i}"), URIRef("urn:kg:v"), Literal(v), graph) for i in range(size)]
                for v, size in (("a", 300), ("b", 700))]
    store.publish(versions[0])
    seen, stop = set(), threading.Event()

    def read():  # each value with its count: one version whole, never a mix, never none (no SAMPLE: Virtuoso
        while not stop.is_set():  # may leave it unbound while a write commits)
            rows = store.sparql(f"SELECT ?v (COUNT(*) AS ?n) WHERE {{ GRAPH {graph.n3()} {{ ?s <urn:kg:v> ?v }} }} "
                                "GROUP BY ?v")
            seen.add(tuple(sorted((row["n"], row.get("v")) for row in rows)))

    reader = threading.Thread(target=read)
    reader.start()
    try:
        for turn in range(12):
            value, size = (("a", 300), ("b", 700))[(turn + 1) % 2]
            store.replace_graphs({graph: [f'<urn:kg:s{i}> <urn:kg:v> "{value}" .' for i in range(size)]})
    finally:
        stop.set()
        reader.join()
        store.clear()
    assert seen <= {((300, "a"),), ((700, "b"),)}, seen


def test_a_server_that_is_not_there_is_one_clear_error():
    with pytest.raises(StoreError, match="cannot reach the SPARQL server at http://127.0.0.1:1/sparql"):
        ServerStore("http://127.0.0.1:1/sparql", timeout=5).graphs()


def test_virtuoso_with_digest_auth_and_no_credentials_says_what_to_set(virtuoso, monkeypatch):  # noqa: F811
    monkeypatch.delenv("KG_STORE_USER", raising=False)
    anonymous = ServerStore(ServerEndpoint(virtuoso.auth_query_url, virtuoso.auth_query_url))
    with pytest.raises(StoreError, match="KG_STORE_USER"):
        anonymous.graphs()
    monkeypatch.setenv("KG_STORE_USER", virtuoso.user)
    monkeypatch.setenv("KG_STORE_PASSWORD", virtuoso.password)
    store = ServerStore(virtuoso.auth_query_url)  # the -auth endpoints, credentials from the environment
    graph = URIRef("https://w3id.org/militia-kg/graph/doc/auth-test")
    assert store.publish([(URIRef("urn:kg:a"), URIRef("urn:kg:b"), Literal("c"), graph)]) == 1
    assert graph in store.graphs()
    store.clear()
    assert META_GRAPH not in store.graphs()


def test_kg_build_store_without_out_keeps_its_files_in_the_user_cache(server, embedded, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    clear(server)
    result = CliRunner().invoke(cli, ["build", str(CORPUS), "--store", server.query_url, "-q"])
    assert result.exit_code == 0, result.output
    assert f"store: {server.query_url}" in result.stdout
    work = next((tmp_path / "cache" / "militia-kg" / "servers").iterdir())
    assert server_of(work) == server.query_url and (work / "graph.ttl").is_file()
    expected = run_saved(open_build(embedded), "documents")
    assert rows(run_saved(ServerStore(server.query_url), "documents")) == rows(expected)


def test_kg_serve_and_the_explorer_read_a_server(server, on_server, embedded, tmp_path):
    import requests

    from kg.serve import make_server

    endpoint = make_server(server.query_url, port=0, quiet=True)
    thread = threading.Thread(target=endpoint.serve_forever, daemon=True)
    thread.start()
    try:
        answer = requests.get(endpoint.url, params={"query": "SELECT ?name WHERE { ?m a kg:Militia ; rdfs:label ?name } "
                                                              "ORDER BY ?name"}, headers={"Accept": "text/csv"}, timeout=30)
    finally:
        endpoint.shutdown()
    local = CliRunner().invoke(cli, ["query", str(embedded), "SELECT ?name WHERE { ?m a kg:Militia ; rdfs:label ?name } "
                                                             "ORDER BY ?name", "--format", "csv"])
    assert answer.status_code == 200
    assert answer.text.replace("\r\n", "\n") == local.stdout
    page = tmp_path / "explorer.html"
    result = CliRunner().invoke(cli, ["export", "html", "--store", server.query_url, "--out", str(page)])
    assert result.exit_code == 0, result.output
    assert "Kataib Hezbollah" in page.read_text(encoding="utf-8")


def test_kg_export_writes_the_analysts_files_from_a_server(server, on_server, embedded, tmp_path):
    import csv

    for args, name in ((["rdf", "--format", "ntriples"], "g.nt"), (["csv"], "tables"), (["graphml"], "g.graphml")):
        for where, source in (("server", ["--store", server.query_url]), ("local", [str(embedded)])):
            result = CliRunner().invoke(cli, ["export", args[0], *source, *args[1:], "--out", str(tmp_path / where / name)])
            assert result.exit_code == 0, result.output
    assert (sorted((tmp_path / "server" / "g.nt").read_text(encoding="utf-8").splitlines())
            == sorted((tmp_path / "local" / "g.nt").read_text(encoding="utf-8").splitlines()))
    for table in ("entities.csv", "relations.csv", "attacks.csv"):
        counts = [len(list(csv.DictReader(open(tmp_path / where / "tables" / table, encoding="utf-8", newline=""))))
                  for where in ("server", "local")]
        assert counts[0] == counts[1] > 0, table
    assert (tmp_path / "server" / "g.graphml").stat().st_size > 0


def test_a_graph_too_big_for_one_request_is_staged_and_leaves_no_trace(server):
    store = ServerStore(server.query_url, request_chars=5_000)
    graph = URIRef("https://w3id.org/militia-kg/graph/entities-staging-test")
    quads = [(URIRef(f"urn:kg:s{i}"), URIRef("urn:kg:v"), Literal(f"value {i}"), graph) for i in range(700)]
    try:
        assert store.publish(quads) == 1
        assert store.graphs() == [graph]
        assert len(store) == 700
        assert not store.sparql(f"ASK {{ GRAPH <{graph}-staging> {{ ?s ?p ?o }} }}")
    finally:
        store.clear()
