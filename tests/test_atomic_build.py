"""Atomic builds: `kg build --append` killed with SIGKILL at any point leaves the old state or the new
one, never half of one, and a rerun completes it; readers during an append see one snapshot.

The kills are real: `python -m kg build NEW --out DIR --append` runs in a subprocess, and either
this process kills it when the build folder shows the append reached a stage (a new cache file,
a new store snapshot, the link switched, the manifest or an export rewritten), or a hook in the
subprocess kills it at an exact point. Reruns go through build_graph, as `kg build` does, with
the session's pipeline.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from kg.build import build_graph
from kg.stores import open_build

OLD = {
    "one.txt": "Rockets hit Ain al-Asad air base on July 8, 2021.\n\n"
               "Kataib Hezbollah claimed the rocket attack on Ain al-Asad air base, officials said.\n",
    "two.txt": "Iran backs Asaib Ahl al-Haq, US officials said on Friday.\n",
}
NEW = {
    "three.txt": "The Badr Organization condemned the drone strike on Camp Taji on July 10, 2021.\n",
    "four.txt": "Qais al-Khazali, the leader of Asaib Ahl al-Haq, said the group attacked the convoy "
                "near Baghdad airport.\n",
}
APPEND_TIMEOUT = 300  # seconds; the pipeline loads in ~10 s, more on a busy machine


@dataclass(frozen=True)
class State:
    quads: frozenset
    manifest: tuple
    nquads: frozenset


def state_of(build: Path) -> State:
    """The store's quads, the manifest, and graph.nq; fails on a duplicated statement."""
    quads = list(open_build(build).quads())
    assert len(quads) == len(set(quads)), "a statement is stored twice"
    lines = (build / "graph.nq").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)), "graph.nq repeats a statement"
    manifest = json.loads((build / "manifest.json").read_text(encoding="utf-8"))["documents"]
    return State(frozenset(quads), tuple(sorted(manifest.items())), frozenset(lines))


def write_corpus(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir()
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def builds(tmp_path_factory, extractor):
    """(root, old build, new corpus, old State, final State): the final state from a clean append."""
    root = tmp_path_factory.mktemp("atomic")
    old, new = write_corpus(root / "old", OLD), write_corpus(root / "new", NEW)
    base = root / "base"
    # Built by another process, as a user's earlier `kg build` is: its snapshot's writer is gone.
    subprocess.run([sys.executable, "-m", "kg", "build", str(old), "--out", str(base), "--quiet"],
                   check=True, capture_output=True, timeout=APPEND_TIMEOUT)
    final = root / "final"
    shutil.copytree(base, final, symlinks=True)
    build_graph([new], final, append=True, extractor=extractor)
    old_state, final_state = state_of(base), state_of(final)
    assert old_state.quads != final_state.quads and old_state.nquads != final_state.nquads
    assert len(final_state.manifest) == len(OLD) + len(NEW)
    return root, base, new, old_state, final_state


def copy_build(base: Path, to: Path) -> Path:
    shutil.copytree(base, to, symlinks=True)  # the store link stays relative, so the copy is its own build
    return to


# ---------------------------------------------------------------- killing an append


def append_command(build: Path, new: Path, hook: str | None = None) -> list[str]:
    args = ["build", str(new), "--out", str(build), "--append", "--quiet"]
    if hook is None:
        return [sys.executable, "-m", "kg", *args]
    return [sys.executable, "-c", HOOKED, hook, *args]


# Runs `kg build` with a SIGKILL planted at one exact point.
HOOKED = """
import os, signal, sys
import kg.build

def die(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGKILL)

point = sys.argv.pop(1)
if point == "after-switch":  # the link names the new snapshot, the old one is not yet deleted
    import kg.stores.build_folder
    kg.stores.build_folder.shutil.rmtree = die
elif point == "before-exports":  # store and manifest are new, the exports old
    kg.build.write_exports = die
else:
    raise SystemExit(f"unknown kill point {point}")
from kg.cli import cli
cli(prog_name="kg")
"""


def watch(build: Path) -> dict:
    def mtime(name: str) -> int | None:
        try:
            return (build / name).stat().st_mtime_ns
        except OSError:
            return None

    return {"link": os.readlink(build / "store"), "entries": set(os.listdir(build)),
            "cache": set(os.listdir(build / "extractions")), "manifest": (build / "manifest.json").read_bytes(),
            "explorer.html": mtime("explorer.html")}


# When to kill, judged by what the build folder shows (before, now) -> bool.
STAGES: dict[str, Callable[[dict, dict], bool]] = {
    "while importing": lambda before, now: now["elapsed"] > 1.0,
    "first cache file": lambda before, now: bool(now["cache"] - before["cache"]),
    "new snapshot folder": lambda before, now: any(n.startswith("store-") for n in now["entries"] - before["entries"]),
    "manifest written": lambda before, now: now["manifest"] != before["manifest"],
    "explorer written": lambda before, now: now["explorer.html"] != before["explorer.html"],
}  # the link switch and the first export are hit exactly by HOOKS below


def kill_at(stage: str, build: Path, new: Path) -> int:
    """Run the append and SIGKILL it when the folder shows `stage`; the exit status (-9 if killed)."""
    before = watch(build)
    started = time.monotonic()
    process = subprocess.Popen(append_command(build, new), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while process.poll() is None and time.monotonic() - started < APPEND_TIMEOUT:
            try:
                now = watch(build) | {"elapsed": time.monotonic() - started}
            except OSError:  # caught between a write and its rename: look again
                continue
            if STAGES[stage](before, now):
                process.send_signal(signal.SIGKILL)
                break
            time.sleep(0.001)
    finally:
        if process.poll() is None and time.monotonic() - started >= APPEND_TIMEOUT:
            process.kill()
        process.wait()
    return process.returncode


def kill_by_hook(point: str, build: Path, new: Path) -> int:
    process = subprocess.run(append_command(build, new, point), capture_output=True, timeout=APPEND_TIMEOUT)
    return process.returncode


def assert_survived(build: Path, seen: State, old: State, final: State, extractor, new: Path) -> None:
    """What a killed append left (`seen`) is old or final, whole; a rerun of the append makes it final."""
    assert seen.quads in (old.quads, final.quads), "the store holds part of an append"
    assert seen.manifest in (old.manifest, final.manifest)
    assert seen.nquads in (old.nquads, final.nquads), "graph.nq holds part of an append"

    build_graph([new], build, append=True, extractor=extractor)

    assert state_of(build) == final
    assert len(list(build.glob("store-*"))) == 1, "the killed writer's snapshot is cleaned up"


HOOKS = ("after-switch", "before-exports")  # the polled stages cover the snapshot's filling and the manifest


@pytest.fixture(scope="module")
def killed(builds):
    """Every kill, run at once on copies of the old build: {point: (build, exit status, State seen after)}."""
    root, base, new, _, _ = builds
    points = [*STAGES, *HOOKS]
    folders = {point: copy_build(base, root / f"kill-{i}") for i, point in enumerate(points)}

    def run(point: str) -> int:
        if point in HOOKS:
            return kill_by_hook(point, folders[point], new)
        return kill_at(point, folders[point], new)

    with ThreadPoolExecutor(max_workers=4) as pool:  # each subprocess loads the pipeline (CPU-bound)
        status = dict(zip(points, pool.map(run, points)))
    return {point: (folders[point], status[point], state_of(folders[point])) for point in points}


@pytest.mark.parametrize("stage", STAGES)
def test_append_killed_when_the_folder_shows_a_stage_survives(builds, killed, extractor, stage):
    _, _, new, old, final = builds
    build, status, seen = killed[stage]

    assert_survived(build, seen, old, final, extractor, new)
    if stage in ("while importing", "first cache file"):
        assert status == -signal.SIGKILL and seen == old


def test_most_appends_were_caught_mid_way(killed):
    """The folder-watching kills land while the append runs (a fast machine may let one finish first)."""
    missed = [stage for stage in STAGES if killed[stage][1] != -signal.SIGKILL]
    assert len(missed) <= 1, missed


@pytest.mark.parametrize("point", HOOKS)
def test_append_killed_at_an_exact_point_survives(builds, killed, extractor, point):
    _, _, new, old, final = builds
    build, status, seen = killed[point]

    assert status == -signal.SIGKILL
    assert seen.quads == final.quads
    assert_survived(build, seen, old, final, extractor, new)


@pytest.mark.xfail(strict=True, reason="kg/build.py write_build switches the store, then writes manifest.json, "
                   "then the exports: a kill in between leaves them out of step (store new, graph.nq old)")
def test_a_killed_append_leaves_store_and_exports_in_step(builds, killed):
    final = builds[4]
    _, _, seen = killed["before-exports"]

    assert (seen.quads == final.quads) == (seen.nquads == final.nquads)


def test_a_build_is_the_same_however_its_documents_came_in(builds, extractor, tmp_path):
    """The graph is a function of the documents held: one build of all equals old + append, in any order."""
    root, _, new, _, final = builds
    at_once = tmp_path / "at-once"
    build_graph([new, root / "old"], at_once, extractor=extractor)

    assert state_of(at_once) == final


# ---------------------------------------------------------------- readers during an append


ALL_QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"


def answer(store) -> frozenset:
    return frozenset(tuple(row.get(v) for v in ("s", "p", "o", "g")) for row in store.execute(ALL_QUADS).rows)


def test_readers_during_an_append_see_one_snapshot(builds):
    root, base, new, old, final = builds
    build = copy_build(base, root / "readers")
    old_answer, final_answer = answer(open_build(build)), None
    held = open_build(build)  # opened before the append; must keep answering the old state
    answers: list[tuple[str, frozenset]] = []
    errors: list[BaseException] = []
    done = threading.Event()

    def read_fresh() -> None:
        while not done.is_set():
            try:
                answers.append(("fresh", answer(open_build(build))))
                lines = (build / "graph.nq").read_text(encoding="utf-8").splitlines()
                answers.append(("nq", frozenset(lines)))
            except BaseException as error:  # noqa: BLE001 (any failure fails the test)
                errors.append(error)

    def read_held() -> None:
        while not done.is_set():
            try:
                answers.append(("held", answer(held)))
            except BaseException as error:  # noqa: BLE001
                errors.append(error)
            time.sleep(0.005)

    readers = [threading.Thread(target=target) for target in (read_fresh, read_fresh, read_held)]
    for reader in readers:
        reader.start()
    try:
        result = subprocess.run(append_command(build, new), capture_output=True, text=True, timeout=APPEND_TIMEOUT)
        time.sleep(0.2)  # let the readers see the new state
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert result.returncode == 0, result.stderr
    final_answer = answer(open_build(build))

    assert not errors, errors[:3]
    assert final_answer != old_answer and len(final_answer) == len(final.quads)
    fresh = [a for kind, a in answers if kind == "fresh"]
    assert fresh and all(a in (old_answer, final_answer) for a in fresh), "a reader saw part of an append"
    assert fresh[0] == old_answer and fresh[-1] == final_answer
    assert all(a in (old.nquads, final.nquads) for kind, a in answers if kind == "nq")
    held_answers = [a for kind, a in answers if kind == "held"]
    assert held_answers and all(a == old_answer for a in held_answers), "an open store keeps its snapshot"
    assert answer(held) == old_answer, "even after the old snapshot folder is deleted"
