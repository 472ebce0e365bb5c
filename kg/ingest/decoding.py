"""Bytes of a text file -> str: UTF-8, UTF-16 or UTF-32 by byte-order mark, UTF-16 without one, or a detected
encoding; a binary file or mixed encodings are refused with a BadSource.

    decode(data, where)  the text of a file's bytes; `where` names the file in the error
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from kg.errors import BadSource

__all__ = ["decode"]

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE, whose mark it starts with
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Bytes that text files do not contain; tab, newlines, form feed and escape are left out.
_CONTROL_BYTES = bytes([*range(0x01, 0x09), 0x0E, 0x0F, *range(0x10, 0x1B), *range(0x1C, 0x20), 0x7F])
_BINARY_SAMPLE = 8192


def decode(data: bytes, where: str) -> str:
    """Text of a file: UTF-8 (with or without a byte-order mark) or, failing that, a detected encoding."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom) :].decode(encoding)
            except UnicodeDecodeError:
                raise BadSource(where, f"cannot decode text (invalid {encoding} after its byte-order mark)") from None
    if b"\x00" in data:
        text = _utf16_without_bom(data)
        if text is not None:
            return text
    if _looks_binary(data):
        raise BadSource(where, "binary file, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.end == len(data):
            return data[: error.start].decode("utf-8")  # a scraper cut the last character in half
        if _mostly_utf8(data):
            # A single-byte guess would turn the UTF-8 parts into mojibake ("Ã©"), so refuse.
            raise BadSource(
                where,
                f"cannot decode text (mixed encodings: mostly UTF-8, but byte 0x{data[error.start]:02X}"
                f" at offset {error.start} is not)",
            ) from None
    text = _guess_encoding(data)
    if text is None:
        raise BadSource(where, "cannot decode text (no known encoding fits)")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """The text of UTF-16 without a byte-order mark (as some Windows tools save it), or None.

    In UTF-16 text the high byte of each character takes few values, one per script
    (0x00 for Latin letters, spaces and digits, 0x06 for Arabic, 0x04 for Cyrillic), so
    two values cover nearly all of them; in a binary file they spread. The text must
    then decode strictly, hold no control characters but whitespace, and look like words
    (several letters, and spaces or line breaks between them).
    """
    sample = data[: _BINARY_SAMPLE * 2]
    sample = sample[: len(sample) - len(sample) % 2]
    if len(sample) < 4:
        return None
    for encoding, high in (("utf-16-le", 1), ("utf-16-be", 0)):
        counts: dict[int, int] = {}
        for byte in sample[high::2]:
            counts[byte] = counts.get(byte, 0) + 1
        top = sorted(counts.values(), reverse=True)[:2]
        if sum(top) < 0.9 * (len(sample) // 2) or counts.get(0, 0) < 0.05 * (len(sample) // 2):
            continue
        try:
            text = data[: len(data) - len(data) % 2].decode(encoding)
        except UnicodeDecodeError:
            continue
        words = text[:_BINARY_SAMPLE]
        if (not _UTF16_CONTROL.search(text) and len(set(words)) >= 5
                and sum(c.isspace() for c in words) >= 0.02 * len(words)):  # text has words, and spaces between
            return text
    return None


_UTF16_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff]")


def _looks_binary(data: bytes) -> bool:
    if b"\x00" in data:
        return True
    sample = data[:_BINARY_SAMPLE]
    control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    return control > len(sample) * 0.1


def _mostly_utf8(data: bytes) -> bool:
    """True when valid UTF-8 characters outnumber the bytes that are not UTF-8."""
    text = data.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    non_ascii = len(text) - len(text.encode("ascii", errors="ignore"))
    return non_ascii - invalid >= invalid


def _guess_encoding(data: bytes) -> str | None:
    best = from_bytes(data).best()
    # On short English text charset-normalizer may pick an unlikely code page (cp852) that decodes
    # "’" and "“" as other letters; cp1252, the likeliest for Western web text, wins any tie.
    western = from_bytes(data, cp_isolation=["cp1252"]).best()
    if western is not None and (best is None or western.chaos <= best.chaos):
        return str(western)
    return None if best is None else str(best)

