"""The real SPARQL servers of tests/servers.py start, take a graph, answer for it and drop it."""

from __future__ import annotations

import pytest
import requests
from requests.auth import HTTPDigestAuth

from tests.servers import RESULTS_JSON, SparqlServer, clear, graph_names, update
from tests.servers import oxigraph_server, virtuoso  # noqa: F401 (fixtures)

PREFIX = "http://example.org/kg-test/"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(params=["virtuoso", "oxigraph_server"])
def server(request) -> SparqlServer:
    server = request.getfixturevalue(request.param)
    clear(server, PREFIX)
    return server


def select(server: SparqlServer, query: str, url: str | None = None, **kwargs) -> list[dict[str, tuple]]:
    """Rows of a SELECT sent as a POST form, each term as (value, datatype or language)."""
    response = requests.post(url or server.query_url, data={"query": query}, headers={"Accept": RESULTS_JSON},
                             timeout=60, **kwargs)
    assert response.status_code == 200, response.text[:500]
    return [{name: (term["value"], term.get("datatype") or term.get("xml:lang")) for name, term in row.items()}
            for row in response.json()["results"]["bindings"]]


def triples_of(server: SparqlServer, graph: str) -> set[tuple]:
    rows = select(server, f"SELECT ?s ?p ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}")
    return {(row["s"][0], row["p"][0], row["o"]) for row in rows}


def put(server: SparqlServer, graph: str, body: str, media: str = "application/n-triples") -> int:
    response = requests.put(server.graph_store_url, params={"graph": graph}, data=body.encode("utf-8"),
                            headers={"Content-Type": media}, timeout=60)
    assert response.status_code in (200, 201, 204), response.text[:500]
    return response.status_code


def test_graph_store_put_replaces_a_graph_that_select_reads_and_delete_drops(server):
    graph = PREFIX + "doc/1"
    assert put(server, graph, f'<{PREFIX}a> <{PREFIX}name> "Ahrar al-Sham"@en .\n'
                              f'<{PREFIX}a> <{PREFIX}score> "0.90"^^<{XSD}decimal> .\n') == 201
    assert triples_of(server, graph) == {
        (PREFIX + "a", PREFIX + "name", ("Ahrar al-Sham", "en")),
        (PREFIX + "a", PREFIX + "score", ("0.9", XSD + "decimal")),  # both servers keep the canonical form
    }
    put(server, graph, f'@prefix k: <{PREFIX}> .\nk:b k:name "Jaysh al-Islam" .\n', "text/turtle")
    assert triples_of(server, graph) == {(PREFIX + "b", PREFIX + "name", ("Jaysh al-Islam", None))}
    assert graph in graph_names(server)

    response = requests.delete(server.graph_store_url, params={"graph": graph}, timeout=60)
    assert response.status_code in (200, 204)
    assert triples_of(server, graph) == set()
    assert requests.delete(server.graph_store_url, params={"graph": graph}, timeout=60).status_code == 404


def test_one_update_request_replaces_a_graph(server):
    graph = PREFIX + "doc/2"
    for value in ("first", "second"):
        update(server, f'DROP SILENT GRAPH <{graph}> ;\n'
                       f'INSERT DATA {{ GRAPH <{graph}> {{ <{PREFIX}x> <{PREFIX}says> "{value}" }} }}')
        assert triples_of(server, graph) == {(PREFIX + "x", PREFIX + "says", (value, None))}


def test_clear_drops_the_tests_graphs_and_keeps_the_servers_own(server):
    for n in range(3):
        put(server, f"{PREFIX}doc/{n}", f'<{PREFIX}s> <{PREFIX}p> "{n}" .\n')
    assert clear(server, PREFIX) == 3
    assert not {g for g in graph_names(server) if g.startswith(PREFIX)}
    if server.name == "virtuoso":  # its own graphs are still there, so queries still work
        assert "http://www.openlinksw.com/schemas/virtrdf#" in graph_names(server)
    assert select(server, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")


def test_virtuoso_auth_endpoints_take_the_dba_password_by_digest(virtuoso):
    graph = PREFIX + "auth"
    query = f"SELECT ?o WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    digest = HTTPDigestAuth(virtuoso.user, virtuoso.password)
    response = requests.put(virtuoso.auth_graph_store_url, params={"graph": graph}, auth=digest, timeout=60,
                            data=f'<{PREFIX}s> <{PREFIX}p> "secret" .\n'.encode(),
                            headers={"Content-Type": "application/n-triples"})
    assert response.status_code == 201
    assert select(virtuoso, query, virtuoso.auth_query_url, auth=digest) == [{"o": ("secret", None)}]
    refused = requests.post(virtuoso.auth_query_url, data={"query": query}, timeout=60)
    assert refused.status_code == 401 and refused.headers["WWW-Authenticate"].startswith("Digest")
    wrong = requests.post(virtuoso.auth_query_url, data={"query": query}, timeout=60,
                          auth=HTTPDigestAuth(virtuoso.user, "dba"))
    assert wrong.status_code == 401
    clear(virtuoso, PREFIX)


def test_oxigraph_default_graph_is_not_the_union_unless_asked(oxigraph_server):
    put(oxigraph_server, PREFIX + "doc/u", f'<{PREFIX}s> <{PREFIX}p> "u" .\n')
    query = f"SELECT ?o WHERE {{ <{PREFIX}s> <{PREFIX}p> ?o }}"
    assert select(oxigraph_server, query) == []
    response = requests.get(oxigraph_server.query_url, params={"query": query, "union-default-graph": ""},
                            headers={"Accept": RESULTS_JSON}, timeout=60)
    assert [row["o"]["value"] for row in response.json()["results"]["bindings"]] == ["u"]
    clear(oxigraph_server, PREFIX)
