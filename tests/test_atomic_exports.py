"""Every export is replaced whole: a process killed while writing one leaves the old file, never part of one.

A subprocess writes a build's exports (graph.ttl, graph.jsonld, graph.nq, graph.graphml,
explorer.html) over a complete earlier set, and is killed with SIGKILL:

- exactly: an audit hook counts the files it opens for writing in the build folder, and
  on the K-th does what that open does (create, or truncate) and kills the process,
  for every K. This is what a kill just after an open leaves on disk.
- at random moments, for the writes that Oxigraph makes outside Python's sight.

After each kill every export must still parse and hold the whole graph.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import time
from pathlib import Path

import networkx as nx
import pytest
from rdflib import Graph

from kg.build import EXPORTS, write_exports
from kg.model import Entity, Relation
from kg.rdf import graph_to_quads
from kg.stores import open_build, write_build_store
from tests.sparql_sample import sample_graph

WRITER = """
import os, signal, sys
from pathlib import Path

out, kill_at = Path(sys.argv[1]).resolve(), int(sys.argv[2])
seen = [0]

def hook(event, args):
    if event != "open" or kill_at < 1:
        return
    path, mode, flags = args
    if not isinstance(path, (str, bytes, os.PathLike)):
        return
    path = os.path.abspath(os.fsdecode(path))
    if not path.startswith(str(out) + os.sep):
        return
    if isinstance(mode, str):
        writing, truncate = any(c in mode for c in "wax+"), "w" in mode
    else:
        writing = bool(flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT))
        truncate = bool(flags & os.O_TRUNC)
    if not writing:
        return
    seen[0] += 1
    if seen[0] == kill_at:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | (os.O_TRUNC if truncate else 0), 0o600)
        os.close(fd)
        os.kill(os.getpid(), signal.SIGKILL)

from kg.build import write_exports
from kg.stores import open_build
from tests.test_atomic_exports import big_graph

graph = big_graph()
store = open_build(out)
sys.addaudithook(hook)
while True:
    write_exports(out, graph, store)
    if kill_at >= 0:
        break
"""


def big_graph():
    """The shared sample with a few thousand more militias, so that each export takes a while to write."""
    graph = sample_graph()
    for i in range(600):
        graph.entities[f"m{i}"] = Entity(f"m{i}", f"Brigade number {i}", "Militia", [f"B{i}"])
        graph.relations.append(Relation(f"m{i}", "backedBy", "iran", list(graph.relations[0].evidence)))
    return graph


@pytest.fixture(scope="module")
def build(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("exports")
    graph = big_graph()
    write_build_store(out, graph_to_quads(graph))
    write_exports(out, graph, open_build(out))
    return out


def assert_whole(out: Path, quads: int) -> None:
    """Every export parses and holds the whole graph."""
    for name in EXPORTS:
        assert (out / name).stat().st_size > 0, f"{name} is empty"
    assert (out / "explorer.html").read_text(encoding="utf-8").rstrip().endswith("</html>"), "explorer.html is cut"
    lines = (out / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert len(lines) == quads and all(line.endswith(" .") for line in lines), "graph.nq is cut"
    assert len(Graph().parse(out / "graph.ttl", format="turtle")) > 0
    json.loads((out / "graph.jsonld").read_text(encoding="utf-8"))
    assert nx.read_graphml(out / "graph.graphml").number_of_nodes() > 600


def run_writer(out: Path, kill_at: int, *, kill_after: float | None = None) -> int:
    command = [sys.executable, "-c", WRITER, str(out), str(kill_at)]
    process = subprocess.Popen(command, cwd=Path(__file__).resolve().parent.parent,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if kill_after is not None:
        time.sleep(kill_after)
        process.kill()
    _, err = process.communicate(timeout=300)
    assert process.returncode in (0, -9), err.decode(errors="replace")[-2000:]
    return process.returncode


def test_an_export_killed_just_after_each_open_leaves_every_file_whole(build):
    quads = len(open_build(build))
    for kill_at in range(1, 30):
        status = run_writer(build, kill_at)
        assert_whole(build, quads)
        if status == 0:  # K passed the number of files written: every open has been tried
            assert kill_at > 1
            break
    else:
        pytest.fail("the writer opened more files than expected")


def test_an_export_killed_at_random_moments_leaves_every_file_whole(build):
    quads = len(open_build(build))
    started = time.monotonic()
    rng = random.Random(16)
    for _ in range(4):
        # the writer loops over the exports until killed; import takes about a second
        run_writer(build, -1, kill_after=1.5 + rng.random() * 2.0)
        assert_whole(build, quads)
    assert time.monotonic() - started < 240
    leftovers = [p.name for p in build.iterdir() if p.name.endswith(".tmp")]
    assert len(leftovers) <= 4 * len(EXPORTS), leftovers  # a killed writer's temporary files stay until
    # the next writer of that file finds their owner gone; none of them is ever read as an export


def test_a_failed_export_write_keeps_the_old_file(tmp_path):
    from kg.atomic import replace_with

    target = tmp_path / "graph.ttl"
    target.write_text("old\n")

    def half_then_fail(path: Path) -> None:
        path.write_text("ne")
        raise OSError("disk full")

    with pytest.raises(OSError, match="disk full"):
        replace_with(target, half_then_fail)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_orphaned_temporary_files_of_dead_writers_are_cleaned(tmp_path):
    from kg.atomic import replace_with

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    orphan = tmp_path / f".graph.nq.{dead.stdout.strip()}.abc123.tmp"
    orphan.write_text("half")
    os.utime(orphan, (time.time() - 7200, time.time() - 7200))
    replace_with(tmp_path / "graph.nq", lambda p: p.write_text("whole\n"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["graph.nq"]


def test_a_build_sweeps_its_cache_folder_for_dead_writers_files_once(tmp_path):
    from kg.build import build_graph
    from kg.held import CACHE_DIR
    from tests.test_append_incremental import Scripted

    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("Alpha/Militia attacked Beta/Base")
    cache = tmp_path / "out" / CACHE_DIR
    cache.mkdir(parents=True)
    orphan = cache / f".0123-abcd.json.{dead.stdout.strip()}.abc123.tmp"
    orphan.write_text("half")
    os.utime(orphan, (time.time() - 7200, time.time() - 7200))
    live = cache / f".4567-abcd.json.{os.getpid()}.def456.tmp"  # a writer still at work
    live.write_text("half")
    build_graph([tmp_path / "in"], tmp_path / "out", extractor=Scripted())
    names = {p.name for p in cache.iterdir()}
    assert orphan.name not in names and live.name in names
    assert len([n for n in names if n.endswith(".json")]) == 1
