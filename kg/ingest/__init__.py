"""Files or text -> Document: read .txt, .md, .html, .jsonl, .pdf and .docx, and strip page furniture.

    iter_documents(inputs)     every document under some files and folders; bad files reported and skipped
    read_file(path)            the documents of one file; raises BadSource
    document_from_text(text)   one Document from a raw string, cleaned exactly as a file's text is
    clean_text(text)           scraped text -> paragraphs without furniture, quoted repeats or odd characters
    find_date(text)            the first date near the top of a text, as "YYYY-MM-DD"

`Document.text` is the cleaned text, and later stages compute their offsets on it: cleaning builds new
text and keeps no map back to the raw file.

The modules, in the order a file goes through them:

    folders      files and folders -> files to read, in order, each once; ids kept unique
    files        one file: checked, read, and handed to the reader of its type
    decoding     bytes -> text (byte-order marks, UTF-16 without one, detected encodings)
    readers      .txt, .md, .html, .jsonl text -> Documents (PDF and Word: kg.office)
    markdown     Markdown -> plain paragraphs and front matter
    html         an HTML page -> its article text and metadata, page chrome dropped
    clean        raw text -> cleaned text -> Document (title and date found)
    characters   line breaks, odd spaces and invisible characters normalised
    paragraphs   lines -> paragraphs, page furniture dropped
    furniture    the furniture patterns, data in ontology/furniture.toml, compiled once
    repeats      repeated paragraphs and quoted text dropped
    dates        publication dates (month names: kg.months)
"""

from kg.ingest.clean import clean_text, document_from_text
from kg.ingest.dates import find_date
from kg.ingest.files import DEFAULT_MAX_BYTES, read_file
from kg.ingest.folders import iter_documents

__all__ = ["DEFAULT_MAX_BYTES", "clean_text", "document_from_text", "find_date", "iter_documents", "read_file"]
