"""Extraction beside spaCy (kg.extract.beside): the same results as in one process, whatever befalls the worker."""

from __future__ import annotations

import dataclasses
import os

import pytest

from kg.config import DEFAULT_CONFIG
from kg.extract.beside import extract_all
from kg.ingest import iter_documents
from kg.model import DocumentExtraction

from .conftest import EXAMPLE_CORPUS

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the worker is forked")


@pytest.fixture(scope="module")
def parsed(extractor):
    documents = list(iter_documents([EXAMPLE_CORPUS]))
    return list(zip(documents, extractor.nlp.pipe(d.text for d in documents)))


def read(parsed, extract, vocab, beside):
    return [(document.id, outcome) for document, outcome in extract_all(parsed, extract, vocab, beside=beside)]


def test_a_worker_reads_every_document_as_this_process_does(extractor, parsed):
    alone = read(parsed, extractor._extract_one, extractor.nlp.vocab, beside=False)
    assert len(alone) == len(parsed) > 5
    assert all(isinstance(outcome, DocumentExtraction) for _, outcome in alone)
    assert read(parsed, extractor._extract_one, extractor.nlp.vocab, beside=True) == alone


def test_a_worker_that_dies_leaves_its_documents_to_this_process(extractor, parsed):
    parent = os.getpid()
    third = parsed[2][0].id

    def dies_on_the_third(doc, document):
        if os.getpid() != parent and document.id == third:
            os._exit(9)  # as the out-of-memory killer would end it
        return extractor._extract_one(doc, document)

    alone = read(parsed, extractor._extract_one, extractor.nlp.vocab, beside=False)
    assert read(parsed, dies_on_the_third, extractor.nlp.vocab, beside=True) == alone


@pytest.mark.parametrize("beside", [False, True])
def test_a_document_the_rules_fail_on_is_reported_and_the_rest_are_read(extractor, parsed, beside):
    second = parsed[1][0].id

    def fails_on_the_second(doc, document):
        if document.id == second:
            raise ValueError("a rule tripped")
        return extractor._extract_one(doc, document)

    outcomes = dict(read(parsed, fails_on_the_second, extractor.nlp.vocab, beside=beside))
    assert isinstance(outcomes.pop(second), ValueError)
    assert all(isinstance(outcome, DocumentExtraction) for outcome in outcomes.values())
    assert len(outcomes) == len(parsed) - 1


def test_the_extractor_reports_the_failure_as_a_bad_source(extractor, monkeypatch):
    from kg.extract import relations
    from kg.extract.relations import Extractor

    beside = Extractor(dataclasses.replace(DEFAULT_CONFIG, extract_beside=True), nlp=extractor.nlp)
    documents = list(iter_documents([EXAMPLE_CORPUS]))[:4]
    real = relations.extract_document

    def fails_on_the_second(doc, document, *args):
        if document.id == documents[1].id:
            raise ValueError("a rule tripped")
        return real(doc, document, *args)

    monkeypatch.setattr(relations, "extract_document", fails_on_the_second)
    failures = []
    read = [e.document.id for e in beside.extract(documents, on_error=failures.append)]
    assert read == [d.id for i, d in enumerate(documents) if i != 1]
    assert [f.source for f in failures] == [documents[1].id]
    assert "extraction failed (ValueError: a rule tripped)" in str(failures[0])


KILLED_PARENT = """
import os, sys, time
import spacy
from kg.extract.beside import extract_all
from kg.model import Document

nlp = spacy.blank("en")
marker = sys.argv[1]

def slow(doc, document):
    with open(marker, "w") as out:
        out.write(str(os.getpid()))
    time.sleep(60)

parsed = [(Document(f"d{i}.txt", f"d{i}.txt", "Rockets hit the base."), nlp("Rockets hit the base."))
          for i in range(3)]
for _ in extract_all(parsed, slow, nlp.vocab, beside=True):
    pass
"""


def test_a_worker_ends_with_the_build_that_forked_it_even_when_that_is_killed(tmp_path):
    """A build killed outright (SIGKILL, the out-of-memory killer) leaves no worker waiting for work."""
    import signal
    import subprocess
    import sys
    import time

    marker = tmp_path / "worker.pid"
    build = subprocess.Popen([sys.executable, "-c", KILLED_PARENT, str(marker)], cwd=str(EXAMPLE_CORPUS.parents[1]))
    try:
        deadline = time.monotonic() + 60
        while not (marker.exists() and marker.read_text()) and time.monotonic() < deadline:
            time.sleep(0.05)
        worker = int(marker.read_text())
        assert worker != build.pid
        build.send_signal(signal.SIGKILL)
        build.wait()
        deadline = time.monotonic() + 10
        while _alive(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(worker), "the extraction worker outlived its build"
    finally:
        build.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"  # a zombie has ended; only its parent's wait remains
    except OSError:
        return False
