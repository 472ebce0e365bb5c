"""A SPARQL 1.1 server as a build's store: Virtuoso, Oxigraph server, Fuseki, GraphDB.

`ServerStore` answers the same calls as the embedded `kg.store.Store` (execute,
sparql, select_terms, sparql_raw, graphs, quads), so `kg query`, the path API and
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
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError, QueryTimeout, StoreError
from kg.rdf import ntriples_term
from kg.sparql_text import ask_as_select, bind_in_groups, check_unicode, page, query_form
from kg.vocab import GEO, GRAPH, KG, VIRTUOSO_GEOMETRY, sparql_prologue

__all__ = ["META_GRAPH", "ServerEndpoint", "ServerStore", "is_server_url"]

META_GRAPH = GRAPH["meta"]  # which graphs a build wrote to the server, and a hash of each
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RESULTS_JSON = "application/sparql-results+json"
_GRAPH_TYPES = "application/n-triples, text/turtle;q=0.9, text/plain;q=0.5"
BLOCK_TRIPLES = 1_000  # triples in one INSERT DATA
REQUEST_CHARS = 4_000_000  # characters of N-Triples in one update request (Virtuoso refuses 10 MB)

Quad = tuple[Node, Node, Node, Node]


def is_server_url(where: object) -> bool:
    """Whether `where` names a SPARQL server rather than a build folder.

    >>> is_server_url("http://127.0.0.1:8890/sparql"), is_server_url("exports/example")
    (True, False)
    """
    return str(where).lower().startswith(("http://", "https://"))


@dataclass(frozen=True)
class ServerEndpoint:
    """Where a SPARQL server answers queries, takes updates and keeps graphs, and who we are there.

    `from_url` fills in the update address by the common layouts.
    """

    query_url: str
    update_url: str
    user: str | None = None
    password: str | None = field(default=None, repr=False)

    @classmethod
    def from_url(cls, url: str, *, update_url: str | None = None, user: str | None = None,
                 password: str | None = None, environ: dict[str, str] | None = None) -> ServerEndpoint:
        """The endpoints of the server whose query endpoint is `url`.

        ``.../query`` (Oxigraph, Fuseki) takes updates at ``.../update``; any other
        address (Virtuoso's ``.../sparql``) at itself; KG_STORE_UPDATE_URL says otherwise.

        >>> e = ServerEndpoint.from_url("http://kg:secret@127.0.0.1:8890/sparql-auth", environ={})
        >>> e.query_url, e.update_url, e.user
        ('http://127.0.0.1:8890/sparql-auth', 'http://127.0.0.1:8890/sparql-auth', 'kg')
        >>> ServerEndpoint.from_url("http://127.0.0.1:7878/query", environ={}).update_url
        'http://127.0.0.1:7878/update'
        """
        if not is_server_url(url):
            raise StoreError(f"not a SPARQL server address: {url!r}; give http://HOST:PORT/sparql")
        environ = os.environ if environ is None else environ
        parts = urlsplit(url)
        bare = urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))  # no password in messages
        user = user or parts.username or environ.get("KG_STORE_USER") or None
        password = password or parts.password or environ.get("KG_STORE_PASSWORD") or None
        base, _, last = bare.rstrip("/").rpartition("/")
        update = f"{base}/update" if last == "query" else bare
        return cls(bare, update_url or environ.get("KG_STORE_UPDATE_URL") or update, user, password)


class ServerStore:
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

    def __init__(self, endpoint: ServerEndpoint | str, *, page_size: int = 10_000, timeout: float = 300.0,
                 request_chars: int = REQUEST_CHARS):
        self.endpoint = endpoint if isinstance(endpoint, ServerEndpoint) else ServerEndpoint.from_url(endpoint)
        self.page_size = page_size
        self.timeout = timeout
        self.request_chars = request_chars
        self._local = threading.local()  # a requests.Session per thread: sessions are not thread-safe
        self._auth: requests.auth.AuthBase | None = None
        self._pragma: str | None = None  # what an update request opens with on this server (see _update)

    def __repr__(self) -> str:
        return f"<ServerStore {self.url}>"

    @property
    def url(self) -> str:
        return self.endpoint.query_url

    # ------------------------------------------------------------ reading

    def execute(self, query: str, *, params: dict[str, Any] | None = None, timeout: float | None = None,
                max_rows: int | None = None) -> Any:
        """Run any query, as `kg.store.Store.execute` does: values bound before evaluation, a time
        limit (seconds, for the whole answer), and a row limit. Returns a `kg.store.Answer`."""
        from kg.store import Answer

        if timeout is not None and timeout <= 0:
            raise QueryError(f"the timeout must be positive, not {timeout}")
        if max_rows is not None and max_rows < 0:
            raise QueryError(f"the row limit must be 0 or more, not {max_rows}")
        check_unicode(query)
        text = bind_in_groups(_with_prologue(query), params or {})
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
        """Like `kg.store.Store.sparql`: SELECT rows as Python values, ASK a bool, CONSTRUCT triples."""
        answer = self.execute(query, params=bindings)
        if answer.kind == "ask":
            return bool(answer.boolean)
        if answer.kind == "graph":
            return [(r["subject"], r["predicate"], r["object"]) for r in answer.rows]
        return [{name: _python(term) for name, term in row.items()} for row in answer.rows]

    def select_terms(self, query: str, **bindings: Any) -> Iterator[dict[str, Node]]:
        """A SELECT's rows as rdflib terms, read a page at a time."""
        check_unicode(query)
        yield from self._select(bind_in_groups(_with_prologue(query), bindings), None, None, self._dataset())[1]

    def sparql_raw(self, query: str, *, accept: str = "*/*", params: dict[str, Any] | None = None,
                   timeout: float | None = None, max_rows: int | None = None,
                   default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                   slots: Any = None) -> Any:
        """An answer written as `accept` asks (for `kg serve`); see `kg.store.Store.sparql_raw`."""
        from kg.store import serialize_answer

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

    def snapshot(self) -> Any:
        """An in-memory `kg.store.Store` holding a copy of what this project wrote to the server:
        for files, SHACL and the explorer, which read the whole graph anyway."""
        from kg.store import open_store

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
        """Every quad with its graph, as `kg.store.Store.dump` writes it, from a copy of the graphs."""
        self.snapshot().dump(path, format=format)

    def revision(self) -> str:
        """Changes with every write this project makes to the server ('' before the first)."""
        rows = self._select(f"SELECT ?r WHERE {{ GRAPH {META_GRAPH.n3()} {{ {META_GRAPH.n3()} "
                            f"{KG.revision.n3()} ?r }} }}", None, None)[1]
        return str(rows[0]["r"]) if rows else ""

    def __len__(self) -> int:
        """Quads in the graphs this project wrote."""
        ours = set(self.graphs())
        rows = self._select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g", None, None)[1]
        return sum(int(row["n"]) for row in rows if row.get("g") in ours)

    # ------------------------------------------------------------ writing

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
        staged = [_staging(g) for g in changed if _chars(by_graph[g]) > self.request_chars]
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
            staging = _staging(graph)
            self._update(f"DROP SILENT GRAPH {staging.n3()}")
            for batch in _batches([(staging, graphs[graph])], self.request_chars, split=True):
                self._update(" ;\n".join(_inserts(staging, batch[0][1])))
            self._update(f"MOVE SILENT GRAPH {staging.n3()} TO GRAPH {graph.n3()}")

    def remove_graph(self, graph: URIRef) -> None:
        """Drop one named graph; a missing one is no error."""
        self.replace_graphs({graph: []})

    def clear(self) -> None:
        """Drop every graph this project wrote, and its meta graph."""
        graphs = [*self.graphs(), META_GRAPH, _staging(META_GRAPH)]
        for start in range(0, len(graphs), 500):
            self.replace_graphs(dict.fromkeys(graphs[start:start + 500], []))

    # ------------------------------------------------------------ the protocol

    def _dataset(self) -> list[str]:
        """The graphs a query may read: those this build wrote (never the meta graph or a staging one)."""
        graphs = set(self._published()) - {META_GRAPH}
        graphs -= {_staging(g) for g in graphs}
        return sorted(map(str, graphs)) or [str(_NO_GRAPH)]  # nothing written yet: an empty dataset, not the whole server

    def _select(self, query: str, deadline: float | None, max_rows: int | None,
                dataset: list[str] | None = None) -> tuple[tuple[str, ...], list]:
        """All rows of a SELECT, a page at a time when the query can be paged."""
        want = None if max_rows is None else max_rows + 1  # one more tells whether there are more
        size = self.page_size if want is None else min(self.page_size, want)
        first = page(query, size, 0)
        if first is None:
            variables, rows = self._select_page(query, deadline, dataset)
            return variables, rows
        variables, rows = self._select_page(first, deadline, dataset)  # the first page names the variables in order
        offset = len(rows)
        while offset % size == 0 and offset and (want is None or len(rows) < want):
            paged = page(query, size, offset)
            if paged is None:  # a sorted CONSTRUCT-like query that cannot be paged further
                break
            batch = self._select_page(paged, deadline, dataset)[1]
            rows.extend(batch)
            offset += len(batch)
            if len(batch) < size:
                break
        return variables, rows

    def _select_page(self, query: str, deadline: float | None, dataset: list[str] | None = None) -> tuple[Any, Any]:
        response = self._request("POST", self.endpoint.query_url, data=self._form(query, dataset),
                                 headers={"Accept": _RESULTS_JSON}, deadline=deadline, what="query")
        try:
            document = response.json()
        except ValueError:
            raise QueryError(f"{self.url} did not answer in SPARQL results JSON") from None
        if "boolean" in document:
            return (), bool(document["boolean"])
        variables = tuple(document.get("head", {}).get("vars", ()))
        rows = [{name: _term(value) for name, value in binding.items()}
                for binding in document.get("results", {}).get("bindings", ())]
        return variables, rows

    def _triples(self, query: str, deadline: float | None, max_rows: int | None,
                 dataset: list[str] | None = None) -> list[tuple[Node, Node, Node]]:
        import rdflib

        triples: list[tuple[Node, Node, Node]] = []
        offset = 0
        # Virtuoso cuts a graph answer at its row cap counted in triples, without a word: ask
        # for few enough solutions that a template of up to ten triples stays under it.
        size = max(1, self.page_size // 10)
        while True:
            paged = page(query, size, offset)
            response = self._request("POST", self.endpoint.query_url, data=self._form(paged or query, dataset),
                                     headers={"Accept": _GRAPH_TYPES}, deadline=deadline, what="query")
            media = response.headers.get("Content-Type", "").split(";")[0].strip()
            syntax = {"application/n-triples": "nt", "text/plain": "nt"}.get(media, "turtle")
            try:
                batch = list(rdflib.Graph().parse(data=response.content, format=syntax))
            except Exception as error:  # noqa: BLE001 (rdflib's parsers raise many types)
                raise QueryError(f"{self.url} sent a graph that cannot be read: {error}") from None
            triples.extend(batch)
            offset += size
            if paged is None or len(batch) < size or (max_rows is not None and len(triples) > max_rows):
                return triples

    def _form(self, query: str, dataset: list[str] | None = None) -> dict[str, Any]:
        if dataset is not None:  # the default graph is the merge of these, and only these are named
            return {"query": query, "default-graph-uri": dataset, "named-graph-uri": dataset}
        # Oxigraph server reads the union of its graphs only when asked; the others ignore the word.
        return {"query": query, "union-default-graph": ""}

    def _published(self) -> dict[URIRef, str]:
        query = (f"SELECT ?g ?h WHERE {{ GRAPH {META_GRAPH.n3()} {{ ?g {KG.contentHash.n3()} ?h }} }}")
        return {row["g"]: str(row["h"]) for row in self._select(query, None, None)[1] if isinstance(row["g"], URIRef)}

    def _update(self, update: str) -> None:
        if self._pragma is None:
            server = self._request("POST", self.endpoint.query_url, data=self._form("ASK {}"),
                                   headers={"Accept": _RESULTS_JSON}, what="query").headers.get("Server", "")
            self._pragma = "DEFINE sql:big-data-const 1\n" if server.startswith("Virtuoso") else ""
        self._request("POST", self.endpoint.update_url, data={"update": self._pragma + update}, what="update")

    def _session(self) -> requests.Session:
        http = getattr(self._local, "http", None)
        if http is None:
            http = self._local.http = requests.Session()
            http.headers["User-Agent"] = "militia-kg"
        return http

    def _request(self, method: str, url: str, *, what: str, deadline: float | None = None,
                 **options: Any) -> requests.Response:
        timeout = self.timeout if deadline is None else max(0.001, deadline - time.monotonic())
        http = self._session()
        try:
            response = http.request(method, url, timeout=timeout, auth=self._auth, **options)
            if response.status_code == 401 and self.endpoint.user and self._auth is None:
                self._auth = _auth_for(response, self.endpoint)  # as the server asks: basic or digest
                response = http.request(method, url, timeout=timeout, auth=self._auth, **options)
        except requests.Timeout:
            if deadline is not None:
                raise QueryTimeout(f"the query took longer than {timeout:g} s at {url}") from None
            raise StoreError(f"{url} did not answer within {timeout:g} s") from None
        except requests.RequestException as error:
            raise StoreError(f"cannot reach the SPARQL server at {url} ({_reason(error)}); "
                             "is it running, and is the address right?") from None
        if response.status_code < 300:
            return response
        message = _first_line(response.text) or response.reason
        if response.status_code in (401, 403):
            hint = ("set KG_STORE_USER and KG_STORE_PASSWORD" if response.status_code == 401 and not self.endpoint.user
                    else "check the user, password and the user's rights (Virtuoso: grant SPARQL_UPDATE)")
            raise StoreError(f"{url} refused the {what} ({response.status_code} {response.reason}): {hint}")
        if what == "query" and response.status_code in (400, 500):
            raise QueryError(f"the SPARQL server rejected the query: {message}")
        raise StoreError(f"{url} failed the {what}: {response.status_code} {message}")


# ------------------------------------------------------------ helpers


def _with_prologue(query: str) -> str:
    """The ontology's prefixes declared first, as the embedded store declares them (a query's own
    PREFIX lines come after and win), all on the query's first line so that a server's
    "error at line L" still points into the query as written."""
    return sparql_prologue().replace("\n", " ") + query


def _auth_for(response: requests.Response, endpoint: ServerEndpoint) -> requests.auth.AuthBase:
    challenge = response.headers.get("WWW-Authenticate", "").lower()
    if challenge.startswith("digest"):
        return requests.auth.HTTPDigestAuth(endpoint.user, endpoint.password or "")
    return requests.auth.HTTPBasicAuth(endpoint.user, endpoint.password or "")


def _term(value: dict[str, str]) -> Node:
    """One RDF term of SPARQL results JSON (with Virtuoso's older "typed-literal")."""
    kind, text = value.get("type"), value.get("value", "")
    if kind == "uri":
        return URIRef(text)
    if kind == "bnode":
        return BNode(text)
    if "xml:lang" in value:
        return Literal(text, lang=value["xml:lang"])
    datatype = value.get("datatype")
    if datatype == str(VIRTUOSO_GEOMETRY):  # the geo:wktLiteral we wrote, in Virtuoso's own type
        from kg.geo.quads import wkt_from_server

        return Literal(wkt_from_server(text), datatype=GEO.wktLiteral)
    if datatype and datatype != _XSD_STRING:  # RDF 1.1: a string is a plain literal
        return Literal(text, datatype=URIRef(datatype))
    return Literal(text)


def _python(term: Node) -> Any:
    return term.toPython() if isinstance(term, Literal) else str(term)


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


_NO_GRAPH = GRAPH["none"]  # a graph nobody writes: the dataset of a build that has written nothing


def _staging(graph: URIRef) -> URIRef:
    """Where a graph too big for one request is written before it is moved into place."""
    return URIRef(f"{graph}-staging")


def _nt(term: Node) -> str:
    """A term for an update request. IRIs are checked here: a server refuses a whole request for one bad IRI."""
    return term.n3() if isinstance(term, URIRef) else ntriples_term(term)


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")[:300]


def _reason(error: requests.RequestException) -> str:
    """The operating system's words for a failed connection ("Connection refused"), or the error's kind."""
    match = re.search(r"\[Errno -?\d+\] ([^'\")\]]+)", str(error))
    return match.group(1).strip() if match else type(error).__name__
