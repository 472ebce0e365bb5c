"""The `kg` command: one short function per command, each a thin layer over the library."""

from __future__ import annotations

import click


@click.group()
@click.version_option(package_name="militia-kg")
def cli() -> None:
    """Turn news and forum text about armed groups into a knowledge graph."""
