"""Roles as time-bounded facts: from the dictionary and the text, and questions as of a date."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import KGError
from kg.model import Document
from kg.resolve.aliases import resolve
from kg.tenure import Tenure, check_day, held_on


def roles_of(graph, holder: str):
    names = {e.id: e.name for e in graph.entities.values()}
    return [(names[r.body], r.title, r.start, r.end, r.source) for r in graph.roles if names[r.holder] == holder]


def read_all(extractor, *texts: tuple[str, str]):
    """Several documents (date, text), resolved together."""
    docs = [Document(f"d{i}.txt", f"d{i}.txt", text, date=day) for i, (day, text) in enumerate(texts)]
    return resolve(list(extractor.extract(docs)), extractor.actors)


def test_a_role_from_the_dictionary_keeps_its_dates_and_provenance(read):
    graph = read("Quds Force commander Esmail Qaani met Iraqi faction leaders in Baghdad.")
    assert ("Quds Force", "commander", "2020-01-03", None, "dictionary") in roles_of(graph, "Esmail Qaani")


def test_an_appointment_read_from_text_starts_a_role_on_the_sentences_date(read):
    graph = read("Kataib Hezbollah appointed Abu Fadak al-Mohammadawi as its chief of staff in February 2020.")
    text = [r for r in roles_of(graph, "Abu Fadak al-Mohammedawi") if r[4] == "text"]
    assert text == [("Kataib Hezbollah", "chief of staff", "2020-02", None, "text")]


def test_a_succession_starts_one_role_and_ends_the_other(read):
    graph = read("Hadi al-Amiri succeeded Qais al-Khazali as commander of Kataib Hezbollah on March 4, 2022.")
    assert [r for r in roles_of(graph, "Hadi al-Amiri") if r[4] == "text"] == \
        [("Kataib Hezbollah", "commander", "2022-03-04", None, "text")]
    assert [r[3] for r in roles_of(graph, "Qais al-Khazali") if r[4] == "text"] == ["2022-03-04"]


def test_a_death_ends_every_post_of_the_official(extractor):
    graph = read_all(extractor,
                     ("2022-01-10", "Hadi al-Amiri, the commander of Kataib Hezbollah, toured the border."),
                     ("2022-05-02", "Hadi al-Amiri was killed in a drone strike on May 1, 2022."))
    assert [(r[0], r[3]) for r in roles_of(graph, "Hadi al-Amiri") if r[4] == "text"] == \
        [("Kataib Hezbollah", "2022-05-01")]


def test_former_marks_a_post_held_before_the_story(read):
    graph = read("Former Kataib Hezbollah spokesman Samir Haddad was seen in Basra.", date="2023-02-01")
    [(body, title, _, end, _)] = [r for r in roles_of(graph, "Samir Haddad") if r[4] == "text"]
    assert (body, title, end) == ("Kataib Hezbollah", "spokesman", "2023-02-01")


def test_the_late_ends_a_post(extractor):
    graph = read_all(extractor,
                     ("2021-03-01", "Hadi al-Amiri, the commander of Kataib Hezbollah, toured the border."),
                     ("2022-06-01", "The late Hadi al-Amiri had trained many of the group's fighters."))
    assert [r[3] for r in roles_of(graph, "Hadi al-Amiri") if r[4] == "text"] == ["2022-06-01"]


def test_one_person_with_two_posts_and_his_titles_on_the_statements(extractor):
    graph = read_all(extractor,
                     ("2019-04-02", "Col. Ahmed Rashidi, spokesman for the Thar al-Qadisiya Brigade, denied the report."),
                     ("2023-08-09", "Maj. Gen. Ahmed Rashidi, commander of the Thar al-Qadisiya Brigade, visited Basra."))
    people = [e for e in graph.entities.values() if e.name == "Ahmed Rashidi"]
    assert len(people) == 1
    assert {r[1] for r in roles_of(graph, "Ahmed Rashidi")} == {"spokesman", "commander"}
    [leads] = [r for r in graph.relations if r.predicate == "leaderOf"]
    assert {e.title for e in leads.evidence} == {"Col., spokesman", "Maj. Gen., commander"}


def test_a_named_brigade_is_a_militia_not_a_place(read):
    graph = read("Maj. Gen. Ahmed Rashidi, commander of the Thar al-Qadisiya Brigade, visited Basra.")
    assert {e.name: e.type for e in graph.entities.values()}["Thar al-Qadisiya Brigade"] == "Militia"


def test_a_later_end_from_another_source_closes_an_open_role():
    told = Tenure("x", "y", "commander", None, None, "text")
    ended = Tenure("x", "y", "commander", "2018-01-01", "2020-01-03", "dictionary")
    assert held_on([told, ended], "2019-06-01") == [told, ended]
    assert held_on([told, ended], "2021-06-01") == []


@pytest.mark.parametrize("bad", ["June 2021", "2021-13-01", "2021-02-30", "yesterday"])
def test_a_bad_day_is_refused_in_one_line(bad):
    with pytest.raises(KGError, match="as_of"):
        check_day(bad)


@pytest.mark.parametrize("day, leader, not_leader", [("2021-06-01", "Esmail Qaani", "Qassem Soleimani"),
                                                     ("2019-06-01", "Qassem Soleimani", None)])
def test_kg_linked_as_of_names_who_led_the_quds_force_that_day(example_build, day, leader, not_leader):
    out, _ = example_build
    result = CliRunner().invoke(cli, ["linked", str(out), "Quds Force", "--relation", "leaderOf", "--as-of", day])
    assert result.exit_code == 0, result.output
    named = [line.split(". ", 1)[1].split(" (")[0] for line in result.output.splitlines() if line[:1].isdigit()]
    assert named[0] == leader
    assert not_leader is None or not_leader not in named


def test_without_as_of_leader_of_stays_the_plain_relation(example_build):
    out, _ = example_build
    result = CliRunner().invoke(cli, ["linked", str(out), "Quds Force", "--relation", "leaderOf", "--hops", "1"])
    assert "Qassem Soleimani" in result.output and "Esmail Qaani" in result.output


def test_paths_and_timeline_take_as_of(example_build):
    out, _ = example_build
    runner = CliRunner()
    later = runner.invoke(cli, ["paths", str(out), "Qassem Soleimani", "Quds Force", "--max-hops", "1",
                                "--as-of", "2021-06-01"])
    assert later.exit_code != 0 and "nothing links" in later.output
    before = runner.invoke(cli, ["paths", str(out), "Qassem Soleimani", "Quds Force", "--as-of", "2019-06-01"])
    assert before.exit_code == 0 and "-leaderOf->" in before.output
    timeline = runner.invoke(cli, ["timeline", str(out), "Esmail Qaani", "--as-of", "2021-12-01", "--json"])
    assert timeline.exit_code == 0 and "leaderOf" in timeline.output
    bad = runner.invoke(cli, ["linked", str(out), "Quds Force", "--as-of", "soon"])
    assert bad.exit_code != 0 and "Traceback" not in bad.output and "as_of" in bad.output


def test_saved_query_leaders_as_of_binds_the_date(example_build):
    out, _ = example_build
    runner = CliRunner()

    def leaders(day: str) -> set[str]:
        result = runner.invoke(cli, ["query", str(out), "--saved", "leaders-as-of", "--param", f"date={day}",
                                     "--format", "csv"])
        assert result.exit_code == 0, result.output
        return {line.split(",")[1] for line in result.output.splitlines()[1:] if line.startswith("Quds Force,")}

    assert leaders("2021-06-01") == {"Esmail Qaani"}
    assert "Qassem Soleimani" in leaders("2019-06-01")
    assert leaders('2021-06-01" } #') == set()  # bound as a value, never pasted into the query
