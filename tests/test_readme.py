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
