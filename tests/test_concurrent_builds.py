"""Two writers on one build folder: concurrent appends keep both corpora; a busy folder is told in one line.

The appends run in two real processes released together by a barrier, twenty times, with
an extractor that needs no model (it names one militia per document), so the race is
the build's own: manifest, cache, store snapshot and exports.
"""

from __future__ import annotations

import json
import multiprocessing
import shutil
import threading
import time
from pathlib import Path

import pytest

from kg.build import build_graph, remove_documents, writer_lock
from kg.errors import StoreError
from kg.model import DocumentExtraction, Mention
from kg.stores import open_build

TRIALS = 20


class NamesExtractor:
    """Each document's first word is a militia: enough to tell which documents a build holds."""

    def extract(self, documents, on_error=None):
        for document in documents:
            name = document.text.split()[0]
            yield DocumentExtraction(document, mentions=[Mention(name, "Militia", 0, len(name), document.id)])


def write_corpus(folder: Path, name: str) -> Path:
    folder.mkdir(parents=True)
    (folder / f"{name.lower()}.txt").write_text(f"{name} Brigade fired rockets at the base.\n", encoding="utf-8")
    return folder


def _append_each(builds: list[str], corpus: str, barrier, errors) -> None:
    for build in builds:
        barrier.wait(60)
        try:
            build_graph([corpus], build, append=True, extractor=NamesExtractor())
        except Exception as error:  # noqa: BLE001 (reported to the test)
            errors.put(f"{type(error).__name__}: {error}")


def labels(build: Path) -> set[str]:
    return {row["l"] for row in open_build(build).sparql("SELECT ?l WHERE { ?e a kg:Militia ; rdfs:label ?l }")}


@pytest.fixture(scope="module")
def base(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("concurrent")
    build = root / "base"
    build_graph([write_corpus(root / "corpus-base", "Gamma")], build, extractor=NamesExtractor())
    return build


def test_two_concurrent_appends_keep_both_corpora(base, tmp_path):
    alpha, beta = write_corpus(tmp_path / "alpha", "Alpha"), write_corpus(tmp_path / "beta", "Beta")
    builds = [shutil.copytree(base, tmp_path / f"build-{i}", symlinks=True) for i in range(TRIALS)]
    context = multiprocessing.get_context("spawn")
    barrier, errors = context.Barrier(2), context.Queue()
    workers = [context.Process(target=_append_each, args=([str(b) for b in builds], str(corpus), barrier, errors))
               for corpus in (alpha, beta)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(600)
        assert worker.exitcode == 0
    problems = []
    while not errors.empty():
        problems.append(errors.get())
    assert problems == []
    for build in builds:
        manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))["documents"]
        assert sorted(manifest) == ["alpha/alpha.txt", "beta/beta.txt", "corpus-base/gamma.txt"], build
        assert labels(build) == {"Alpha", "Beta", "Gamma"}, build
        nquads = (build / "graph.nq").read_text(encoding="utf-8")
        assert "alpha.txt" in nquads and "beta.txt" in nquads, "graph.nq is out of step with the store"
        assert not list(build.glob(".*.tmp")), "a temporary file was left behind"


def test_a_busy_folder_without_waiting_is_one_clear_line(base, tmp_path):
    build = shutil.copytree(base, tmp_path / "build", symlinks=True)
    corpus = write_corpus(tmp_path / "alpha", "Alpha")
    with writer_lock(build):
        with pytest.raises(StoreError, match=r"^another build is writing .*build; try again when it ends$"):
            build_graph([corpus], build, append=True, extractor=NamesExtractor(), wait=False)
        with pytest.raises(StoreError, match="another build is writing"):
            remove_documents(build, ["corpus-base/gamma.txt"], wait=False)
    assert sorted(json.loads((build / "manifest.json").read_text())["documents"]) == ["corpus-base/gamma.txt"]


def test_a_second_writer_waits_for_the_first(base, tmp_path):
    build = shutil.copytree(base, tmp_path / "build", symlinks=True)
    corpus = write_corpus(tmp_path / "alpha", "Alpha")
    told = threading.Event()
    done = []
    with writer_lock(build):
        second = threading.Thread(target=lambda: done.append(build_graph(
            [corpus], build, append=True, extractor=NamesExtractor(), on_wait=told.set)))
        second.start()
        assert told.wait(30), "the waiting build said nothing"
        time.sleep(0.2)
        assert not done, "the second writer did not wait"
    second.join(60)
    assert done and done[0].documents == 2
