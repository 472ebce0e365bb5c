"""One file -> its Documents: checked (a regular file, not too large, not empty), read, decoded, and
handed to the reader of its type.

    read_file(path)                         the documents of one file; raises BadSource
    read_path(path, doc_id, max_bytes, report)  the same with a chosen id, reporting a bad .jsonl line
    DEFAULT_MAX_BYTES, KNOWN_TYPES          the size limit, and the file types read
"""

from __future__ import annotations

import os
import stat

from kg.errors import BadSource
from kg.ingest.characters import printable
from kg.ingest.clean import document_from_text
from kg.ingest.decoding import decode
from kg.ingest.readers import READERS, Report, with_text
from kg.model import Document
from kg.office import OFFICE_TYPES, read_office

__all__ = ["DEFAULT_MAX_BYTES", "KNOWN_TYPES", "read_file", "read_path", "reason"]

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
KNOWN_TYPES = (*READERS, *OFFICE_TYPES)


def read_file(path: str | os.PathLike, *, max_bytes: int = DEFAULT_MAX_BYTES) -> list[Document]:
    """The documents of one file (several for .jsonl); its id is the file name.

    Raises BadSource for any problem, a malformed .jsonl line included; `iter_documents` skips
    such lines and keeps the others.
    """
    path = os.fsdecode(os.fspath(path))
    return read_path(path, printable(os.path.basename(path)), max_bytes, _raise)


def _raise(problem: BadSource) -> None:
    raise problem


def read_path(path: str, doc_id: str, max_bytes: int, report: Report) -> list[Document]:
    """The documents of the file at `path`; BadSource for the file, `report` for one bad .jsonl line."""
    where = printable(path)
    size = _regular_file_size(path, where)
    extension = _extension(path)
    reader = READERS.get(extension)
    if reader is None and extension not in OFFICE_TYPES:
        kind = repr(extension) if extension else "(no extension)"
        raise BadSource(where, f"unknown file type {kind}; expected one of {', '.join(sorted(KNOWN_TYPES))}")
    if reader is None:  # PDF or Word: bytes, not text
        office = read_office(_read_bytes(path, where, size, max_bytes), extension, where)
        return [with_text(document_from_text(office.text, id=doc_id, source=path, title=office.title), path)]
    text = decode(_read_bytes(path, where, size, max_bytes), where)
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
        raise BadSource(where, f"cannot read ({reason(error)})") from None
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
        raise BadSource(where, f"cannot read ({reason(error)})") from None
    if len(data) > max_bytes:
        raise BadSource(where, f"too large (over {_size(max_bytes)}, the limit)")
    if not data:
        raise BadSource(where, "empty file")
    return data


def reason(error: OSError | ValueError) -> str:
    """Why an operating-system call failed, as the middle of a sentence: "permission denied"."""
    said = getattr(error, "strerror", None) or str(error) or type(error).__name__
    return said[:1].lower() + said[1:]


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n:,} bytes"

