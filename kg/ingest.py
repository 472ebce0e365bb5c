"""Files or text -> Document: read .txt, .md, .html, .jsonl, .pdf and .docx, and strip page furniture.

    iter_documents(inputs)     every document under some files and folders; bad files reported and skipped
    read_file(path)            the documents of one file; raises BadSource
    document_from_text(text)   one Document from a raw string, cleaned exactly as a file's text is
    clean_text(text)           scraped text -> paragraphs without furniture, quoted repeats or odd characters
    find_date(text)            the first date near the top of a text, as "YYYY-MM-DD"

`Document.text` is the cleaned text, and later stages compute their offsets on it: cleaning builds new
text and keeps no map back to the raw file.
"""

from __future__ import annotations

import codecs
import dataclasses
import json
import logging
import os
import re
import stat
from collections.abc import Callable, Iterable, Iterator
from datetime import date as Date
from datetime import datetime

from bs4 import BeautifulSoup, CData, NavigableString, Tag
from charset_normalizer import from_bytes
from dateutil import parser as dateutil_parser

from kg.errors import BadSource
from kg.extract.dates import MONTH, month_number
from kg.html_depth import cap_depth
from kg.model import Document
from kg.office import OFFICE_TYPES, read_office
from kg.titles import best_title, headline

__all__ = ["DEFAULT_MAX_BYTES", "clean_text", "document_from_text", "find_date", "iter_documents", "read_file"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024

_log = logging.getLogger(__name__)

_Report = Callable[[BadSource], None]

# ---------------------------------------------------------------- public API


def iter_documents(
    inputs: Iterable[str | os.PathLike],
    *,
    strict: bool = False,
    on_error: Callable[[BadSource], None] | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    follow_links: bool = False,
) -> Iterator[Document]:
    """Yield the documents of files and folders, in order; folders are walked recursively.

    Inside a folder, files are read sorted by path; hidden files and folders and README files are
    skipped; each real file is read once, however many links or inputs lead to it. A symbolic link
    found in a folder is followed only when it leads to a place inside that folder, unless
    `follow_links`: a link out of it is a BadSource (a scraped folder may hold a link to /). A file
    that cannot be read (missing, unreadable, binary, undecodable, empty, larger than `max_bytes`, of
    unknown type, a PDF without text) and a malformed line of a .jsonl file give a BadSource: raised
    when `strict`, else passed to `on_error` (logged when there is none) and skipped.

    >>> [d.id for d in iter_documents([])]
    []
    """
    if isinstance(inputs, (str, os.PathLike)):
        inputs = [inputs]  # one path, not an iterable of characters
    if max_bytes < 1:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    report = _reporter(strict, on_error)
    taken_ids: set[str] = set()
    files_read: set[tuple[int, int]] = set()
    for path, doc_id in _expand(inputs, report, follow_links):
        identity = _file_identity(path)
        if identity is not None and identity in files_read:
            continue
        try:
            documents = _read_path(path, doc_id, max_bytes, report)
        except BadSource as problem:
            report(problem)
            continue
        if identity is not None:
            files_read.add(identity)
        for document in documents:
            yield _claim_id(document, taken_ids)


def read_file(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Document]:
    """The documents of one file (several for .jsonl); its id is the file name.

    Raises BadSource for any problem, a malformed .jsonl line included; `iter_documents` skips
    such lines and keeps the others.
    """
    path = os.fsdecode(os.fspath(path))
    return _read_path(path, _printable(os.path.basename(path)), max_bytes, _raise)


def document_from_text(
    text: str,
    *,
    id: str,
    source: str = "",
    title: str = "",
    date: str | None = None,
    url: str = "",
) -> Document:
    """A Document from raw text, cleaned as a file's text is (see `clean_text`).

    `title` defaults to the first line when it reads as a headline; `date` (any common form,
    normalised to "YYYY-MM-DD") defaults to the first date near the top of the text.

    >>> doc = document_from_text("Rockets hit base\\n\\nJuly 8, 2021\\n\\nThree rockets fell.", id="t1")
    >>> doc.title, doc.date
    ('Rockets hit base', '2021-07-08')
    """
    cleaned = clean_text(text)
    return Document(
        id=id,
        source=source,
        text=cleaned,
        title=_one_line(title) or headline(cleaned),
        date=(_iso_day(date) if date else None) or find_date(cleaned),
        url=_one_line(url),
    )


def clean_text(text: str) -> str:
    """Scraped text as clean paragraphs, separated by blank lines.

    Drops page furniture (forum buttons, reaction counters, banners, view counters, photo credits,
    bylines, stamps, lone times and numbers), forum quote headers and the quoted text after them
    that repeats earlier text, and any paragraph that repeats an earlier one. Normalises odd
    whitespace and removes control and invisible characters (keeping newlines).

    >>> clean_text("Three rockets fell.\\r\\n  \\u2022 Thanks 2\\nLink to comment\\n\\n\\n\\nThree rockets fell.")
    'Three rockets fell.'
    """
    lines = _normalise_characters(text).split("\n")
    return "\n\n".join(_drop_repeats(_paragraphs(lines)))


def find_date(text: str) -> str | None:
    """The first date in the first ~600 characters of `text`, as "YYYY-MM-DD", or None.

    Reads "July 8, 2021", "JULY 8, 2021 14:25", "Jan. 3, 2020", "8 July 2021", "(29 Jun 2021)",
    "2021-07-08". Numeric day/month forms such as 7/8/2021 are ambiguous and ignored.

    >>> find_date("Dubai - Alarabiya.net\\nPublished: Jul 07, 2021: 09:52 AM")
    '2021-07-07'
    """
    return _first_date(text[:_DATE_WINDOW])


# ---------------------------------------------------------------- finding files


def _reporter(strict: bool, on_error: _Report | None) -> _Report:
    def report(problem: BadSource) -> None:
        if strict:
            raise problem
        if on_error is not None:
            on_error(problem)
        else:
            # The library never prints; logging lets the caller decide where this goes.
            _log.warning("%s", problem)

    return report


def _raise(problem: BadSource) -> None:
    raise problem


def _expand(inputs: Iterable[str | os.PathLike], report: _Report, follow_links: bool) -> Iterator[tuple[str, str]]:
    """(path, document id) of each file to read; a folder gives the files under it."""
    for item in inputs:
        path = os.fsdecode(os.fspath(item))
        if os.path.isdir(path):
            yield from _walk_folder(path, report, follow_links)
        else:
            yield path, _printable(os.path.basename(path))


def _walk_folder(folder: str, report: _Report, follow_links: bool = False) -> Iterator[tuple[str, str]]:
    """The files under `folder`, sorted by relative path, with ids "<folder name>/<relative path>".

    Symlinked folders are followed (inside `folder` only, unless `follow_links`), but each real
    folder is entered once, which ends symlink loops.
    """
    label = os.path.basename(os.path.abspath(folder))
    found: list[tuple[str, str]] = []
    entered: set[tuple[int, int]] = set()
    root = os.path.realpath(folder)

    def folder_error(error: OSError) -> None:
        report(BadSource(_printable(error.filename or folder), f"cannot open folder ({_reason(error)})"))

    def stays_inside(path: str) -> bool:
        if follow_links or not os.path.islink(path):
            return True
        target = os.path.realpath(path)
        if target == root or target.startswith(root.rstrip(os.sep) + os.sep):
            return True
        report(BadSource(_printable(path), "a link out of the folder, not followed (--follow-links follows it)"))
        return False

    for dirpath, dirnames, filenames in os.walk(folder, onerror=folder_error, followlinks=True):
        identity = _file_identity(dirpath)
        if identity is None or identity in entered:
            dirnames[:] = []
            continue
        entered.add(identity)
        dirnames[:] = [name for name in dirnames
                       if not name.startswith(".") and stays_inside(os.path.join(dirpath, name))]
        for name in filter(_is_document_name, filenames):
            path = os.path.join(dirpath, name)
            if stays_inside(path):
                found.append((os.path.relpath(path, folder).replace(os.sep, "/"), path))
    for relative, path in sorted(found):
        yield path, _printable(f"{label}/{relative}" if label else relative)


def _is_document_name(name: str) -> bool:
    """Whether a file found in a folder is taken: not hidden, and not the folder's README (which describes
    the corpus rather than being one of its documents). A file of unknown type is taken, to be reported."""
    stem, _ = os.path.splitext(name)
    return not name.startswith(".") and stem.lower() != "readme"


def _file_identity(path: str) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _claim_id(document: Document, taken: set[str]) -> Document:
    """The document, renamed "<id>~2", "<id>~3"... when an earlier document of this build has its id."""
    doc_id, n = document.id, 1
    while doc_id in taken:
        n += 1
        doc_id = f"{document.id}~{n}"
    taken.add(doc_id)
    return document if doc_id == document.id else dataclasses.replace(document, id=doc_id)


# ---------------------------------------------------------------- reading one file


def _read_path(path: str, doc_id: str, max_bytes: int, report: _Report) -> list[Document]:
    where = _printable(path)
    size = _regular_file_size(path, where)
    extension = _extension(path)
    reader = _READERS.get(extension)
    if reader is None and extension not in OFFICE_TYPES:
        kind = repr(extension) if extension else "(no extension)"
        raise BadSource(where, f"unknown file type {kind}; expected one of {', '.join(sorted(_KNOWN_TYPES))}")
    if reader is None:  # PDF or Word: bytes, not text
        office = read_office(_read_bytes(path, where, size, max_bytes), extension, where)
        return [_with_text(document_from_text(office.text, id=doc_id, source=path, title=office.title), path)]
    text = _decode(_read_bytes(path, where, size, max_bytes), where)
    if not text.strip():
        raise BadSource(where, "empty file (only whitespace)")
    return reader(text, doc_id, path, report)


def _extension(path: str) -> str:
    return os.path.splitext(path)[1].lower()


def _regular_file_size(path: str, where: str) -> int:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        problem = "broken symlink" if os.path.islink(path) else "no such file or folder"
        raise BadSource(where, problem) from None
    except (OSError, ValueError) as error:
        raise BadSource(where, f"cannot read ({_reason(error)})") from None
    if stat.S_ISDIR(info.st_mode):
        raise BadSource(where, "is a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        # Reading a pipe or a device could block forever or never end.
        raise BadSource(where, "not a regular file")
    return info.st_size


def _read_bytes(path: str, where: str, size: int, max_bytes: int) -> bytes:
    if size > max_bytes:
        raise BadSource(where, f"too large ({_size(size)}; the limit is {_size(max_bytes)})")
    try:
        with open(path, "rb") as file:
            data = file.read(max_bytes + 1)  # the file may have grown since stat
    except PermissionError:
        raise BadSource(where, "permission denied") from None
    except OSError as error:
        raise BadSource(where, f"cannot read ({_reason(error)})") from None
    if len(data) > max_bytes:
        raise BadSource(where, f"too large (over {_size(max_bytes)}, the limit)")
    if not data:
        raise BadSource(where, "empty file")
    return data


def _reason(error: OSError | ValueError) -> str:
    reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return reason[:1].lower() + reason[1:]


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes"


def _printable(name: str) -> str:
    """`name` with control characters and undecodable bytes escaped, so messages and ids stay one clean line."""
    return _UNPRINTABLE.sub(lambda m: ascii(m.group())[1:-1], name)


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")

# ---------------------------------------------------------------- decoding

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


def _decode(data: bytes, where: str) -> str:
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


# ---------------------------------------------------------------- readers: .txt .md .html .jsonl


def _read_txt(text: str, doc_id: str, source: str, report: _Report) -> list[Document]:
    return [_with_text(document_from_text(text, id=doc_id, source=source), source)]


def _with_text(document: Document, source: str) -> Document:
    if not document.text:
        raise BadSource(_printable(source), "no text left after removing page furniture")
    return document


def _read_markdown(text: str, doc_id: str, source: str, report: _Report) -> list[Document]:
    meta, body = _split_front_matter(_normalise_characters(text))
    heading = _MD_H1.search(body)
    title = meta.get("title") or (_markdown_inline(heading.group(1)) if heading else "")
    document = document_from_text(
        _markdown_to_text(body), id=doc_id, source=source, title=title, date=meta.get("date"), url=meta.get("url", "")
    )
    return [_with_text(document, source)]


def _read_html(text: str, doc_id: str, source: str, report: _Report) -> list[Document]:
    soup = BeautifulSoup(cap_depth(text), "lxml")  # a page nested 20,000 deep costs what a flat one does
    date, url = _html_date(soup), _html_url(soup)  # before the chrome goes: JSON-LD sits in a <script>
    _drop_page_chrome(soup)
    roots = _content_roots(soup)
    title = _html_title(soup, roots)
    body = "\n\n".join(_block_text(root) for root in roots)
    document = document_from_text(body, id=doc_id, source=source, title=title, date=date, url=url)
    return [_with_text(document, source)]


def _read_jsonl(text: str, doc_id: str, source: str, report: _Report) -> list[Document]:
    documents = []
    # Split on "\n" only: JSON strings may hold U+2028 and other breaks that str.splitlines honours.
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            documents.append(_jsonl_document(line, doc_id, number, source))
        except BadSource as problem:
            report(problem)
    return documents


def _jsonl_document(line: str, file_id: str, number: int, source: str) -> Document:
    """One article of a .jsonl file; keys id, title, url, date, source and text (the only one required)."""
    where = f"{_printable(source)}:{number}"
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        # json's messages may end in "at" ("Unterminated string starting at"): say it once
        raise BadSource(where, f"malformed JSON ({error.msg.removesuffix(' at')} at column {error.colno})") from None
    except (ValueError, RecursionError) as error:
        raise BadSource(where, f"malformed JSON ({type(error).__name__})") from None
    if not isinstance(record, dict):
        raise BadSource(where, f"expected a JSON object, not {type(record).__name__}")
    if not isinstance(record.get("text"), str) or not record["text"].strip():
        raise BadSource(where, "no 'text' string")
    document = document_from_text(
        record["text"],
        id=f"{file_id}#{_printable(_field(record, 'id')) or number}",
        source=_field(record, "source") or source,
        title=_field(record, "title"),
        date=_field(record, "date") or None,
        url=_field(record, "url"),
    )
    if not document.text:
        raise BadSource(where, "no text left after removing page furniture")
    return document


def _field(record: dict, key: str) -> str:
    value = record.get(key)
    if isinstance(value, bool) or value is None:
        return ""
    return _one_line(str(value)) if isinstance(value, (str, int, float)) else ""


_READERS: dict[str, Callable[[str, str, str, _Report], list[Document]]] = {
    ".htm": _read_html,
    ".html": _read_html,
    ".jsonl": _read_jsonl,
    ".md": _read_markdown,
    ".txt": _read_txt,
}
_KNOWN_TYPES = (*_READERS, *OFFICE_TYPES)

# ---------------------------------------------------------------- Markdown

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


def _split_front_matter(text: str) -> tuple[dict[str, str], str]:
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


def _markdown_to_text(markdown: str) -> str:
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


# ---------------------------------------------------------------- HTML

_CHROME_TAGS = [
    "script", "style", "noscript", "template", "nav", "footer", "aside", "form", "button", "select",
    "textarea", "figure", "figcaption", "picture", "svg", "canvas", "iframe", "object", "embed", "video", "audio",
]  # fmt: skip
_BLOCK_TAGS = [
    "p", "div", "section", "article", "main", "header", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li",
    "dl", "dt", "dd", "blockquote", "pre", "table", "caption", "tr", "td", "th", "hr", "address", "details",
    "summary",
]  # fmt: skip
_BLOCK_TAG_SET = frozenset(_BLOCK_TAGS)
_DATE_META = {"article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate", "date",
              "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date", "parsely-pub-date"}  # fmt: skip


def _html_title(soup: BeautifulSoup, roots: list) -> str:
    """og:title, else the content's first <h1>, else <title> without its site name; never an advert or banner."""
    og = soup.find("meta", attrs={"property": "og:title"})
    h1 = next((tag for root in roots for tag in root.find_all("h1", limit=1)), None)
    candidates = (og and og.get("content"), h1 and h1.get_text(" "), soup.title and soup.title.get_text())
    return best_title(_one_line(c) for c in candidates if isinstance(c, str))


def _html_url(soup: BeautifulSoup) -> str:
    canonical = soup.find("link", attrs={"rel": "canonical"}) or soup.find("meta", attrs={"property": "og:url"})
    value = canonical and (canonical.get("href") or canonical.get("content"))
    return value if isinstance(value, str) else ""


def _html_date(soup: BeautifulSoup) -> str | None:
    """Publication day from <meta>, the first <time datetime>, or JSON-LD datePublished."""
    candidates: list[object] = []
    for meta in soup.find_all("meta"):
        key = meta.get("property") or meta.get("name") or meta.get("itemprop") or ""
        if isinstance(key, str) and key.lower() in _DATE_META:
            candidates.append(meta.get("content"))
    time = soup.find("time", attrs={"datetime": True})
    if time:
        candidates.append(time.get("datetime"))
    for script in soup.find_all("script", attrs={"type": "application/ld+json"}):
        candidates.append(_json_ld_date(script.get_text()))
    for candidate in candidates:
        day = _iso_day(candidate) if isinstance(candidate, str) else None
        if day:
            return day
    return None


def _json_ld_date(text: str) -> str | None:
    try:
        pending = [json.loads(text)]
    except (ValueError, RecursionError):
        return None
    while pending:  # a loop, not recursion: JSON-LD nests @graph lists of objects
        item = pending.pop(0)
        if isinstance(item, dict):
            if isinstance(item.get("datePublished"), str):
                return item["datePublished"]
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


def _drop_page_chrome(soup: BeautifulSoup) -> None:
    """Remove scripts, navigation, forms, figures and credits; keep an article's own <header>."""
    for tag in soup.find_all(_CHROME_TAGS):
        tag.decompose()
    for tag in _outermost(soup, "header", skip="article"):
        tag.decompose()
    for tag in soup.select('[class*="credit"]'):
        tag.decompose()


def _content_roots(soup: BeautifulSoup) -> list:
    """The outermost <article> elements (a forum page has one per post), else <main>, else <body>."""
    articles = _outermost(soup, "article")
    if articles:
        return articles
    return [soup.find("main") or soup.body or soup]


def _outermost(root, name: str, *, skip: str | None = None) -> list:
    """The `name` elements under `root` that have no `name` (nor `skip`) element above them, in order.

    One walk over the tree with a stack, never up from each element: a page of elements
    nested thousands deep costs as much as a flat one of the same size.
    """
    found, stack = [], list(reversed(root.contents))
    while stack:
        node = stack.pop()
        if not isinstance(node, Tag) or node.name == skip:
            continue
        if node.name == name:
            found.append(node)
        else:
            stack.extend(reversed(node.contents))
    return found


def _block_text(root) -> str:
    """Text of an element: source whitespace collapsed (not in <pre>), blank lines around block
    elements, <br> as a newline.

    Written in one walk with a stack, not by inserting line breaks into the tree (which bs4
    does in time proportional to the depth, so a page nested 20,000 deep took minutes).
    """
    parts: list[str] = []
    stack: list = [root]
    in_pre = 0 if root.find_parent("pre") is None else 1  # an <article> inside a <pre> keeps its spaces
    while stack:
        node = stack.pop()
        if node is _LEAVE_BLOCK:
            parts.append("\n\n")
        elif node is _LEAVE_PRE:
            in_pre -= 1
        elif isinstance(node, Tag):
            if node.name == "br":
                parts.append("\n")
                continue
            if node.name in _BLOCK_TAG_SET and node is not root:
                parts.append("\n\n")
                stack.append(_LEAVE_BLOCK)
            if node.name == "pre":
                in_pre += 1
                stack.append(_LEAVE_PRE)
            stack.extend(reversed(node.contents))
        elif type(node) is NavigableString:  # comments, doctypes, scripts are subclasses get_text skips
            parts.append(str(node) if in_pre else _SPACE_RUN.sub(" ", node))
        elif type(node) is CData:
            parts.append(str(node))
    return "".join(parts)


_LEAVE_BLOCK, _LEAVE_PRE = object(), object()  # markers on _block_text's stack: an element ends here
_SPACE_RUN = re.compile(r"\s+")

# ---------------------------------------------------------------- cleaning: characters

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


def _normalise_characters(text: str) -> str:
    text = _LINE_BREAKS.sub("\n", text)
    return _INVISIBLE.sub("", _ODD_SPACES.sub(" ", text))


def _one_line(text: str) -> str:
    return " ".join(_normalise_characters(text).split())


# ---------------------------------------------------------------- cleaning: furniture

_MONTH = MONTH
_TIME = r"\d{1,2}:\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?"
_AGO = r"(?:an?|\d+)\s+(?:second|sec|minute|min|hour|hr|day|week|month|year)s?\s+ago"
_DAY = rf"(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})"
_NAME = r"(?-i:[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*){1,4})"  # two to five capitalised words
_SOCIAL = (
    r"(?:share|tweet|facebook|twitter|whatsapp|telegram|linkedin|reddit|pinterest|messenger|e-?mail|print|copy link)"
)
_REACTION = (
    r"(?:thanks|thank you|likes?|upvote|downvote|haha|lol|pow!?|sad|love|wow|angry|confused|thumbs up"
    r"|agree|disagree|insightful|informative|funny|helpful|care)"
)

# A line that matches one of these in full is page furniture.
_SIGN_IN = r"(?:sign in|log in|login|register|sign up|create an account)"
_COPYRIGHT = r"(?:©|copyright\b)(?=.*(?:\b(?:19|20)\d\d\b|all rights reserved)).{0,100}$"
_FURNITURE_PATTERNS = (
    # forum buttons, headings, member details and editor notices
    r"link to comment(?:\s+share on other sites)?",
    r"share on other sites",
    r"recommended posts|related (?:posts|articles|stories|topics)|popular (?:posts|articles|stories)",
    r"jump to (?:content|navigation|top|comments?)|skip to (?:main )?content|(?:back|go) to (?:top|topic listing)",
    r"reply(?: to this topic)?\W*|multi-?quote|report(?: post)?|edited|loading\W*|create new\W*",
    r"join the conversation|important information|sign in to follow this\W*|followers?\s*\d*",
    r"members?|moderators?|administrators?|[\d.,]+\s+(?:posts?|replies|reputation|points)",
    r"you can post now and register later\b.*|if you have an account, sign in now\b.*",
    r"you need to be a member\b.*|note: your post will require moderator approval\b.*",
    r"only \d+ emoji are allowed\W*|×.*",  # editor notices start with a close button
    r"recently browsing\b.*|no registered users viewing\b.*|page \d+ of \d+",
    rf"(?:share(?:\s+(?:on|via))?:?\s*)?{_SOCIAL}(?:\s*[|•·,/]?\s*{_SOCIAL})*",
    # reaction counters: "• Thanks 2", "Upvote 4", "• Pow! 1", or any bullet, short label and count
    rf"[•·*]?\s*{_REACTION}\s*[x×]?\s*\d+",
    r"[•·]\s*\S.{0,24}?\s+\d+",
    # site navigation: breadcrumbs "Forum > Iraq > News", menus "Home | Forums | Contact Us", legal links
    r"[^>]{1,60}(?:\s[>»›]\s[^>]{1,60}){2,}",
    r"[^|]{1,30}(?:\s\|\s[^|]{1,30}){2,}",
    r"privacy policy|cookie policy|terms of (?:use|service)|contact us|all rights reserved\W*|powered by\b.{0,60}",
    r"by using this site, you agree\b.*|we use cookies\b.*",
    _COPYRIGHT,
    # sign-in banners and advertising
    rf"guests?\b.{{0,200}}\b{_SIGN_IN}\b.*|guest\W*",
    rf"(?:please\s+)?{_SIGN_IN}(?:\s*(?:or|and|/|\|)\s*{_SIGN_IN})*"
    r"(?:\s+to\s+(?:post|comment|reply|continue|follow|view|read|see|join|react)\b.{0,40})?\W*",
    r"advertisement|sponsored(?: content| links?)?|ads?|read more|continue reading(?: below)?"
    r"|story continues below(?: advertisement)?",
    # view counters: "47,611 views Jul 7, 2021", "663 viewsJul 4, 2021"
    rf"[\d.,]+\s*[km]?\s*views?\s*(?:[•·|-]\s*)?(?:{_DAY}|{_AGO}|(?:streamed|premiered)\b.*)?",
    # photo credits: caption lines that end with the agency, and bare credit lines
    r"[^.]{0,80}\bvia getty images\W*",  # a caption's sentences stay; its credit goes (inline, below)
    r"(?:photo|image|picture)s?(?: credit)?\s*:\s*.{1,80}|credits?:\s*.{1,80}",
    r"\(?(?:photo|image|picture)s? by\s+[^/]{1,60}/.{1,40}",
    # publication stamps: "Published in: ... Last updated: ...", "UPDATED 12:56 PM PT – Thursday, July 8, 2021"
    r"(?:first published|published|posted|last updated|updated|modified)(?:\s+(?:in|on|at))?\s*:.*",
    rf"(?:published|posted|updated|edited)\s+(?:on\s+)?(?:{_TIME}|{_AGO}|(?:\w+\.?\s+)?\d).*",
    # bylines that only name people: "By SETH J. FRANTZMAN" (a lone agency, "By Reuters", stays)
    rf"by\s+{_NAME}(?:\s*(?:,|and|&)\s*{_NAME})*",
    # lone clock times, relative times and numbers
    rf"(?:at\s+)?{_TIME}(?:\s+[a-z]{{2,4}})?",
    rf"(?:posted\s+)?{_AGO}|(?:yesterday|today|just now)(?:,?\s+at\s+{_TIME})?",
    r"[-+]?\d[\d.,]*%?",
)
_BULLET = "[•·▪●◦‣∙]"
# Furniture may come as a list item ("• Recently Browsing 0 members"), hence the optional bullet.
_FURNITURE = re.compile(rf"(?:{_BULLET}\s*)?(?:" + "|".join(_FURNITURE_PATTERNS) + ")", re.I)

# Furniture inside a line that holds text worth keeping. Each branch starts with a literal, which lets
# the regex engine skip ahead; the spaces a removal leaves are collapsed afterwards.
_INLINE_FURNITURE = re.compile(
    # "(photo credit: X)", "(Photo by X / AFP)"
    r"\((?:file\s+)?(?:photo|image|picture)s?(?:\s+credit)?\s*(?::|by)[^()]*\)"
    r"|\([^()]{0,80}\bvia getty images\)"
    r"|\s[-–—]\s+[^-–—]{1,80}\bvia getty images\W*$"  # "... province of Anbar. - AYMAN HENNA/AFP via Getty Images"
    rf"|[-–—|•]\s+{_COPYRIGHT}"  # "Smoke over the depot - Copyright Example Wire 2021"
    r"|(?<=[^.!?\s])\s+\|\s+[^|.!?]{1,40}$"  # "Rockets hit base | Some Channel": a headline's site name
    r"|:[a-z][a-z0-9_+-]{1,30}:(?!\S)",  # smiley codes such as ":rolleyes:"
    re.I,
)
_LEADING_BULLET = re.compile(rf"^{_BULLET}\s*")
_HAS_WORD = re.compile(r"\w")

# "18 minutes ago, USER said:", "On 7/8/2021 at 3:12 PM, USER said:", "Quote from: USER on ...", "USER wrote:"
_QUOTE_HEADER = re.compile(
    rf"(?:on\s+.{{1,40}}?\s+at\s+{_TIME}|{_AGO}|(?:yesterday|today|just now|{_DAY})(?:\s+at\s+{_TIME})?)"
    r",?\s+\S.{0,60}?\s+said:"
    r"|quote(?:\s+from:\s*.{1,80})?:?|originally posted by\s+.{1,40}|\S{1,40}\s+wrote:",
    re.I,
)


def _paragraphs(lines: list[str]) -> list[str | None]:
    """Lines kept as paragraphs, furniture dropped; None marks a forum quote header.

    Lines of one block stay separate paragraphs (scraped text puts one paragraph on each line), except
    a line that begins in lower case after one without final punctuation: that is a wrapped sentence.
    """
    items: list[str | None] = []
    current = ""
    for raw in lines:
        line = " ".join(raw.split())
        if _QUOTE_HEADER.fullmatch(line):
            items.extend([current, None] if current else [None])
            current = ""
            continue
        line = _kept_text(line)
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


def _kept_text(line: str) -> str:
    """The line without furniture; "" when nothing worth reading is left."""
    if _FURNITURE.fullmatch(line):
        return ""
    line = " ".join(_INLINE_FURNITURE.sub("", line).split())
    line = _LEADING_BULLET.sub("", line)
    return line if _HAS_WORD.search(line) else ""


def _continues(paragraph: str, line: str) -> bool:
    """Whether `line` carries on a sentence that `paragraph` left open.

    A lone lower-case word is more likely a user name under a title than the end of a sentence,
    unless it ends one.
    """
    open_sentence = paragraph[-1] not in _SENTENCE_ENDINGS
    return open_sentence and line[0].islower() and (" " in line or line[-1] in _SENTENCE_ENDINGS)


_SENTENCE_ENDINGS = ".!?:;\"'”’)]…"


# ---------------------------------------------------------------- cleaning: repeats

_MIN_QUOTED_WORDS = 4  # shorter text after a quote header is only dropped when it repeats a whole paragraph
# How far back (in characters of paragraph keys, some 30 long posts) quoted text is looked for: replies quote
# recent posts, and an unbounded search would make a long thread with many quotes quadratic.
_QUOTE_WINDOW = 100_000
_SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+")
_WORD = re.compile(r"\w+")


def _drop_repeats(items: list[str | None]) -> list[str]:
    """Paragraphs without repeats: a paragraph seen before, and after a quote header, the quoted text.

    A quote ends at the first paragraph that is not already in the document: the reply.
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


# ---------------------------------------------------------------- dates and titles

_DATE_WINDOW = 600
_MONTH_GROUP = rf"(?P<month>{_MONTH})"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<year>\d{4})(?P<sep>[-/.])(?P<mon>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\d)"),
    re.compile(rf"\b{_MONTH_GROUP}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})(?!\d)", re.I),
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_GROUP},?\s+(?P<year>\d{{4}})(?!\d)", re.I),
)


def _first_date(text: str) -> str | None:
    found = [(start, day) for pattern in _DATE_PATTERNS for start, day in _dates(pattern, text)]
    return min(found)[1] if found else None


def _dates(pattern: re.Pattern, text: str) -> Iterator[tuple[int, str]]:
    """(offset, ISO day) of each real calendar date the pattern finds."""
    for match in pattern.finditer(text):
        parts = match.groupdict()
        month = month_number(parts["month"]) if parts.get("month") else int(parts["mon"])
        try:
            day = Date(int(parts["year"]), month, int(parts["day"]))
        except ValueError:
            continue  # "February 30" or month 13
        if 1900 <= day.year <= 2100:
            yield match.start(), day.isoformat()


def _iso_day(value: str) -> str | None:
    """A metadata date in any common form as "YYYY-MM-DD"; None unless year, month and day are all given."""
    value = _one_line(value)
    found = _first_date(value)
    if found or not value or len(value) > _MAX_DATE_CHARS:
        return found
    try:
        # Parsing with two different defaults shows whether any of year, month and day was missing.
        first = dateutil_parser.parse(value, default=datetime(2000, 1, 1))
        second = dateutil_parser.parse(value, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError):
        return None
    return first.date().isoformat() if first.date() == second.date() else None


_MAX_DATE_CHARS = 64  # longer metadata is not a date; dateutil would only spend time on it
