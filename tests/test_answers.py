"""kg.stores.answers: answers written by Oxigraph's own writers, in every format, cut exactly at the row limit."""

from __future__ import annotations

import csv
import io
import json
import threading
import xml.etree.ElementTree as ET

import pyoxigraph as ox
import pytest

from kg.stores.answers import _write, write_answer
from kg.stores.oxigraph import open_store

# Values that look like the marks the writer counts: a JSON row break, an XML row, CSV and TSV line ends.
TRICKY = ['},{', '"},{"x":{', "<result>", "a\r\nb", "line\nbreak", "tab\there", 'quote " and, comma', "é 中文 \\"]
SELECT = "SELECT ?s ?v WHERE { GRAPH ?g { ?s <urn:p> ?v } } ORDER BY ?s"
FORMATS = ["application/sparql-results+json", "application/sparql-results+xml", "text/csv",
           "text/tab-separated-values"]
GRAPH_FORMATS = [("text/turtle", ox.RdfFormat.TURTLE), ("application/n-triples", ox.RdfFormat.N_TRIPLES),
                 ("application/ld+json", ox.RdfFormat.JSON_LD), ("application/rdf+xml", ox.RdfFormat.RDF_XML)]


def store_of(values: list[str]) -> ox.Store:
    store = ox.Store()
    store.extend(ox.Quad(ox.NamedNode(f"urn:s{i:05d}"), ox.NamedNode("urn:p"), ox.Literal(value), ox.NamedNode("urn:g"))
                 for i, value in enumerate(values))
    return store


def values_of(body: bytes, accept: str) -> list[str]:
    """The ?v column of a written answer, parsed with the standard library (not with Oxigraph)."""
    text = body.decode("utf-8")
    if accept.endswith("json"):
        return [row["v"]["value"] for row in json.loads(text)["results"]["bindings"]]
    if accept.endswith("xml"):  # Oxigraph writes a CR as it is, and XML reads CR LF as LF
        ns = {"r": "http://www.w3.org/2005/sparql-results#"}
        found = ET.fromstring(body.replace(b"\r", b"&#13;")).iterfind(".//r:binding[@name='v']/r:literal", ns)
        return [el.text or "" for el in found]
    if accept == "text/csv":
        return [row["v"] for row in csv.DictReader(io.StringIO(text, newline=""))]
    return [json.loads(line.split("\t")[1]) for line in text.split("\n")[1:-1]]  # N-Triples strings are JSON-like


class Runs:
    """`run` for write_answer, counting how often the query is evaluated."""

    def __init__(self, store: ox.Store, query: str):
        self.store, self.query, self.count = store, query, 0

    def __call__(self):
        self.count += 1
        return self.store.query(self.query, use_default_graph_as_union=True)


@pytest.mark.parametrize("accept", FORMATS)
@pytest.mark.parametrize("max_rows", [None, 0, 1, 23, 24, 25, 100])
def test_answer_cut_exactly_at_the_limit(accept, max_rows):
    values = TRICKY * 3  # 24 rows
    answer = write_answer(Runs(store_of(values), SELECT), accept, max_rows, threading.Event())
    expected = values if max_rows is None else values[:max_rows]
    assert values_of(answer.body, accept) == expected
    assert answer.truncated == (max_rows is not None and len(values) > max_rows)


@pytest.mark.parametrize("accept", FORMATS)
def test_big_answer_cut_across_the_writers_chunks(accept):
    values = [f"row {i} " + "x" * (i % 50) + TRICKY[i % len(TRICKY)] for i in range(3000)]  # about 200 kB
    runs = Runs(store_of(values), SELECT)
    answer = write_answer(runs, accept, 2345, threading.Event())
    assert values_of(answer.body, accept) == values[:2345] and answer.truncated
    assert runs.count == (1 if accept == "text/tab-separated-values" else 2)


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "application/sparql-results+xml"])
def test_answer_under_the_limit_is_evaluated_once(accept):
    runs = Runs(store_of([f"plain {i}" for i in range(50)]), SELECT)
    answer = write_answer(runs, accept, 50, threading.Event())
    assert len(values_of(answer.body, accept)) == 50 and not answer.truncated
    assert runs.count == 1


def test_values_that_look_like_row_marks_cost_a_second_evaluation_not_a_wrong_answer():
    values = ["},{" * 20] * 5  # 5 rows, but 100 JSON row marks inside the values
    runs = Runs(store_of(values), SELECT)
    answer = write_answer(runs, "application/sparql-results+json", 10, threading.Event())
    assert values_of(answer.body, "application/sparql-results+json") == values and not answer.truncated
    assert runs.count == 2


@pytest.mark.parametrize("accept,syntax", GRAPH_FORMATS)
def test_graph_answer_cut_at_the_limit(accept, syntax):
    store = store_of(TRICKY)
    query = "CONSTRUCT { ?s <urn:p> ?v } WHERE { GRAPH ?g { ?s <urn:p> ?v } }"
    full = write_answer(Runs(store, query), accept, None, threading.Event())
    assert {t.object.value for t in ox.parse(full.body, syntax)} == set(TRICKY) and not full.truncated
    cut = write_answer(Runs(store, query), accept, 3, threading.Event())
    assert len(list(ox.parse(cut.body, syntax))) == 3 and cut.truncated


@pytest.mark.parametrize("accept", FORMATS)
def test_ask_in_every_format(accept):
    store = store_of(["x"])
    answer = write_answer(Runs(store, "ASK { GRAPH ?g { ?s ?p ?o } }"), accept, 0, threading.Event())
    assert b"true" in answer.body and not answer.truncated


def test_a_mark_split_between_two_chunks_is_counted():
    class Chunks:  # stands in for Oxigraph's serialiser, writing these chunks
        def __init__(self, chunks):
            self.chunks = chunks

        def serialize(self, out, format):
            for chunk in self.chunks:
                out.write(chunk)

    split = [b'{"head":{},"results":{"bindings":[{"a":1}', b",", b'{"a":2}', b"]}}"]
    assert _write(Chunks(split), ox.QueryResultsFormat.JSON, 1, threading.Event()).over
    assert not _write(Chunks(split), ox.QueryResultsFormat.JSON, 2, threading.Event()).over
    lines = _write(Chunks([b"?a\n1\n2", b"\n3\n"]), ox.QueryResultsFormat.TSV, 2, threading.Event())
    assert lines.over and lines.value() == b"?a\n1\n2\n"


def test_cancelled_writing_stops_early():
    cancel = threading.Event()
    cancel.set()
    runs = Runs(store_of([f"row {i} " + "y" * 100 for i in range(5000)]), SELECT)
    answer = write_answer(runs, "text/tab-separated-values", None, cancel)
    assert 0 < len(answer.body) < 100_000  # the first chunk, not the half megabyte


def test_store_answers_match_the_python_writers():
    """The embedded store's served answer (Oxigraph's writers) says what `execute` (terms) says."""
    store = open_store()
    store._store.extend(store_of(TRICKY))  # noqa: SLF001 (the raw store, to hold these exact values)
    answer = store.execute(SELECT)
    for accept in FORMATS:
        body = store.sparql_raw(SELECT, accept=accept).body
        assert values_of(body, accept) == [str(row["v"]) for row in answer.rows], accept
