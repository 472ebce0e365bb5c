"""A build's RDF written in any syntax the store dumps: what `kg export rdf` calls.

>>> RDF_FORMATS
('turtle', 'nquads', 'trig', 'jsonld', 'ntriples')
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from kg.atomic import replace_with
from kg.errors import KGError

if TYPE_CHECKING:
    from kg.knowledge_graph import KnowledgeGraph

__all__ = ["RDF_FORMATS", "store_of", "write_rdf", "write_rdf_files"]

# TriG, N-Quads and JSON-LD keep each document's named graph; Turtle and N-Triples merge them.
RDF_FORMATS = ("turtle", "nquads", "trig", "jsonld", "ntriples")


def write_rdf(source: str | os.PathLike | KnowledgeGraph, path: str | os.PathLike, *, format: str = "trig") -> Path:
    """Write every statement of a build (a folder, server URL or KnowledgeGraph) as RDF in `format`.

    `format` is one of RDF_FORMATS. The folder is created if needed; the file is written under a
    temporary name and renamed into place (kg.atomic), so a failed write leaves no half file.
    Returns the path written.
    """
    if format not in RDF_FORMATS:
        raise KGError(f"no RDF format {format!r}; use one of {', '.join(RDF_FORMATS)}")
    store = store_of(source)
    write = {"turtle": store.dump_turtle, "jsonld": store.dump_jsonld, "ntriples": store.dump_ntriples}.get(
        format, lambda p: store.dump(p, format=format))
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    replace_with(Path(path), write)
    return Path(path)


def store_of(source: str | os.PathLike | KnowledgeGraph):
    """The store of a build folder, a SPARQL server URL or a KnowledgeGraph."""
    from kg.stores import open_source

    return source.store if hasattr(source, "store") else open_source(source)


def write_rdf_files(out: Path, store) -> None:
    """graph.nq dumped from `store`; graph.ttl, graph.jsonld and graph.nt written from that file, the
    same files as the store's own writers give, a few times faster (kg.stores.nquads_files): JSON-LD
    and N-Triples in a forked child on a spare core (kg.forked) while this process writes Turtle
    (about as long as the other two). Each is renamed into place when whole."""
    from kg.forked import beside

    nquads = replace_with(out / "graph.nq", lambda p: store.dump(p, format="nquads"))
    with beside(_convert, nquads, out, {"graph.jsonld": "jsonld", "graph.nt": "ntriples"}):
        _convert(nquads, out, {"graph.ttl": "turtle"})


def _convert(nquads: Path, out: Path, formats: dict[str, str]) -> None:
    from kg.stores.nquads_files import write_from_nquads

    for name, format in formats.items():
        replace_with(out / name, lambda p, format=format: write_from_nquads(nquads, p, format=format))
