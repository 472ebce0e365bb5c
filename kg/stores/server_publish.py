"""Publishing to a SPARQL server: each named graph replaced whole, in one transaction, only when it changed.

Each named graph (one per document, and the entity graph) is replaced by one update
request, ``DROP SILENT GRAPH`` then ``INSERT DATA`` in blocks, which the server applies
as one transaction: a reader sees a document's old statements or its new ones, never
half. Small documents share a request, to spare round trips; a graph too big for one
request is written into a staging graph and moved into place. The graphs a build wrote
are listed with a hash of each in `META_GRAPH`, so a rebuild sends only what changed
and removes only what it wrote. On Virtuoso each update opens with the pragma
``DEFINE sql:big-data-const 1`` (without it an INSERT DATA of more than about 1,200
triples fails); other servers reject the pragma and are not sent it.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import StoreError
from kg.rdf import ntriples_term
from kg.stores.contract import Quad
from kg.stores.server_reads import META_GRAPH, RESULTS_JSON, PagedReads, staging_graph
from kg.vocab import KG

__all__ = ["BLOCK_TRIPLES", "REQUEST_CHARS", "Publishing"]

BLOCK_TRIPLES = 1_000  # triples in one INSERT DATA
REQUEST_CHARS = 4_000_000  # characters of N-Triples in one update request (Virtuoso refuses 10 MB)


class Publishing(PagedReads):
    """The writing side of `kg.stores.server.ServerStore`."""

    request_chars: int
    _pragma: str | None

    def publish(self, quads: Iterable[Quad], *, progress: Callable[[int, int], None] | None = None) -> int:
        """Make the server hold exactly `quads` in the graphs this project writes.

        Each graph whose content changed is replaced whole, in one transaction on the
        server; graphs this project wrote before and no longer has are dropped, and
        graphs of anyone else are left alone. The meta graph first lists every graph
        about to be touched, so a run cut short leaves nothing the next run does not
        clean up. `progress` hears (graphs done, graphs to do). Returns the number of
        graphs sent.
        """
        by_graph: dict[URIRef, list[str]] = defaultdict(list)
        for s, p, o, g in quads:
            if not isinstance(g, URIRef):
                raise StoreError("every quad must name its graph to be published to a SPARQL server")
            by_graph[g].append(f"{_nt(s)} {_nt(p)} {_nt(o)} .")
        hashes = {g: hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest() for g, lines in by_graph.items()}
        before = self._published()
        changed = [g for g in sorted(by_graph) if before.get(g) != hashes[g]]
        gone = sorted(set(before) - set(by_graph))
        if not changed and not gone:
            return 0
        staged = [staging_graph(g) for g in changed if _chars(by_graph[g]) > self.request_chars]
        touched = {**before, **dict.fromkeys(changed, "pending"), **dict.fromkeys(staged, "pending")}
        self.replace_graphs({META_GRAPH: _meta_lines(touched)})
        new = {g for g in changed if g not in before}  # never written: nothing to drop first (a third of Virtuoso's time)
        done = 0
        # One request at a time: parallel requests were slower on both servers (lock contention).
        for batch in _batches([(g, by_graph[g]) for g in changed] + [(g, []) for g in gone], self.request_chars):
            self.replace_graphs(dict(batch), new=new)
            done += len(batch)
            if progress:
                progress(done, len(changed) + len(gone))
        self.replace_graphs({META_GRAPH: _meta_lines(hashes)})
        return len(changed)

    def replace_graphs(self, graphs: dict[URIRef, list[str]], *, new: Collection[URIRef] = ()) -> None:
        """Replace each named graph by its N-Triples lines (none: drop it), each in one transaction.

        Graphs that fit go in one update request together. A bigger one is written into a
        staging graph a request at a time, then moved over its old self by one MOVE. Graphs
        in `new` are known not to exist yet.
        """
        small = {g: lines for g, lines in graphs.items() if _chars(lines) <= self.request_chars}
        operations = []
        for graph, lines in small.items():
            if graph not in new:
                operations.append(f"DROP SILENT GRAPH {graph.n3()}")
            operations += _inserts(graph, lines)
        if operations:
            self._update(" ;\n".join(operations))
        for graph in graphs.keys() - small.keys():
            staging = staging_graph(graph)
            self._update(f"DROP SILENT GRAPH {staging.n3()}")
            for batch in _batches([(staging, graphs[graph])], self.request_chars, split=True):
                self._update(" ;\n".join(_inserts(staging, batch[0][1])))
            self._update(f"MOVE SILENT GRAPH {staging.n3()} TO GRAPH {graph.n3()}")

    def remove_graph(self, graph: URIRef) -> None:
        """Drop one named graph; a missing one is no error."""
        self.replace_graphs({graph: []})

    def clear(self) -> None:
        """Drop every graph this project wrote, and its meta graph."""
        graphs = [*self.graphs(), META_GRAPH, staging_graph(META_GRAPH)]
        for start in range(0, len(graphs), 500):
            self.replace_graphs(dict.fromkeys(graphs[start:start + 500], []))

    def _update(self, update: str) -> None:
        if self._pragma is None:
            server = self._request("POST", self.endpoint.query_url, data=self._form("ASK {}"),
                                   headers={"Accept": RESULTS_JSON}, what="query").headers.get("Server", "")
            self._pragma = "DEFINE sql:big-data-const 1\n" if server.startswith("Virtuoso") else ""
        self._request("POST", self.endpoint.update_url, data={"update": self._pragma + update}, what="update")



def _meta_lines(hashes: dict[URIRef, str]) -> list[str]:
    lines = [f"{_nt(g)} {_nt(KG.contentHash)} {_nt(Literal(h))} ." for g, h in sorted(hashes.items())]
    lines.append(f"{_nt(META_GRAPH)} {_nt(KG.revision)} {_nt(Literal(uuid.uuid4().hex))} .")
    return lines


def _batches(graphs: list[tuple[URIRef, list[str]]], size: int, *,
             split: bool = False) -> list[list[tuple[URIRef, list[str]]]]:
    """Graphs grouped into requests of at most `size` characters (a drop counts as a line); a
    bigger graph goes alone, or, with `split`, cut into pieces that fit.

    >>> [len(b) for b in _batches([(URIRef(f"urn:g{i}"), ["t" * 9] * 4) for i in range(5)], 100)]
    [2, 2, 1]
    >>> [len(b[0][1]) for b in _batches([(URIRef("urn:g"), ["t" * 9] * 25)], 100, split=True)]
    [10, 10, 5]
    """
    if split:
        pieces = []
        for graph, lines in graphs:
            start = 0
            while start < len(lines):
                end, count = start, 0
                while end < len(lines) and (end == start or count + len(lines[end]) + 1 <= size):
                    count += len(lines[end]) + 1
                    end += 1
                pieces.append([(graph, lines[start:end])])
                start = end
        return pieces
    batches: list[list[tuple[URIRef, list[str]]]] = []
    current: list[tuple[URIRef, list[str]]] = []
    count = 0
    for graph, lines in graphs:
        chars = _chars(lines) + 1
        if current and count + chars > size:
            batches.append(current)
            current, count = [], 0
        current.append((graph, lines))
        count += chars
    return batches + [current] if current else batches


def _chars(lines: list[str]) -> int:
    return sum(len(line) + 1 for line in lines)


def _inserts(graph: URIRef, lines: list[str]) -> list[str]:
    return [f"INSERT DATA {{ GRAPH {graph.n3()} {{\n" + "\n".join(lines[start:start + BLOCK_TRIPLES]) + "\n} }"
            for start in range(0, len(lines), BLOCK_TRIPLES)]


def _nt(term: Node) -> str:
    """A term for an update request. IRIs are checked here: a server refuses a whole request for one bad IRI."""
    return term.n3() if isinstance(term, URIRef) else ntriples_term(term)
