"""Raw text -> a Document: scraped text cleaned into paragraphs, with its title and publication date.

    clean_text(text)          scraped text -> paragraphs without furniture, quoted repeats or odd characters
    document_from_text(text)  one Document from a raw string, cleaned exactly as a file's text is
"""

from __future__ import annotations

from kg.ingest.characters import normalise_characters, one_line
from kg.ingest.dates import find_date, iso_day
from kg.ingest.furniture import furniture
from kg.ingest.paragraphs import paragraphs
from kg.ingest.repeats import drop_repeats
from kg.model import Document
from kg.titles import headline

__all__ = ["clean_text", "document_from_text"]


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
        title=one_line(title) or headline(cleaned),
        date=(iso_day(date) if date else None) or find_date(cleaned),
        url=one_line(url),
    )


def clean_text(text: str) -> str:
    """Scraped text as clean paragraphs, separated by blank lines.

    Drops page furniture (forum buttons, reaction counters, banners, view counters, photo credits,
    bylines, stamps, lone times and numbers; the patterns are ontology/furniture.toml), forum quote
    headers and the quoted text after them that repeats earlier text, and any paragraph that repeats
    an earlier one. Normalises odd whitespace and removes control and invisible characters (keeping
    newlines).

    >>> clean_text("Three rockets fell.\\r\\n  \\u2022 Thanks 2\\nLink to comment\\n\\n\\n\\nThree rockets fell.")
    'Three rockets fell.'
    """
    lines = normalise_characters(text).split("\n")
    return "\n\n".join(drop_repeats(paragraphs(lines, furniture())))
