"""docs/model.md stays true: its pictures and table are the ontology's, its terms exist, its recipes run."""

from __future__ import annotations

import re

import pytest
from rdflib import Graph
from rdflib.namespace import OWL, RDF

from kg.config import DEFAULT_CONFIG
from kg.query import run
from kg.stores import open_build
from kg.vocab import KG
from tests.conftest import REPO
from tests.test_readme import load_regenerate

MODEL = REPO / "docs" / "model.md"


def recipes() -> list[str]:
    return re.findall(r"```sparql\n(.*?)```", MODEL.read_text(encoding="utf-8"), flags=re.S)


def test_the_generated_sections_match_the_ontology():
    text = MODEL.read_text(encoding="utf-8")
    assert load_regenerate().regenerate_model(text) == text, "run .venv/bin/python docs/regenerate.py"


def test_every_ontology_term_is_in_the_table_and_every_term_named_exists():
    onto = Graph().parse(DEFAULT_CONFIG.ontology_path)
    declared = {str(t).removeprefix(str(KG)) for kind in (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
                for t in onto.subjects(RDF.type, kind) if str(t).startswith(str(KG))}
    text = MODEL.read_text(encoding="utf-8")
    table = text.split("<!-- generated: table -->", 1)[1].split("<!-- end generated -->", 1)[0]
    assert {m for m in re.findall(r"`kg:(\w+)`", table)} == declared
    named = set(re.findall(r"\bkg:(\w+)", text))
    assert named <= declared, f"docs/model.md names terms the ontology lacks: {sorted(named - declared)}"


def test_there_are_five_recipes():
    assert len(recipes()) >= 5


@pytest.mark.parametrize("number", range(5))
def test_each_recipe_answers_on_the_example_build(example_build, number):
    out, _ = example_build
    query = recipes()[number]
    selected = re.search(r"SELECT\s+(?:DISTINCT\s+)?(.*?)\s+WHERE", query, flags=re.S).group(1)
    answer = run(open_build(out), query)
    assert answer.rows, f"recipe {number + 1} found nothing on the example build"
    assert list(answer.variables) == [v.lstrip("?") for v in selected.split()]
