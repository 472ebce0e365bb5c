"""Extraction's work grows with the text, not with its square: a report read 4 times over costs about
4 times the work of one reading. Work is counted (Python lines executed inside extract_document,
after spaCy has parsed the text), never timed, so a busy machine cannot make this test flaky."""

from __future__ import annotations

import sys

import pytest

from kg.extract.relations import extract_document
from kg.model import Document

PARAGRAPH = (
    "Rockets struck the Ain al-Asad air base in Anbar on Tuesday, officials said. "
    "Kataib Hezbollah, an Iran-backed militia led by Abu Fadak, claimed the attack. "
    "The United States condemned the strike and said two contractors were wounded. "
    "A drone later hit a convoy near Erbil, and nobody claimed responsibility. "
    "Iraqi Prime Minister Mustafa al-Kadhimi ordered an investigation into the attacks. "
)


def lines_executed(function, *args) -> int:
    count = 0

    def trace(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return trace

    sys.settrace(trace)
    try:
        function(*args)
    finally:
        sys.settrace(None)
    return count


def work(extractor, repeats: int, separator: str) -> int:
    text = separator.join([PARAGRAPH] * repeats)
    document = Document("linear.txt", "linear.txt", text, date="2021-07-08")
    doc = extractor.nlp(text)
    return lines_executed(extract_document, doc, document, extractor.lexicon, extractor.actors,
                          extractor.config.coreference_window)


@pytest.mark.parametrize("separator", [" ", "\n\n"], ids=["one paragraph", "many paragraphs"])
def test_extraction_work_grows_linearly(extractor, separator):
    once, four_times = work(extractor, 10, separator), work(extractor, 40, separator)
    assert once > 1000  # the count sees the extractors' work
    # Linear work gives 4x; the old per-sentence scan of every mention gave 5.0x here.
    assert four_times / once < 4.5, f"{once} -> {four_times} lines: {four_times / once:.1f}x for 4x the text"
