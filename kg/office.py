"""The text of PDF and Word (.docx) files, read with pypdf and python-docx.

    OFFICE_TYPES                     the extensions read here
    read_office(data, ext, where)    OfficeText(text, title) of a file's bytes; raises BadSource

kg.ingest cleans the text and makes the Document, as for any other file. A PDF's
lines are joined back into paragraphs (the pipeline ends a sentence at a line
break), and words hyphenated across lines are mended. A scanned PDF holds no text
and is refused by name: run OCR on it first.
"""

from __future__ import annotations

import io
import logging
import re
import statistics
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kg.errors import BadSource
from kg.titles import is_title

__all__ = ["OFFICE_TYPES", "OfficeText", "read_office"]

OFFICE_TYPES = (".docx", ".pdf")
_SENTENCE_END = ".!?:\"”’)"
_HYPHENATED = re.compile(r"(\w)-$")
_FILE_NAME = re.compile(r"\.(?:docx?|pdf|rtf|odt|txt|indd)\b|^microsoft word\b|^untitled\b", re.I)


@dataclass(frozen=True)
class OfficeText:
    text: str
    title: str = ""


def read_office(data: bytes, extension: str, where: str) -> OfficeText:
    """The text and title of a .pdf or .docx file's bytes; BadSource when it cannot be read."""
    if extension == ".pdf":
        return _read_pdf(data, where)
    if extension == ".docx":
        return _read_docx(data, where)
    raise BadSource(where, f"not a PDF or Word file ({extension})")


# ---------------------------------------------------------------- PDF


def _read_pdf(data: bytes, where: str) -> OfficeText:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        with _quiet("pypdf"):  # its warnings on damaged files would reach the user's stderr unasked
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise BadSource(where, "encrypted PDF (it needs a password); save an unprotected copy")
            pages = [page.extract_text() or "" for page in reader.pages]
            meta_title = (reader.metadata or {}).get("/Title")
    except BadSource:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError, RecursionError,
            NotImplementedError) as error:
        raise BadSource(where, f"cannot read PDF ({type(error).__name__}: {_short(error)})") from None
    text = "\n\n".join(_reflow(page) for page in pages if page.strip())
    if not text.strip():
        raise BadSource(where, "PDF holds no text (a scan?); run OCR on it first")
    return OfficeText(text, _metadata_title(meta_title))


def _reflow(page: str) -> str:
    r"""A PDF page's lines as paragraphs. A line shorter than the usual width ends its paragraph when
    it ends a sentence, or is a headline on its own; other line breaks are spaces, and a word
    hyphenated at the end of a line is joined.

    >>> _reflow("Rockets hit base\nThree rockets hit the base on Thursday, the coalition said in a\n"
    ...         "statement that no-\nbody was hurt.\nOfficials said little more about the attack on the base.")
    'Rockets hit base\n\nThree rockets hit the base on Thursday, the coalition said in a statement that nobody was hurt.\n\nOfficials said little more about the attack on the base.'
    """
    lines = [" ".join(line.split()) for line in page.split("\n")]
    widths = [len(line) for line in lines if len(line) > 20]
    usual = statistics.median(widths) if widths else 0
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if not line:
            if current:
                paragraphs.append(current)
            current = ""
            continue
        heading = not current and is_title(line)
        if not current:
            current = line
        elif _HYPHENATED.search(current) and line[:1].islower():
            current = current[:-1] + line
        else:
            current += " " + line
        short = not usual or len(line) < 0.85 * usual
        if short and (heading or line[-1] in _SENTENCE_END):
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return "\n\n".join(paragraphs)


# ---------------------------------------------------------------- Word


def _read_docx(data: bytes, where: str) -> OfficeText:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise BadSource(where, f"cannot read Word file ({type(error).__name__}: {_short(error)}); "
                               "only .docx is read, not .doc") from None
    paragraphs = [(p.style.name if p.style is not None else "", " ".join(p.text.split()))
                  for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = list(dict.fromkeys(" ".join(c.text.split()) for c in row.cells))
            paragraphs.append(("", "; ".join(c for c in cells if c)))
    text = "\n\n".join(t for _, t in paragraphs if t)
    if not text.strip():
        raise BadSource(where, "Word file holds no text")
    styled = next((t for style, t in paragraphs if t and style in ("Title", "Heading 1") and is_title(t)), "")
    return OfficeText(text, _metadata_title(document.core_properties.title) or styled)


# ---------------------------------------------------------------- helpers


def _metadata_title(value: object) -> str:
    """A title from a file's properties, unless it is a file name or a placeholder ("Microsoft Word - a.docx")."""
    if not isinstance(value, str):
        return ""
    title = " ".join(value.split())
    return title if is_title(title) and not _FILE_NAME.search(title) else ""


@contextmanager
def _quiet(logger_name: str) -> Iterator[None]:
    """Only errors from this library's logger while reading: the problem is reported as a BadSource."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _short(error: Exception) -> str:
    return (str(error) or "damaged file").splitlines()[0][:120]
