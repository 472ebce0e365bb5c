"""The embedded store: a thin, typed face over pyoxigraph's Store, and `open_store` to make one.

`open_store()` without a path gives an in-memory store (tests, scratch work); with a
path, an on-disk one. A build folder's store is opened by kg.stores.build_folder.

Each document's statements sit in the document's named graph, so one document can be
added, replaced or removed: `Store.replace_graph`, `Store.remove_graph`.

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

import os
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.sparql_text import bind_in_groups, check_unicode
from kg.stores.contract import Answer, Quad, Serialized
from kg.stores.answers import write_answer
from kg.stores.bulk_load import load_file, load_parts
from kg.stores.evaluation import collect, collector_paused, explain, graph_name, syntax, with_deadline
from kg.stores.terms import from_ox_term, from_ox_value, to_ox_quads
from kg.vocab import PREFIXES

__all__ = ["Store", "open_store"]


class Store:
    """A thin, typed face over pyoxigraph's Store; a `kg.stores.GraphStore`."""

    live = False  # nobody else writes it: a reader may keep it open and cache its answers

    def __init__(self, store: ox.Store, path: Path | None = None):
        self._store = store
        self.path = path

    # ------------------------------------------------------------ writing

    def load(self, quads: Iterable[Quad]) -> None:
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
        """Bulk-load an RDF file ("nquads", "trig", "turtle" or "ntriples") straight into the store:
        the fastest way in, on two threads (kg.stores.bulk_load). `lenient` skips the check of every
        IRI: only for files this project wrote, such as a dump of a build. Triples of a triple
        format go to the default graph."""
        load_file(self._store, path, format=format, lenient=lenient)

    def remove_nquads(self, data: bytes) -> None:
        """Remove each quad of the N-Quads `data`; one the store does not hold is no error."""
        try:
            for quad in ox.parse(input=data, format=ox.RdfFormat.N_QUADS):
                self._store.remove(quad)
        except (OSError, SyntaxError, ValueError) as error:
            raise StoreError(f"cannot remove quads from {self.path or 'the store'}: {error}") from None

    def load_parts(self, paths: list[str | os.PathLike]) -> None:
        """Bulk-load N-Quads files without blank nodes that together make one dataset, each
        streamed from disk on a thread of its own (kg.stores.bulk_load)."""
        load_parts(self._store, paths)

    def replace_graph(self, graph: URIRef, quads: Iterable[Quad]) -> None:
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

        with collector_paused():
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
        return self._evaluate(query, params=params, timeout=timeout, max_rows=max_rows, accept=accept,
                              default_graphs=default_graphs, named_graphs=named_graphs, slots=slots)

    def _run(self, query: str, bindings: dict[str, Any]) -> Any:
        check_unicode(query)
        try:
            return self._store.query(
                bind_in_groups(query, bindings), prefixes=PREFIXES, use_default_graph_as_union=True
            )
        except SyntaxError as error:
            raise QueryError(syntax(error, query)) from None
        except (OSError, RuntimeError) as error:
            raise QueryError(f"the query failed: {' '.join(str(error).split())}") from None

    def _evaluate(self, query: str, *, params: dict[str, Any] | None, timeout: float | None,
                  max_rows: int | None, default_graphs: list[str] | None = None,
                  named_graphs: list[str] | None = None, slots: threading.Semaphore | None = None,
                  accept: str | None = None) -> Any:
        """The answer of `query` as terms (a `Raw`), or written for the Accept header `accept` (`Serialized`)."""
        if timeout is not None and timeout <= 0:
            raise QueryError(f"the timeout must be positive, not {timeout}")
        if max_rows is not None and max_rows < 0:
            raise QueryError(f"the row limit must be 0 or more, not {max_rows}")
        options: dict[str, Any] = {"prefixes": PREFIXES}
        if default_graphs:
            options["default_graph"] = [graph_name(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs:
            options["named_graphs"] = [graph_name(g) for g in named_graphs]
        check_unicode(query)
        text = bind_in_groups(query, params or {})
        cancel = threading.Event()

        def work() -> Any:
            try:
                if accept is not None:
                    return write_answer(lambda: self._store.query(text, **options), accept, max_rows, cancel)
                return collect(self._store.query(text, **options), max_rows, cancel)
            except SyntaxError as error:
                raise QueryError(syntax(error, query)) from None
            except RuntimeError as error:
                raise QueryError(explain(error)) from None
            except OSError as error:
                raise StoreError(f"cannot read the store: {error}") from None

        if timeout is None and slots is None:
            return work()
        return with_deadline(work, timeout, slots, cancel)

    def quads(self) -> Iterator[Quad]:
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

    def fingerprint(self) -> tuple:
        """Changes whenever the store's content may have: its files' names, sizes and mtimes
        (RocksDB writes new files rather than rewrite old ones), or, in memory, its size."""
        if self.path is None:
            return ("memory", len(self))
        entries = []
        try:
            with os.scandir(self.path) as it:
                for entry in it:
                    if entry.name.startswith("LOG"):
                        continue  # RocksDB's info log, not content
                    try:
                        info = entry.stat()
                    except FileNotFoundError:
                        continue  # compacted away while we looked; the next look sees the new files
                    entries.append((entry.name, info.st_size, info.st_mtime_ns))
        except OSError as error:
            raise StoreError(f"cannot read the store at {self.path}: {error}") from None
        return (str(Path(self.path).resolve()), tuple(sorted(entries)))

    def __len__(self) -> int:
        return len(self._store)


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
