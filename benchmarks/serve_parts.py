"""The parts of `kg serve`'s answer that a well-kept library could do, ours against it, in one process.

    .venv/bin/pip install -e '.[bench]' && .venv/bin/python benchmarks/serve_parts.py   # or serve.py --parts

Times, interleaved (best of five), Accept-header negotiation (ours against
werkzeug.http), the answer cache (an OrderedDict against cachetools.LRUCache) and
writing CSV/TSV results (kg.stores.formats against Oxigraph's writers, reached
through its JSON), and prints each ratio against ours.
"""

from __future__ import annotations

import random
import sys
import threading
import time

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


if __name__ == "__main__":
    sys.exit(parts())
