"""The triple store of a build: the only module that imports pyoxigraph.

A build folder holds an on-disk Oxigraph store; `open_store()` without a path
gives an in-memory one (tests, scratch work). Values put into a query are
always bound (a VALUES clause of escaped RDF terms), never pasted into the query text.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError, StoreError
from kg.vocab import PREFIXES

STORE_DIRNAME = "store"
_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


class Store:
    """A thin, typed face over pyoxigraph's Store."""

    def __init__(self, store: ox.Store, path: Path | None = None):
        self._store = store
        self.path = path

    # ------------------------------------------------------------ writing

    def load(self, quads: Iterable[tuple[Node, Node, Node, Node]]) -> None:
        """Bulk-add rdflib quads (s, p, o, graph)."""
        self._store.bulk_extend(to_ox_quad(q) for q in quads)

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
        rdflib terms; a str that is an IRI must be given as rdflib.URIRef.

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

    def _run(self, query: str, bindings: dict[str, Any]) -> Any:
        try:
            return self._store.query(
                with_values(query, bindings), prefixes=PREFIXES, use_default_graph_as_union=True
            )
        except SyntaxError as error:
            raise QueryError(f"malformed SPARQL: {' '.join(str(error).split())}") from None
        except (OSError, RuntimeError) as error:
            raise QueryError(f"the query failed: {' '.join(str(error).split())}") from None

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node]]:
        for q in self._store:
            yield from_ox_term(q.subject), from_ox_term(q.predicate), from_ox_term(q.object), from_ox_term(q.graph_name)

    def dump_turtle(self, path: str | os.PathLike) -> None:
        """All graphs merged into one Turtle file (Turtle has no named graphs)."""
        triples = self._store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
        with open(path, "wb") as out:
            ox.serialize(triples, out, ox.RdfFormat.TURTLE, prefixes=PREFIXES)

    def dump(self, path: str | os.PathLike, *, format: str = "nquads") -> None:
        """Every quad with its graph: format "nquads" or "trig"."""
        rdf_format = {"nquads": ox.RdfFormat.N_QUADS, "trig": ox.RdfFormat.TRIG}[format]
        self._store.dump(str(path), rdf_format, prefixes=PREFIXES if format == "trig" else None)

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


def with_values(query: str, bindings: dict[str, Any]) -> str:
    """Bind variables with a trailing VALUES clause, each value written as an escaped RDF term.

    Portable SPARQL 1.1 (every server takes it), unlike pyoxigraph's substitutions.

    >>> print(with_values("SELECT ?e WHERE { ?e rdfs:label ?name }", {"name": 'say "hi" } #'}))
    SELECT ?e WHERE { ?e rdfs:label ?name }
    VALUES (?name) { ("say \\"hi\\" } #") }
    """
    if not bindings:
        return query
    for name in bindings:
        if not name.isidentifier():
            raise QueryError(f"cannot bind {name!r}: a variable name is letters, digits and _")
    names = " ".join(f"?{name}" for name in bindings)
    values = " ".join(as_term(value).n3() for value in bindings.values())
    return f"{query}\nVALUES ({names}) {{ ({values}) }}"


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
