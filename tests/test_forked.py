"""kg.forked.beside: work on a second core, with the same outcome as doing it here."""

from __future__ import annotations

import os
import time

import pytest

from kg import forked
from kg.errors import KGError

pytestmark = pytest.mark.skipif(not forked.spare_core(), reason="needs Linux and two cores")


def note_pid(path):
    path.write_text(str(os.getpid()))


def test_the_work_runs_in_another_process_while_the_block_runs_here(tmp_path):
    done = tmp_path / "done"
    with forked.beside(note_pid, done):
        here = os.getpid()
        time.sleep(0.05)
    assert int(done.read_text()) != here


def test_the_childs_error_is_raised_here_in_one_line_or_with_its_traceback(tmp_path):
    def refuses():
        raise KGError("cannot write graph.gexf: disk full")

    def trips():
        return {}["missing"]

    with pytest.raises(KGError, match="^cannot write graph.gexf: disk full$"), forked.beside(refuses):
        pass
    with pytest.raises(RuntimeError, match="(?s)in a forked process:.*KeyError: 'missing'"), forked.beside(trips):
        pass


def test_a_child_that_dies_without_a_word_leaves_the_work_to_this_process(tmp_path):
    parent = os.getpid()
    done = tmp_path / "done"

    def dies_unless_here(path):
        if os.getpid() != parent:
            os._exit(9)  # as the out-of-memory killer would end it
        note_pid(path)

    with forked.beside(dies_unless_here, done):
        pass
    assert int(done.read_text()) == parent


def test_an_error_in_the_block_stops_the_child_and_is_raised(tmp_path):
    done = tmp_path / "done"

    def slow(path):
        time.sleep(5)
        note_pid(path)

    started = time.monotonic()
    with pytest.raises(ValueError), forked.beside(slow, done):
        raise ValueError("the block failed")
    assert time.monotonic() - started < 4 and not done.exists()


def test_without_a_spare_core_the_work_runs_here_after_the_block(tmp_path, monkeypatch):
    monkeypatch.setattr(forked, "spare_core", lambda: False)
    order = []
    with forked.beside(lambda: order.append(("work", os.getpid()))):
        order.append(("block", os.getpid()))
    assert order == [("block", os.getpid()), ("work", os.getpid())]
