"""Repeated text dropped: a paragraph seen before, and the quoted text after a forum quote header.

    drop_repeats(items)  paragraphs without repeats; None in `items` marks a quote header
"""

from __future__ import annotations

import re

__all__ = ["drop_repeats"]

_MIN_QUOTED_WORDS = 4  # shorter text after a quote header is only dropped when it repeats a whole paragraph
# How far back (in characters of paragraph keys, some 30 long posts) quoted text is looked for: replies quote
# recent posts, and an unbounded search would make a long thread with many quotes quadratic.
_QUOTE_WINDOW = 100_000
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_WORD = re.compile(r"\w+")


def drop_repeats(items: list[str | None]) -> list[str]:
    """Paragraphs without repeats: a paragraph seen before, and after a quote header, the quoted text.

    A quote ends at the first paragraph that is not already in the document: the reply.

    >>> drop_repeats(["Three rockets hit the base.", None, "three rockets hit the base", "No one was hurt."])
    ['Three rockets hit the base.', 'No one was hurt.']
    """
    kept: list[str] = []
    seen_keys: set[str] = set()
    seen_text = " "  # keys of the kept paragraphs, space-separated, to find quoted fragments in
    quoting = False
    for item in items:
        if item is None:
            quoting = True
            continue
        key = _key(item)
        if not key or key in seen_keys or (quoting and _quotes(item, key, seen_text)):
            continue
        quoting = False
        kept.append(item)
        seen_keys.add(key)
        seen_text += key + " "
    return kept


def _key(text: str) -> str:
    """A paragraph as lower-case words, so punctuation, case and spacing do not hide a repeat."""
    return " ".join(_WORD.findall(text.casefold()))


def _quotes(paragraph: str, key: str, seen_text: str) -> bool:
    """True when every sentence of the paragraph is in the recent text, whole or as a fragment."""
    if key.count(" ") + 1 < _MIN_QUOTED_WORDS:
        return False
    start = max(0, len(seen_text) - _QUOTE_WINDOW)
    sentences = [_key(sentence) for sentence in _SENTENCE_BREAK.split(paragraph)]
    return all(seen_text.find(f" {sentence} ", start) >= 0 for sentence in sentences if sentence)
