"""`kg build` and `kg remove`: the commands that write a build."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import click

from kg.cli.group import cli


@cli.command()
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path, readable=False))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Build folder to write (created if missing); with --store, where the manifest, cache "
                   "and exports go [default: one per server under ~/.cache/militia-kg].")
@click.option("--store", "store_url", metavar="URL",
              help="Keep the graph on this SPARQL server (Update and Graph Store Protocol), not in --out. "
                   "A user and password come from KG_STORE_USER and KG_STORE_PASSWORD.")
@click.option("--append", is_flag=True, help="Add to the documents the build already holds.")
@click.option("--strict", is_flag=True, help="Stop at the first unreadable input instead of skipping it.")
@click.option("--follow-links", is_flag=True,
              help="Follow symbolic links that lead out of an input folder (by default they are skipped).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
@click.option("--workers", metavar="ADDRESS",
              help="Extract on Dask workers: local:N for N local processes, or tcp://HOST:8786.")
@click.option("--processes", type=click.IntRange(min=1), metavar="N",
              help="Read with at most N processes on this machine, one per core [default: all cores].")
def build(inputs: tuple[Path, ...], out_dir: Path | None, store_url: str | None, append: bool, strict: bool,
          follow_links: bool, quiet: bool, workers: str | None, processes: int | None) -> None:
    """Read INPUTS (files or folders of .txt, .md, .html, .jsonl, .pdf, .docx) into a graph in --out.

    Writes OUT/graph.ttl, graph.jsonld, graph.nq, graph.nt, graph.graphml,
    graph.gexf, entities.csv, relations.csv, attacks.csv, explorer.html and the
    store that `kg query OUT` opens. Unreadable files, and files of other types
    inside a folder, are named on stderr and skipped (exit status 1 at the end),
    unless --strict. One build writes a folder at a time: a second waits for the
    first to finish.

    With --store URL the graph goes to that SPARQL server, one named graph per
    document, and OUT remembers it: `kg query OUT`, appends and removals use it.

    Examples:

        kg build examples/corpus --out exports/example

        kg build examples/corpus --store http://127.0.0.1:8890/sparql
    """
    from kg.build import build_graph, server_work_dir
    from kg.cli_progress import BuildProgress
    from kg.config import DEFAULT_CONFIG

    if workers and processes:
        raise click.UsageError("give --workers (Dask) or --processes (this machine), not both")
    if out_dir is None:
        if store_url is None:
            raise click.UsageError("give --out DIR (or --store URL)")
        out_dir = server_work_dir(store_url)

    shown = BuildProgress(quiet=quiet)

    def warn(error: Exception) -> None:
        click.echo(f"skipped {error}", err=True)

    config = DEFAULT_CONFIG if processes is None else replace(DEFAULT_CONFIG, processes=processes)
    extractor = None
    if workers:
        from kg.distributed import DaskExtractor

        extractor = DaskExtractor(workers)
    try:
        report = build_graph(inputs, out_dir, append=append, strict=strict, config=config, on_error=warn,
                             progress=shown.progress,
                             notify=shown.notify, extractor=extractor, store_url=store_url,
                             publish_progress=sending(quiet), follow_links=follow_links, on_wait=waiting(out_dir))
    finally:
        shown.close()
    click.echo(report.summary(), err=True)
    if report.store:
        click.echo(f"store: {report.store}")
    click.echo(f"graph: {out_dir / 'graph.ttl'}\nexplorer: {out_dir / 'explorer.html'}")
    if report.errors:
        sys.exit(1)


def waiting(out_dir: Path):
    """What to say while another build holds the folder."""
    def say() -> None:
        click.echo(f"waiting for another build of {out_dir} to finish", err=True)

    return say


def sending(quiet: bool):
    """A progress callback for the graphs sent to a SPARQL server, one line on stderr now and then."""
    shown = [0.0]

    def progress(done: int, total: int) -> None:
        import time

        if quiet or (time.monotonic() - shown[0] < 2 and done < total):
            return
        shown[0] = time.monotonic()
        click.echo(f"sent {done}/{total} graphs to the store", err=True)

    return progress


@cli.command()
@click.argument("build_dir", type=click.Path(file_okay=False, path_type=Path))
@click.argument("doc_ids", nargs=-1, required=True)
def remove(build_dir: Path, doc_ids: tuple[str, ...]) -> None:
    """Drop documents (by id, as `kg query DIR --saved documents` lists them) from a build.

    Example:

        kg remove exports/example wire.jsonl#houthi-strikes
    """
    from kg.build import remove_documents

    report = remove_documents(build_dir, doc_ids, on_wait=waiting(build_dir))
    click.echo(report.summary(), err=True)
