"""Commands that do not parse text never load spaCy: `kg query` answers in the time the store takes,
not in the second spaCy's import costs. Each command runs in a fresh interpreter, which then reports
whether `spacy` (or thinc) is in sys.modules."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import REPO

RUN = """
import json, sys
from click.testing import CliRunner
import kg.serve
from kg.cli import cli

make_server = kg.serve.make_server
def no_forever(*args, **kwargs):  # `kg serve` starts, binds its port, and returns at once
    server = make_server(*args, **kwargs)
    server.serve_forever = lambda *a, **k: None
    return server
kg.serve.make_server = no_forever

result = CliRunner().invoke(cli, sys.argv[1:], catch_exceptions=False)
print(json.dumps({"exit": result.exit_code, "output": result.output[-500:],
                  "loaded": sorted(m for m in ("spacy", "thinc") if m in sys.modules)}))
"""


def run_kg(*args) -> dict:
    done = subprocess.run([sys.executable, "-c", RUN, *map(str, args)], capture_output=True, text=True,
                          cwd=REPO, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("args", [
    ("query", "{build}", "--saved"),
    ("query", "{build}", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"),
    ("linked", "{build}", "Kataib Hezbollah"),
    ("paths", "{build}", "Kataib Hezbollah", "Iran"),
    ("timeline", "{build}", "Kataib Hezbollah"),
    ("export", "rdf", "{build}", "--format", "turtle", "--out", "{tmp}/graph.ttl"),
    ("export", "html", "{build}", "--out", "{tmp}/explorer.html"),
    ("serve", "{build}", "--port", "0", "--quiet"),
])
def test_reading_commands_do_not_load_spacy(example_build, tmp_path, args):
    build, _ = example_build
    result = run_kg(*(a.replace("{build}", str(build)).replace("{tmp}", str(tmp_path)) for a in args))
    assert result["exit"] == 0, result["output"]
    assert result["loaded"] == [], f"`kg {args[0]}` loaded {result['loaded']}"


def test_the_check_sees_spacy_when_a_command_loads_it(tmp_path):
    """The probe itself works: `kg build` does load spaCy, and the same check says so."""
    (tmp_path / "note.txt").write_text("Rockets hit the base near the airport on Tuesday.\n", encoding="utf-8")
    result = run_kg("build", tmp_path / "note.txt", "--out", tmp_path / "out", "--quiet")
    assert result["exit"] == 0, result["output"]
    assert "spacy" in result["loaded"]


def test_a_build_of_text_files_leaves_html_parsing_and_graph_views_to_others(tmp_path):
    """BeautifulSoup loads only for a web page; on a spare core, networkx only in the child that writes
    GraphML, GEXF and the explorer (kg.forked): the building process pays for neither."""
    from kg.forked import spare_core

    script = RUN.replace('sorted(m for m in ("spacy", "thinc") if m in sys.modules)',
                         'sorted(m for m in ("bs4", "networkx") if m in sys.modules)')
    (tmp_path / "note.txt").write_text("Rockets hit the base near the airport on Tuesday.\n", encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", script, "build", str(tmp_path / "note.txt"), "--out",
                           str(tmp_path / "out"), "--quiet"], capture_output=True, text=True, cwd=REPO, timeout=300)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["exit"] == 0, result["output"]
    assert result["loaded"] == ([] if spare_core() else ["networkx"])
    assert (tmp_path / "out" / "graph.graphml").stat().st_size > 0
