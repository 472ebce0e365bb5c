"""The `kg` command: one short function per command, each a thin layer over the library.

The group and its one error handler are in kg.cli.group; the commands, by what they do, in
kg.cli.build (build, remove), kg.cli.explore (linked, paths, timeline), kg.cli.query (query,
validate, serve) and kg.cli.export (export html, rdf, graphml, gexf, csv).
"""

from kg.cli import build, explore, export, query  # noqa: F401  (each registers its commands on `cli`)
from kg.cli.group import cli

__all__ = ["cli"]
