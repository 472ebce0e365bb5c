"""`kg query`, `kg validate` and `kg serve`: a build's store asked, checked against the shapes, or served."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.cli.group import build_or_store, cli, reads_build


@reads_build(cli, "query")
@click.argument("query", required=False)
@click.option("-f", "--file", "query_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Read the query from this .rq file.")
@click.option("--saved", is_flag=False, flag_value="", default=None, metavar="NAME",
              help="Run the saved query ontology/queries/NAME.rq; without NAME, list them.")
@click.option("--param", "params", multiple=True, metavar="NAME=VALUE",
              help="Bind ?NAME to VALUE, a string (<...> for an IRI); never pasted into the query. Repeatable.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json"]), default="table",
              show_default=True, help="csv, tsv and json are the SPARQL 1.1 results formats.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), help="Give up after this many seconds.")
@click.option("--limit", "max_rows", type=click.IntRange(0), help="Print at most this many rows.")
def query_command(query: str | None, query_file: Path | None, saved: str | None, params: tuple[str, ...], fmt: str,
                  timeout: float | None, max_rows: int | None, build_dir: tuple[str, ...] = (),
                  store_url: str | None = None) -> None:
    """Ask the build in BUILD_DIR a SPARQL QUERY (or one from -f FILE, or --saved NAME).

    The ontology's prefixes (kg:, id:, rdfs:, skos:, prov:, dct: ...) are declared, and
    the default graph is the union of every document's graph.

    Example:

        kg query exports/example --saved entity --param name="Kataib Hezbollah"
    """
    from rdflib import URIRef

    from kg.query import format_results, run, run_saved, saved_queries
    from kg.stores import open_source

    if saved == "":
        for item in saved_queries().values():
            needs = " ".join(f"--param {p}=..." for p in item.params)
            click.echo(f"{item.name:<20} {needs + '  ' if needs else ''}{item.description}")
        return
    if store_url is None and not build_dir and query is not None:
        build_dir, query = (query,), None  # click gives the last argument to QUERY (see reads_build)
    if sum(x is not None for x in (query, query_file, saved)) != 1:
        raise click.UsageError("give exactly one of QUERY, -f FILE or --saved NAME")
    bound = {}
    for param in params:
        key, eq, value = param.partition("=")
        if not eq:
            raise click.BadParameter(f"{param!r} is not NAME=VALUE", param_hint="--param")
        bound[key] = URIRef(value[1:-1]) if value.startswith("<") and value.endswith(">") else value
    store = open_source(build_or_store(build_dir, store_url))
    if saved is not None:
        answer = run_saved(store, saved, timeout=timeout, max_rows=max_rows, **bound)
    else:
        text = query if query is not None else query_file.read_text(encoding="utf-8")
        answer = run(store, text, params=bound, timeout=timeout, max_rows=max_rows)
    out = format_results(answer, fmt)
    click.echo(out, nl=not out.endswith("\n"))
    if answer.truncated:
        click.echo(f"(the first {max_rows} rows; there are more)", err=True)
    elif fmt == "table" and answer.kind != "ask":
        click.echo(f"({len(answer.rows)} row{'s' if len(answer.rows) != 1 else ''})", err=True)


@reads_build(cli)
def validate(build_dir: tuple[str, ...] = (), store_url: str | None = None) -> None:
    """Check a build's graph against the SHACL shapes in ontology/shapes.ttl.

    Exit status 0 when it conforms, 1 with the violations listed when not.

    Example:

        kg validate exports/example
    """
    from kg.validate import validate_source

    where = build_or_store(build_dir, store_url)
    result = validate_source(where)
    if result.conforms:
        click.echo(f"{where}: conforms to ontology/shapes.ttl")
        return
    click.echo(result.report)
    click.echo(f"{where}: {result.violations} violations", err=True)
    sys.exit(1)


@reads_build(cli, "serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=7878, show_default=True, type=click.IntRange(0, 65535), help="0 picks a free port.")
@click.option("--timeout", default=30.0, show_default=True, type=click.FloatRange(min=0, min_open=True),
              help="Seconds a query may run before it is answered with 503.")
@click.option("--max-rows", default=10_000, show_default=True, type=click.IntRange(1),
              help="Rows (or triples) an answer holds at most.")
@click.option("--cache-mb", default=64, show_default=True, type=click.IntRange(0),
              help="Memory for answers to repeated queries (0: none).")
@click.option("--cors", "cors_origins", multiple=True, metavar="ORIGIN",
              help="Let web pages from ORIGIN (https://example.org, or * for any) read the answers. "
                   "Repeatable. None by default.")
@click.option("--quiet", "-q", is_flag=True, help="Do not log each request.")
def serve_command(host: str, port: int, timeout: float, max_rows: int, cache_mb: int, cors_origins: tuple[str, ...],
                  quiet: bool, build_dir: tuple[str, ...] = (), store_url: str | None = None) -> None:
    """Serve BUILD_DIR as a read-only SPARQL 1.1 endpoint at /sparql, with its explorer at /.

    SERVICE (federation) is refused, a query past --timeout is stopped, and no other web
    origin may read the answers unless --cors names it.

    Example:

        kg serve exports/example --port 7878
    """
    from kg.serve import make_server

    server = make_server(build_or_store(build_dir, store_url), host, port, timeout=timeout, max_rows=max_rows,
                         cache_bytes=cache_mb << 20, quiet=quiet, cors_origins=cors_origins)
    click.echo(f"SPARQL endpoint: {server.url}\nexplorer: {server.url.removesuffix('sparql')}\n"
               "Ctrl-C to stop", err=True)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
