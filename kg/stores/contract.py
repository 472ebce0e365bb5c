"""The contract every store keeps: `GraphStore`, and the `Answer` and `Serialized` it gives.

Two stores keep it: the embedded Oxigraph store (kg.stores.oxigraph.Store) and a
SPARQL 1.1 server (kg.stores.server.ServerStore). Callers hold a `GraphStore` and never
ask which one it is; what differs between them is stated as a capability:

- ``live``: True when the store changes without this process knowing (a server that
  anyone may write to). A live store is asked every time: nothing reopens it, no
  answer of it is cached.
- ``path``: the folder of an embedded store on this machine (None in memory or on a server).
- ``fingerprint()``: changes whenever the content may have; cheap to take.

`kg.stores.open_source` is the one place that decides which store a folder or URL means.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, runtime_checkable

if TYPE_CHECKING:
    from pathlib import Path

    from rdflib import URIRef
    from rdflib.term import Node

__all__ = ["Answer", "GraphStore", "Quad", "Serialized"]

Quad = tuple["Node", "Node", "Node", "Node"]


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


@runtime_checkable
class GraphStore(Protocol):
    """What `kg query`, the path API, the exports and `kg serve` ask of a build's store."""

    live: bool
    path: Path | None

    def execute(self, query: str, *, params: dict[str, Any] | None = None, timeout: float | None = None,
                max_rows: int | None = None) -> Answer:
        """Run any query with values bound before evaluation, a time limit and a row limit."""

    def sparql(self, query: str, **bindings: Any) -> list[dict[str, Any]] | bool | list[tuple]:
        """SELECT rows as Python values, ASK a bool, CONSTRUCT and DESCRIBE rdflib triples."""

    def select_terms(self, query: str, **bindings: Any) -> Iterator[dict[str, Node]]:
        """A SELECT's rows as rdflib terms."""

    def sparql_raw(self, query: str, *, accept: str = "*/*", params: dict[str, Any] | None = None,
                   timeout: float | None = None, max_rows: int | None = None,
                   default_graphs: list[str] | None = None, named_graphs: list[str] | None = None,
                   slots: threading.Semaphore | None = None) -> Serialized:
        """An answer written in the format an HTTP Accept header asks for."""

    def graphs(self) -> list[URIRef]:
        """The named graphs: the entity graph and one per document."""

    def quads(self) -> Iterator[Quad]:
        """Every (s, p, o, graph)."""

    def remove_graph(self, graph: URIRef) -> None:
        """Drop one named graph; a missing one is no error."""

    def clear(self) -> None:
        """Drop every graph."""

    def fingerprint(self) -> tuple:
        """A value that changes whenever the store's content may have."""

    def dump(self, path: str | os.PathLike, *, format: str = "nquads") -> None:
        """Every quad with its graph, as N-Quads or TriG."""

    def dump_turtle(self, path: str | os.PathLike) -> None:
        """All graphs merged into one Turtle file."""

    def dump_ntriples(self, path: str | os.PathLike) -> None:
        """All graphs merged into one N-Triples file."""

    def dump_jsonld(self, path: str | os.PathLike, *, graphs: bool = True) -> None:
        """JSON-LD, each named graph apart or all merged."""

    def __len__(self) -> int:
        """Quads in the store."""

