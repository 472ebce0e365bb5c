"""What a store address names: a SPARQL server's URL or a build folder. The only place that tells them apart."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["folder_of", "is_server_url"]


def is_server_url(where: object) -> bool:
    """Whether `where` names a SPARQL server rather than a build folder.

    >>> is_server_url("http://127.0.0.1:8890/sparql"), is_server_url("exports/example")
    (True, False)
    """
    return str(where).lower().startswith(("http://", "https://"))


def folder_of(where: str | os.PathLike) -> Path | None:
    """The build folder `where` names, or None when it is a SPARQL server's URL.

    >>> folder_of("exports/example"), folder_of("https://example.org/sparql")
    (PosixPath('exports/example'), None)
    """
    return None if is_server_url(where) else Path(where)
