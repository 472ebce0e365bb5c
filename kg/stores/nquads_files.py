"""A build's other RDF files written from its N-Quads dump, not read from RocksDB again.

Reading a build's on-disk store costs a disk lookup per term, so each full dump of it took
about as long as the next; parsing the N-Quads file the store has just dumped is a few times
cheaper and streams. The files are the same, byte for byte, as the store's own writers give
(tests/test_append_incremental.py checks it): the dump is in the store's order, JSON-LD keeps
each named graph, and N-Triples and Turtle merge the graphs and write each triple once, first
where it first appears, as the store's ``CONSTRUCT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }``
does. Only the triples already written are remembered (for that "once").
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pyoxigraph as ox

from kg.errors import StoreError
from kg.vocab import PREFIXES

__all__ = ["write_from_nquads"]

_FORMATS = {"jsonld": ox.RdfFormat.JSON_LD, "ntriples": ox.RdfFormat.N_TRIPLES, "turtle": ox.RdfFormat.TURTLE}


def write_from_nquads(nquads: str | os.PathLike, path: str | os.PathLike, *, format: str) -> None:
    """Write the N-Quads file `nquads` (a store's dump) to `path` as "jsonld" (a named graph per
    graph), or merged into one graph as "ntriples" or "turtle"."""
    rdf_format = _FORMATS.get(format)
    if rdf_format is None:
        raise StoreError(f"cannot write {format!r} from N-Quads: use one of {', '.join(_FORMATS)}")
    try:
        quads = ox.parse(path=str(nquads), format=ox.RdfFormat.N_QUADS)
        statements = quads if format == "jsonld" else _merged(quads)
        with open(path, "wb") as out:
            ox.serialize(statements, out, rdf_format, prefixes=PREFIXES if format == "turtle" else None)
    except (OSError, SyntaxError, ValueError) as error:
        raise StoreError(f"cannot write {path} from {nquads}: {' '.join(str(error).split())}") from None


def _merged(quads: Iterator[ox.Quad]) -> Iterator[ox.Triple]:
    seen: set[ox.Triple] = set()
    for quad in quads:
        triple = quad.triple
        if triple not in seen:
            seen.add(triple)
            yield triple
