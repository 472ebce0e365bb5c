"""Markdown -> plain paragraphs: front matter read, markup dropped, soft-wrapped lines joined.

    split_front_matter(text)  simple "key: value" front matter (title, date, url) and the Markdown after it
    first_heading(markdown)   the text of the first level-one heading, or ""
    markdown_to_text(text)    the paragraphs of a Markdown body, as plain text
"""

from __future__ import annotations

import re

__all__ = ["first_heading", "markdown_to_text", "split_front_matter"]

_FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.S)
_MD_H1 = re.compile(r"^[ ]{0,3}#[ \t]+(.+?)[ \t#]*$", re.M)
_MD_FENCE = re.compile(r"^[ ]{0,3}(?:```|~~~)")
_MD_RULE = re.compile(r"^[ ]{0,3}(?:[-=*_][ \t]*){2,}$")  # also setext underlines
_MD_REFERENCE = re.compile(r"^[ ]{0,3}\[[^\]]+\]:\s*\S")
_MD_BLOCK_PREFIX = re.compile(r"^[ ]{0,3}(?:#{1,6}[ \t]+|>[ \t]?|[-*+][ \t]+|\d{1,9}[.)][ \t]+)")
_MD_INLINE = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images: alt text is a caption
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # [text](url)
    (re.compile(r"\[([^\]]+)\]\[[^\]]*\]"), r"\1"),  # [text][ref]
    (re.compile(r"<(https?://[^>\s]+)>"), r"\1"),
    (re.compile(r"</?[A-Za-z][^>\n]*>"), ""),  # inline HTML tags
    (re.compile(r"`([^`]+)`"), r"\1"),
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),
    (re.compile(r"(?<![\w*])\*(?=\S)([^*]+?)(?<=\S)\*(?![\w*])"), r"\1"),
    (re.compile(r"(?<![\w_])_(?=\S)([^_]+?)(?<=\S)_(?![\w_])"), r"\1"),
    (re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])"), r"\1"),
)


def split_front_matter(text: str) -> tuple[dict[str, str], str]:
    """Simple "key: value" front matter (title, date, url) and the Markdown after it."""
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    meta = {}
    for line in match.group(1).split("\n"):
        key, colon, value = line.partition(":")
        if colon and key.strip():
            meta[key.strip().lower()] = value.strip().strip("'\"")
    return meta, text[match.end() :]


def markdown_to_text(markdown: str) -> str:
    """Plain paragraphs of Markdown: markup dropped, soft-wrapped lines joined so sentences stay whole."""
    paragraphs: list[str] = []
    current: list[str] = []
    in_fence = False

    def flush() -> None:
        if current:
            paragraphs.append(" ".join(current))
            current.clear()

    for line in markdown.split("\n"):
        if _MD_FENCE.match(line):
            flush()
            in_fence = not in_fence
        elif in_fence:
            paragraphs.append(line)
        elif not line.strip() or _MD_RULE.match(line) or _MD_REFERENCE.match(line):
            flush()
        else:
            if _MD_BLOCK_PREFIX.match(line):
                flush()  # a heading, quote or list item starts its own paragraph
            current.append(_markdown_inline(_MD_BLOCK_PREFIX.sub("", line).strip()))
            if line.lstrip().startswith("#"):
                flush()
    flush()
    return "\n\n".join(paragraphs)


def _markdown_inline(text: str) -> str:
    for pattern, replacement in _MD_INLINE:
        text = pattern.sub(replacement, text)
    return text



def first_heading(markdown: str) -> str:
    """The first "# Heading" of a Markdown body, without its markup.

    >>> first_heading("Intro\\n\\n# Rockets hit *the* base #\\n\\nText")
    'Rockets hit the base'
    """
    heading = _MD_H1.search(markdown)
    return _markdown_inline(heading.group(1)) if heading else ""
