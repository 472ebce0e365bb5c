"""Attack events in a small build of sentences written for these tests: the saved query, the
timeline of a base, the sentences behind each event in SPARQL, and the shapes."""

from __future__ import annotations

import json

import pytest

from kg import KnowledgeGraph
from kg.query import run_saved
from kg.stores import open_source

STORIES = [
    {"id": "wire-1", "source": "Reuters", "date": "2021-07-08",
     "text": "BAGHDAD (Reuters) - Kataib Hezbollah fired four rockets at the Ain al-Asad air base on Wednesday, "
             "wounding two contractors.\n\nThe group's statement called the barrage a warning."},
    {"id": "wire-2", "source": "AP", "date": "2021-07-09",
     "text": "Rockets struck the Ain al-Asad air base on July 7, wounding two people, officials said.\n\n"
             "Two days later, on Friday, three rockets landed inside Camp Taji. No group claimed the attack.\n\n"
             "On Thursday, Saraya Awliya al-Dam said it had targeted the Harir air base with drones."},
]


@pytest.fixture(scope="module")
def build(tmp_path_factory, extractor):
    from kg.build import build_graph

    root = tmp_path_factory.mktemp("events")
    source = root / "stories.jsonl"
    source.write_text("".join(json.dumps(s) + "\n" for s in STORIES), encoding="utf-8")
    build_graph([source], root / "out", extractor=extractor)
    return root / "out"


def test_attacks_by_militia_answers_with_the_militia_and_month(build):
    rows = run_saved(open_source(build), "attacks-by-militia").rows
    found = {(str(r["militia"]), str(r["month"]), int(r["attacks"])) for r in rows}
    assert ("Kataib Hezbollah", "2021-07", 1) in found  # two reports, one attack
    assert ("Saraya Awliya al-Dam", "2021-07", 1) in found  # its own claim counts


def test_timeline_of_a_base_lists_the_attacks_it_suffered(build):
    g = KnowledgeGraph.open(build)
    asad = [str(e) for e in g.timeline("Ain al-Asad")]
    assert asad == ["2021-07-07  Ain al-Asad <-attacked- Kataib Hezbollah"]
    taji = g.timeline("Camp Taji", relations=["attacked"])  # no attacker named: still an attack the base suffered
    assert [str(e) for e in taji] == ["2021-07-09  Camp Taji <-attacked- an unnamed attacker"]
    assert "three rockets landed inside Camp Taji" in taji[0].step.evidence[0].sentence


def test_every_sentence_behind_an_event_is_in_sparql(build):
    rows = KnowledgeGraph.open(build).sparql("""
        SELECT ?sentence ?start ?source ?sources WHERE {
          ?a a kg:Attack ; kg:target ?t ; kg:sources ?sources ; kg:evidence ?e .
          ?t rdfs:label ?name .
          ?e kg:sentence ?sentence ; kg:start ?start ; kg:source ?source .
        } ORDER BY ?start""", name="Ain al-Asad")
    assert {r["source"] for r in rows} == {"Reuters", "AP"}
    assert {r["sources"] for r in rows} == {2}
    assert all("Ain al-Asad" in r["sentence"] for r in rows)


def test_the_build_conforms_to_the_shapes(build):
    from kg.validate import validate_build

    result = validate_build(build)
    assert result.conforms, result.report
