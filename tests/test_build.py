"""The whole flow on the example corpus, through the functions `kg build` calls."""

from __future__ import annotations

import json
import shutil

import pytest
import rdflib

from kg.build import build_graph, remove_documents
from kg.held import read_build_graph
from kg.errors import KGError, StoreError
from kg.stores import open_build
from tests.conftest import EXAMPLE_CORPUS


def test_build_writes_every_output(example_build):
    out, report = example_build
    for name in ("graph.ttl", "graph.jsonld", "graph.graphml", "graph.nq", "explorer.html", "manifest.json"):
        assert (out / name).stat().st_size > 0, name
    assert report.documents == 9 and report.errors == []  # 7 files and a .jsonl of two articles
    assert report.entities > 40 and report.relations > 20 and report.attacks > 5


def test_graph_ttl_follows_the_output_contract(example_build):
    out, _ = example_build
    graph = rdflib.Graph().parse(out / "graph.ttl")
    kg = rdflib.Namespace("https://w3id.org/militia-kg/ontology#")
    kh = next(graph.subjects(rdflib.RDFS.label, rdflib.Literal("Kataib Hezbollah")))
    assert (kh, rdflib.RDF.type, kg.Militia) in graph
    assert rdflib.Literal("KH") in set(graph.objects(kh, rdflib.SKOS.altLabel))
    assert (kh, kg.backedBy, next(graph.subjects(rdflib.RDFS.label, rdflib.Literal("Iran")))) in graph
    assert any(graph.subjects(rdflib.RDF.type, kg.Attack))


def test_every_relation_carries_its_evidence(example_build):
    out, _ = example_build
    rows = open_build(out).sparql("""
        SELECT ?s ?p ?o (COUNT(?st) AS ?n) WHERE {
          ?s ?p ?o . FILTER(?p IN (kg:backedBy, kg:attacked, kg:claimed, kg:condemned, kg:leaderOf, kg:locatedIn))
          OPTIONAL { ?st rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; kg:sentence ?sentence ; kg:start ?start . }
        } GROUP BY ?s ?p ?o""")
    assert rows and all(row["n"] >= 1 for row in rows)


def test_each_document_is_a_named_graph(example_build):
    out, report = example_build
    graphs = open_build(out).sparql("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?d a kg:Document } }")
    assert len(graphs) == report.documents


def test_the_build_passes_its_shapes(example_build):
    from kg.validate import validate_build

    assert validate_build(example_build[0]).conforms


def test_append_of_unchanged_documents_reads_nothing(example_build, tmp_path, extractor):
    out = tmp_path / "copy"
    shutil.copytree(example_build[0], out, symlinks=True)
    before = (out / "graph.nq").read_text()

    report = build_graph([EXAMPLE_CORPUS], out, append=True, extractor=extractor)

    assert (report.read, report.unchanged) == (0, 9)
    assert sorted((out / "graph.nq").read_text().splitlines()) == sorted(before.splitlines())


def test_append_adds_and_remove_takes_away(example_build, tmp_path, extractor):
    out = tmp_path / "copy"
    shutil.copytree(example_build[0], out, symlinks=True)
    extra = tmp_path / "extra.txt"
    extra.write_text("Kataib Sayyid al-Shuhada claimed responsibility for the attack on the Balad air base.")

    added = build_graph([extra], out, append=True, extractor=extractor)
    assert (added.read, added.documents) == (1, 10)
    assert "Balad Air Base" in {e.name for e in read_build_graph(out).entities.values()}

    removed = remove_documents(out, ["extra.txt"])
    assert removed.documents == 9
    assert "Balad Air Base" not in {e.name for e in read_build_graph(out).entities.values()}


def test_a_build_folder_that_is_not_a_build_is_refused(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StoreError, match="not a militia-kg build"):
        build_graph([EXAMPLE_CORPUS / "wire.jsonl"], tmp_path, append=True)


def test_no_readable_input_is_an_error(tmp_path):
    (tmp_path / "empty.txt").write_text("")
    with pytest.raises(KGError, match="no readable documents"):
        build_graph([tmp_path / "empty.txt"], tmp_path / "out", on_error=lambda e: None)


def test_manifest_names_each_document_by_content_hash(example_build):
    manifest = json.loads((example_build[0] / "manifest.json").read_text())["documents"]
    assert "wire.jsonl#" in " ".join(manifest) and all(len(h) == 64 for h in manifest.values())


def test_write_build_lets_go_of_the_extractions_once_resolved(example_build, tmp_path, monkeypatch):
    """A build of many reports must not hold every extraction and the graph through the store and exports."""
    import kg.build as build
    from kg.build import BuildReport, write_build
    from kg.config import DEFAULT_CONFIG
    from kg.held import load_held, read_manifest

    out, _ = example_build
    extractions = list(load_held(out, read_manifest(out)).values())
    held_at_store_time = []
    real = build.write_exports
    monkeypatch.setattr(build, "write_exports", lambda *args: held_at_store_time.append(len(extractions))
                        or real(*args))
    report = BuildReport(tmp_path / "copy")
    write_build(tmp_path / "copy", extractions, DEFAULT_CONFIG, report)
    assert held_at_store_time == [0] and report.documents == 9
    assert json.loads((tmp_path / "copy" / "manifest.json").read_text())["documents"] == read_manifest(out)
