"""Hostile inputs to a build: links out of the folder, deep HTML, UTF-16 without a mark, an unreadable
file named on the command line, a hostile Wikidata id in an extra actor file, a cut JSON line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.build import build_graph
from kg.config import Config
from kg.errors import BadSource, KGError
from kg.ingest import iter_documents, read_file

REPO = Path(__file__).resolve().parent.parent


def ids(documents) -> list[str]:
    return [d.id for d in documents]


# ------------------------------------------------------------------ links


@pytest.fixture
def linked(tmp_path):
    """corpus/ with its own file, a link to a folder outside, a link to a file outside, and a link inside."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("Outside text that must not be read.\n")
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "sub" / "story.txt").write_text("Kataib Hezbollah fired rockets at the base.\n")
    (corpus / "to-outside").symlink_to(outside, target_is_directory=True)
    (corpus / "secret-link.txt").symlink_to(outside / "secret.txt")
    (corpus / "root").symlink_to("/", target_is_directory=True)
    (corpus / "inside").symlink_to(corpus / "sub", target_is_directory=True)
    return corpus


def test_links_out_of_the_folder_are_skipped_and_named(linked):
    problems = []
    documents = list(iter_documents([linked], on_error=problems.append))
    assert ids(documents) == ["corpus/inside/story.txt"] or ids(documents) == ["corpus/sub/story.txt"]
    assert all("secret" not in d.text.lower() and "Outside" not in d.text for d in documents)
    named = sorted(Path(p.source).name for p in problems)
    assert named == ["root", "secret-link.txt", "to-outside"]
    assert all("a link out of the folder" in p.problem for p in problems)


def test_follow_links_reads_them(linked):
    (linked / "root").unlink()  # not the whole file system, even here
    documents = list(iter_documents([linked], follow_links=True))
    assert any("Outside text" in d.text for d in documents)


# ------------------------------------------------------------------ deep HTML


def test_html_nested_20000_deep_is_read_quickly(tmp_path):
    page = tmp_path / "deep.html"
    page.write_text("<html><body>" + "<div>" * 20_000 + "Kataib Hezbollah fired rockets at the base."
                    + "</div>" * 20_000 + "</body></html>")
    started = time.monotonic()
    (document,) = read_file(page)
    assert time.monotonic() - started < 30
    assert document.text == "Kataib Hezbollah fired rockets at the base."


def test_a_megabyte_of_unclosed_tags_is_read_quickly(tmp_path):
    page = tmp_path / "open.html"
    sentences = [f"Brigade number {i} fired rockets at the base. " for i in range(2000)]
    page.write_text("<html><body>" + "".join(f"<span><div><b>{s}" for s in sentences) * 6)
    assert page.stat().st_size > 700_000
    started = time.monotonic()
    (document,) = read_file(page)
    assert time.monotonic() - started < 30
    assert "Brigade number 1999 fired rockets" in document.text


def test_deep_html_keeps_text_beyond_the_cap():
    from kg.html_depth import MAX_DEPTH, cap_depth

    html = "<div>" * (MAX_DEPTH + 50) + "<p>deep one</p><p>deep two</p>" + "</div>" * (MAX_DEPTH + 50)
    capped = cap_depth(html)
    assert capped.count("<div>") == MAX_DEPTH and "deep one" in capped and "deep two" in capped


# ------------------------------------------------------------------ encodings


@pytest.mark.parametrize("text", [
    "Kataib Hezbollah fired rockets at Ain al-Asad air base.\nIran backs the group.\n",
    "أطلقت كتائب حزب الله صواريخ على قاعدة عين الأسد الجوية.\nإيران تدعم الجماعة.\n",
])
@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_a_byte_order_mark_is_read(tmp_path, text, encoding):
    path = tmp_path / "story.txt"
    path.write_bytes(text.encode(encoding))
    (document,) = read_file(path)
    assert document.text.split() == text.split()


def test_binary_with_nul_bytes_is_still_binary(tmp_path):
    path = tmp_path / "noise.txt"
    path.write_bytes(bytes(range(256)) * 40)
    with pytest.raises(BadSource, match="binary file"):
        read_file(path)


def test_a_cut_json_line_says_at_once(tmp_path):
    path = tmp_path / "wire.jsonl"
    path.write_text('{"text": "Kataib Hezbollah fired rockets\n')
    with pytest.raises(BadSource) as caught:
        read_file(path)
    assert "at at" not in str(caught.value) and "starting at column" in str(caught.value)


# ------------------------------------------------------------------ a hostile actor file


def test_a_hostile_qid_in_an_extra_actor_file_is_one_clear_error(tmp_path):
    actors = tmp_path / "extra.jsonl"
    actors.write_text(json.dumps({"id": "x", "name": "X Brigade", "type": "Militia",
                                  "qid": "Q1> <urn:x> <urn:y> . <urn:z"}) + "\n")
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("X Brigade fired rockets.\n")

    class Nothing:
        def extract(self, documents, on_error=None):
            from kg.model import DocumentExtraction

            for document in documents:
                yield DocumentExtraction(document)

    with pytest.raises(KGError, match=r"extra.jsonl:1: .*qid .* is not a Wikidata id") as caught:
        build_graph([corpus], tmp_path / "out", config=Config(extra_actor_files=(actors,)), extractor=Nothing())
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "out" / "store").exists()


# ------------------------------------------------------------------ an unreadable file named on the command line


@pytest.mark.skipif(shutil.which("setpriv") is None and os.geteuid() == 0, reason="needs setpriv to drop DAC capabilities")
def test_a_named_unreadable_file_is_skipped_in_one_line(tmp_path):
    good, bad = tmp_path / "good.txt", tmp_path / "bad.txt"
    good.write_text("Kataib Hezbollah fired rockets at Ain al-Asad air base.\n")
    bad.write_text("Secret.\n")
    bad.chmod(0)
    command = [sys.executable, "-m", "kg", "build", str(bad), str(good), "--out", str(tmp_path / "out"), "--quiet"]
    if os.geteuid() == 0:  # root reads anything: drop the capabilities that let it
        caps = "-dac_override,-dac_read_search"
        command = ["setpriv", f"--inh-caps={caps}", f"--bounding-set={caps}", *command]
    result = subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=600)
    assert result.returncode == 1, result.stderr
    skipped = [line for line in result.stderr.splitlines() if line.startswith("skipped")]
    assert skipped == [f"skipped {bad}: permission denied"]
    assert "Traceback" not in result.stderr
    assert json.loads((tmp_path / "out" / "manifest.json").read_text())["documents"].keys() == {"good.txt"}
