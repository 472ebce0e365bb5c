"""Page furniture is data (ontology/furniture.toml): every entry says what it removes, a new pattern needs no
Python edit, a broken file is one clear error, and kg.ingest reads month names where kg.extract does."""

from __future__ import annotations

import ast
import re
import tomllib
from pathlib import Path

import pytest

from kg.ingest import clean_text
from kg.ingest.furniture import FURNITURE_PATH, furniture, load_furniture
from kg.ingest.paragraphs import paragraphs

REPO = Path(__file__).resolve().parent.parent


def test_every_pattern_says_what_it_removes_and_compiles_alone():
    data = tomllib.loads(FURNITURE_PATH.read_text(encoding="utf-8"))
    for kind in ("line", "inline", "quote_header"):
        assert data[kind], kind
        for entry in data[kind]:
            assert set(entry) == {"pattern", "removes"}, entry
            assert len(entry["removes"].split()) >= 2, entry  # a note, not a label
    assert "script" in data["html"]["chrome_tags"]


def test_the_patterns_are_read_and_compiled_once_per_process():
    assert furniture() is furniture()
    assert furniture(FURNITURE_PATH) is furniture(FURNITURE_PATH)


def with_entry(tmp_path: Path, entry: str) -> Path:
    path = tmp_path / "furniture.toml"
    path.write_text(FURNITURE_PATH.read_text(encoding="utf-8") + "\n" + entry, encoding="utf-8")
    return path


def test_a_new_line_pattern_is_an_entry_in_the_data_file(tmp_path):
    lines = ["Three drones hit the depot.", "Listen to this article: 4 min", "No one was hurt."]
    assert paragraphs(lines, furniture()) == lines  # not furniture yet
    custom = load_furniture(with_entry(tmp_path, """
[[line]]
removes = "audio player labels: 'Listen to this article: 4 min'"
pattern = '''listen to this article\\W*(?:\\d+ min)?'''
"""))
    assert paragraphs(lines, custom) == ["Three drones hit the depot.", "No one was hurt."]


def test_a_new_inline_pattern_may_use_the_fragments(tmp_path):
    custom = load_furniture(with_entry(tmp_path, """
[[inline]]
removes = "an edit stamp after a post: '(edited 12:40 PM)'"
pattern = '''\\s*\\(edited {time}\\)'''
"""))
    assert paragraphs(["Rockets fell on the base (edited 12:40 PM)"], custom) == ["Rockets fell on the base"]


def test_a_new_html_chrome_tag_is_data_too(tmp_path):
    path = tmp_path / "furniture.toml"
    path.write_text(FURNITURE_PATH.read_text(encoding="utf-8").replace('"audio",', '"audio", "dialog",'),
                    encoding="utf-8")
    assert "dialog" in load_furniture(path).chrome_tags
    assert "dialog" not in furniture().chrome_tags


@pytest.mark.parametrize("entry, says", [
    ("[[line]]\nremoves = 'a broken pattern'\npattern = '''(unclosed'''\n", "line entry"),
    ("[[line]]\nremoves = 'a typo in a fragment'\npattern = '''{tyme}'''\n", "unknown fragment {tyme}"),
    ("[[inline]]\npattern = '''no note'''\n", "needs a 'pattern' and a 'removes' note"),
])
def test_a_broken_entry_is_one_clear_error_naming_it(tmp_path, entry, says):
    with pytest.raises(ValueError, match=re.escape(says)) as caught:
        load_furniture(with_entry(tmp_path, entry))
    assert str(tmp_path) in str(caught.value) and "\n" not in str(caught.value)


def test_a_file_that_is_not_toml_is_one_clear_error(tmp_path):
    path = tmp_path / "furniture.toml"
    path.write_text("[[line]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read furniture patterns"):
        load_furniture(path)


def test_quantifiers_are_not_taken_for_fragments():
    """{1,4} in a pattern is a regular-expression count, never a fragment's name."""
    assert clean_text("By JANE Q. WRITER\n\nTwo drones hit.") == "Two drones hit."


def test_ingest_imports_nothing_downstream_and_reads_month_names_from_kg_months():
    downstream = ("kg.extract", "kg.resolve", "kg.nlp", "kg.rdf", "kg.store", "kg.build", "kg.export", "kg.cli")
    for module in sorted((REPO / "kg" / "ingest").glob("*.py")):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        names = [alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names]
        names += [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
        assert not [n for n in names if n.startswith(downstream)], module.name
    for path in ("kg/ingest/dates.py", "kg/extract/dates.py", "kg/ingest/furniture.py"):
        assert "from kg.months import" in (REPO / path).read_text(encoding="utf-8"), path
    assert "def month_number" not in (REPO / "kg/extract/dates.py").read_text(encoding="utf-8")
