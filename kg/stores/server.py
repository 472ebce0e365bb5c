"""A SPARQL 1.1 server as a build's store: Virtuoso, Oxigraph server, Fuseki, GraphDB.

`ServerStore` keeps the contract of `kg.stores.GraphStore` (execute, sparql,
select_terms, sparql_raw, graphs, quads), as the embedded store does, so `kg query`, the path API and
`kg serve` work on either. It speaks the SPARQL 1.1 Protocol for queries and SPARQL
1.1 Update for writes, nothing else.

What a server does differently, and how the client copes:

- **Binding values.** The protocol has no way to bind a variable, so a bound value is
  written into the query as an escaped RDF term in VALUES blocks (kg.sparql_text).
- **Long answers.** Servers cut answers short (Virtuoso at 10,000 rows by default), so
  SELECT and CONSTRUCT answers are read a page at a time with LIMIT and OFFSET.
- **Atomic documents.** Each named graph (one per document, and the entity graph) is
  replaced by one update request, ``DROP SILENT GRAPH`` then ``INSERT DATA`` in blocks,
  which the server applies as one transaction: a reader sees a document's old
  statements or its new ones, never half. (Virtuoso's Graph Store Protocol PUT is not
  atomic: a reader saw the graph empty half-way; its update requests are.) Small
  documents share a request, to spare round trips.
- **Virtuoso's SQL compiler.** An INSERT DATA of more than about 1,200 triples fails on
  Virtuoso, and a few thousand take minutes, unless the request opens with its pragma
  ``DEFINE sql:big-data-const 1``; with it 100,000 triples load in 7 s. The pragma is
  sent only to a server that names itself Virtuoso (other servers reject it).
- **Other people's graphs.** A shared server holds graphs that are not ours (Virtuoso
  its own ontology graphs, other projects theirs), and its default graph may be the
  union of all of them. So every query names its dataset, as the protocol's
  ``default-graph-uri`` and ``named-graph-uri`` parameters: the graphs this build wrote
  (read from `META_GRAPH`), as the default graph and as the named graphs. The answers
  are those of the embedded store, whatever else the server holds; the query's own
  FROM and FROM NAMED are overridden (the protocol's parameters win).
- **Authentication.** The user and password come from the URL or from the environment
  (KG_STORE_USER, KG_STORE_PASSWORD), never from this code; HTTP basic or digest, as
  the server asks (Virtuoso's -auth endpoints want digest).

The graphs a build wrote are listed, with a hash of each, in one more graph
(`META_GRAPH`), so a rebuild sends only what changed and removes only what it wrote.

The work is split by job: kg.stores.server_http (the address, authentication and
HTTP), kg.stores.server_reads (paged reads over our own graphs) and
kg.stores.server_publish (writing graphs whole); this module is the store they make.
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError, QueryTimeout
from kg.sparql_text import ask_as_select, bind_in_groups, check_unicode, page, query_form
from kg.stores.contract import Answer, Quad, Serialized
from kg.stores.formats import serialize_answer
from kg.stores.server_http import ServerEndpoint
from kg.stores.server_publish import REQUEST_CHARS, Publishing
from kg.stores.server_reads import META_GRAPH, with_prologue
from kg.vocab import KG

__all__ = ["META_GRAPH", "ServerEndpoint", "ServerStore"]


class ServerStore(Publishing):
    """A SPARQL 1.1 server, read and written as a build's store.

    Parameters
    ----------
    endpoint : ServerEndpoint or str
        The server, or its query URL (see `ServerEndpoint.from_url`).
    page_size : int
        Rows asked for at a time; at most the server's own row limit.
    timeout : float
        Seconds to wait for any one HTTP answer.
    request_chars : int
        Characters of data in one update request; a graph with more is staged and moved.
    """

    path = None  # not a folder on this machine
    live = True  # others may write to it: ask it every time, cache nothing, reopen nothing

    def __init__(self, endpoint: ServerEndpoint | str, *, page_size: int = 10_000, timeout: float = 300.0,
                 request_chars: int = REQUEST_CHARS):
        self.endpoint = endpoint if isinstance(endpoint, ServerEndpoint) else ServerEndpoint.from_url(endpoint)
        self.page_size = page_size
        self.timeout = timeout
        self.request_chars = request_chars
        self._local = threading.local()  # a requests.Session per thread: sessions are not thread-safe
        self._auth = None
        self._pragma: str | None = None  # what an update request opens with on this server (see _update)

    def __repr__(self) -> str:
        return f"<ServerStore {self.url}>"

    @property
    def url(self) -> str:
        return self.endpoint.query_url

    # ------------------------------------------------------------ reading

    def execute(self, query: str, *, params: dict[str, Any] | None = None, timeout: float | None = None,
                max_rows: int | None = None) -> Answer:
        """Run any query, as `kg.stores.oxigraph.Store.execute` does: values bound before evaluation, a time
        limit (seconds, for the whole answer), and a row limit. Returns a `kg.stores.Answer`."""
        if timeout is not None and timeout <= 0:
            raise QueryError(f"the timeout must be positive, not {timeout}")
        if max_rows is not None and max_rows < 0:
            raise QueryError(f"the row limit must be 0 or more, not {max_rows}")
        check_unicode(query)
        text = bind_in_groups(with_prologue(query), params or {})
        form = query_form(text)
        deadline = None if timeout is None else time.monotonic() + timeout
        if form == "UPDATE":
            raise QueryError("updates are not run: kg reads with SELECT, ASK, CONSTRUCT and DESCRIBE")
        dataset = self._dataset()
        if form == "ASK":  # as a SELECT of one row: Virtuoso's ASK looks past the dataset
            select = ask_as_select(text)
            return Answer("ask", boolean=bool(self._select_page(page(select, 1, 0) or select, deadline, dataset)[1]))
        if form in ("CONSTRUCT", "DESCRIBE"):
            triples = self._triples(text, deadline, max_rows, dataset)
            rows = [dict(zip(("subject", "predicate", "object"), t)) for t in triples[:max_rows]]
            return Answer("graph", ("subject", "predicate", "object"), rows,
                          truncated=max_rows is not None and len(triples) > max_rows)
        if form != "SELECT":
            raise QueryError("malformed SPARQL: a query starts with SELECT, ASK, CONSTRUCT or DESCRIBE")
        variables, rows = self._select(text, deadline, max_rows, dataset)
        truncated = max_rows is not None and len(rows) > max_rows
        return Answer("select", variables, rows[:max_rows] if max_rows is not None else rows, truncated=truncated)

    def sparql(self, query: str, **bindings: Any) -> list[dict[str, Any]] | bool | list[tuple]:
        """Like `kg.stores.oxigraph.Store.sparql`: SELECT rows as Python values, ASK a bool, CONSTRUCT triples."""
        answer = self.execute(query, params=bindings)
        if answer.kind == "ask":
            return bool(answer.boolean)
        if answer.kind == "graph":
            return [(r["subject"], r["predicate"], r["object"]) for r in answer.rows]
        return [{name: _python(term) for name, term in row.items()} for row in answer.rows]

    def select_terms(self, query: str, **bindings: Any) -> Iterator[dict[str, Node]]:
        """A SELECT's rows as rdflib terms, read a page at a time."""
        check_unicode(query)
        yield from self._select(bind_in_groups(with_prologue(query), bindings), None, None, self._dataset())[1]

    def sparql_raw(self, query: str, *, accept: str = "*/*", params: dict[str, Any] | None = None,
                   timeout: float | None = None, max_rows: int | None = None,
                   default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                   slots: Any = None) -> Serialized:
        """An answer written as `accept` asks (for `kg serve`); see `kg.stores.oxigraph.Store.sparql_raw`."""
        if default_graphs or named_graphs:
            raise QueryError("default-graph-uri and named-graph-uri are not passed on to a SPARQL server; "
                             "use FROM and FROM NAMED in the query")
        if slots is not None and not slots.acquire(timeout=timeout):
            raise QueryTimeout(f"the store is busy: no query could start within {timeout:g} s")
        try:
            return serialize_answer(self.execute(query, params=params, timeout=timeout, max_rows=max_rows), accept)
        finally:
            if slots is not None:
                slots.release()

    def graphs(self) -> list[URIRef]:
        """The named graphs this project wrote to the server (as its meta graph lists them)."""
        return sorted(self._published())

    def quads(self) -> Iterator[Quad]:
        """Every (s, p, o, graph) of the graphs this project wrote, a page at a time."""
        for graph in self.graphs():
            query = f"SELECT ?s ?p ?o WHERE {{ GRAPH {graph.n3()} {{ ?s ?p ?o }} }}"
            for row in self._select(query, None, None)[1]:
                yield row["s"], row["p"], row["o"], graph

    def snapshot(self) -> Any:  # a kg.stores.oxigraph.Store
        """An in-memory `kg.stores.oxigraph.Store` holding a copy of what this project wrote to the server:
        for files, SHACL and the explorer, which read the whole graph anyway."""
        from kg.stores.oxigraph import open_store

        store = open_store()
        store.load(self.quads())
        return store

    def dump_turtle(self, path: str | os.PathLike) -> None:
        self.snapshot().dump_turtle(path)

    def dump_jsonld(self, path: str | os.PathLike, *, graphs: bool = True) -> None:
        self.snapshot().dump_jsonld(path, graphs=graphs)

    def dump_ntriples(self, path: str | os.PathLike) -> None:
        self.snapshot().dump_ntriples(path)

    def dump(self, path: str | os.PathLike, *, format: str = "nquads") -> None:
        """Every quad with its graph, as `kg.stores.oxigraph.Store.dump` writes it, from a copy of the graphs."""
        self.snapshot().dump(path, format=format)

    def revision(self) -> str:
        """Changes with every write this project makes to the server ('' before the first)."""
        rows = self._select(f"SELECT ?r WHERE {{ GRAPH {META_GRAPH.n3()} {{ {META_GRAPH.n3()} "
                            f"{KG.revision.n3()} ?r }} }}", None, None)[1]
        return str(rows[0]["r"]) if rows else ""

    def fingerprint(self) -> tuple:
        """Changes with every write this project makes to the server."""
        return ("server", self.url, self.revision())

    def __len__(self) -> int:
        """Quads in the graphs this project wrote."""
        ours = set(self.graphs())
        rows = self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", None, None)[1]
        return sum(int(row["n"]) for row in rows if row.get("g") in ours)



def _python(term: Node) -> Any:
    return term.toPython() if isinstance(term, Literal) else str(term)
