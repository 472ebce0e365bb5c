"""The build's graph files, and the export functions of the Python API.

A build writes, beside its store:

    graph.ttl      Turtle, every graph merged (what ../shared/eval/score.py reads)
    graph.jsonld   JSON-LD, a named graph per document
    graph.nq       N-Quads, a named graph per document
    graph.nt       N-Triples, every graph merged
    graph.graphml  GraphML for Gephi, yEd and Cytoscape (kg.export.network)
    graph.gexf     GEXF for Gephi, with dates for its timeline
    entities.csv, relations.csv, attacks.csv   tables for a spreadsheet (kg.export.tables)

`write_graphml`, `write_gexf`, `write_tables` and `write_ntriples` write the same
files from a build folder, a SPARQL server URL, a KnowledgeGraph or a kg.model.Graph;
`write_rdf` writes the RDF in any of `RDF_FORMATS`, and `write_html` the explorer
(what `kg export rdf` and `kg export html` call).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Union

from kg.atomic import replace_with
from kg.export.network import analyst_graph
from kg.export.network import write_gexf as _write_gexf
from kg.export.network import write_graphml as _write_graphml
from kg.export.rdf import RDF_FORMATS, store_of, write_rdf, write_rdf_files
from kg.export.tables import TABLES
from kg.export.tables import write_tables as _write_tables
from kg.model import Graph

if TYPE_CHECKING:
    from kg.knowledge_graph import KnowledgeGraph

__all__ = ["GRAPH_FILES", "RDF_FORMATS", "replace_with", "write_gexf", "write_graph_files", "write_graphml",
           "write_network_files", "write_rdf_files",
           "write_html", "write_ntriples", "write_rdf", "write_tables"]

GRAPH_FILES = ("graph.ttl", "graph.jsonld", "graph.nq", "graph.nt", "graph.graphml", "graph.gexf", *TABLES)

Source = Union[str, os.PathLike, Graph, "KnowledgeGraph"]


def write_graph_files(out: Path, graph: Graph, store) -> None:
    """Every file of GRAPH_FILES into `out`: the RDF ones from `store` (a kg.stores.GraphStore), the others from `graph`.

    Each is written under a temporary name of its own and renamed into place (kg.atomic).
    """
    write_rdf_files(out, store)
    write_network_files(out, graph)


def write_network_files(out: Path, graph: Graph) -> None:
    """graph.graphml, graph.gexf and the CSV tables from `graph`, each renamed into place when whole."""
    replace_with(out / "graph.graphml", lambda p: _write_graphml(analyst_graph(graph), p))
    replace_with(out / "graph.gexf", lambda p: _write_gexf(graph, p))
    _write_tables(graph, out, write=replace_with)


def write_graphml(source: Source, path: str | os.PathLike) -> Path:
    """Write a graph as GraphML: entities as nodes, one edge per relation with a unique id.

    `source` is a build folder, a SPARQL server URL, a KnowledgeGraph or a kg.model.Graph.
    Returns the path written.
    """
    _write_graphml(analyst_graph(as_model(source)), path)
    return Path(path)


def write_gexf(source: Source, path: str | os.PathLike) -> Path:
    """Write a graph as GEXF 1.2 with each node's and edge's dates as a time interval (Gephi's timeline)."""
    _write_gexf(as_model(source), path)
    return Path(path)


def write_tables(source: Source, folder: str | os.PathLike) -> list[Path]:
    """Write entities.csv, relations.csv and attacks.csv into `folder`; returns their paths."""
    return _write_tables(as_model(source), folder)


def write_ntriples(source: str | os.PathLike | KnowledgeGraph, path: str | os.PathLike) -> Path:
    """Write every statement of a build (a folder, server URL or KnowledgeGraph) as N-Triples."""
    store_of(source).dump_ntriples(path)
    return Path(path)


def write_html(source: Source, path: str | os.PathLike, *, focus: str | None = None, hops: int = 2) -> Path:
    """Write the interactive explorer of a graph (kg.export.html), optionally only `focus` and `hops` around it.

    `source` is a build folder, a SPARQL server URL, a KnowledgeGraph or a kg.model.Graph;
    `focus` is any name or alias of an entity. Returns the path written.
    """
    from kg.export.html import write_explorer

    return Path(write_explorer(as_model(source), path, focus=focus, hops=hops))


def as_model(source: Source) -> Graph:
    """The kg.model.Graph of a build folder, a SPARQL server URL, a KnowledgeGraph, or a Graph as it is.

    A build folder gives the full graph (casualty counts and attack sentences included),
    re-read from its extraction cache; a server gives what its statements hold.
    """
    if isinstance(source, Graph):
        return source
    if hasattr(source, "to_model"):
        return source.to_model()
    from kg.stores import folder_of

    if isinstance(source, str) and folder_of(source) is None:
        from kg.knowledge_graph import KnowledgeGraph

        return KnowledgeGraph.open(source).to_model()
    from kg.held import read_build_graph

    return read_build_graph(source)


