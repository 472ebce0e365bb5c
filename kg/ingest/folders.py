"""Files and folders -> Documents, in order: folders walked, each real file read once, ids kept unique,
bad files reported and skipped.

    iter_documents(inputs)  every document under some files and folders
"""

from __future__ import annotations

import dataclasses
import logging
import os
from collections.abc import Callable, Iterable, Iterator

from kg.errors import BadSource
from kg.ingest.characters import printable
from kg.ingest.files import DEFAULT_MAX_BYTES, read_path, reason
from kg.ingest.readers import Report
from kg.model import Document

__all__ = ["iter_documents"]

_log = logging.getLogger("kg.ingest")


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
            documents = read_path(path, doc_id, max_bytes, report)
        except BadSource as problem:
            report(problem)
            continue
        if identity is not None:
            files_read.add(identity)
        for document in documents:
            yield _claim_id(document, taken_ids)


def _reporter(strict: bool, on_error: Report | None) -> Report:
    def report(problem: BadSource) -> None:
        if strict:
            raise problem
        if on_error is not None:
            on_error(problem)
        else:
            # The library never prints; logging lets the caller decide where this goes.
            _log.warning("%s", problem)

    return report


def _expand(inputs: Iterable[str | os.PathLike], report: Report, follow_links: bool) -> Iterator[tuple[str, str]]:
    """(path, document id) of each file to read; a folder gives the files under it."""
    for item in inputs:
        path = os.fsdecode(os.fspath(item))
        if os.path.isdir(path):
            yield from _walk_folder(path, report, follow_links)
        else:
            yield path, printable(os.path.basename(path))


def _walk_folder(folder: str, report: Report, follow_links: bool = False) -> Iterator[tuple[str, str]]:
    """The files under `folder`, sorted by relative path, with ids "<folder name>/<relative path>".

    Symlinked folders are followed (inside `folder` only, unless `follow_links`), but each real
    folder is entered once, which ends symlink loops.
    """
    label = os.path.basename(os.path.abspath(folder))
    found: list[tuple[str, str]] = []
    entered: set[tuple[int, int]] = set()
    root = os.path.realpath(folder)

    def folder_error(error: OSError) -> None:
        report(BadSource(printable(error.filename or folder), f"cannot open folder ({reason(error)})"))

    def stays_inside(path: str) -> bool:
        if follow_links or not os.path.islink(path):
            return True
        target = os.path.realpath(path)
        if target == root or target.startswith(root.rstrip(os.sep) + os.sep):
            return True
        report(BadSource(printable(path), "a link out of the folder, not followed (--follow-links follows it)"))
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
        yield path, printable(f"{label}/{relative}" if label else relative)


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

