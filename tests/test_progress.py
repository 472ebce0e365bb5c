"""Progress that tells the truth: the pipeline load announced, words counted, an ETA only when it means something."""

from __future__ import annotations

import io

from click.testing import CliRunner

from kg import build
from kg.build import ReadProgress, build_graph, word_count
from kg.cli import cli
from kg.cli_progress import BuildProgress
from tests.conftest import EXAMPLE_CORPUS


def test_the_pipeline_load_is_announced_before_it_starts_and_progress_counts_words(tmp_path, extractor, monkeypatch):
    events = []

    def make_extractor(config):
        events.append("loaded")
        return extractor

    monkeypatch.setattr(build, "make_extractor", make_extractor)
    build_graph([EXAMPLE_CORPUS], tmp_path / "out", notify=events.append, progress=events.append)
    assert events[:2] == ["loading the English pipeline", "loaded"]
    steps = [e for e in events if isinstance(e, ReadProgress)]
    total = sum(word_count(p.read_text(encoding="utf-8")) for p in EXAMPLE_CORPUS.glob("*.txt"))
    assert steps[0].words == 0 and steps[0].documents == 0  # reported before reading: the bar starts now
    assert steps[-1].documents == steps[-1].documents_total == 9
    assert steps[-1].words == steps[-1].words_total > total / 2
    assert [s.words for s in steps] == sorted(s.words for s in steps)
    assert len({s.words for s in steps}) == len(steps)  # every document moves the bar by its words

    events.clear()  # a rebuild of unchanged documents loads nothing and reads nothing
    build_graph([EXAMPLE_CORPUS], tmp_path / "out", notify=events.append, progress=events.append)
    assert events == []


def test_kg_build_says_what_it_loads_and_how_much_it_reads(tmp_path, extractor, monkeypatch):
    monkeypatch.setattr(build, "make_extractor", lambda config: extractor)
    result = CliRunner().invoke(cli, ["build", str(EXAMPLE_CORPUS), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "loading the English pipeline"
    assert lines[1].startswith("reading 9 documents (") and lines[1].endswith(" words)")
    quiet = CliRunner().invoke(cli, ["build", str(EXAMPLE_CORPUS), "--out", str(tmp_path / "q"), "-q"])
    assert "loading" not in quiet.stderr and "reading" not in quiet.stderr


def test_the_eta_waits_for_a_few_documents_and_uses_the_rate_since_reading_began(monkeypatch):
    clock = [100.0]
    monkeypatch.setattr("kg.cli_progress.time.monotonic", lambda: clock[0])
    shown = BuildProgress(file=io.StringIO())
    shown.progress(ReadProgress(1, 11, 500, 4500, cached=1, cached_words=500))  # the pipeline is loaded
    bar = shown._bar
    clock[0] = 105.0
    shown.progress(ReadProgress(3, 11, 1000, 4500, cached=1, cached_words=500))  # 2 read
    assert not bar.show_eta
    clock[0] = 110.0
    shown.progress(ReadProgress(4, 11, 1500, 4500, cached=1, cached_words=500))  # 3 read, 1000 words in 10 s
    assert bar.show_eta and bar.format_eta() == "00:00:30"  # 3000 words to go at 100 a second
    assert bar.length == 4000 and bar.pos == 1000
    shown.close()
