"""`kg build --append` writes only what changed, and ends exactly where a full build of the same
documents ends: the same store, the same files. What it writes is counted, not timed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg.stores.build_folder as build_folder
from kg.build import build_graph, remove_documents
from kg.model import AttackMention, DocumentExtraction, Evidence, Mention, RelationMention
from kg.stores import open_build
from kg.stores.incremental import GRAPHS_FILE
from kg.stores.build_folder import snapshot_target
from kg.vocab import document_graph
from tests.conftest import EXAMPLE_CORPUS

EXPORTS = ("graph.nq", "graph.nt", "graph.ttl", "graph.jsonld", "graph.graphml", "graph.gexf", "entities.csv",
           "relations.csv", "attacks.csv")


def same_build(one: Path, two: Path) -> None:
    assert set(open_build(one).quads()) == set(open_build(two).quads())
    for name in EXPORTS:
        lines = sorted((one / name).read_text(encoding="utf-8").splitlines())
        assert lines == sorted((two / name).read_text(encoding="utf-8").splitlines()), name


class Scripted:
    """A stand-in for the spaCy extractor: a text is clauses split by ';', each 'Name/Type predicate
    Name/Type' or 'attack on Name/Type DATE'. Lets a test say exactly which names a document holds."""

    def extract(self, documents, on_error=None):
        for document in documents:
            extraction = DocumentExtraction(document)
            offset = 0
            for line in document.text.split(";"):
                evidence = Evidence(document.id, line, offset, offset + len(line), rule="scripted")
                line = line.strip()
                words = line.split()
                if words[:2] == ["attack", "on"]:
                    target = self._mention(" ".join(words[2:-1]), document.id, offset)
                    extraction.attacks.append(AttackMention(target, evidence, date=words[-1]))
                    extraction.mentions.append(target)
                else:
                    predicate = next(w for w in words if "/" not in w and w[0].islower())
                    left, right = line.split(f" {predicate} ")
                    subject, obj = self._mention(left, document.id, offset), self._mention(right, document.id, offset)
                    extraction.mentions += [subject, obj]
                    extraction.relations.append(RelationMention(subject, predicate, obj, evidence))
                offset += len(line) + 1
            yield extraction

    @staticmethod
    def _mention(text: str, doc: str, offset: int) -> Mention:
        name, kind = text.rsplit("/", 1)
        return Mention(name, kind, offset, offset + len(name), doc)


def write(folder: Path, texts: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


OLD = {
    "m-01.txt": "Varsoli/Official condemned Zarqun Brigades/Militia; attack on Camp Veltra/Base 2021-03-04",
    "m-02.txt": "Zarqun Brigades/Militia attacked Camp Veltra/Base; attack on Camp Veltra/Base 2021-03-05",
    "m-03.txt": "Iran/State condemned Zarqun Brigades/Militia",
}
NEW = {  # sorts first, renames 'Varsoli' to 'Hadi Varsoli', and is told before the others' attack
    "a-00.txt": "Hadi Varsoli/Official condemned Kataib Hezbollah/Militia; attack on Camp Veltra/Base 2021-03-01",
}


def test_an_append_ends_where_a_full_build_of_the_same_documents_ends(tmp_path):
    old, new = write(tmp_path / "old", OLD), write(tmp_path / "new", NEW)
    appended, full = tmp_path / "appended", tmp_path / "full"
    build_graph([old], appended, extractor=Scripted())
    report = build_graph([new], appended, append=True, extractor=Scripted())
    build_graph([old, new], full, extractor=Scripted())
    same_build(appended, full)
    assert not report.store_write.full
    # The new document's graph, and m-01's, whose 'Varsoli' is now 'Hadi Varsoli'; m-02 and m-03 are as they were.
    assert report.store_write.rewritten == {str(document_graph(d)) for d in ("new/a-00.txt", "old/m-01.txt")}


def test_an_append_of_example_reports_equals_a_full_build(example_build, tmp_path, extractor):
    appended = tmp_path / "appended"
    shutil.copytree(example_build[0], appended, symlinks=True)
    extra = write(tmp_path / "extra", {
        "extra.txt": "Kataib Sayyid al-Shuhada claimed responsibility for the rocket attack on the Balad air base "
                     "on March 3, 2021.\n\nIran backs Kataib Sayyid al-Shuhada, officials said.\n"})
    report = build_graph([extra], appended, append=True, extractor=extractor)
    full = tmp_path / "full"
    build_graph([EXAMPLE_CORPUS, extra], full, extractor=extractor)
    same_build(appended, full)
    assert not report.store_write.full
    assert report.store_write.rewritten == {str(document_graph("extra/extra.txt"))}  # of 10 documents


def test_a_removal_drops_only_the_documents_graph(tmp_path):
    out, full, docs = tmp_path / "out", tmp_path / "full", write(tmp_path / "docs", OLD)
    build_graph([docs], out, extractor=Scripted())
    report = remove_documents(out, ["docs/m-03.txt"])
    (docs / "m-03.txt").unlink()
    build_graph([docs], full, extractor=Scripted())
    same_build(out, full)
    assert report.store_write.rewritten == {str(document_graph("docs/m-03.txt"))}


def test_a_store_that_does_not_say_what_it_holds_is_written_whole(tmp_path):
    old, new = write(tmp_path / "old", OLD), write(tmp_path / "new", NEW)
    out = tmp_path / "out"
    build_graph([old], out, extractor=Scripted())
    (Path(snapshot_target(out)) / GRAPHS_FILE).unlink()  # a build made before the record was kept
    report = build_graph([new], out, append=True, extractor=Scripted())
    assert report.store_write.full
    full = tmp_path / "full"
    build_graph([old, new], full, extractor=Scripted())
    same_build(out, full)


def test_an_append_that_fails_half_way_leaves_the_old_store_and_the_next_one_completes(tmp_path, monkeypatch):
    old, new = write(tmp_path / "old", OLD), write(tmp_path / "new", NEW)
    out = tmp_path / "out"
    build_graph([old], out, extractor=Scripted())
    before = set(open_build(out).quads())

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(build_folder, "_load_through_file", broken)  # after the old graphs are dropped
    with pytest.raises(OSError):
        build_graph([new], out, append=True, extractor=Scripted())
    assert set(open_build(out).quads()) == before
    monkeypatch.undo()
    build_graph([new], out, append=True, extractor=Scripted())
    full = tmp_path / "full"
    build_graph([old, new], full, extractor=Scripted())
    same_build(out, full)


def test_rdf_files_written_from_the_nquads_dump_are_the_stores_own(example_build, tmp_path):
    from kg.stores.nquads_files import write_from_nquads

    out, _ = example_build
    store = open_build(out)
    for format, dump in (("turtle", store.dump_turtle), ("ntriples", store.dump_ntriples),
                         ("jsonld", store.dump_jsonld)):
        dump(tmp_path / f"store.{format}")
        write_from_nquads(out / "graph.nq", tmp_path / f"file.{format}", format=format)
        assert (tmp_path / f"file.{format}").read_bytes() == (tmp_path / f"store.{format}").read_bytes(), format


def test_an_append_loads_only_the_entity_statements_that_changed(example_build, tmp_path, monkeypatch):
    """The entity graph grows with the corpus: an append removes and adds only its changed lines."""
    from kg.stores.incremental import ENTITY_FILE
    from kg.stores.oxigraph import Store
    from kg.vocab import ENTITY_GRAPH

    appended = tmp_path / "appended"
    shutil.copytree(example_build[0], appended, symlinks=True)
    held = (Path(snapshot_target(appended)) / ENTITY_FILE).read_text(encoding="utf-8").splitlines()
    dropped, loaded, removed = [], [], []
    real_drop, real_remove, real_lines = Store.remove_graph, Store.remove_nquads, build_folder.write_nquad_lines
    monkeypatch.setattr(Store, "remove_graph", lambda self, g: dropped.append(str(g)) or real_drop(self, g))
    monkeypatch.setattr(Store, "remove_nquads", lambda self, data: removed.extend(data.splitlines())
                        or real_remove(self, data))
    monkeypatch.setattr(build_folder, "write_nquad_lines", lambda lines, *files: real_lines(
        (loaded.append(line) or line for line in lines), *files))
    extra = write(tmp_path / "extra", {"extra.txt": "Zarqun Brigades/Militia attacked Camp Veltra/Base"})
    build_graph([extra], appended, append=True, extractor=Scripted())
    assert str(ENTITY_GRAPH) not in dropped
    assert 0 < len(loaded) < len(held) / 10 and len(removed) < len(held) / 10
    now = (Path(snapshot_target(appended)) / ENTITY_FILE).read_text(encoding="utf-8").splitlines()
    assert set(now) == (set(held) - {r.decode() for r in removed}) | {line.rstrip("\n") for line in loaded}
