"""Reading in processes (kg.extract.parallel): the same results as in one process, whatever befalls a process."""

from __future__ import annotations

import dataclasses
import os

import pytest

from kg.config import DEFAULT_CONFIG
from kg.extract.parallel import chunked, read_in_processes
from kg.extract.relations import Extractor
from kg.forked import usable_cores
from kg.ingest import iter_documents
from kg.model import Document, DocumentExtraction

from .conftest import EXAMPLE_CORPUS

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the processes are forked")


@pytest.fixture(scope="module")
def documents():
    return list(iter_documents([EXAMPLE_CORPUS]))


def reader(extractor, processes: int, chunk_words: int = 300) -> Extractor:
    config = dataclasses.replace(DEFAULT_CONFIG, processes=processes, chunk_words=chunk_words)
    return Extractor(config, nlp=extractor.nlp)


def read(chunks, read_chunk, processes=2):
    return [(document.id, outcome) for document, outcome in read_in_processes(chunks, read_chunk, processes)]


@pytest.mark.skipif(usable_cores() < 2, reason="needs two cores")
def test_two_processes_read_every_document_as_one_does(extractor, documents, monkeypatch):
    from kg.extract import relations

    alone = list(reader(extractor, processes=1).extract(documents))
    assert len(alone) == len(documents) > 5
    used = []
    monkeypatch.setattr(relations, "read_in_processes",
                        lambda chunks, read_chunk, processes: used.append(processes) or read_in_processes(
                            chunks, read_chunk, processes))
    two = reader(extractor, processes=2)
    assert len(list(chunked(documents, two.config.chunk_words))) > 2
    assert list(two.extract(documents)) == alone
    assert used == [2]


def test_a_process_that_dies_leaves_its_chunk_to_this_one(extractor, documents):
    parent = os.getpid()
    third = documents[2].id
    one = reader(extractor, processes=1)

    def dies_on_the_third(chunk):
        if os.getpid() != parent and any(d.id == third for d in chunk):
            os._exit(9)  # as the out-of-memory killer would end it
        return one._read_chunk(chunk)

    alone = read([documents], one._read_chunk, processes=1)
    chunks = [documents[i:i + 2] for i in range(0, len(documents), 2)]
    assert read(chunks, dies_on_the_third) == alone


def test_a_chunk_that_fails_as_a_whole_is_read_here_one_document_at_a_time(extractor, documents):
    one = reader(extractor, processes=1)
    parent = os.getpid()

    def fails_in_a_process(chunk):
        if os.getpid() != parent and len(chunk) > 1:
            raise MemoryError("as spaCy might, for the whole batch")
        return one._read_chunk(chunk)

    chunks = [documents[i:i + 3] for i in range(0, len(documents), 3)]
    assert read(chunks, fails_in_a_process) == read(chunks, one._read_chunk, processes=1)


@pytest.mark.parametrize("processes", [1, 2])
def test_a_document_the_rules_fail_on_is_reported_and_the_rest_are_read(extractor, documents, monkeypatch,
                                                                         processes):
    from kg.extract import relations

    real = relations.extract_document

    def fails_on_the_second(doc, document, *args):
        if document.id == documents[1].id:
            raise ValueError("a rule tripped")
        return real(doc, document, *args)

    monkeypatch.setattr(relations, "extract_document", fails_on_the_second)
    failures = []
    read_ids = [e.document.id for e in reader(extractor, processes).extract(documents, on_error=failures.append)]
    assert read_ids == [d.id for i, d in enumerate(documents) if i != 1]
    assert [f.source for f in failures] == [documents[1].id]
    assert "extraction failed (ValueError: a rule tripped)" in str(failures[0])


def test_one_chunk_is_read_here_without_a_process(extractor, documents, monkeypatch):
    from kg.extract import relations

    def no_processes(*args):
        raise AssertionError("one chunk needs no process")

    monkeypatch.setattr(relations, "read_in_processes", no_processes)
    many = reader(extractor, processes=2, chunk_words=10**9)
    assert all(isinstance(e, DocumentExtraction) for e in many.extract(documents))


def test_chunks_keep_the_documents_order_and_hold_at_least_the_words_asked():
    docs = [Document(f"{i}.txt", f"{i}.txt", "one two three " * (i % 4 + 1)) for i in range(20)]
    chunks = list(chunked(docs, 10))
    assert [d for chunk in chunks for d in chunk] == docs
    assert all(sum(len(d.text.split()) for d in chunk) >= 10 for chunk in chunks[:-1])


KILLED_PARENT = """
import os, sys, time
from kg.extract.parallel import read_in_processes
from kg.model import Document

marker = sys.argv[1]

def slow(chunk):
    with open(marker, "w") as out:
        out.write(str(os.getpid()))
    time.sleep(60)

chunks = [[Document(f"d{i}.txt", f"d{i}.txt", "Rockets hit the base.")] for i in range(3)]
for _ in read_in_processes(chunks, slow, 2):
    pass
"""


def test_a_process_ends_with_the_build_that_forked_it_even_when_that_is_killed(tmp_path):
    """A build killed outright (SIGKILL, the out-of-memory killer) leaves no process waiting for work."""
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
        assert not _alive(worker), "the reading process outlived its build"
    finally:
        build.kill()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split()[2] != "Z"  # a zombie has ended; only its parent's wait remains
    except OSError:
        return False
