"""The `kg` command: one short function per command, each a thin layer over the library."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from kg.errors import KGError
from kg.model import ENTITY_TYPES, RELATION_TYPES


@click.group()
@click.version_option(package_name="militia-kg")
def cli() -> None:
    """Turn news and forum text about armed groups into a knowledge graph."""


def fail(error: Exception) -> click.ClickException:
    return click.ClickException(str(error))


class ReadsBuild(click.Command):
    """A command that reads a build: its first argument, BUILD_DIR, may be replaced by --store URL."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta["kg.store_given"] = any(a == "--store" or a.startswith("--store=") for a in args)
        return super().parse_args(ctx, args)

    def get_params(self, ctx: click.Context) -> list[click.Parameter]:
        params = super().get_params(ctx)
        if ctx.meta.get("kg.store_given"):
            return [p for p in params if p.name != "build_dir"]
        return params


def reads_build(group: click.Group, name: str | None = None):
    """Declare a command that reads a build: its first argument BUILD_DIR, or --store URL in its place."""
    def decorate(function):
        function = click.option(
            "--store", "store_url", metavar="URL",
            help="Read the graph from this SPARQL server (e.g. http://127.0.0.1:8890/sparql) in place of "
                 "BUILD_DIR. A user and password come from KG_STORE_USER and KG_STORE_PASSWORD.")(function)
        function = click.argument("build_dir", required=False, type=click.Path(file_okay=False))(function)
        return group.command(name, cls=ReadsBuild)(function)

    return decorate


def build_or_store(build_dir: str | None, store_url: str | None) -> Path | str:
    """The build folder or server URL a reading command names."""
    from kg.server_store import is_server_url

    if store_url is not None:
        if not is_server_url(store_url):
            raise click.BadParameter(f"{store_url!r} is not an http:// or https:// URL", param_hint="--store")
        return store_url
    if build_dir is None:
        raise click.UsageError("give BUILD_DIR or --store URL")
    return build_dir if is_server_url(build_dir) else Path(build_dir)


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
def build(inputs: tuple[Path, ...], out_dir: Path | None, store_url: str | None, append: bool, strict: bool,
          follow_links: bool, quiet: bool, workers: str | None) -> None:
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

    if out_dir is None:
        if store_url is None:
            raise click.UsageError("give --out DIR (or --store URL)")
        out_dir = server_work_dir(store_url)

    shown = BuildProgress(quiet=quiet)

    def warn(error: Exception) -> None:
        click.echo(f"skipped {error}", err=True)

    extractor = None
    if workers:
        from kg.distributed import DaskExtractor

        extractor = DaskExtractor(workers)
    try:
        report = build_graph(inputs, out_dir, append=append, strict=strict, on_error=warn, progress=shown.progress,
                             notify=shown.notify, extractor=extractor, store_url=store_url,
                             publish_progress=sending(quiet), follow_links=follow_links, on_wait=waiting(out_dir))
    except KGError as error:
        raise fail(error) from None
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

    try:
        report = remove_documents(build_dir, doc_ids, on_wait=waiting(build_dir))
    except KGError as error:
        raise fail(error) from None
    click.echo(report.summary(), err=True)


@reads_build(cli, "linked")
@click.argument("name")
@click.option("--hops", default=2, show_default=True, type=click.IntRange(1), help="How far to walk.")
@click.option("--relation", "relations", multiple=True, type=click.Choice(RELATION_TYPES),
              help="Walk only this relation (repeatable).")
@click.option("--type", "types", multiple=True, type=click.Choice(ENTITY_TYPES),
              help="Report only entities of this type (repeatable).")
@click.option("--since", help="Only evidence dated on or after this: 2021, 2021-07 or 2021-07-07.")
@click.option("--until", help="Only evidence dated on or before this.")
@click.option("--limit", default=50, show_default=True, type=click.IntRange(1), help="At most this many entities.")
@click.option("--as-of", "as_of", metavar="DATE", help="leaderOf only where the post was held on DATE (2021-06-01).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def linked_command(name: str, hops: int, relations: tuple[str, ...], types: tuple[str, ...], since: str | None,
                   until: str | None, limit: int, as_json: bool, build_dir: str | None = None,
                   store_url: str | None = None, as_of: str | None = None) -> None:
    """The entities linked to NAME, fewest hops first, each path with its evidence.

    Example:

        kg linked exports/example "Kataib Hezbollah" --hops 2 --type State
        kg linked exports/example "Quds Force" --relation leaderOf --as-of 2021-06-01
    """
    import json
    from dataclasses import asdict

    from kg.knowledge_graph import KnowledgeGraph

    try:
        graph = KnowledgeGraph.open(build_or_store(build_dir, store_url))
        entity = graph.entity(name)
        links = graph.linked_to(entity.id, hops, relations or None, types or None, since, until, limit=limit,
                                as_of=as_of)
    except KGError as error:
        raise fail(error) from None
    if as_json:
        data = {"entity": asdict(entity), "hops": hops, "links": [link.to_dict() for link in links]}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{entity.name} ({entity.type}): {len(links)} linked within {hops} hop{'s' if hops > 1 else ''}"
               + (f" as of {as_of}" if as_of else ""))
    for i, link in enumerate(links, 1):
        click.echo(f"\n{i}. " + link.explain().replace("\n", "\n   "))


@reads_build(cli, "paths")
@click.argument("source")
@click.argument("target")
@click.option("--max-hops", default=4, show_default=True, type=click.IntRange(1), help="The longest path to look for.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(1), help="At most this many paths.")
@click.option("--as-of", "as_of", metavar="DATE", help="leaderOf only where the post was held on DATE (2021-06-01).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def paths_command(source: str, target: str, max_hops: int, limit: int, as_json: bool, build_dir: str | None = None,
                  store_url: str | None = None, as_of: str | None = None) -> None:
    """The shortest paths from SOURCE to TARGET, walking relations either way, each step with its evidence.

    Example:

        kg paths exports/example Iran "Ain al-Asad" --max-hops 4
    """
    import json

    from kg.knowledge_graph import KnowledgeGraph

    try:
        found = KnowledgeGraph.open(build_or_store(build_dir, store_url)).paths(source, target, max_hops, limit=limit,
                                                                                as_of=as_of)
    except KGError as error:
        raise fail(error) from None
    if as_json:
        click.echo(json.dumps([path.to_dict() for path in found], indent=2, ensure_ascii=False))
        return
    first = found[0]
    ends = f"{first.nodes[0].name} to {first.nodes[-1].name}" if first.steps else source
    click.echo(f"{len(found)} shortest path{'s' if len(found) > 1 else ''} from {ends} "
               f"({first.hops} hop{'s' if first.hops != 1 else ''})")
    for i, path in enumerate(found, 1):
        click.echo(f"\n{i}. " + path.explain().replace("\n", "\n   "))


@reads_build(cli, "timeline")
@click.argument("name")
@click.option("--as-of", "as_of", metavar="DATE", help="What was told up to DATE; leaderOf only where the post was "
                                                      "held then.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def timeline_command(name: str, as_json: bool, build_dir: str | None = None, store_url: str | None = None,
                     as_of: str | None = None) -> None:
    """What NAME did and what was said of it (attacks, claims, condemnations, backing), by date.

    Example:

        kg timeline exports/example "Kataib Hezbollah"
    """
    import json
    from dataclasses import asdict

    from kg.knowledge_graph import KnowledgeGraph

    try:
        graph = KnowledgeGraph.open(build_or_store(build_dir, store_url))
        entity = graph.entity(name)
        events = graph.timeline(entity.id, as_of=as_of)
    except KGError as error:
        raise fail(error) from None
    if as_json:
        data = {"entity": asdict(entity), "events": [event.to_dict() for event in events]}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{entity.name} ({entity.type}): {len(events)} event{'s' if len(events) != 1 else ''}\n")
    for event in events:
        click.echo(event.explain())


@reads_build(cli)
def validate(build_dir: str | None = None, store_url: str | None = None) -> None:
    """Check a build's graph against the SHACL shapes in ontology/shapes.ttl.

    Exit status 0 when it conforms, 1 with the violations listed when not.

    Example:

        kg validate exports/example
    """
    from kg.validate import validate_source

    where = build_or_store(build_dir, store_url)
    try:
        result = validate_source(where)
    except KGError as error:
        raise fail(error) from None
    if result.conforms:
        click.echo(f"{where}: conforms to ontology/shapes.ttl")
        return
    click.echo(result.report)
    click.echo(f"{where}: {result.violations} violations", err=True)
    sys.exit(1)


@cli.group()
def export() -> None:
    """Write a build's graph as an HTML explorer, RDF, GraphML, GEXF or CSV tables."""


@reads_build(export, "html")
@click.option("--focus", help="Show only this entity (any name or alias) and its neighbourhood.")
@click.option("--hops", default=2, show_default=True, help="How far from --focus to show.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Where to write it [default: DIR/explorer.html, or DIR/explorer-<focus>.html; "
                   "with --store, in the current folder].")
def export_html(focus: str | None, hops: int, out_file: Path | None, build_dir: str | None = None,
                store_url: str | None = None) -> None:
    """Write the interactive explorer: one self-contained HTML file, no network needed.

    Example:

        kg export html exports/example --focus "Kataib Hezbollah" --hops 2
    """
    from kg.build import read_build_graph
    from kg.export.html import write_explorer
    from kg.knowledge_graph import KnowledgeGraph
    from kg.vocab import slug

    where = build_or_store(build_dir, store_url)
    name = f"explorer-{slug(focus)}.html" if focus else "explorer.html"
    if out_file is None:
        out_file = Path(name) if isinstance(where, str) else where / name
    try:
        graph = KnowledgeGraph.open(where).to_model() if isinstance(where, str) else read_build_graph(where)
        path = write_explorer(graph, out_file, focus=focus, hops=hops)
    except KGError as error:
        raise fail(error) from None
    click.echo(str(path))


@reads_build(export, "rdf")
@click.option("--format", "rdf_format", type=click.Choice(["turtle", "nquads", "trig", "jsonld", "ntriples"]),
              default="trig", show_default=True,
              help="TriG and N-Quads keep each document's named graph; Turtle and N-Triples merge them.")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_rdf(rdf_format: str, out_file: Path, build_dir: str | None = None, store_url: str | None = None) -> None:
    """Write the build's RDF in another syntax.

    Example:

        kg export rdf exports/example --format trig --out example.trig
    """
    from kg.atomic import replace_with
    from kg.store import open_source

    try:
        store = open_source(build_or_store(build_dir, store_url))
        out_file.parent.mkdir(parents=True, exist_ok=True)
        if rdf_format == "turtle":
            replace_with(out_file, store.dump_turtle)
        elif rdf_format == "jsonld":
            replace_with(out_file, store.dump_jsonld)
        elif rdf_format == "ntriples":
            replace_with(out_file, store.dump_ntriples)
        else:
            replace_with(out_file, lambda path: store.dump(path, format=rdf_format))
    except KGError as error:
        raise fail(error) from None
    except OSError as error:
        raise click.ClickException(f"cannot write {out_file}: {error.strerror or error}") from None
    click.echo(str(out_file))


def export_graph_file(kind: str, out: Path, build_dir: str | None, store_url: str | None) -> None:
    """Write the graph of a build or server with kg.export.files' writer for `kind`."""
    from kg.export import files

    write = {"graphml": files.write_graphml, "gexf": files.write_gexf, "csv": files.write_tables}[kind]
    try:
        source = build_or_store(build_dir, store_url)
        out.parent.mkdir(parents=True, exist_ok=True)
        written = write(source, out)
    except KGError as error:
        raise fail(error) from None
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror or error}") from None
    for path in written if isinstance(written, list) else [written]:
        click.echo(str(path))


@reads_build(export, "graphml")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_graphml(out_file: Path, build_dir: str | None = None, store_url: str | None = None) -> None:
    """Write GraphML (Gephi, yEd, Cytoscape): entities as nodes, one edge per relation, typed attributes.

    Example:

        kg export graphml exports/example --out example.graphml
    """
    export_graph_file("graphml", out_file, build_dir, store_url)


@reads_build(export, "gexf")
@click.option("--out", "out_file", required=True, type=click.Path(dir_okay=False, path_type=Path))
def export_gexf(out_file: Path, build_dir: str | None = None, store_url: str | None = None) -> None:
    """Write GEXF for Gephi, each node and edge dated for its timeline slider.

    Example:

        kg export gexf exports/example --out example.gexf
    """
    export_graph_file("gexf", out_file, build_dir, store_url)


@reads_build(export, "csv")
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for entities.csv, relations.csv and attacks.csv (created if missing).")
def export_csv(out_dir: Path, build_dir: str | None = None, store_url: str | None = None) -> None:
    """Write entities.csv, relations.csv (with evidence and hedged) and attacks.csv for a spreadsheet.

    Example:

        kg export csv exports/example --out tables
    """
    export_graph_file("csv", out_dir, build_dir, store_url)


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
                  timeout: float | None, max_rows: int | None, build_dir: str | None = None,
                  store_url: str | None = None) -> None:
    """Ask the build in BUILD_DIR a SPARQL QUERY (or one from -f FILE, or --saved NAME).

    The ontology's prefixes (kg:, id:, rdfs:, skos:, prov:, dct: ...) are declared, and
    the default graph is the union of every document's graph.

    Example:

        kg query exports/example --saved entity --param name="Kataib Hezbollah"
    """
    from rdflib import URIRef

    from kg.query import format_results, run, run_saved, saved_queries
    from kg.store import open_source

    if saved == "":
        for item in saved_queries().values():
            needs = " ".join(f"--param {p}=..." for p in item.params)
            click.echo(f"{item.name:<20} {needs + '  ' if needs else ''}{item.description}")
        return
    if sum(x is not None for x in (query, query_file, saved)) != 1:
        raise click.UsageError("give exactly one of QUERY, -f FILE or --saved NAME")
    bound = {}
    for param in params:
        key, eq, value = param.partition("=")
        if not eq:
            raise click.BadParameter(f"{param!r} is not NAME=VALUE", param_hint="--param")
        bound[key] = URIRef(value[1:-1]) if value.startswith("<") and value.endswith(">") else value
    try:
        store = open_source(build_or_store(build_dir, store_url))
        if saved is not None:
            answer = run_saved(store, saved, timeout=timeout, max_rows=max_rows, **bound)
        else:
            text = query if query is not None else query_file.read_text(encoding="utf-8")
            answer = run(store, text, params=bound, timeout=timeout, max_rows=max_rows)
    except KGError as error:
        raise fail(error) from None
    out = format_results(answer, fmt)
    click.echo(out, nl=not out.endswith("\n"))
    if answer.truncated:
        click.echo(f"(the first {max_rows} rows; there are more)", err=True)
    elif fmt == "table" and answer.kind != "ask":
        click.echo(f"({len(answer.rows)} row{'s' if len(answer.rows) != 1 else ''})", err=True)


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
                  quiet: bool, build_dir: str | None = None, store_url: str | None = None) -> None:
    """Serve BUILD_DIR as a read-only SPARQL 1.1 endpoint at /sparql, with its explorer at /.

    SERVICE (federation) is refused, a query past --timeout is stopped, and no other web
    origin may read the answers unless --cors names it.

    Example:

        kg serve exports/example --port 7878
    """
    from kg.serve import make_server

    try:
        server = make_server(build_or_store(build_dir, store_url), host, port, timeout=timeout, max_rows=max_rows,
                             cache_bytes=cache_mb << 20, quiet=quiet, cors_origins=cors_origins)
    except KGError as error:
        raise fail(error) from None
    click.echo(f"SPARQL endpoint: {server.url}\nexplorer: {server.url.removesuffix('sparql')}\n"
               "Ctrl-C to stop", err=True)
    with server:
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
