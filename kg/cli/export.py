"""`kg export ...`: a build's graph written again as an HTML explorer, RDF, GraphML, GEXF or CSV tables.

Each command calls one function that `import kg` offers too: kg.write_html, write_rdf, write_graphml,
write_gexf or write_tables.
"""

from __future__ import annotations

from pathlib import Path

import click

from kg.cli.group import build_or_store, cli, reads_build, writing
from kg.export.rdf import RDF_FORMATS


@cli.group()
def export() -> None:
    """Write a build's graph as an HTML explorer, RDF, GraphML, GEXF or CSV tables."""


@reads_build(export, "html")
@click.option("--focus", help="Show only this entity (any name or alias) and its neighbourhood.")
@click.option("--hops", default=2, show_default=True, help="How far from --focus to show.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it [default: DIR/explorer.html, or DIR/explorer-<focus>.html; "
                   "with --store, in the current folder].")
def export_html(focus: str | None, hops: int, out_file: Path | None, build_dir: tuple[str, ...] = (),
                store_url: str | None = None) -> None:
    """Write the interactive explorer: one self-contained HTML file, no network needed.

    Example:

        kg export html exports/example --focus "Kataib Hezbollah" --hops 2
    """
    from kg.export.files import write_html
    from kg.vocab import slug

    where = build_or_store(build_dir, store_url)
    name = f"explorer-{slug(focus)}.html" if focus else "explorer.html"
    if out_file is None:
        out_file = Path(name) if isinstance(where, str) else where / name
    click.echo(str(write_html(where, out_file, focus=focus, hops=hops)))


@reads_build(export, "rdf")
@click.option("--format", "rdf_format", type=click.Choice(RDF_FORMATS), default="trig", show_default=True,
              help="TriG and N-Quads keep each document's named graph; Turtle and N-Triples merge them.")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_rdf(rdf_format: str, out_file: Path, build_dir: tuple[str, ...] = (), store_url: str | None = None) -> None:
    """Write the build's RDF in another syntax.

    Example:

        kg export rdf exports/example --format trig --out example.trig
    """
    from kg.export.rdf import write_rdf

    source = build_or_store(build_dir, store_url)
    with writing(out_file):
        path = write_rdf(source, out_file, format=rdf_format)
    click.echo(str(path))


def export_graph_file(kind: str, out: Path, build_dir: tuple[str, ...], store_url: str | None) -> None:
    """Write the graph of a build or server with kg.export.files' writer for `kind`."""
    from kg.export import files

    write = {"graphml": files.write_graphml, "gexf": files.write_gexf, "csv": files.write_tables}[kind]
    source = build_or_store(build_dir, store_url)
    with writing(out):
        out.parent.mkdir(parents=True, exist_ok=True)
        written = write(source, out)
    for path in written if isinstance(written, list) else [written]:
        click.echo(str(path))


@reads_build(export, "graphml")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_graphml(out_file: Path, build_dir: tuple[str, ...] = (), store_url: str | None = None) -> None:
    """Write GraphML (Gephi, yEd, Cytoscape): entities as nodes, one edge per relation, typed attributes.

    Example:

        kg export graphml exports/example --out example.graphml
    """
    export_graph_file("graphml", out_file, build_dir, store_url)


@reads_build(export, "gexf")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_gexf(out_file: Path, build_dir: tuple[str, ...] = (), store_url: str | None = None) -> None:
    """Write GEXF for Gephi, each node and edge dated for its timeline slider.

    Example:

        kg export gexf exports/example --out example.gexf
    """
    export_graph_file("gexf", out_file, build_dir, store_url)


@reads_build(export, "csv")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for entities.csv, relations.csv and attacks.csv (created if missing).")
def export_csv(out_dir: Path, build_dir: tuple[str, ...] = (), store_url: str | None = None) -> None:
    """Write entities.csv, relations.csv (with evidence and hedged) and attacks.csv for a spreadsheet.

    Example:

        kg export csv exports/example --out tables
    """
    export_graph_file("csv", out_dir, build_dir, store_url)
