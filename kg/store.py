"""The triple store of a build: the only module that imports pyoxigraph.

A build folder keeps its Oxigraph store in a snapshot folder, ``store-<time>-<pid>/``,
named by the symlink ``store``. `write_build_store` fills a fresh snapshot by bulk load
and then swaps the link in one `os.replace`, so a reader opens the old snapshot or the
new one, never half of one; `open_build` opens whatever the link names, and a reader
that opened the old snapshot keeps reading it after the swap. `open_store()` without a
path gives an in-memory store (tests, scratch work).

A build may keep its graph on a SPARQL server instead (`kg build --store URL`): then
the folder holds ``store.url`` in place of the link, and `open_build` gives a
`kg.server_store.ServerStore`, which answers the same reading calls. `open_source`
opens either a build folder or a server's URL.

Each document's statements sit in the document's named graph, so one document can be
added, replaced or removed: `replace_graph`, `remove_graph`, and `update_build_store`
for a published snapshot.

Values put into a query are never pasted into its text. `Store.sparql(query, **bindings)`,
`select_terms`, and the ``params`` of `Store.execute` and `Store.sparql_raw` all bind the
same way as the SPARQL server store does (kg.sparql_text.bind_in_groups): each value,
checked and written as an escaped RDF term, goes into a VALUES block at the top of the
query's pattern and of every group that uses the variable. That binds it before
evaluation, as a substitution would: FILTERs, GROUP BY and sub-SELECTs see it, and the
variable need not be projected.

Queries run over the union of all graphs. `execute` and `sparql_raw` take a ``timeout``
(seconds) and ``max_rows``.
"""

from __future__ import annotations

import contextlib
import gc
import json
import os
import re
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.atomic import process_alive
from kg.errors import QueryError, QueryTimeout, StoreError
from kg.rdf import write_nquads
from kg.sparql_text import bind_in_groups, check_unicode
from kg.vocab import PREFIXES

__all__ = [
    "GRAPH_MEDIA_TYPES", "RESULTS_MEDIA_TYPES", "STORE_DIRNAME", "Answer", "Serialized", "Store", "as_term",
    "link_server", "negotiate", "open_build", "open_source", "open_store", "serialize_answer", "server_of",
    "update_build_store", "write_build_store",
]

STORE_DIRNAME = "store"
SERVER_FILE = "store.url"  # in a build folder whose store is a SPARQL server: the server's query URL
SNAPSHOT_PREFIX = "store-"
# What _publish and _swap_link name their folders: store-<UTC time>.<microseconds>-<pid>, store-old-<ns>-<pid>.
_SNAPSHOT_NAME = re.compile(r"store-(?:\d{8}T\d{6}\.\d{6}|old-\d+)-(?P<pid>\d+)")
_LOCK_NAME = ".store.lock"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Media types a query answer can be written in, the default first.
RESULTS_MEDIA_TYPES = {  # SELECT and ASK
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_MEDIA_TYPES = {  # CONSTRUCT and DESCRIBE
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/x-turtle": ox.RdfFormat.TURTLE,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/json": ox.RdfFormat.JSON_LD,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
}
_CHARSET = {"text/csv", "text/tab-separated-values", "text/turtle", "text/plain", "text/xml"}


@dataclass
class Answer:
    """What a query gave, as rdflib terms.

    ``kind`` is "select", "ask" or "graph" (CONSTRUCT, DESCRIBE). A graph answer's rows
    have the variables subject, predicate and object. ``truncated`` is True when
    ``max_rows`` cut the rows short.
    """

    kind: str
    variables: tuple[str, ...] = ()
    rows: list[dict[str, Node]] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False


class Serialized(NamedTuple):
    """A query answer written out: the bytes, their media type, and whether rows were cut."""

    body: bytes
    media_type: str
    truncated: bool


@dataclass
class _Raw:  # an answer as pyoxigraph terms, before conversion or serialisation
    kind: str
    variables: tuple[str, ...] = ()
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    truncated: bool = False


class Store:
    """A thin, typed face over pyoxigraph's Store."""

    def __init__(self, store: ox.Store, path: Path | None = None):
        self._store = store
        self.path = path

    # ------------------------------------------------------------ writing

    def load(self, quads: Iterable[tuple[Node, Node, Node, Node]]) -> None:
        """Bulk-add rdflib quads (s, p, o, graph).

        >>> from rdflib import URIRef, Literal
        >>> store = open_store()
        >>> store.load([(URIRef("urn:s"), URIRef("urn:p"), Literal("o"), URIRef("urn:g"))])
        >>> len(store)
        1
        """
        try:
            self._store.bulk_extend(to_ox_quads(quads))
        except (OSError, ValueError, TypeError) as error:
            raise StoreError(f"cannot add quads to the store: {error}") from None

    def load_file(self, path: str | os.PathLike, *, format: str = "nquads", lenient: bool = False) -> None:
        """Bulk-load an RDF file ("nquads", "trig", "turtle" or "ntriples") straight into the store.

        The fastest way in. Oxigraph's bulk loader sorts each million quads into the
        indexes on one core, so a line-based file (N-Quads, N-Triples) of 8 to 512 MiB
        without blank nodes is cut at a line end into two halves, read into memory and
        loaded at once on two threads. Only two: each load adds a layer to every index
        that later reads must merge (four made the saved queries a quarter slower; two
        cost nothing). Blank node labels hold across a file but not across loads, so such
        files go in one load. `lenient` skips the check of every IRI (a load about a
        seventh faster): only for files this project wrote, such as a dump of a build.
        Triples of a triple format go to the default graph.
        """
        rdf_format = _RDF_FORMATS.get(format)
        if rdf_format is None:
            raise StoreError(f"cannot load {format!r}: use one of {', '.join(_RDF_FORMATS)}")
        affinity = getattr(os, "sched_getaffinity", None)
        cpus = len(affinity(0)) if affinity else os.cpu_count() or 1
        halves: list[bytes] = []
        try:
            size = os.path.getsize(path)
            line_based = rdf_format in (ox.RdfFormat.N_QUADS, ox.RdfFormat.N_TRIPLES)
            if line_based and cpus > 1 and 8 << 20 <= size <= 512 << 20:
                with open(path, "rb") as file:
                    file.seek(size // 2)
                    file.readline()  # the cut: the end of the line across the middle
                    cut = file.tell()
                    file.seek(0)
                    halves = [file.read(cut), file.read()]
                if not halves[1] or any(b"_:" in half for half in halves):
                    halves = []
            if not halves:
                self._store.bulk_load(path=str(path), format=rdf_format, lenient=lenient)
                return
            errors: list[BaseException | None] = [None, None]

            def load_half(k: int) -> None:
                try:
                    self._store.bulk_load(input=halves[k], format=rdf_format, lenient=lenient)
                except BaseException as error:  # noqa: BLE001 (raised below, in the caller's thread)
                    errors[k] = error

            second = threading.Thread(target=load_half, args=(1,), name="kg-load", daemon=True)
            second.start()
            load_half(0)
            second.join()
            if errors[0] is not None:
                raise errors[0]
            if isinstance(errors[1], SyntaxError):  # its line numbers count from the cut
                lines = halves[0].count(b"\n")
                raise SyntaxError(re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) + lines}", str(errors[1])))
            if errors[1] is not None:
                raise errors[1]
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"cannot load {path}: {' '.join(str(error).split())}") from None

    def replace_graph(self, graph: URIRef, quads: Iterable[tuple[Node, Node, Node, Node]]) -> None:
        """Drop named graph `graph` and add `quads` (a document's new statements) in its place."""
        self.remove_graph(graph)
        self.load(quads)

    def remove_graph(self, graph: URIRef) -> None:
        """Drop one named graph (a document) and every quad in it; a missing graph is no error."""
        try:
            self._store.remove_graph(ox.NamedNode(str(graph)))
        except OSError as error:
            raise StoreError(f"cannot remove graph {graph} from {self.path or 'the store'}: {error}") from None

    def graphs(self) -> list[URIRef]:
        """The named graphs: the entity graph and one per document."""
        return sorted(URIRef(g.value) for g in self._store.named_graphs() if isinstance(g, ox.NamedNode))

    def clear(self) -> None:
        self._store.clear()

    def flush(self) -> None:
        if self.path is not None:
            self._store.flush()

    # ------------------------------------------------------------ reading

    def sparql(self, query: str, **bindings: Any) -> list[dict[str, Any]] | bool | list[tuple]:
        """Run a SPARQL query over the union of all graphs, with `bindings` bound safely.

        SELECT gives a list of dicts of Python values (str, int, float, bool), ASK a bool,
        CONSTRUCT and DESCRIBE a list of rdflib triples. Bindings are Python values or
        rdflib terms; a str that is an IRI must be given as rdflib.URIRef. They are bound
        before evaluation (see the module's docstring), so

        >>> from rdflib import URIRef, Literal
        >>> store = open_store()
        >>> store.load([(URIRef(f"urn:e{i}"), URIRef("urn:label"), Literal(n), URIRef("urn:g"))
        ...             for i, n in enumerate(["Iran", "Iraq"])])
        >>> store.sparql("SELECT (COUNT(*) AS ?n) WHERE { ?e <urn:label> ?name }", name="Iran")
        [{'n': 1}]

        >>> store = open_store()
        >>> store.sparql('ASK { ?s ?p ?o }')
        False
        """
        result = self._run(query, bindings)
        if isinstance(result, ox.QueryBoolean):
            return bool(result)
        if isinstance(result, ox.QuerySolutions):
            names = [v.value for v in result.variables]
            return [{n: from_ox_value(row[n]) for n in names if row[n] is not None} for row in result]
        return [(from_ox_term(t.subject), from_ox_term(t.predicate), from_ox_term(t.object)) for t in result]

    def select_terms(self, query: str, **bindings: Any) -> Iterator[dict[str, Node]]:
        """Like `sparql` for SELECT, but rows of rdflib terms (IRIs stay IRIs)."""
        result = self._run(query, bindings)
        names = [v.value for v in result.variables]
        for row in result:
            yield {n: from_ox_term(row[n]) for n in names if row[n] is not None}

    def execute(self, query: str, *, params: dict[str, Any] | None = None, timeout: float | None = None,
                max_rows: int | None = None) -> Answer:
        """Run any SPARQL query, with a time limit and a row limit, and keep its variables.

        Parameters
        ----------
        query : str
            SELECT, ASK, CONSTRUCT or DESCRIBE; the ontology's prefixes are declared.
        params : dict, optional
            Values bound before evaluation (FILTERs see them); Python values or rdflib terms.
        timeout : float, optional
            Seconds; past it `QueryTimeout` is raised.
        max_rows : int, optional
            Keep at most this many rows (or triples); `Answer.truncated` says if more were found.

        Returns
        -------
        Answer

        Raises
        ------
        QueryError
            Malformed or failing query; `QueryTimeout` when too slow.

        Examples
        --------
        >>> from rdflib import URIRef, Literal
        >>> store = open_store()
        >>> store.load([(URIRef("urn:s"), URIRef("urn:p"), Literal("Hello"), URIRef("urn:g"))])
        >>> answer = store.execute('SELECT ?s ?x WHERE { ?s ?p ?o FILTER(LCASE(?o) = ?x) }', params={"x": "hello"})
        >>> answer.variables, [str(r["s"]) for r in answer.rows]
        (('s', 'x'), ['urn:s'])
        """
        raw = self._evaluate(query, params=params, timeout=timeout, max_rows=max_rows)
        seen: dict[Any, Node] = {}  # answers repeat their terms (entities, months, predicates): convert each once

        def term(t: Any) -> Node:
            node = seen.get(t)
            if node is None:
                node = seen[t] = from_ox_term(t)
            return node

        with _collector_paused():
            rows = [{n: term(t) for n, t in zip(raw.variables, row) if t is not None} for row in raw.rows]
        return Answer(raw.kind, raw.variables, rows, raw.boolean, raw.truncated)

    def sparql_raw(self, query: str, *, accept: str = "*/*", params: dict[str, Any] | None = None,
                   timeout: float | None = None, max_rows: int | None = None,
                   default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                   slots: threading.Semaphore | None = None) -> Serialized:
        """Run a query and write its answer in the SPARQL results format (or RDF syntax) `accept` asks for.

        `accept` is an HTTP Accept header. SELECT and ASK answers come as JSON (the default),
        XML, CSV or TSV; CONSTRUCT and DESCRIBE as Turtle (the default), JSON-LD, N-Triples or
        RDF/XML. When nothing acceptable is offered, the default is used. `default_graphs` and
        `named_graphs` (IRIs) narrow the dataset as the SPARQL protocol's default-graph-uri and
        named-graph-uri do; without them the default graph is the union of all graphs. `slots`
        bounds how many queries run at once: a query waits for a free slot (within its
        timeout) and holds it until its evaluation really ends.

        >>> from rdflib import URIRef, Literal
        >>> store = open_store()
        >>> store.load([(URIRef("urn:s"), URIRef("urn:p"), Literal("o"), URIRef("urn:g"))])
        >>> store.sparql_raw("SELECT ?o WHERE { ?s ?p ?o }", accept="text/csv")
        Serialized(body=b'o\\r\\no\\r\\n', media_type='text/csv; charset=utf-8', truncated=False)
        """
        raw = self._evaluate(query, params=params, timeout=timeout, max_rows=max_rows,
                             default_graphs=default_graphs, named_graphs=named_graphs, slots=slots)
        return _serialize(raw, accept)

    def _run(self, query: str, bindings: dict[str, Any]) -> Any:
        check_unicode(query)
        try:
            return self._store.query(
                bind_in_groups(query, bindings), prefixes=PREFIXES, use_default_graph_as_union=True
            )
        except SyntaxError as error:
            raise QueryError(_syntax(error, query)) from None
        except (OSError, RuntimeError) as error:
            raise QueryError(f"the query failed: {' '.join(str(error).split())}") from None

    def _evaluate(self, query: str, *, params: dict[str, Any] | None, timeout: float | None,
                  max_rows: int | None, default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None, slots: threading.Semaphore | None = None) -> _Raw:
        if timeout is not None and timeout <= 0:
            raise QueryError(f"the timeout must be positive, not {timeout}")
        if max_rows is not None and max_rows < 0:
            raise QueryError(f"the row limit must be 0 or more, not {max_rows}")
        options: dict[str, Any] = {"prefixes": PREFIXES}
        if default_graphs:
            options["default_graph"] = [_graph_name(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [_graph_name(g) for g in named_graphs]
        check_unicode(query)
        text = bind_in_groups(query, params or {})
        cancel = threading.Event()

        def work() -> _Raw:
            try:
                return _collect(self._store.query(text, **options), max_rows, cancel)
            except SyntaxError as error:
                raise QueryError(_syntax(error, query)) from None
            except RuntimeError as error:
                raise QueryError(_explain(error)) from None
            except OSError as error:
                raise StoreError(f"cannot read the store: {error}") from None

        if timeout is None and slots is None:
            return work()
        return _with_deadline(work, timeout, slots, cancel)

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node]]:
        for q in self._store:
            yield from_ox_term(q.subject), from_ox_term(q.predicate), from_ox_term(q.object), from_ox_term(q.graph_name)

    # ------------------------------------------------------------ files

    def dump_turtle(self, path: str | os.PathLike) -> None:
        """All graphs merged into one Turtle file (Turtle has no named graphs)."""
        triples = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        with open(path, "wb") as out:
            ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)

    def dump_ntriples(self, path: str | os.PathLike) -> None:
        """All graphs merged into one N-Triples file, one triple a line (N-Triples has no named graphs)."""
        triples = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        with open(path, "wb") as out:
            ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)

    def dump_jsonld(self, path: str | os.PathLike, *, graphs: bool = True) -> None:
        """JSON-LD (expanded form): each named graph as a node with its ``@graph``, or all merged if not `graphs`."""
        if graphs:
            self._store.dump(str(path), ox.RdfFormat.JSON_LD)
            return
        triples = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        with open(path, "wb") as out:
            ox.serialize(triples, out, ox.RdfFormat.JSON_LD)

    def dump(self, path: str | os.PathLike, *, format: str = "nquads") -> None:
        """Every quad with its graph: format "nquads" or "trig"."""
        rdf_format = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[format]
        self._store.dump(str(path), rdf_format, prefixes=PREFIXES if format == "trig" else None)

    def backup(self, path: str | os.PathLike) -> None:
        """A copy of the store on disk at `path` (hard links where it can: cheap and quick)."""
        try:
            self._store.backup(str(path))
        except OSError as error:
            raise StoreError(f"cannot copy the store to {path}: {error}") from None

    def __len__(self) -> int:
        return len(self._store)


_RDF_FORMATS = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG, "turtle": ox.RdfFormat.TURTLE,
                "ntriples": ox.RdfFormat.N_TRIPLES}


def open_store(path: str | os.PathLike | None = None, *, read_only: bool = False) -> Store:
    """An on-disk store at `path` (created if missing), or an in-memory one without a path."""
    if path is None:
        return Store(ox.Store())
    path = Path(path)
    try:
        if read_only:
            if not path.is_dir():
                raise StoreError(f"no store at {path}; run `kg build INPUT --out DIR` first")
            return Store(ox.Store.read_only(str(path)), path)
        return Store(ox.Store(str(path)), path)
    except OSError as error:
        raise StoreError(f"cannot open the store at {path}: {error}") from None


# ------------------------------------------------------------ a build's store


def open_build(build_dir: str | os.PathLike, *, read_only: bool = True) -> Store:
    """The store of a build folder: the snapshot its ``store`` link names, at the moment of opening.

    A read-only store is a snapshot: after `write_build_store` swaps in a new one, it
    keeps answering from the old (call `open_build` again for the new). `Store.path`
    is the link, ``DIR/store``. Opening read-write is for a store no reader uses yet.

    Raises
    ------
    StoreError
        If `build_dir` holds no store.

    Examples
    --------
    >>> open_build("/nonexistent")
    Traceback (most recent call last):
    ...
    kg.errors.StoreError: /nonexistent is not a militia-kg build (no store); run `kg build INPUT --out /nonexistent`
    """
    build = Path(build_dir)
    link = build / STORE_DIRNAME
    server = server_of(build)
    if server is not None:
        from kg.server_store import ServerStore

        return ServerStore(server)
    for attempt in range(20):  # a writer may swap and delete the snapshot between our look and our open
        target = _snapshot_of(build)
        if target is None:
            raise StoreError(f"{build} is not a militia-kg build (no store); run `kg build INPUT --out {build}`")
        try:
            store = ox.Store.read_only(str(target)) if read_only else ox.Store(str(target))
            return Store(store, link)
        except (OSError, RuntimeError) as error:  # RocksDB says "Corruption" when files vanish mid-open
            swapped = _snapshot_of(build) != target or not target.is_dir()
            if not swapped or attempt == 19:
                raise StoreError(f"cannot open the store of {build}: {' '.join(str(error).split())}") from None
            time.sleep(0.01)
    raise AssertionError("unreachable")


def open_source(where: str | os.PathLike, **options: Any) -> Store:
    """The store a reading command names: a build folder, or a SPARQL server's URL.

    `options` go to `kg.server_store.ServerStore` (page_size, timeout).

    >>> open_source("http://127.0.0.1:8890/sparql")
    <ServerStore http://127.0.0.1:8890/sparql>
    """
    from kg.server_store import ServerStore, is_server_url

    if is_server_url(where):
        return ServerStore(str(where), **options)
    return open_build(where)


def server_of(build_dir: str | os.PathLike) -> str | None:
    """The SPARQL server a build folder keeps its graph in (`kg build --store URL`), or None."""
    try:
        return (Path(build_dir) / SERVER_FILE).read_text(encoding="utf-8").strip() or None
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError as error:
        raise StoreError(f"cannot read {Path(build_dir) / SERVER_FILE}: {error}") from None


def link_server(build_dir: str | os.PathLike, url: str) -> None:
    """Make a build folder's store the SPARQL server at `url` (without its password), in place
    of an embedded store, which is deleted."""
    build = Path(build_dir)
    build.mkdir(parents=True, exist_ok=True)
    tmp = build / f".{SERVER_FILE}.{os.getpid()}.tmp"
    tmp.write_text(url + "\n", encoding="utf-8")
    with _writer_lock(build):
        os.replace(tmp, build / SERVER_FILE)
        old = _snapshot_of(build)
        if old is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(build / STORE_DIRNAME)
            shutil.rmtree(old, ignore_errors=True)


def write_build_store(build_dir: str | os.PathLike, quads: Iterable[tuple[Node, Node, Node, Node]]) -> Path:
    """Write `quads` into a fresh snapshot of the build's store and switch the build over to it.

    The snapshot ``DIR/store-<time>-<pid>`` is bulk-loaded and flushed, then the link
    ``DIR/store`` is replaced in one `os.replace`, and the old snapshot deleted. Readers
    that opened the old one keep a consistent view of it. Returns the new snapshot's path.

    Examples
    --------
    >>> import tempfile
    >>> from rdflib import URIRef, Literal
    >>> build = tempfile.mkdtemp()
    >>> snapshot = write_build_store(build, [(URIRef("urn:s"), URIRef("urn:p"), Literal("o"), URIRef("urn:g"))])
    >>> len(open_build(build))
    1
    """
    build = Path(build_dir)

    def fill(store: Store) -> None:  # _publish has made the folder by now
        # Through a file: Oxigraph parses N-Quads in two halves at once (Store.load_file)
        # more than twice as fast as it takes Python terms one by one (bulk_extend).
        with tempfile.NamedTemporaryFile(dir=build, prefix=".load-", suffix=".nq") as file:
            write_nquads(quads, file)
            file.flush()
            store.load_file(file.name)

    return _publish(build, fill)


def update_build_store(build_dir: str | os.PathLike, *, remove_graphs: Iterable[URIRef] = (),
                       quads: Iterable[tuple[Node, Node, Node, Node]] = ()) -> Path:
    """Copy the build's current snapshot, drop `remove_graphs` and add `quads`, then switch over as
    `write_build_store` does. To replace a document, name its graph and give its new quads.

    The copy is a hard-linked checkpoint, so this costs about what the change does. Updates
    to one build are serialised by a lock file (``DIR/.store.lock``); `write_build_store`
    replaces everything, so the last one to finish wins.
    """
    build = Path(build_dir)

    def change(store: Store) -> None:
        for graph in remove_graphs:
            store.remove_graph(graph)
        store.load(quads)

    open_build(build)  # a clear error when there is nothing to update
    with _writer_lock(build):  # held throughout, so two updates cannot lose one another's change
        return _publish(build, change, base=open_build(build), locked=True)


def _publish(build: Path, fill: Callable[[Store], None], *, base: Store | None = None,
             locked: bool = False) -> Path:
    try:
        build.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StoreError(f"cannot create the build folder {build}: {error}") from None
    now = time.time()
    stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime(now)) + f".{int(now % 1 * 1e6):06d}"
    fresh = build / f"{SNAPSHOT_PREFIX}{stamp}-{os.getpid()}"
    try:
        if base is not None:
            base.backup(fresh)
        store = open_store(fresh)
        fill(store)
        store.flush()
        del store  # closes the database before anyone opens it read-only
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    with contextlib.nullcontext() if locked else _writer_lock(build):
        old = _swap_link(build, fresh)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(build / SERVER_FILE)  # the build's store is this snapshot now, not a server
        if old is not None and old != fresh:
            shutil.rmtree(old, ignore_errors=True)
        _remove_abandoned(build, keep=fresh)
    return fresh


def _snapshot_of(build: Path) -> Path | None:
    link = build / STORE_DIRNAME
    try:
        if link.is_symlink():
            return build / os.readlink(link)
    except OSError:
        return None
    return link if link.is_dir() else None  # a store folder written before snapshots


def _swap_link(build: Path, fresh: Path) -> Path | None:
    """Point DIR/store at `fresh` in one rename; return what it pointed at before."""
    link = build / STORE_DIRNAME
    old = _snapshot_of(build)
    if old == link:  # an old-style folder: move it aside first (the only non-atomic moment)
        old = build / f"{SNAPSHOT_PREFIX}old-{time.time_ns()}-{os.getpid()}"
        os.rename(link, old)
    tmp = build / f".{STORE_DIRNAME}.{os.getpid()}.{threading.get_ident()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    os.symlink(fresh.name, tmp)
    os.replace(tmp, link)
    return old


def _remove_abandoned(build: Path, *, keep: Path) -> None:
    """Delete snapshots left by writers that died before switching (their pid is gone).

    Only folders named exactly as `_publish` names them: a user's `store-backup-2023` stays.
    """
    for path in build.glob(SNAPSHOT_PREFIX + "*"):
        match = _SNAPSHOT_NAME.fullmatch(path.name)
        if path == keep or match is None or process_alive(int(match.group("pid"))):
            continue
        shutil.rmtree(path, ignore_errors=True)


@contextlib.contextmanager
def _writer_lock(build: Path) -> Iterator[None]:
    """One writer at a time swaps the link and cleans up (POSIX advisory lock)."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock, the swap itself is still atomic
        yield
        return
    with open(build / _LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


# ------------------------------------------------------------ evaluation with limits


def _with_deadline(work: Callable[[], _Raw], timeout: float | None, slots: threading.Semaphore | None,
                   cancel: threading.Event) -> _Raw:
    """Run `work` in a worker thread and stop waiting at the deadline.

    Oxigraph releases the GIL while it evaluates, so other threads carry on. It cannot
    be interrupted, though: past the deadline the caller gets QueryTimeout at once, a
    streaming query stops at its next row, and a blocking one (ORDER BY, GROUP BY) runs
    to its end in the background, holding its slot.
    """
    deadline = None if timeout is None else time.monotonic() + timeout
    if slots is not None and not slots.acquire(timeout=timeout):
        raise QueryTimeout(f"the store is busy: no query could start within {timeout:g} s")
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["answer"] = work()
        except BaseException as error:  # handed to the waiting thread
            box["error"] = error
        finally:
            if slots is not None:
                slots.release()

    worker = threading.Thread(target=run, name="kg-sparql", daemon=True)
    try:
        worker.start()
    except RuntimeError:
        if slots is not None:
            slots.release()
        raise QueryError("cannot start a query thread") from None
    worker.join(None if deadline is None else max(0.0, deadline - time.monotonic()))
    if worker.is_alive():
        cancel.set()
        raise QueryTimeout(f"query took longer than {timeout:g} s")
    if "error" in box:
        raise box["error"]
    return box["answer"]


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while an answer is converted.

    A big answer makes hundreds of thousands of small objects and no cycles, and the
    collector would walk them again and again: measured at 1M triples, the saved
    queries' answers came 5-20% sooner without it.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _collect(result: Any, max_rows: int | None, cancel: threading.Event) -> _Raw:
    if isinstance(result, ox.QueryBoolean):
        return _Raw("ask", boolean=bool(result))
    if isinstance(result, ox.QuerySolutions):
        kind, variables = "select", tuple(v.value for v in result.variables)
    else:
        kind, variables = "graph", ("subject", "predicate", "object")
    rows: list[tuple] = []
    truncated = False
    for item in result:
        if cancel.is_set():
            break
        if max_rows is not None and len(rows) >= max_rows:
            truncated = True
            break
        rows.append(tuple(item) if kind == "select" else (item.subject, item.predicate, item.object))
    return _Raw(kind, variables, rows, truncated=truncated)


def _syntax(error: SyntaxError, query: str) -> str:
    """Oxigraph's parse error, shortened: where, the text there, and the first few words it expected.

    >>> _syntax(SyntaxError("error at 1:9: expected one of DESCRIBE, [_]"), "SELEC ?x WHERE {}")
    'malformed SPARQL at line 1, column 9 (near "WHERE {}"): expected one of DESCRIBE'
    """
    text = " ".join(str(error).split())
    match = re.match(r"error at (\d+):(\d+): (.*)", text)
    if not match:
        return f"malformed SPARQL: {text}"
    line, column, problem = int(match.group(1)), int(match.group(2)), match.group(3)
    lines = query.splitlines() or [""]
    near = lines[min(line, len(lines)) - 1][max(column - 1, 0):][:30].strip()
    if problem.startswith("expected"):
        words = [w for w in re.sub(r"\[[^\]]*\]", "", problem).split(", ") if w.strip()][:8]
        head, _, first = words[0].partition(" one of ") if words else ("expected", "", "")
        problem = f"{head} one of " + ", ".join([first, *words[1:]]) if first else words[0] if words else problem
    where = f"at line {line}, column {column}" + (f' (near "{near}")' if near else "")
    return f"malformed SPARQL {where}: {problem.strip()}"


def _explain(error: RuntimeError) -> str:
    text = " ".join(str(error).split())
    if "in its SELECT projection" in text:
        return f"{text}: a bound parameter must be one of the SELECT variables (or use SELECT *)"
    return f"the query failed: {text}"


def _graph_name(iri: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError:
        raise QueryError(f"not a graph IRI: {iri!r}") from None


# ------------------------------------------------------------ serialising answers


def negotiate(accept: str | None, offered: Iterable[str]) -> str | None:
    """The offered media type an HTTP Accept header likes best, or None if it accepts none.

    >>> negotiate("text/csv;q=0.5, application/sparql-results+xml", ["application/json", "text/csv",
    ...           "application/sparql-results+xml"])
    'application/sparql-results+xml'
    >>> negotiate("*/*", ["text/turtle", "application/ld+json"])
    'text/turtle'
    """
    offered = list(offered)
    ranges = []
    for position, part in enumerate((accept or "*/*").split(",")):
        media, *options = [piece.strip() for piece in part.split(";")]
        if not media:
            continue
        quality = 1.0
        for option in options:
            key, _, value = option.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        media = media.lower()
        specificity = 0 if media == "*/*" else 1 if media.endswith("/*") else 2
        ranges.append((-quality, -specificity, position, media))
    for negative_quality, _, _, media in sorted(ranges):
        if negative_quality >= 0:
            break
        for candidate in offered:
            if media in ("*/*", candidate) or (media.endswith("/*") and candidate.startswith(media[:-1])):
                return candidate
    return None


def _serialize(raw: _Raw, accept: str) -> Serialized:
    offered = GRAPH_MEDIA_TYPES if raw.kind == "graph" else RESULTS_MEDIA_TYPES
    media = negotiate(accept, offered) or next(iter(offered))
    content_type = f"{media}; charset=utf-8" if media in _CHARSET else media
    if raw.kind == "graph":
        triples = [ox.Triple(*row) for row in raw.rows]
        body = ox.serialize(triples, format=offered[media], prefixes=PREFIXES)
        return Serialized(body, content_type, raw.truncated)
    document = _results_json(raw)
    if offered[media] == ox.QueryResultsFormat.JSON:
        return Serialized(document, content_type, raw.truncated)
    parsed = ox.parse_query_results(document, ox.QueryResultsFormat.JSON)
    return Serialized(parsed.serialize(format=offered[media]), content_type, raw.truncated)


def _results_json(raw: _Raw) -> bytes:
    """SPARQL 1.1 Query Results JSON of a SELECT or ASK answer."""
    if raw.kind == "ask":
        return json.dumps({"head": {}, "boolean": raw.boolean}).encode()
    bindings = [{n: _json_term(t) for n, t in zip(raw.variables, row) if t is not None} for row in raw.rows]
    document = {"head": {"vars": list(raw.variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_term(term: Any) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": _json_term(term.subject),
                                            "predicate": _json_term(term.predicate),
                                            "object": _json_term(term.object)}}
    raise QueryError(f"cannot write {term!r} as a SPARQL result")


# ------------------------------------------------------------ binding values


def as_term(value: Any) -> Node:
    return value if isinstance(value, (URIRef, BNode, Literal)) else Literal(value)


# ------------------------------------------------------------ term conversion


def to_ox_term(value: Any) -> ox.NamedNode | ox.BlankNode | ox.Literal | ox.DefaultGraph:
    if isinstance(value, URIRef):
        return ox.NamedNode(str(value))
    if isinstance(value, BNode):
        return ox.BlankNode(str(value))
    if isinstance(value, Literal):
        if value.language:
            return ox.Literal(str(value), language=value.language)
        if value.datatype:
            return ox.Literal(str(value), datatype=ox.NamedNode(str(value.datatype)))
        return ox.Literal(str(value))
    if value is None:
        return ox.DefaultGraph()
    return to_ox_term(Literal(value))


def to_ox_quad(quad: tuple[Node, Node, Node, Node]) -> ox.Quad:
    s, p, o, g = quad
    return ox.Quad(to_ox_term(s), to_ox_term(p), to_ox_term(o), to_ox_term(g))


def to_ox_quads(quads: Iterable[tuple[Node, Node, Node, Node]], *, cache_size: int = 50_000) -> Iterator[ox.Quad]:
    """`to_ox_quad` over many quads, converting each repeated IRI once (predicates, classes, graphs, entities)."""
    named: dict[str, ox.NamedNode] = {}

    def term(value: Any) -> Any:
        if type(value) is URIRef:
            node = named.get(value)
            if node is None:
                if len(named) >= cache_size:  # a statement's IRI repeats a dozen times in a row, then never
                    named.clear()
                node = named[value] = ox.NamedNode(value)
            return node
        return to_ox_term(value)

    for s, p, o, g in quads:
        yield ox.Quad(term(s), term(p), term(o), term(g))


def from_ox_term(term: Any) -> Node | None:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        if term.datatype.value == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    return None  # the default graph


def from_ox_value(term: Any) -> Any:
    """A query answer as a plain Python value: IRIs and strings as str, numbers as numbers."""
    node = from_ox_term(term)
    return node.toPython() if isinstance(node, Literal) else (str(node) if node is not None else None)


def serialize_answer(answer: Answer, accept: str) -> Serialized:
    """An `Answer` (of rdflib terms, from any store) written as `accept` asks: see `Store.sparql_raw`."""
    if answer.kind == "ask":
        return _serialize(_Raw("ask", boolean=answer.boolean), accept)
    rows = [tuple(to_ox_term(row[name]) if name in row else None for name in answer.variables)
            for row in answer.rows]
    return _serialize(_Raw(answer.kind, answer.variables, rows, truncated=answer.truncated), accept)
