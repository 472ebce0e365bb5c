"""The `kg` command as a user types it: exit codes, one-line errors, stdout for data only."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from kg.cli import cli
from tests.conftest import EXAMPLE_CORPUS


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_every_command_has_help_with_an_example():
    for command in ("build", "query", "linked", "paths", "timeline", "validate", "serve", "remove"):
        result = run(command, "--help")
        assert result.exit_code == 0, command
        assert "Example" in result.output, command
    for command in ("html", "rdf"):
        assert "Example" in run("export", command, "--help").output


def test_build_reports_where_the_results_are(tmp_path):
    out = tmp_path / "out"
    result = run("build", EXAMPLE_CORPUS / "wire.jsonl", "--out", out, "--quiet")
    assert result.exit_code == 0, result.output
    assert f"graph: {out / 'graph.ttl'}" in result.stdout
    assert (out / "explorer.html").exists()


def test_unreadable_input_is_named_skipped_and_exit_status_1(tmp_path):
    (tmp_path / "in").mkdir()
    shutil.copy(EXAMPLE_CORPUS / "wire.jsonl", tmp_path / "in")
    (tmp_path / "in" / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    result = run("build", tmp_path / "in", "--out", tmp_path / "out", "--quiet")
    assert result.exit_code == 1
    assert "broken.txt: binary file" in result.stderr
    assert "Traceback" not in result.output
    assert (tmp_path / "out" / "graph.ttl").exists()


def test_strict_stops_at_the_first_bad_file_and_writes_nothing(tmp_path):
    (tmp_path / "broken.txt").write_bytes(b"\x00\x01\x02binary")
    result = run("build", tmp_path / "broken.txt", "--out", tmp_path / "out", "--strict", "--quiet")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "broken.txt" in result.stderr
    assert not (tmp_path / "out" / "graph.ttl").exists()


def test_commands_on_a_missing_build_say_what_to_do(tmp_path):
    for args in (("validate", tmp_path / "nope"), ("export", "html", tmp_path / "nope"),
                 ("linked", tmp_path / "nope", "Iran"), ("query", tmp_path / "nope", "ASK { ?s ?p ?o }")):
        result = run(*args)
        assert result.exit_code != 0, args
        assert "kg build" in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output


def test_validate_and_exports_on_a_build(example_build, tmp_path):
    out, _ = example_build
    assert run("validate", out).exit_code == 0
    focus = run("export", "html", out, "--focus", "KH", "--out", tmp_path / "kh.html")
    assert focus.exit_code == 0 and (tmp_path / "kh.html").exists()
    rdf = run("export", "rdf", out, "--format", "trig", "--out", tmp_path / "g.trig")
    assert rdf.exit_code == 0 and "GRAPH" in (tmp_path / "g.trig").read_text() or "{" in (tmp_path / "g.trig").read_text()


def test_unknown_focus_suggests_a_name(example_build, tmp_path):
    result = run("export", "html", example_build[0], "--focus", "Kataib Hezb", "--out", tmp_path / "x.html")
    assert result.exit_code == 1
    assert "did you mean Kataib Hezbollah" in result.stderr


def test_processes_set_how_many_read_and_the_graph_is_the_same(example_build, tmp_path):
    result = run("build", EXAMPLE_CORPUS, "--out", tmp_path / "one", "--processes", "1", "--quiet")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "one" / "graph.nq").read_bytes() == (example_build[0] / "graph.nq").read_bytes()


def test_processes_must_be_a_count_and_not_beside_dask_workers(tmp_path):
    zero = run("build", EXAMPLE_CORPUS, "--out", tmp_path / "out", "--processes", "0")
    assert zero.exit_code == 2 and "--processes" in zero.output
    both = run("build", EXAMPLE_CORPUS, "--out", tmp_path / "out", "--processes", "2", "--workers", "local:2")
    assert both.exit_code == 2 and "not both" in both.output
    assert not (tmp_path / "out").exists()
