"""The README's Python examples run as written, against the example corpus build."""

from __future__ import annotations

import doctest
import re

from tests.conftest import REPO


def python_blocks(text: str) -> list[str]:
    return re.findall(r"```python\n(.*?)```", text, flags=re.S)


def test_readme_python_examples_run_as_written(example_build, tmp_path, monkeypatch):
    out, _ = example_build
    (tmp_path / "exports").mkdir()
    (tmp_path / "exports" / "example").symlink_to(out)
    monkeypatch.chdir(tmp_path)  # the README says "exports/example"
    blocks = python_blocks((REPO / "README.md").read_text(encoding="utf-8"))
    assert blocks, "the README has no Python examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for number, block in enumerate(blocks):
        test = doctest.DocTestParser().get_doctest(block, {}, f"README block {number}", "README.md", 0)
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0


def load_regenerate():
    """docs/regenerate.py, the script that writes the README's console examples."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("regenerate_docs", REPO / "docs" / "regenerate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_readme_console_output_equals_a_fresh_build(extractor, monkeypatch):
    """Every `$ kg ...` of the README's console blocks, run on a fresh build of examples/corpus, prints
    what the README shows. When counts drift: `.venv/bin/python docs/regenerate.py`, then review the diff."""
    import difflib

    from kg import build

    monkeypatch.setattr(build, "make_extractor", lambda config: extractor)  # the session's pipeline
    regenerate = load_regenerate()
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    fresh = regenerate.readme_in_scratch(readme)
    diff = "".join(difflib.unified_diff(readme.splitlines(True), fresh.splitlines(True), "README.md", "fresh build"))
    assert fresh == readme, f"the README's console output is stale; run .venv/bin/python docs/regenerate.py\n{diff}"


def test_the_regeneration_keeps_truncation_and_leaves_server_blocks_alone():
    regenerate = load_regenerate()
    text = ("```console\n$ kg one\nold 1\nold 2\n...\n\n$ kg two\nstale\n```\n"
            "```console\n$ kg query --store http://127.0.0.1:1/sparql --saved backers\n$ kg query exports/shared\n```\n")
    printed = {"one": "a\nb\nc\nd\n", "two": "fresh\n(1 row)\n"}
    fresh = regenerate.regenerate_readme(text, run=lambda argv: printed[argv[1]])
    assert fresh == ("```console\n$ kg one\na\nb\n...\n\n$ kg two\nfresh\n(1 row)\n```\n"
                     "```console\n$ kg query --store http://127.0.0.1:1/sparql --saved backers\n$ kg query exports/shared\n```\n")
