"""`kg build` over hostile input: every bad file gives one stderr line naming it and is skipped,
the good files are built, --strict stops at the first, and what a build already holds is never
changed by a failing run. Scripts in HTML never reach the graph or the explorer.

Exit status of `kg build`: 0 when every input was read; 1 when some input was skipped (the
others are built) or the build failed (--strict, no readable input); 2 for a usage error.
"""

from __future__ import annotations

import json
import os
import signal
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.ingest import DEFAULT_MAX_BYTES, read_file
from kg.stores import open_build
from kg.vocab import ENTITY_GRAPH

CLAIM = "Kataib Hezbollah claimed the rocket attack on Ain al-Asad air base on July 8, 2021.\n"
BACKING = "Iran backs Asaib Ahl al-Haq, the café owner said.\n"
AS_ROOT = os.geteuid() == 0


@pytest.fixture
def kg_build(monkeypatch, extractor):
    """`kg build ...` in this process, reusing the session's pipeline instead of loading a new one."""
    monkeypatch.setattr("kg.build.make_extractor", lambda config: extractor)

    def run(*args):
        return CliRunner().invoke(cli, ["build", "--quiet", *map(str, args)])

    return run


@pytest.fixture
def deadline():
    """Fail instead of hanging (a FIFO read, a symlink walked forever)."""

    def expired(signum, frame):
        raise TimeoutError("kg build took longer than 120 s on hostile input")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.alarm(120)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


# Markers that must never leave the <script>, <style>... they sit in; each in a sentence the
# extractors would read as a claim if it leaked into the text.
SCRIPTS = {
    "ZQX_HEAD": '<script>var s = "Kataib Hezbollah claimed ZQX_HEAD.";</script>',
    "ZQX_JSONLD": '<script type="application/ld+json">{"@type": "NewsArticle", "datePublished": "2021-07-08",'
                  ' "articleBody": "Kataib Hezbollah claimed ZQX_JSONLD."}</script>',
    "ZQX_STYLE": "<style>p::after { content: 'Kataib Hezbollah claimed ZQX_STYLE.' }</style>",
    "ZQX_UPPER": '<SCRIPT LANGUAGE="javascript">document.write("Kataib Hezbollah claimed ZQX_UPPER.")</SCRIPT>',
    "ZQX_NOSCRIPT": "<noscript><p>Kataib Hezbollah claimed ZQX_NOSCRIPT.</p></noscript>",
    "ZQX_TEMPLATE": "<template><p>Kataib Hezbollah claimed ZQX_TEMPLATE.</p></template>",
    "ZQX_IFRAME": '<iframe srcdoc="<p>Kataib Hezbollah claimed ZQX_IFRAME.</p>"></iframe>',
    "ZQX_SVG": "<svg><script>alert('Kataib Hezbollah claimed ZQX_SVG.')</script></svg>",
    "ZQX_ONERROR": "<img src=\"x\" onerror=\"alert('Kataib Hezbollah claimed ZQX_ONERROR.')\">",
    "ZQX_HREF": "<a href=\"javascript:alert('ZQX_HREF')\">the statement</a>",
    "ZQX_COMMENT": "<!-- <p>Kataib Hezbollah claimed ZQX_COMMENT.</p> -->",
    "ZQX_OBJECT": '<object data="x.swf"><embed src="Kataib Hezbollah claimed ZQX_OBJECT"></object>',
    "ZQX_UNCLOSED": "<script>alert('Kataib Hezbollah claimed ZQX_UNCLOSED.')",  # runs to the end of the page
}
HEAD = ("ZQX_HEAD", "ZQX_JSONLD", "ZQX_STYLE")
# Visible text that spells markup: it is text, kept as such, and must stay inert in the explorer.
# (So is "<scr<script>ipt>alert(1)</script>": a browser shows "ipt>alert(1)", it runs nothing.)
ESCAPED = ("<p>Kataib Hezbollah claimed the attack on Camp Taji in a post titled "
           "&quot;&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&quot;.</p>")


def script_page() -> str:
    head = "".join(SCRIPTS[k] for k in HEAD)
    body = "".join(v for k, v in SCRIPTS.items() if k not in (*HEAD, "ZQX_UNCLOSED"))
    return (f"<!doctype html><html><head><title>Strike</title>{head}</head><body><article>"
            f"<p>{CLAIM.strip()}</p>{body}{ESCAPED}</article>{SCRIPTS['ZQX_UNCLOSED']}")


def write_hostile_folder(root: Path) -> tuple[Path, dict[str, str], set[str]]:
    """A folder of good and bad files: (folder, {bad name as reported: problem}, good document ids)."""
    folder = root / "hostile"
    folder.mkdir()
    good = {"hostile/good.txt", "hostile/latin1.txt", "hostile/utf16.txt", "hostile/page.html",
            "hostile/broken.jsonl#ok"}
    (folder / "good.txt").write_text(CLAIM, encoding="utf-8")
    (folder / "latin1.txt").write_bytes(BACKING.replace("backs", "backs the group").encode("cp1252"))
    (folder / "utf16.txt").write_bytes("\ufeffAsaib Ahl al-Haq attacked Camp Taji.\n".encode("utf-16"))
    (folder / "page.html").write_text(script_page(), encoding="utf-8")
    bad: dict[str, str] = {}

    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    bad["hostile/binary.txt"] = "binary file, not text"
    (folder / "mixed.txt").write_bytes("Le café était fermé, ".encode() + "naïve café".encode("latin-1") + b"\n")
    bad["hostile/mixed.txt"] = "cannot decode text (mixed encodings"
    (folder / "empty.txt").write_bytes(b"")
    bad["hostile/empty.txt"] = "empty file"
    (folder / "blank.md").write_text(" \n\t\n \u3000 \n", encoding="utf-8")
    bad["hostile/blank.md"] = "empty file (only whitespace)"
    (folder / "furniture.txt").write_text("Sign In | Register\nLink to comment\nShare on other sites\n")
    bad["hostile/furniture.txt"] = "no text left after removing page furniture"
    with open(folder / "big.txt", "wb") as big:  # just over the limit, written in ~0.1 s
        sentence = CLAIM.encode()
        big.write(sentence * (DEFAULT_MAX_BYTES // len(sentence) + 1))
    bad["hostile/big.txt"] = "too large (50.0 MB; the limit is 50.0 MB)"
    (folder / "broken.jsonl").write_text("\n".join([
        json.dumps({"id": "ok", "text": BACKING}),
        '{"id": "cut", "text": "Kataib Hezbollah',
        "[1, 2, 3]",
        json.dumps({"id": "no-text", "title": "Only a title"}),
        json.dumps({"id": "number", "text": 42}),
        "[" * 100_000 + "]" * 100_000,
        "",
    ]), encoding="utf-8")
    bad["hostile/broken.jsonl:2"] = "malformed JSON (Unterminated string"
    bad["hostile/broken.jsonl:3"] = "expected a JSON object, not list"
    bad["hostile/broken.jsonl:4"] = "no 'text' string"
    bad["hostile/broken.jsonl:5"] = "no 'text' string"
    bad["hostile/broken.jsonl:6"] = "malformed JSON (RecursionError)"
    os.symlink("b-loop.txt", folder / "a-loop.txt")
    os.symlink("a-loop.txt", folder / "b-loop.txt")
    bad["hostile/a-loop.txt"] = "cannot read (too many levels of symbolic links)"
    bad["hostile/b-loop.txt"] = "cannot read (too many levels of symbolic links)"
    os.symlink("gone.txt", folder / "dangling.txt")
    bad["hostile/dangling.txt"] = "broken symlink"
    (folder / "loop").mkdir()
    os.symlink("..", folder / "loop" / "up")  # a folder loop: walked once, no error, no duplicates
    os.mkfifo(folder / "pipe.txt")  # reading it would block forever
    bad["hostile/pipe.txt"] = "not a regular file"
    (folder / "evil\nname.txt").write_bytes(b"\x00\x01")  # a name that would split the message line
    bad["hostile/evil\\nname.txt"] = "binary file, not text"
    (folder / os.fsdecode(b"bad-\xff-name.txt")).write_bytes(b"\x00\x01")  # not UTF-8
    bad["hostile/bad-\\udcff-name.txt"] = "binary file, not text"
    locked = folder / "locked.txt"
    locked.write_text(CLAIM)
    locked.chmod(0)
    if AS_ROOT:  # root reads it anyway
        good.add("hostile/locked.txt")
    else:
        bad["hostile/locked.txt"] = "permission denied"
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")  # a damaged Word file
    bad["hostile/notes.docx"] = "cannot read Word file"
    (folder / "photo.png").write_bytes(b"\x89PNG\r\n")  # an unknown type inside a folder is named too
    bad["hostile/photo.png"] = "unknown file type '.png'"
    return folder, bad, good


def skipped_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("skipped ")]


def manifest(out: Path) -> dict[str, str]:
    return json.loads((out / "manifest.json").read_text(encoding="utf-8"))["documents"]


def state(out: Path) -> dict:
    """Everything a build holds: each file's bytes (the store's included), the link, the quads."""
    files = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
             if p.is_file() and not p.is_symlink() and p.name != ".store.lock"}
    return {"files": files, "link": os.readlink(out / "store"), "quads": sorted(map(repr, open_build(out).quads()))}


def contents(out: Path) -> dict:
    """What a build says, whatever store snapshot holds it: exports, manifest, cache and quads."""
    files = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*"))
             if p.is_file() and not p.relative_to(out).parts[0].startswith("store") and p.name != ".store.lock"}
    return {"files": files, "quads": sorted(map(repr, open_build(out).quads()))}


# ---------------------------------------------------------------- bad input, one line each


def test_each_bad_file_is_one_line_and_the_good_files_are_built(tmp_path, kg_build, deadline, monkeypatch):
    _, bad, good = write_hostile_folder(tmp_path)
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)  # messages name files as given: hostile/...

    result = kg_build("hostile", "--out", out)

    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = skipped_lines(result.stderr)
    named = {line.removeprefix("skipped ").split(": ", 1)[0]: line.split(": ", 1)[1] for line in lines}
    assert len(lines) == len(named) == len(bad), "\n".join(lines)
    for name, problem in bad.items():
        assert named[name].startswith(problem), (name, named.get(name))
    assert "Traceback" not in result.output
    assert set(manifest(out)) == good
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "Kataib Hezbollah" in ttl and "Asaib Ahl al-Haq" in ttl
    assert "café" in ttl, "the cp1252 file is decoded, not mangled"
    lines_nq = (out / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert len(lines_nq) == len(set(lines_nq)), "the folder loop read nothing twice"


def test_strict_stops_at_the_first_bad_file(tmp_path, kg_build, deadline, monkeypatch):
    _, bad, _ = write_hostile_folder(tmp_path)
    out = tmp_path / "out"
    monkeypatch.chdir(tmp_path)

    result = kg_build("hostile", "--out", out, "--strict")

    assert result.exit_code == 1
    first = sorted(bad)[0]  # files are read in path order
    assert result.stderr.splitlines() == [f"Error: {first}: {bad[first]}"]
    assert not (out / "store").exists() and not (out / "manifest.json").exists()


def test_a_file_over_the_limit_is_not_read(tmp_path, kg_build):
    big = tmp_path / "big.txt"
    big.write_bytes(CLAIM.encode() * (DEFAULT_MAX_BYTES // len(CLAIM) + 1))
    (tmp_path / "good.txt").write_text(CLAIM)

    result = kg_build(big, tmp_path / "good.txt", "--out", tmp_path / "out")

    assert result.exit_code == 1
    assert skipped_lines(result.stderr) == [f"skipped {big}: too large (50.0 MB; the limit is 50.0 MB)"]
    assert set(manifest(tmp_path / "out")) == {"good.txt"}


def write_too_long(path: Path) -> None:
    """Text under the byte limit but over spaCy's 1,000,000 characters, every paragraph different."""
    paragraphs = (f"Report {i}: Kataib Hezbollah claimed attack number {i * 7} on Ain al-Asad." for i in range(14_000))
    path.write_text("\n\n".join(paragraphs), encoding="utf-8")


def test_a_text_too_long_for_the_pipeline_is_skipped_not_fatal(tmp_path, kg_build, monkeypatch):
    (tmp_path / "in").mkdir()
    write_too_long(tmp_path / "in" / "long.txt")
    (tmp_path / "in" / "good.txt").write_text(CLAIM)
    monkeypatch.chdir(tmp_path)

    result = kg_build("in", "--out", "out")

    assert result.exit_code == 1, result.output
    [line] = skipped_lines(result.stderr)
    assert line.startswith("skipped in/long.txt: too long to read (1,0") and "the limit is 1,000,000" in line
    assert set(manifest(tmp_path / "out")) == {"in/good.txt"}


def test_strict_stops_at_a_text_too_long_for_the_pipeline(tmp_path, kg_build):
    write_too_long(tmp_path / "long.txt")

    result = kg_build(tmp_path / "long.txt", "--out", tmp_path / "out", "--strict")

    assert result.exit_code == 1
    assert result.stderr.splitlines() == [result.stderr.strip()] and "long.txt: too long to read" in result.stderr
    assert not (tmp_path / "out" / "store").exists()


@pytest.mark.skipif(AS_ROOT, reason="root reads a chmod 000 file")
def test_an_unreadable_file_is_named(tmp_path, kg_build):
    locked = tmp_path / "locked.txt"
    locked.write_text(CLAIM)
    locked.chmod(0)
    (tmp_path / "good.txt").write_text(CLAIM)

    result = kg_build(locked, tmp_path / "good.txt", "--out", tmp_path / "out")

    assert result.exit_code == 1
    assert skipped_lines(result.stderr) == [f"skipped {locked}: permission denied"]
    locked.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_usage_errors_exit_2(tmp_path, kg_build):
    (tmp_path / "a-file").write_text("x")
    assert kg_build(tmp_path, "--out", tmp_path / "a-file").exit_code == 2
    assert kg_build("--out", tmp_path / "out").exit_code == 2


def test_the_exit_status_is_documented():
    help_text = CliRunner().invoke(cli, ["build", "--help"]).output
    assert "exit status 1" in " ".join(help_text.split())


# ---------------------------------------------------------------- scripts never reach the graph


def test_scripts_in_html_are_stripped_by_ingest(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(script_page(), encoding="utf-8")

    [document] = read_file(page)

    assert "Kataib Hezbollah claimed the rocket attack on Ain al-Asad" in document.text
    for marker in SCRIPTS:
        assert marker not in document.text + document.title + document.url, marker
    assert "javascript" not in document.text.lower() and "alert('" not in document.text
    assert document.date == "2021-07-08", "the JSON-LD date is read before its <script> goes"


def test_scripts_never_reach_the_build(tmp_path, kg_build):
    page = tmp_path / "page.html"
    page.write_text(script_page(), encoding="utf-8")
    plain = tmp_path / "plain.txt"
    plain.write_text(CLAIM)
    out, baseline = tmp_path / "out", tmp_path / "baseline"

    assert kg_build(page, "--out", out).exit_code == 0
    assert kg_build(plain, "--out", baseline).exit_code == 0

    for path in out.rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", errors="replace")
            leaked = [marker for marker in SCRIPTS if marker in text]
            assert not leaked, (path.name, leaked)
    ttl = (out / "graph.ttl").read_text(encoding="utf-8")
    assert "Kataib Hezbollah claimed the rocket attack" in ttl
    assert "</script><script>alert(1)</script>" in ttl, "visible text that spells markup stays text"
    explorer = (out / "explorer.html").read_text(encoding="utf-8")
    assert "</script><script>alert(1)" not in explorer
    assert explorer.lower().count("<script") == (baseline / "explorer.html").read_text().lower().count("<script")


def test_a_javascript_url_never_becomes_a_link(tmp_path, kg_build):
    wire = tmp_path / "wire.jsonl"
    record = {"id": "x", "url": "javascript:alert(document.cookie)//ZQX_URL", "title": "<img src=x onerror=alert(1)>",
              "text": CLAIM}
    wire.write_text(json.dumps(record) + "\n", encoding="utf-8")
    out = tmp_path / "out"

    assert kg_build(wire, "--out", out).exit_code == 0

    explorer = (out / "explorer.html").read_text(encoding="utf-8")
    assert "ZQX_URL" not in explorer and "javascript:alert" not in explorer
    assert "<img src=x" not in explorer, "a title is data, never markup"


# ---------------------------------------------------------------- a failing run changes nothing


@pytest.fixture
def held_build(tmp_path, kg_build):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "claim.txt").write_text(CLAIM)
    (corpus / "backing.md").write_text(BACKING)
    out = tmp_path / "held"
    assert kg_build(corpus, "--out", out).exit_code == 0
    return corpus, out


def test_a_failing_strict_append_leaves_the_build_byte_identical(tmp_path, kg_build, held_build, deadline):
    _, out = held_build
    folder, _, _ = write_hostile_folder(tmp_path)
    before = state(out)

    result = kg_build(folder, "--out", out, "--append", "--strict")

    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert state(out) == before


def test_a_failing_rebuild_leaves_the_build_byte_identical(tmp_path, kg_build, held_build):
    _, out = held_build
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "binary.txt").write_bytes(b"\x00" * 10)
    before = state(out)

    result = kg_build(tmp_path / "bad", "--out", out)

    assert result.exit_code == 1
    assert "no readable documents" in result.stderr
    assert state(out) == before


def test_an_append_of_only_bad_files_changes_nothing_stored(tmp_path, kg_build, held_build, deadline):
    _, out = held_build
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "binary.txt").write_bytes(b"\x00" * 10)
    (tmp_path / "bad" / "cut.jsonl").write_text('{"text": "Kataib')
    before = contents(out)

    result = kg_build(tmp_path / "bad", "--out", out, "--append")

    assert result.exit_code == 1 and len(skipped_lines(result.stderr)) == 2
    assert contents(out) == before


def test_a_held_document_that_became_unreadable_is_kept(tmp_path, kg_build, held_build):
    corpus, out = held_build
    held = manifest(out)
    quads = set(open_build(out).quads())
    (corpus / "claim.txt").write_bytes(b"\x00\xff" * 50)  # the file is damaged after the build

    result = kg_build(corpus / "claim.txt", "--out", out, "--append")

    assert result.exit_code == 1
    assert skipped_lines(result.stderr) == [f"skipped {corpus / 'claim.txt'}: binary file, not text"]
    assert manifest(out) == held
    assert set(open_build(out).quads()) == quads


def test_an_append_with_some_bad_files_keeps_every_held_statement(tmp_path, kg_build, held_build, deadline):
    _, out = held_build
    folder, bad, good = write_hostile_folder(tmp_path)
    held = manifest(out)
    document_quads = {q for q in open_build(out).quads() if q[3] != ENTITY_GRAPH}

    result = kg_build(folder, "--out", out, "--append")

    assert result.exit_code == 1 and len(skipped_lines(result.stderr)) == len(bad)
    assert manifest(out).items() >= held.items()
    assert set(manifest(out)) == set(held) | good
    assert document_quads <= set(open_build(out).quads())


def test_two_files_with_the_same_text_are_both_kept_across_appends(tmp_path, kg_build):
    """A story saved twice is two documents; an append must not lose either (they once shared a cache file)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(CLAIM)
    (tmp_path / "in" / "b.txt").write_text(CLAIM)
    (tmp_path / "c.txt").write_text(BACKING)
    out = tmp_path / "out"

    assert kg_build(tmp_path / "in", "--out", out).exit_code == 0
    assert kg_build(tmp_path / "c.txt", "--out", out, "--append").exit_code == 0
    assert kg_build(tmp_path / "in", "--out", out, "--append").exit_code == 0

    assert set(manifest(out)) == {"in/a.txt", "in/b.txt", "c.txt"}
    documents = open_build(out).sparql("SELECT ?id WHERE { ?d a kg:Document ; dct:identifier ?id }")
    ids = {str(row["id"]) for row in documents}
    assert ids == {"in/a.txt", "in/b.txt", "c.txt"}


def test_an_append_reads_a_cache_written_before_ids_were_in_its_names(tmp_path, kg_build, held_build):
    corpus, out = held_build
    for path in (out / "extractions").glob("*.json"):  # as builds made before the fix named them
        path.rename(path.with_name(path.name.split("-")[0] + ".json"))
    before = contents(out)["quads"]

    result = kg_build(corpus, "--out", out, "--append")

    assert result.exit_code == 0, result.output
    assert "0 read, 2 unchanged" in result.stderr
    assert contents(out)["quads"] == before


def test_files_named_in_arabic_stay_two_documents(tmp_path, kg_build):
    from kg.validate import validate_build

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "تقرير.txt").write_text(CLAIM)
    (tmp_path / "in" / "بيان.txt").write_text(BACKING)
    out = tmp_path / "out"
    assert kg_build(tmp_path / "in", "--out", out).exit_code == 0

    graphs = {str(g) for g in open_build(out).graphs()}
    assert len(graphs) == 3, graphs  # the entities' graph and one per document
    assert validate_build(out).conforms


def test_a_build_never_deletes_a_folder_it_did_not_make(tmp_path, kg_build):
    out = tmp_path / "out"
    mine = out / "store-backup-2023"
    mine.mkdir(parents=True)
    (mine / "notes.txt").write_text("precious")
    (tmp_path / "claim.txt").write_text(CLAIM)

    kg_build(tmp_path / "claim.txt", "--out", out)

    assert (mine / "notes.txt").read_text() == "precious"
