"""Extraction on Dask workers gives the graph a single process gives."""

from __future__ import annotations

import pytest

from kg.build import build_graph
from kg.errors import KGError
from tests.conftest import EXAMPLE_CORPUS

distributed = pytest.importorskip("distributed")

from kg.distributed import DaskExtractor, extract_batch, parse_local  # noqa: E402


def test_local_cluster_builds_the_same_graph(example_build, tmp_path):
    single, _ = example_build
    report = build_graph([EXAMPLE_CORPUS], tmp_path / "dask", extractor=DaskExtractor("local:2", batch_size=3))
    assert report.read == 9 and report.errors == []
    lines = lambda path: sorted(path.read_text(encoding="utf-8").splitlines())  # noqa: E731
    assert lines(tmp_path / "dask" / "graph.nq") == lines(single / "graph.nq")


def poisoned(documents, config):
    """A worker task that fails on one document, as a bug or a dying worker would."""
    if any("poison" in d.id for d in documents):
        raise RuntimeError("worker lost")
    return extract_batch(documents, config)


def test_a_document_that_fails_twice_is_reported_not_lost(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "good.txt").write_text("Kataib Hezbollah claimed the attack on the Ain al-Asad air base.")
    (tmp_path / "in" / "poison.txt").write_text("Any text at all.")
    errors = []
    with distributed.LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster:
        extractor = DaskExtractor(cluster.scheduler_address, task=poisoned)
        report = build_graph([tmp_path / "in"], tmp_path / "out", extractor=extractor, on_error=errors.append)
    assert [e.source for e in errors] == ["in/poison.txt"]
    assert "failed twice" in errors[0].problem
    assert report.documents == 1


@pytest.mark.parametrize("address", ["local:0", "local:x", "local:"])
def test_bad_local_worker_counts_say_what_to_write(address):
    with pytest.raises(KGError, match="local:2"):
        parse_local(address)


def test_an_unreachable_scheduler_is_one_clear_error(tmp_path):
    extractor = DaskExtractor("tcp://127.0.0.1:9", batch_size=1)
    with pytest.raises(KGError, match="cannot reach the Dask scheduler"):
        build_graph([EXAMPLE_CORPUS / "wire.jsonl"], tmp_path / "out", extractor=extractor)
