"""Characters: odd line breaks and spaces normalised, invisible characters dropped, names made printable.

    normalise_characters(text)  "\\n" for every kind of line break, " " for odd spaces, no invisible characters
    one_line(text)              the text as one line with single spaces (metadata: titles, dates, URLs)
    printable(name)             a file name or id with control characters escaped, for messages and ids
"""

from __future__ import annotations

import re

__all__ = ["normalise_characters", "one_line", "printable"]

_LINE_BREAKS = re.compile(r"\r\n?|[\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_ODD_SPACES = re.compile(r"[\xa0\u1680\u2000-\u200a\u202f\u205f\u3000]")
# Control characters but tab and newline, Unicode format characters (zero-width spaces and joiners,
# soft hyphens, direction marks, byte-order marks, tags; category Cf in Unicode 15) and lone surrogates,
# which cannot be encoded as UTF-8.
_INVISIBLE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\xad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
    "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U0001343f"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f\ud800-\udfff]"
)
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def normalise_characters(text: str) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    return _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text))


def one_line(text: str) -> str:
    return " ".join(normalise_characters(text).split())


def printable(name: str) -> str:
    """`name` with control characters and undecodable bytes escaped, so messages and ids stay one clean line."""
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], name)
