"""The CLI is a thin layer: `kg export rdf|html` write what the Python API writes, one handler turns every
KGError into one line, and a reading command takes BUILD_DIR or --store URL with no parser tricks."""

from __future__ import annotations

import ast

import click
import pytest
from click.testing import CliRunner

import kg
from kg.cli import cli
from kg.cli.group import KGGroup
from kg.errors import KGError, NoSuchEntity
from kg.export.rdf import RDF_FORMATS
from tests.conftest import REPO


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


@pytest.mark.parametrize("fmt", RDF_FORMATS)
def test_export_rdf_writes_what_kg_write_rdf_writes(example_build, tmp_path, fmt):
    out, _ = example_build
    result = run("export", "rdf", out, "--format", fmt, "--out", tmp_path / "cli" / "graph")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == str(tmp_path / "cli" / "graph")
    assert kg.write_rdf(out, tmp_path / "api" / "graph", format=fmt) == tmp_path / "api" / "graph"
    assert (tmp_path / "cli" / "graph").read_bytes() == (tmp_path / "api" / "graph").read_bytes()


def test_write_rdf_refuses_an_unknown_format(example_build, tmp_path):
    with pytest.raises(KGError, match="no RDF format 'rdfxml'"):
        kg.write_rdf(example_build[0], tmp_path / "g.rdf", format="rdfxml")
    assert not (tmp_path / "g.rdf").exists()


def test_export_html_writes_what_kg_write_html_writes(example_build, tmp_path):
    out, _ = example_build
    result = run("export", "html", out, "--focus", "KH", "--hops", "1", "--out", tmp_path / "cli.html")
    assert result.exit_code == 0, result.output
    path = kg.write_html(out, tmp_path / "api.html", focus="KH", hops=1)
    assert path == tmp_path / "api.html"
    assert (tmp_path / "cli.html").read_text(encoding="utf-8") == path.read_text(encoding="utf-8")
    with pytest.raises(NoSuchEntity, match="did you mean Kataib Hezbollah"):
        kg.write_html(out, tmp_path / "none.html", focus="Kataib Hezb")


def test_export_rdf_names_a_file_it_cannot_write(example_build, tmp_path):
    (tmp_path / "blocker").write_text("a file where a folder should be")
    result = run("export", "rdf", example_build[0], "--out", tmp_path / "blocker" / "g.trig")
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: cannot write {tmp_path / 'blocker' / 'g.trig'}")
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.output


def test_one_handler_turns_any_kg_error_into_one_line():
    group = KGGroup("demo")

    @group.command()
    def fails():
        raise NoSuchEntity("Nobody", ["Somebody"])

    result = CliRunner().invoke(group, ["fails"])
    assert result.exit_code == 1 and result.exception is not None  # SystemExit(1), not the KGError
    assert result.stderr == "Error: no entity 'Nobody'; did you mean Somebody?\n"


def test_the_cli_catches_kg_errors_in_one_place():
    handlers = []
    for path in sorted((REPO / "kg" / "cli").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ExceptHandler) and "KGError" in ast.unparse(node.type or ast.Constant(None)):
                handlers.append(path.name)
    assert handlers == ["group.py"]


def test_no_command_overrides_clicks_parsing():
    commands = [cli, *cli.commands.values(), *cli.commands["export"].commands.values()]
    for command in commands:
        for method in ("parse_args", "get_params", "make_parser"):
            assert getattr(type(command), method) is getattr(click.Group if isinstance(command, click.Group)
                                                             else click.Command, method), (command.name, method)


@pytest.mark.parametrize("args, says", [
    (["linked", "--store", "http://127.0.0.1:1/sparql", "{build}", "KH"], "give BUILD_DIR or --store URL, not both"),
    (["linked", "{build}", "Kataib", "Hezbollah"], "unexpected extra argument 'Kataib'; quote a name that has spaces"),
    (["linked", "--store", "exports/example", "KH"], "is not an http:// or https:// URL"),
    (["validate"], "give BUILD_DIR or --store URL"),
    (["query", "--saved", "backers"], "give BUILD_DIR or --store URL"),
])
def test_build_dir_or_store_usage_errors(example_build, args, says):
    result = run(*[a.replace("{build}", str(example_build[0])) for a in args])
    assert result.exit_code == 2 and says in result.stderr, result.output


def test_query_takes_build_dir_then_query(example_build):
    out, _ = example_build
    result = run("query", out, "ASK { ?s a kg:Militia }")
    assert result.exit_code == 0 and result.stdout == "true\n", result.output
