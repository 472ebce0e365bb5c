"""The page furniture patterns of ontology/furniture.toml, read and compiled once per process.

    furniture()           the patterns of ontology/furniture.toml, compiled (cached)
    load_furniture(path)  the patterns of any such file, compiled; raises ValueError when one is broken

The patterns are data: a new one is an entry in the file, with a note of what it removes.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kg.config import ONTOLOGY_DIR
from kg.months import MONTH

__all__ = ["FURNITURE_PATH", "Furniture", "furniture", "load_furniture"]

FURNITURE_PATH = ONTOLOGY_DIR / "furniture.toml"
_BUILT_IN = {"month": MONTH}
_PLACEHOLDER = re.compile(r"\{([a-z_]+)\}")  # never a quantifier such as {1,4}: those hold no letters


@dataclass(frozen=True)
class Furniture:
    """Compiled furniture patterns, each matched case-insensitively."""

    line: re.Pattern  # fullmatch: the whole line is furniture, maybe after a bullet
    inline: re.Pattern  # sub: furniture inside a line worth keeping
    quote_header: re.Pattern  # fullmatch: a line that opens a forum quote
    leading_bullet: re.Pattern  # sub: a bullet before the text of a list item (case-sensitive: marks only)
    chrome_tags: tuple[str, ...]  # HTML elements dropped with their content
    chrome_selectors: tuple[str, ...]  # CSS selectors of more HTML elements dropped


@cache
def furniture(path: Path = FURNITURE_PATH) -> Furniture:
    """The compiled patterns of `path` (ontology/furniture.toml), read once per process and path."""
    return load_furniture(path)


def load_furniture(path: Path) -> Furniture:
    """Read and compile a furniture file; ValueError names the entry that is broken.

    >>> f = load_furniture(FURNITURE_PATH)
    >>> bool(f.line.fullmatch("Link to comment")), bool(f.line.fullmatch("Three rockets fell."))
    (True, False)
    """
    try:
        with open(path, "rb") as file:
            data = tomllib.load(file)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ValueError(f"{path}: cannot read furniture patterns ({error})") from None
    fragments = dict(_BUILT_IN)
    for name, pattern in data.get("fragments", {}).items():
        fragments[name] = _expand(pattern, fragments, f"{path}: fragment {name!r}")
    if "bullet" not in fragments:
        raise ValueError(f"{path}: no 'bullet' fragment (the marks a list item may start with)")
    entries = {kind: _patterns(data, kind, fragments, path) for kind in ("line", "inline", "quote_header")}
    html = data.get("html", {})
    return Furniture(
        line=_compile(rf"(?:{fragments['bullet']}\s*)?(?:" + "|".join(entries["line"]) + ")", path, "line"),
        inline=_compile("|".join(entries["inline"]), path, "inline"),
        quote_header=_compile("|".join(entries["quote_header"]), path, "quote_header"),
        leading_bullet=_compile(rf"^{fragments['bullet']}\s*", path, "fragments.bullet", flags=0),
        chrome_tags=tuple(html.get("chrome_tags", ())),
        chrome_selectors=tuple(html.get("chrome_selectors", ())),
    )


def _patterns(data: dict, kind: str, fragments: dict[str, str], path: Path) -> list[str]:
    """The expanded patterns of the entries of one kind, each checked on its own so an error names it."""
    patterns = []
    for number, entry in enumerate(data.get(kind, []), start=1):
        where = f"{path}: {kind} entry {number}"
        if not isinstance(entry.get("pattern"), str) or not isinstance(entry.get("removes"), str):
            raise ValueError(f"{where} needs a 'pattern' and a 'removes' note")
        pattern = _expand(entry["pattern"], fragments, where)
        _compile(pattern, path, f"{kind} entry {number} ({entry['removes']})")
        patterns.append(pattern)
    if not patterns:
        raise ValueError(f"{path}: no {kind} patterns")
    return patterns


def _expand(pattern: str, fragments: dict[str, str], where: str) -> str:
    def fragment(match: re.Match) -> str:
        name = match.group(1)
        if name not in fragments:
            raise ValueError(f"{where}: unknown fragment {{{name}}}")
        return fragments[name]

    return _PLACEHOLDER.sub(fragment, pattern)


def _compile(pattern: str, path: Path, where: str, flags: int = re.I) -> re.Pattern:
    try:
        return re.compile(pattern, flags)
    except re.error as error:
        raise ValueError(f"{path}: {where}: not a regular expression ({error})") from None
