"""`kg query` and `kg serve` on the command line: arguments in, data on stdout, one-line errors."""

from __future__ import annotations

import csv
import io
import json

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.rdf import graph_to_quads
from kg.stores import write_build_store
from tests.sparql_sample import HOSTILE, sample_graph


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    folder = tmp_path_factory.mktemp("build")
    write_build_store(folder, graph_to_quads(sample_graph()))
    return folder


def kg(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args])


def test_query_lists_the_saved_queries(build):
    result = kg("query", build, "--saved")
    assert result.exit_code == 0
    listed = {line.split()[0] for line in result.output.splitlines()}
    assert {"attacks-by-militia", "backers", "claims-timeline", "condemnations", "entity"} <= listed
    assert "--param name=..." in result.output


def test_query_saved_with_a_param(build):
    result = kg("query", build, "--saved", "entity", "--param", "name=kata'ib hizballah", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout, newline="")))
    assert {r["entity"] for r in rows} == {"https://w3id.org/militia-kg/id/kataib-hezbollah"}


def test_query_hostile_param(build):
    result = kg("query", build, "--saved", "entity", "--param", f"name={HOSTILE}", "--format", "json")
    assert result.exit_code == 0, result.output
    bindings = json.loads(result.stdout)["results"]["bindings"]
    assert bindings and {b["name"]["value"] for b in bindings} == {HOSTILE}


def test_query_text_and_file(build, tmp_path):
    text = kg("query", build, "SELECT ?n WHERE { ?e a kg:State ; rdfs:label ?n } ORDER BY ?n", "--format", "tsv")
    assert text.exit_code == 0 and text.stdout == '?n\n"Iran"\n"United States"\n'
    path = tmp_path / "states.rq"
    path.write_text("SELECT ?n ?e WHERE { ?e a kg:State ; rdfs:label ?n } ORDER BY ?n")
    table = kg("query", build, "-f", path, "--limit", "1")
    assert table.exit_code == 0
    assert table.stdout.splitlines()[2].startswith("Iran  id:iran")
    assert "the first 1 rows" in table.stderr


def test_query_params_bind_iris(build):
    result = kg("query", build, "SELECT ?n ?e WHERE { ?e rdfs:label ?n }", "--param",
                "e=<https://w3id.org/militia-kg/id/iran>", "--format", "csv")
    assert result.exit_code == 0 and result.stdout.splitlines()[1] == "Iran,https://w3id.org/militia-kg/id/iran"


@pytest.mark.parametrize("args, says", [
    (["query", "{build}", "ASK {}", "--saved", "backers"], "exactly one of QUERY, -f FILE or --saved NAME"),
    (["query", "{build}"], "exactly one of"),
    (["query", "{build}", "--saved", "entity", "--param", "name"], "is not NAME=VALUE"),
])
def test_query_usage_errors(build, args, says):
    result = kg(*[a.replace("{build}", str(build)) for a in args])
    assert result.exit_code == 2 and says in result.output


@pytest.mark.parametrize("args, says", [
    (["query", "{missing}", "--saved", "backers"], "is not a militia-kg build (no store)"),
    (["query", "{build}", "SELECT ?x WHERE {"], "malformed SPARQL at line 1"),
    (["query", "{build}", "--saved", "nope"], "no saved query 'nope'"),
    (["query", "{build}", "--saved", "entity"], "needs a value for name"),
    (["serve", "{missing}", "--port", "0"], "is not a militia-kg build (no store)"),
])
def test_query_errors_are_one_line(build, tmp_path, args, says):
    result = kg(*[a.replace("{build}", str(build)).replace("{missing}", str(tmp_path / "missing")) for a in args])
    assert result.exit_code == 1
    assert result.stdout == "" and says in result.stderr and len(result.stderr.strip().splitlines()) == 1


def test_commands_have_examples():
    for name in ("query", "serve"):
        assert "Example:" in cli.commands[name].help
