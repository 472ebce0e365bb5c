"""Property tests: random hostile text through ingest -> extract -> resolve -> RDF never crashes,
and every graph it makes passes the SHACL shapes and loads into the store.

The text mixes Arabic script and direction marks, emoji, control characters, 500-character
tokens and unbalanced quotes with real actor names and relation cues from ontology/, so the
relation extractors fire on most examples rather than on none.
"""

from __future__ import annotations

import json
import os
import string

import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.config import DEFAULT_CONFIG
from kg.ingest import document_from_text
from kg.rdf import graph_to_quads
from kg.resolve.aliases import resolve
from kg.stores import open_store
from kg.validate import validate_graph

# 40 examples a property keeps CI quick; KG_FUZZ_EXAMPLES=2000 runs a long hunt.
FUZZ = settings(max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "40")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])


def _actor_names() -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    with open(DEFAULT_CONFIG.actors_path, encoding="utf-8") as lines:
        for line in lines:
            actor = json.loads(line)
            names.setdefault(actor["type"], []).extend([actor["name"], *actor.get("aliases", [])[:3]])
    return names


ACTORS = _actor_names()
MILITIAS = st.sampled_from(ACTORS["Militia"])
STATES = st.sampled_from(ACTORS["State"])
BASES = st.sampled_from(ACTORS["Base"])
OFFICIALS = st.sampled_from(ACTORS["Official"])

# Sentences the extractors read as relations, with actor names spliced in.
RELATIONS = st.one_of(
    st.builds("{} claimed the rocket attack on {} on July 8, 2021.".format, MILITIAS, BASES),
    st.builds("{} attacked {} with drones.".format, MILITIAS, BASES),
    st.builds("{} is backed by {}, officials said.".format, MILITIAS, STATES),
    st.builds("{} condemned the attack by {}.".format, STATES, MILITIAS),
    st.builds("{}, the leader of {}, spoke on Friday.".format, OFFICIALS, MILITIAS),
    st.builds("{} is in {}.".format, BASES, STATES),
)
ARABIC = st.sampled_from([
    "كتائب حزب الله", "عصائب أهل الحق", "الحشد الشعبي", "هجوم صاروخي على قاعدة عين الأسد",
    "قال مسؤولون", "٨ يوليو ٢٠٢١", "«بيان»", "ﷺ", "لا", "\u0600\u0601\u06dd",
])
DIRECTION = st.sampled_from(["\u200e", "\u200f", "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",
                             "\u2066", "\u2067", "\u2068", "\u2069"])
EMOJI = st.sampled_from(["🚀", "💥", "🇮🇶", "🇮🇷", "👍🏽", "👨‍👩‍👧‍👦", "🏳️‍🌈", "\U0001f9ea", "☠️", "\ufe0f", "🕌"])
CONTROL = st.sampled_from([*map(chr, range(0x20)), "\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b", "\ud800"])
LONG_TOKEN = st.one_of(
    st.text(alphabet=string.ascii_letters, min_size=500, max_size=500),
    st.builds(lambda name: (name.replace(" ", "-") + "-") * 25, MILITIAS).map(lambda s: s[:500]),
    st.just("ك" * 500),
    st.just("https://example.org/" + "a/" * 240),
)
QUOTES = st.text(alphabet="\"'“”‘’«»‹›„()[]{}<>`", min_size=1, max_size=6)
NOISE = st.text(max_size=40)
SEPARATORS = st.sampled_from([" ", "  ", "\n", "\n\n", ". ", "\r\n", "\t", ""])

PIECES = st.one_of(RELATIONS, RELATIONS, MILITIAS, ARABIC, DIRECTION, EMOJI, CONTROL, LONG_TOKEN, QUOTES, NOISE)


@st.composite
def hostile_texts(draw) -> str:
    pieces = draw(st.lists(st.tuples(PIECES, SEPARATORS), min_size=1, max_size=14))
    return "".join(piece + separator for piece, separator in pieces)


@st.composite
def hostile_documents(draw):
    return document_from_text(
        draw(hostile_texts()),
        id=draw(st.one_of(st.just("fuzz.txt"), st.text(min_size=1, max_size=30))),
        title=draw(st.one_of(st.just(""), NOISE, ARABIC, QUOTES)),
        date=draw(st.one_of(st.none(), st.just("July 8, 2021"), NOISE)),
        url=draw(st.one_of(st.just(""), st.just("javascript:alert(1)"), NOISE)),
    )


def _pipeline(extractor, document):
    """One document through extract, resolve and RDF; the quads and the extraction."""
    extraction = next(extractor.extract([document]))
    graph = resolve([extraction], extractor.actors, DEFAULT_CONFIG.fuzzy_threshold)
    return list(graph_to_quads(graph)), extraction, graph


def _check_graph(quads) -> None:
    data = rdflib.Graph()
    for s, p, o, _ in quads:
        data.add((s, p, o))
    result = validate_graph(data)
    assert result.conforms, result.report
    store = open_store()
    store.load(quads)  # every IRI and literal is one Oxigraph accepts
    assert len(store) == len(set(quads))


@FUZZ
@given(document=hostile_documents())
def test_fuzz_hostile_text_makes_a_valid_graph(extractor, document):
    quads, extraction, graph = _pipeline(extractor, document)

    for relation in extraction.relations:
        evidence = relation.evidence
        assert 0 <= evidence.start <= evidence.end <= len(document.text)
        assert evidence.sentence == document.text[evidence.start:evidence.end].strip()
    for mention in extraction.mentions:  # mention.text may be the dictionary's spelling, so only the span
        assert 0 <= mention.start < mention.end <= len(document.text)
    for entity in graph.entities.values():
        assert entity.name.strip() and entity.id
    _check_graph(quads)


@FUZZ
@given(text=hostile_texts())
def test_fuzz_relations_still_fire_through_the_noise(extractor, text):
    """A clean claim sentence between two hostile paragraphs is still read."""
    document = document_from_text(
        f"{text}\n\nKataib Hezbollah claimed the rocket attack on Ain al-Asad.\n\n{text}", id="fuzz.txt")
    quads, extraction, _ = _pipeline(extractor, document)

    assert any(r.predicate == "claimed" for r in extraction.relations)
    _check_graph(quads)


@pytest.mark.parametrize("text", [
    "\u202eKataib Hezbollah\u202c claimed the attack on Ain al-Asad.",
    "Kataib\u200bHezbollah claimed the attack on Ain al-Asad.",
    "\"Kataib Hezbollah claimed the attack on Ain al-Asad.",
    "Kataib Hezbollah claimed the attack on Ain al-Asad 🚀🚀🚀 " + "x" * 5000,
    "كتائب حزب الله Kataib Hezbollah claimed the attack on Ain al-Asad.",
    "\x00" * 100 + "Kataib Hezbollah claimed the attack on Ain al-Asad.",
])
def test_fuzz_known_hard_cases(extractor, text):
    quads, _, _ = _pipeline(extractor, document_from_text(text, id="hard.txt"))
    _check_graph(quads)


def test_a_paragraph_may_start_with_a_two_word_name(extractor):
    """Found by the property above: a forced start after a line break let the parser split "Kataib | Hezbollah"."""
    document = document_from_text(
        "Rockets hit Iraqi base\n\nKataib Hezbollah claimed the rocket attack on Ain al-Asad.", id="headline.txt")
    _, extraction, _ = _pipeline(extractor, document)

    assert any(r.predicate == "claimed" for r in extraction.relations)


# ------------------------------------------------------------------ the raw readers: bytes in files

RAW_FUZZ = settings(max_examples=int(os.environ.get("KG_FUZZ_EXAMPLES", "60")), deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
ENCODINGS = st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1252", "cp1256"])
HTML_TAGS = st.sampled_from(["div", "p", "span", "article", "header", "pre", "table", "td", "li", "script",
                             "style", "b", "nav", "br", "h1", "title", "meta", "time"])


@st.composite
def html_pages(draw) -> str:
    """Random tags, often unclosed or misnested, around hostile text and real relation sentences."""
    parts = []
    for _ in range(draw(st.integers(0, 30))):
        tag = draw(HTML_TAGS)
        kind = draw(st.sampled_from(["open", "close", "text", "attrs", "deep"]))
        if kind == "open":
            parts.append(f"<{tag}>")
        elif kind == "close":
            parts.append(f"</{tag}>")
        elif kind == "attrs":
            parts.append(f'<{tag} class="{draw(QUOTES)}credit" datetime="{draw(NOISE)}">')
        elif kind == "deep":
            depth = draw(st.integers(1, 1200))
            parts.append(f"<{tag}>" * depth + draw(hostile_texts()) + f"</{tag}>" * draw(st.integers(0, depth)))
        else:
            parts.append(draw(hostile_texts()))
    return "".join(parts)


@st.composite
def markdown_pages(draw) -> str:
    front = draw(st.one_of(st.just(""), st.builds("---\ntitle: {}\ndate: {}\n---\n".format, NOISE, NOISE)))
    lines = draw(st.lists(st.tuples(st.sampled_from(["", "# ", "## ", "> ", "- ", "1. ", "    ", "```\n"]),
                                    hostile_texts()), max_size=10))
    return front + "\n".join(prefix + text for prefix, text in lines)


@st.composite
def jsonl_pages(draw) -> str:
    records = []
    for _ in range(draw(st.integers(0, 6))):
        record = {key: draw(st.one_of(hostile_texts(), st.integers(), st.none(), st.lists(NOISE, max_size=2)))
                  for key in draw(st.lists(st.sampled_from(["id", "title", "url", "date", "source", "text"]),
                                           unique=True, max_size=6))}
        line = json.dumps(record, ensure_ascii=draw(st.booleans()))
        records.append(line[: draw(st.integers(0, len(line)))] if draw(st.booleans()) else line)
    return "\n".join(records)


def _read_raw(path, data: bytes):
    """The reader on raw bytes: documents, or BadSource problems; never anything else."""
    from kg.errors import BadSource
    from kg.ingest import iter_documents

    path.write_bytes(data)
    problems: list[BadSource] = []
    documents = list(iter_documents([path], on_error=problems.append))
    for document in documents:
        assert document.text.strip(), "a document without text"
        document.text.encode("utf-8")  # no lone surrogates reach the pipeline
        document.title.encode("utf-8")
        assert "\n" not in document.title
    for problem in problems:
        assert "\n" not in str(problem)
        str(problem).encode("utf-8")
    return documents, problems


@RAW_FUZZ
@given(data=st.binary(max_size=3000), extension=st.sampled_from([".txt", ".md", ".html", ".jsonl"]))
def test_fuzz_raw_bytes_are_read_or_refused_in_one_line(tmp_path, data, extension):
    _read_raw(tmp_path / f"raw{extension}", data)


@RAW_FUZZ
@given(page=html_pages(), encoding=ENCODINGS)
def test_fuzz_raw_html(tmp_path, page, encoding):
    _read_raw(tmp_path / "page.html", page.encode(encoding, errors="replace"))


@RAW_FUZZ
@given(page=markdown_pages(), encoding=ENCODINGS)
def test_fuzz_raw_markdown(tmp_path, page, encoding):
    _read_raw(tmp_path / "page.md", page.encode(encoding, errors="replace"))


@RAW_FUZZ
@given(page=jsonl_pages(), encoding=ENCODINGS)
def test_fuzz_raw_jsonl(tmp_path, page, encoding):
    _read_raw(tmp_path / "wire.jsonl", page.encode(encoding, errors="replace"))
