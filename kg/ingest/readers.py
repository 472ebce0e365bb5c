"""Readers of text files: .txt, .md, .html and .jsonl text -> Documents, each cleaned by kg.ingest.clean.

    READERS                          file extension -> reader(text, doc_id, source, report) -> [Document]
    read_txt, read_markdown, read_html, read_jsonl   the readers themselves
    with_text(document, source)      the document, or BadSource when cleaning left no text

A reader gets the decoded text of a file; `report` takes a BadSource for one bad part (a malformed
.jsonl line) so that the rest of the file is still read. PDF and Word files are read by kg.office.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from kg.errors import BadSource
from kg.ingest.characters import normalise_characters, one_line, printable
from kg.ingest.clean import document_from_text
from kg.ingest.markdown import first_heading, markdown_to_text, split_front_matter
from kg.model import Document

__all__ = ["READERS", "Report", "read_html", "read_jsonl", "read_markdown", "read_txt", "with_text"]

Report = Callable[[BadSource], None]


def read_txt(text: str, doc_id: str, source: str, report: Report) -> list[Document]:
    return [with_text(document_from_text(text, id=doc_id, source=source), source)]


def with_text(document: Document, source: str) -> Document:
    if not document.text:
        raise BadSource(printable(source), "no text left after removing page furniture")
    return document


def read_markdown(text: str, doc_id: str, source: str, report: Report) -> list[Document]:
    meta, body = split_front_matter(normalise_characters(text))
    title = meta.get("title") or first_heading(body)
    document = document_from_text(
        markdown_to_text(body), id=doc_id, source=source, title=title, date=meta.get("date"), url=meta.get("url", "")
    )
    return [with_text(document, source)]


def read_html(text: str, doc_id: str, source: str, report: Report) -> list[Document]:
    from kg.ingest.html import read_page  # BeautifulSoup loads only when a page is read (0.2 s)

    page = read_page(text)
    document = document_from_text(page.text, id=doc_id, source=source, title=page.title, date=page.date, url=page.url)
    return [with_text(document, source)]


def read_jsonl(text: str, doc_id: str, source: str, report: Report) -> list[Document]:
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
    where = f"{printable(source)}:{number}"
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
        id=f"{file_id}#{printable(_field(record, 'id')) or number}",
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
    return one_line(str(value)) if isinstance(value, (str, int, float)) else ""


READERS: dict[str, Callable[[str, str, str, Report], list[Document]]] = {
    ".htm": read_html,
    ".html": read_html,
    ".jsonl": read_jsonl,
    ".md": read_markdown,
    ".txt": read_txt,
}
