"""The SPARQL endpoint under load: many clients at once on loopback, and not one request dropped.

    .venv/bin/python benchmarks/serve.py                          # 200 clients x 10 requests
    .venv/bin/python benchmarks/serve.py --clients 400 --requests 20 --triples 1000000

Writes a synthetic build (benchmarks/synthetic.py), starts `kg serve` on it in its own
process on a free loopback port, and releases every client at once. Half the clients keep
one connection alive for all their requests, half connect anew for each (which tests the
accept backlog). Requests mix GET, form POST and application/sparql-query POST; JSON, XML,
CSV, TSV and Turtle answers; quick lookups and saved queries. A request fails if the
connection fails, the status is not 200, or the body is not the answer asked for.
Prints requests served and failed, latency percentiles and throughput.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/serve.py --parts   # parts against libraries

`--parts` times, in one process and interleaved (best of five), each part of an answer
that a well-kept library could do in place of our code: Accept-header negotiation
(ours against werkzeug.http), the answer cache (an OrderedDict against
cachetools.LRUCache) and writing CSV/TSV results (kg.stores.formats against Oxigraph's
writers, reached through its JSON), and prints each ratio against ours.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit

HERE = Path(__file__).resolve().parent
SAVED = ("attacks-by-militia", "backers", "condemnations", "attacks-on-bases")


def requests_for(rng: random.Random, n: int, entities: list[str]) -> list[tuple[str, str, str]]:
    """(kind, query, Accept) triples: about 70% quick lookups, 30% saved queries."""
    from kg.query import saved_queries

    saved = saved_queries()
    out = []
    for _ in range(n):
        entity = rng.choice(entities)
        roll = rng.random()
        if roll < 0.3:
            out.append(("saved", saved[rng.choice(SAVED)].text,
                        rng.choice(("application/sparql-results+json", "text/csv"))))
        elif roll < 0.5:
            out.append(("lookup", f"SELECT ?p ?o WHERE {{ <{entity}> ?p ?o }}",
                        rng.choice(("application/sparql-results+json", "application/sparql-results+xml",
                                    "text/tab-separated-values"))))
        elif roll < 0.65:
            out.append(("lookup", f"DESCRIBE <{entity}>", "text/turtle"))
        elif roll < 0.8:
            out.append(("lookup", "ASK { ?s a kg:Base }", "application/sparql-results+json"))
        else:
            out.append(("lookup", f"SELECT ?attack ?date WHERE {{ ?attack kg:target <{entity}> ; kg:date ?date }}",
                        "application/sparql-results+json"))
    return out


def looks_right(accept: str, body: bytes) -> bool:
    if not body:
        return False
    if accept == "application/sparql-results+json":
        document = json.loads(body)
        return "boolean" in document or "results" in document
    if accept.endswith("xml"):
        return body.startswith(b"<?xml")
    return True


class Client(threading.Thread):
    def __init__(self, host: str, port: int, plan: list, keep_alive: bool, start: threading.Barrier, method: str):
        super().__init__(daemon=True)
        self.host, self.port, self.plan, self.keep_alive, self.start_line = host, port, plan, keep_alive, start
        self.method = method
        self.results: list[tuple[str, float, str]] = []  # (kind, seconds, outcome)

    def run(self) -> None:
        connection = None
        self.start_line.wait()
        for kind, query, accept in self.plan:
            started = time.perf_counter()
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
                self._send(connection, query, accept)
                response = connection.getresponse()
                body = response.read()
                outcome = "ok" if response.status == 200 and looks_right(accept, body) else f"status {response.status}"
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    connection = None
            except (OSError, http.client.HTTPException, ValueError) as error:
                outcome = type(error).__name__
                if connection is not None:
                    connection.close()
                connection = None
            self.results.append((kind, time.perf_counter() - started, outcome))
            if not self.keep_alive and connection is not None:
                connection.close()
                connection = None
        if connection is not None:
            connection.close()

    def _send(self, connection: http.client.HTTPConnection, query: str, accept: str) -> None:
        headers = {"Accept": accept}
        if self.method == "GET":
            connection.request("GET", "/sparql?" + urlencode({"query": query}), headers=headers)
        elif self.method == "FORM":
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request("POST", "/sparql", body=urlencode({"query": query}), headers=headers)
        else:
            headers["Content-Type"] = "application/sparql-query"
            connection.request("POST", "/sparql", body=query.encode("utf-8"), headers=headers)


def start_server(build: Path, args: argparse.Namespace) -> tuple[subprocess.Popen, str]:
    command = [sys.executable, "-m", "kg", "serve", str(build), "--port", "0", "--quiet",
               "--timeout", str(args.timeout), "--cache-mb", str(args.cache_mb)]
    server = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, cwd=HERE.parent)
    line = server.stderr.readline()
    match = re.search(r"http://\S+/sparql", line)
    if not match:
        server.kill()
        raise SystemExit(f"kg serve did not start: {line}{server.stderr.read()}")
    return server, match.group(0)


ACCEPTS = [  # what the benchmark's clients, SPARQLWrapper, rdflib, curl and browsers send
    "application/sparql-results+json", "application/sparql-results+xml", "text/csv", "text/tab-separated-values",
    "text/turtle", "*/*", "application/sparql-results+json,application/json;q=0.9,*/*;q=0.1",
    "application/sparql-results+xml, application/rdf+xml;q=0.9, text/turtle;q=0.8, */*;q=0.1",
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
]


def best_of(work, rounds: int = 5) -> float:
    times = []
    for _ in range(rounds):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return min(times)


def parts() -> int:
    """Our parts of the endpoint against the libraries that could replace them, in one run."""
    try:
        import cachetools
        from werkzeug.datastructures import MIMEAccept
        from werkzeug.http import parse_accept_header
    except ImportError as error:
        print(f"--parts compares with werkzeug and cachetools: pip install -e '.[bench]' ({error})", file=sys.stderr)
        return 2
    import pyoxigraph as ox

    from kg.endpoint import _AnswerCache
    from kg.stores import Serialized
    from kg.stores.formats import RESULTS_MEDIA_TYPES, negotiate, results_csv, results_json, results_tsv

    offered = list(RESULTS_MEDIA_TYPES)
    headers = ACCEPTS * 2000

    def ours_negotiate():
        for header in headers:
            negotiate(header, offered)

    def werkzeug_negotiate():
        for header in headers:
            parse_accept_header(header, MIMEAccept).best_match(offered)

    class LibraryCache:  # the candidate: cachetools.LRUCache sized in bytes, behind the same lock and rules
        def __init__(self, max_bytes: int):
            self.max_bytes = max_bytes
            self._items = cachetools.LRUCache(max_bytes, getsizeof=lambda answer: len(answer.body))
            self._lock = threading.Lock()

        def get(self, key):
            with self._lock:
                return self._items.get(key)

        def put(self, key, answer):
            if len(answer.body) + len(key[1]) > self.max_bytes // 8:
                return
            with self._lock:
                if key not in self._items:
                    self._items[key] = answer

    rng = random.Random(3)
    keys = [("snap", f"SELECT * WHERE {{ ?s ?p {i} }}", "json", (), ()) for i in range(3000)]
    plan = [rng.choice(keys) for _ in range(60_000)]
    answer = Serialized(b"x" * 2000, "application/json", False)

    def cache_run(make):
        def run():
            cache = make(2 << 20)
            for key in plan:
                if cache.get(key) is None:
                    cache.put(key, answer)
        return run

    literal = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    rows = [(ox.NamedNode(f"https://w3id.org/militia-kg/id/e{i}"), ox.Literal(f"Name {i}, \"quoted\""),
             ox.Literal(str(i), datatype=literal)) for i in range(20_000)]
    variables = ("e", "name", "n")

    def oxigraph_writer(syntax):
        def run():
            document = results_json(variables, rows).encode("utf-8")
            ox.parse_query_results(document, ox.QueryResultsFormat.JSON).serialize(format=syntax)
        return run

    pairs = [
        ("Accept negotiation x18000", ours_negotiate, "werkzeug.http", werkzeug_negotiate),
        ("answer cache 60k get/put", cache_run(_AnswerCache), "cachetools.LRUCache", cache_run(LibraryCache)),
        ("CSV of 20k rows", lambda: results_csv(variables, rows), "Oxigraph's CSV",
         oxigraph_writer(ox.QueryResultsFormat.CSV)),
        ("TSV of 20k rows", lambda: results_tsv(variables, rows), "Oxigraph's TSV",
         oxigraph_writer(ox.QueryResultsFormat.TSV)),
    ]
    print(f"\n{'part':<28}{'ours':>10}  {'library':<22}{'library':>10}{'ratio':>8}")
    for name, ours, library_name, library in pairs:
        mine, theirs = best_of(ours), best_of(library)
        print(f"{name:<28}{mine * 1000:>8.1f}ms  {library_name:<22}{theirs * 1000:>8.1f}ms{theirs / mine:>8.2f}")
    print("\nratio: the library's time over ours (above 1: the library is slower)")
    return 0


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=10, help="per client")
    parser.add_argument("--triples", type=int, default=100_000, help="size of the synthetic build")
    parser.add_argument("--timeout", type=float, default=60.0, help="the server's per-query timeout")
    parser.add_argument("--cache-mb", type=int, default=0,
                        help="the server's answer cache (default 0: every request is evaluated)")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--parts", action="store_true", help="time the endpoint's parts against libraries instead")
    args = parser.parse_args(argv)
    if args.parts:
        return parts()

    sys.path.insert(0, str(HERE))
    from synthetic import synthetic_graph

    from kg.rdf import graph_to_quads
    from kg.stores import write_build_store
    from kg.vocab import entity_iri

    with tempfile.TemporaryDirectory(prefix="kg-serve-bench-") as scratch:
        build = Path(scratch)
        graph = synthetic_graph(args.triples, seed=args.seed)
        write_build_store(build, graph_to_quads(graph))
        server, url = start_server(build, args)
        try:
            rng = random.Random(args.seed)
            entities = [str(entity_iri(e)) for e in graph.entities]
            host, port = urlsplit(url).hostname, urlsplit(url).port
            start = threading.Barrier(args.clients + 1)
            clients = [Client(host, port, requests_for(rng, args.requests, entities), keep_alive=i % 2 == 0,
                              start=start, method=("GET", "FORM", "DIRECT")[i % 3])
                       for i in range(args.clients)]
            for client in clients:
                client.start()
            start.wait()
            began = time.perf_counter()
            for client in clients:
                client.join()
            wall = time.perf_counter() - began
        finally:
            server.terminate()
            server.wait(10)

    results = [r for client in clients for r in client.results]
    failed = [r for r in results if r[2] != "ok"]
    outcomes: dict[str, int] = {}
    for _, _, outcome in results:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
    print(f"\n{args.clients} clients x {args.requests} requests = {len(results)} requests, all released at once, "
          f"against a {args.triples:,}-triple build on {url}; answer cache {args.cache_mb} MB")
    print(f"machine: {os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
          "half the clients keep their connection alive, half reconnect per request; GET, form POST and "
          "sparql-query POST in turn\n")
    print(f"served: {len(results) - len(failed)}   failed: {len(failed)}   "
          f"({', '.join(f'{k}: {v}' for k, v in sorted(outcomes.items()))})")
    print(f"throughput: {len(results) / wall:.0f} requests/s over {wall:.1f} s\n")
    print(f"{'latency':<22}{'requests':>9}{'p50':>10}{'p90':>10}{'p99':>10}{'max':>10}")
    for kind in ("all", "lookup", "saved"):
        times = [t for k, t, _ in results if kind in ("all", k)]
        if times:
            cells = [percentile(times, p) * 1000 for p in (50, 90, 99)] + [max(times) * 1000]
            print(f"{kind:<22}{len(times):>9}" + "".join(f"{c:>8.0f}ms" for c in cells))
    print(f"\nmean {statistics.mean(t for _, t, _ in results) * 1000:.0f} ms")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
