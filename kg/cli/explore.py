"""`kg linked`, `kg paths` and `kg timeline`: questions about entities, answered with their evidence."""

from __future__ import annotations

import click

from kg.cli.group import build_or_store, cli, reads_build
from kg.model import ENTITY_TYPES, RELATION_TYPES

AS_OF = click.option("--as-of", "as_of", metavar="DATE",
                     help="leaderOf only where the post was held on DATE (2021-06-01).")


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
@AS_OF
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def linked_command(name: str, hops: int, relations: tuple[str, ...], types: tuple[str, ...], since: str | None,
                   until: str | None, limit: int, as_json: bool, build_dir: tuple[str, ...] = (),
                   store_url: str | None = None, as_of: str | None = None) -> None:
    """The entities linked to NAME, fewest hops first, each path with its evidence.

    Example:

        kg linked exports/example "Kataib Hezbollah" --hops 2 --type State
        kg linked exports/example "Quds Force" --relation leaderOf --as-of 2021-06-01
    """
    import json
    from dataclasses import asdict

    from kg.knowledge_graph import KnowledgeGraph

    graph = KnowledgeGraph.open(build_or_store(build_dir, store_url))
    entity = graph.entity(name)
    links = graph.linked_to(entity.id, hops, relations or None, types or None, since, until, limit=limit, as_of=as_of)
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
@AS_OF
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
def paths_command(source: str, target: str, max_hops: int, limit: int, as_json: bool, build_dir: tuple[str, ...] = (),
                  store_url: str | None = None, as_of: str | None = None) -> None:
    """The shortest paths from SOURCE to TARGET, walking relations either way, each step with its evidence.

    Example:

        kg paths exports/example Iran "Ain al-Asad" --max-hops 4
    """
    import json

    from kg.knowledge_graph import KnowledgeGraph

    graph = KnowledgeGraph.open(build_or_store(build_dir, store_url))
    found = graph.paths(source, target, max_hops, limit=limit, as_of=as_of)
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
def timeline_command(name: str, as_json: bool, build_dir: tuple[str, ...] = (), store_url: str | None = None,
                     as_of: str | None = None) -> None:
    """What NAME did and what was said of it (attacks, claims, condemnations, backing), by date.

    Example:

        kg timeline exports/example "Kataib Hezbollah"
    """
    import json
    from dataclasses import asdict

    from kg.knowledge_graph import KnowledgeGraph

    graph = KnowledgeGraph.open(build_or_store(build_dir, store_url))
    entity = graph.entity(name)
    events = graph.timeline(entity.id, as_of=as_of)
    if as_json:
        data = {"entity": asdict(entity), "events": [event.to_dict() for event in events]}
        click.echo(json.dumps(data, indent=2, ensure_ascii=False))
        return
    click.echo(f"{entity.name} ({entity.type}): {len(events)} event{'s' if len(events) != 1 else ''}\n")
    for event in events:
        click.echo(event.explain())
