"""The `kg` click group and what its commands share: the one error handler, and how a command names a build.

A KGError from any command ends as one line on stderr and exit status 1 (`KGGroup.invoke`), so a
command body only parses its arguments, calls the library and prints the result.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from kg.errors import KGError

__all__ = ["KGGroup", "build_or_store", "cli", "reads_build", "writing"]


class KGGroup(click.Group):
    """A click group whose commands' KGErrors become `click.ClickException`: "Error: ..." and exit status 1."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except KGError as error:
            raise click.ClickException(str(error)) from None


@click.group(cls=KGGroup)
@click.version_option(package_name="militia-kg")
def cli() -> None:
    """Turn news and forum text about armed groups into a knowledge graph."""


def reads_build(group: click.Group, name: str | None = None):
    """Declare a command that reads a build: its first argument BUILD_DIR, or --store URL in its place.

    BUILD_DIR is a variadic argument (click's `nargs=-1`, shown as ``[BUILD_DIR]``): click gives the
    command's own arguments the values at the end, and BUILD_DIR what is left before them, which is
    nothing when --store names the graph. `build_or_store` then checks that exactly one was given.
    """
    def decorate(function):
        function = click.option(
            "--store", "store_url", metavar="URL",
            help="Read the graph from this SPARQL server (e.g. http://127.0.0.1:8890/sparql) in place of "
                 "BUILD_DIR. A user and password come from KG_STORE_USER and KG_STORE_PASSWORD.")(function)
        function = click.argument("build_dir", nargs=-1, metavar="[BUILD_DIR]",
                                  type=click.Path(file_okay=False))(function)
        return group.command(name)(function)

    return decorate


def build_or_store(build_dir: tuple[str, ...], store_url: str | None) -> Path | str:
    """The build folder or server URL a reading command names."""
    from kg.stores import is_server_url

    if len(build_dir) > 1:
        raise click.UsageError(f"unexpected extra argument {' '.join(build_dir[1:])!r}; quote a name that has spaces")
    if store_url is not None:
        if build_dir:
            raise click.UsageError("give BUILD_DIR or --store URL, not both")
        if not is_server_url(store_url):
            raise click.BadParameter(f"{store_url!r} is not an http:// or https:// URL", param_hint="--store")
        return store_url
    if not build_dir:
        raise click.UsageError("give BUILD_DIR or --store URL")
    return build_dir[0] if is_server_url(build_dir[0]) else Path(build_dir[0])


@contextmanager
def writing(out: Path) -> Iterator[None]:
    """An OSError while writing `out` becomes one line naming it, not a traceback."""
    try:
        yield
    except OSError as error:
        raise click.ClickException(f"cannot write {out}: {error.strerror or error}") from None
