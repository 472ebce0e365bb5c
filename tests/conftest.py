"""Fixtures shared by the whole suite: the English pipeline is loaded once per session."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_CORPUS = REPO / "examples" / "corpus"
SHARED_EVAL = REPO.parent / "shared" / "eval"


@pytest.fixture(scope="session")
def extractor():
    from kg.extract.relations import Extractor

    return Extractor()


@pytest.fixture(scope="session")
def read(extractor):
    """read(text) -> the resolved Graph of one document, as a build would make it."""
    from kg.model import Document
    from kg.resolve.aliases import resolve

    def read(text: str, date: str = "2021-07-08"):
        extraction = next(extractor.extract([Document("test.txt", "test.txt", text, date=date)]))
        return resolve([extraction], extractor.actors)

    return read


def triples(graph, predicate: str | None = None) -> set[tuple[str, str, str]]:
    """A graph's relations as (subject name, predicate, object name)."""
    names = {e.id: e.name for e in graph.entities.values()}
    return {(names[r.subject], r.predicate, names[r.object]) for r in graph.relations
            if predicate is None or r.predicate == predicate}


@pytest.fixture(scope="session")
def example_build(tmp_path_factory, extractor):
    """The example corpus built once, as README command (1) builds it."""
    from kg.build import build_graph

    out = tmp_path_factory.mktemp("builds") / "example"
    report = build_graph([EXAMPLE_CORPUS], out, extractor=extractor)
    return out, report
