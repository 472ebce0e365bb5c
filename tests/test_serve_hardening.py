"""kg serve under attack: SERVICE (SSRF), heavy queries, a poisoned connection, other origins, DNS rebinding."""

from __future__ import annotations

import http.client
import json
import os
import socket
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlencode

import pytest

from kg.errors import QueryTimeout
from kg.export.html import write_explorer
from kg.query_pool import QueryPool
from kg.rdf import graph_to_quads
from kg.stores import write_build_store
from tests.sparql_sample import sample_graph
from tests.test_serve import get, request, running

HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    write_build_store(folder, graph_to_quads(sample_graph()))
    write_explorer(sample_graph(), folder / "explorer.html")
    return folder


class Listener:
    """A TCP listener on loopback that counts the connections made to it."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self):
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self._stop.set()
        self._thread.join(2)
        self.sock.close()


@pytest.fixture
def listener():
    started = Listener()
    yield started
    started.close()


# ------------------------------------------------------------------ SERVICE


SERVICE_QUERIES = [
    "SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}",
    "select * where {{ service silent <http://localhost:{port}/x> {{ ?s ?p ?o }} }}",
    "SELECT * WHERE {{ {{ SELECT ?s WHERE {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }} }}",
    "ASK {{ FILTER NOT EXISTS {{ SERVICE <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }} }}",
    # an IRI-looking stretch of text around the keyword
    "SELECT * WHERE {{ ?a ?b ?c FILTER(?c<?a)SERVICE#>\n<http://127.0.0.1:{port}/>{{?s ?p ?o}} }}",
]


@pytest.mark.parametrize("template", SERVICE_QUERIES)
def test_serve_refuses_service_and_fetches_nothing(build, listener, template):
    query = template.format(port=listener.port)
    with running(build, timeout=5) as server:
        for method in ("GET", "POST"):
            if method == "GET":
                status, _, text = get(server, query)
            else:
                status, _, text = request(server, "POST", "/sparql", query.encode(),
                                          {"Content-Type": "application/sparql-query"})
            assert status == 400, text
            assert b"SERVICE is refused" in text
    time.sleep(0.3)
    assert listener.connections == 0, "the endpoint connected to the address in SERVICE"


def test_serve_answers_the_word_service_in_text(build):
    with running(build) as server:
        status, _, body = get(server, 'SELECT ?e WHERE { ?e rdfs:label ?l FILTER(?l != "Security Service") } LIMIT 1')
        assert status == 200 and json.loads(body)["results"]["bindings"]


def test_the_listener_would_see_a_fetch(listener):
    """The listener counts a connection: the SERVICE test above could fail."""
    socket.create_connection(("127.0.0.1", listener.port), timeout=2).close()
    deadline = time.monotonic() + 2
    while listener.connections == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    assert listener.connections == 1


# ------------------------------------------------------------------ heavy queries


def test_serve_heavy_queries_do_not_lock_it_out(build):
    with running(build, timeout=1, max_rows=None, max_running=4, cache_bytes=0) as server:
        with ThreadPoolExecutor(4) as pool:
            heavy = list(pool.map(lambda _: get(server, HEAVY), range(4)))
        assert [status for status, _, _ in heavy] == [503] * 4
        started = time.monotonic()
        status, _, body = get(server, "ASK {}")
        assert status == 200 and json.loads(body)["boolean"] is True
        assert time.monotonic() - started < 2
        # and again, with the heavy ones sent a second time: nothing piles up
        with ThreadPoolExecutor(4) as pool:
            assert [s for s, _, _ in pool.map(lambda _: get(server, HEAVY), range(4))] == [503] * 4
        started = time.monotonic()
        assert get(server, "ASK {}")[0] == 200
        assert time.monotonic() - started < 2


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="reads /proc")
def test_a_timed_out_query_is_stopped(build):
    snapshot = os.path.realpath(build / "store")
    pool = QueryPool(1)
    try:
        assert pool.run(snapshot, "ASK {}", timeout=10, accept="*/*").body
        (pid,) = pool.pids()
        started = time.monotonic()
        with pytest.raises(QueryTimeout):
            pool.run(snapshot, HEAVY, timeout=0.5, accept="*/*")
        assert time.monotonic() - started < 3
        assert not _alive(pid), "the worker that ran the late query still runs"
        assert b"true" in pool.run(snapshot, "ASK {}", timeout=10, accept="*/*").body
    finally:
        pool.close()


# ------------------------------------------------------------------ the connection and the browser


def test_serve_non_utf8_body_gets_one_answer(build):
    with running(build) as server:
        host, port = server.server_address[:2]
        connection = http.client.HTTPConnection(host, port, timeout=10)
        try:
            connection.request("POST", "/sparql", body=b"ASK {} \xff\xfe",
                               headers={"Content-Type": "application/sparql-query"})
            first = connection.getresponse()
            assert first.status == 400 and b"not UTF-8" in first.read()
            connection.request("GET", "/sparql?" + urlencode({"query": "ASK {}"}))
            second = connection.getresponse()
            assert second.status == 200 and json.loads(second.read())["boolean"] is True
        finally:
            connection.close()


def test_serve_security_headers(build):
    with running(build) as server:
        _, headers, _ = get(server, "ASK {}")
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        status, headers, page = request(server, "GET", "/")
        assert status == 200 and headers["X-Content-Type-Options"] == "nosniff"
        policy = headers["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in policy and "script-src 'sha256-" in policy
        assert "'unsafe-inline'" not in policy.split("script-src")[1].split(";")[0]


@pytest.mark.parametrize("host", ["evil.example", "evil.example:7878", "attacker.test"])
def test_serve_refuses_other_host_names_on_loopback(build, host):
    """DNS rebinding: a page of evil.example whose name now points at 127.0.0.1 sends Host: evil.example."""
    with running(build) as server:
        status, _, text = request(server, "GET", "/sparql?" + urlencode({"query": "ASK {}"}), headers={"Host": host})
        assert status == 421 and b"localhost" in text
        port = server.server_address[1]
        for good in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
            assert request(server, "GET", "/sparql?" + urlencode({"query": "ASK {}"}), headers={"Host": good})[0] == 200
