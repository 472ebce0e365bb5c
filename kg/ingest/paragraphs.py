"""Scraped lines -> paragraphs: page furniture dropped, wrapped sentences joined, forum quote headers marked.

    paragraphs(lines, furniture)  the kept paragraphs, None where a forum quote header stood

What is furniture is data (ontology/furniture.toml, compiled by kg.ingest.furniture); this module applies it.
"""

from __future__ import annotations

import re

from kg.ingest.furniture import Furniture

__all__ = ["paragraphs"]

_HAS_WORD = re.compile(r"\w")
_SENTENCE_ENDINGS = ".!?:;\"'”’)]…"


def paragraphs(lines: list[str], furniture: Furniture) -> list[str | None]:
    """Lines kept as paragraphs, furniture dropped; None marks a forum quote header.

    Lines of one block stay separate paragraphs (scraped text puts one paragraph on each line), except
    a line that begins in lower case after one without final punctuation: that is a wrapped sentence.
    """
    items: list[str | None] = []
    current = ""
    for raw in lines:
        line = " ".join(raw.split())
        if furniture.quote_header.fullmatch(line):
            items.extend([current, None] if current else [None])
            current = ""
            continue
        line = _kept_text(line, furniture)
        if not line:
            if current:
                items.append(current)
            current = ""
        elif current and _continues(current, line):
            current += " " + line
        else:
            if current:
                items.append(current)
            current = line
    if current:
        items.append(current)
    return items


def _kept_text(line: str, furniture: Furniture) -> str:
    """The line without furniture; "" when nothing worth reading is left."""
    if furniture.line.fullmatch(line):
        return ""
    line = " ".join(furniture.inline.sub("", line).split())
    line = furniture.leading_bullet.sub("", line)
    return line if _HAS_WORD.search(line) else ""


def _continues(paragraph: str, line: str) -> bool:
    """Whether `line` carries on a sentence that `paragraph` left open.

    A lone lower-case word is more likely a user name under a title than the end of a sentence,
    unless it ends one.
    """
    open_sentence = paragraph[-1] not in _SENTENCE_ENDINGS
    return open_sentence and line[0].islower() and (" " in line or line[-1] in _SENTENCE_ENDINGS)
