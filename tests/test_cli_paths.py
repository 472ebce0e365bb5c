"""`kg linked`, `kg paths` and `kg timeline`: readable by a person, --json for scripts."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from tests.paths_sample import write_build

from kg.cli import cli


@pytest.fixture(scope="module")
def build(tmp_path_factory):
    return str(write_build(tmp_path_factory.mktemp("cli") / "build"))


def kg(*args: str):
    return CliRunner().invoke(cli, list(args))


def test_kg_linked(build):
    result = kg("linked", build, "KH", "--hops", "2", "--type", "State")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Kataib Hezbollah (Militia): 2 linked within 2 hops",
        "",
        "1. Iran (State, Q794): 1 hop, 1 path",
        "     Kataib Hezbollah -backedBy-> Iran",
        '       2020-01-05  "US officials accused Iran of arming Kataib Hezbollah."  '
        "[wire-2020-01-05, hedged, confidence 0.7]",
        '       2021-07-08  "Kataib Hezbollah, which is backed by Iran, denied involvement."  '
        "[reuters-2021-07-08, confidence 0.9]",
        "",
        "2. Iraq (State, Q796): 2 hops, 1 path",
        "     Kataib Hezbollah -attacked-> Ain al-Asad -locatedIn-> Iraq",
        "       Kataib Hezbollah -attacked-> Ain al-Asad",
        '         2021-07-07  "Kataib Hezbollah fired 14 rockets at Ain al-Asad on Wednesday."  [ap-2021-07-07]',
        "       Ain al-Asad -locatedIn-> Iraq",
        '         2021-07-07  "Ain al-Asad, a base in western Iraq, hosts US troops."  [ap-2021-07-07]',
    ]


def test_kg_linked_json(build):
    result = kg("linked", build, "Kataib Hezbollah", "--relation", "backedBy", "--relation", "condemned", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["entity"]["id"] == "kataib-hezbollah"
    assert [link["entity"]["name"] for link in data["links"]] == ["Iran", "Yahya Rasool"]
    assert data["links"][1]["paths"][0]["steps"][0]["text"] == "Kataib Hezbollah <-condemned- Yahya Rasool"


def test_kg_linked_since_until(build):
    result = kg("linked", build, "KH", "--since", "2021-07-08", "--until", "2021-07-08", "--json")
    assert [link["entity"]["name"] for link in json.loads(result.stdout)["links"]] == ["Iran"]


def test_kg_paths(build):
    result = kg("paths", build, "Iran", "Ain al-Asad", "--max-hops", "4")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[:3] == [
        "1 shortest path from Iran to Ain al-Asad (2 hops)",
        "",
        "1. Iran <-backedBy- Kataib Hezbollah -attacked-> Ain al-Asad",
    ]
    assert '       2021-07-07  "Kataib Hezbollah fired 14 rockets at Ain al-Asad on Wednesday."  [ap-2021-07-07]' \
        in lines


def test_kg_paths_json(build):
    result = kg("paths", build, "iran", "al muhandis revenge brigade", "--json")
    (path,) = json.loads(result.stdout)
    assert path["text"] == ("Iran <-backedBy- Kataib Hezbollah -attacked-> Ain al-Asad "
                            "<-claimed- Al-Muhandis Revenge Brigade")
    assert [step["forward"] for step in path["steps"]] == [False, True, False]


def test_kg_paths_none_within_max_hops(build):
    result = kg("paths", build, "Iran", "Al-Muhandis Revenge Brigade", "--max-hops", "2")
    assert result.exit_code == 1
    assert result.stderr == "Error: nothing links Iran and Al-Muhandis Revenge Brigade within 2 hops\n"
    assert result.stdout == ""


def test_kg_timeline(build):
    result = kg("timeline", build, "Kata'ib Hizballah")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:4] == [
        "Kataib Hezbollah (Militia): 4 events",
        "",
        "2020-01-05  Kataib Hezbollah -backedBy-> Iran (hedged)",
        '            "US officials accused Iran of arming Kataib Hezbollah."  [wire-2020-01-05, hedged, confidence 0.7]',
    ]


def test_kg_timeline_json(build):
    data = json.loads(kg("timeline", build, "Ain al-Asad", "--json").stdout)
    assert [(e["date"], e["step"]["text"]) for e in data["events"]] == [
        ("2021-07-07", "Ain al-Asad <-attacked- Kataib Hezbollah"),
        ("2021-07-07", "Ain al-Asad -locatedIn-> Iraq"),
        ("2021-07-10", "Ain al-Asad <-claimed- Al-Muhandis Revenge Brigade"),
    ]


@pytest.mark.parametrize("args", [
    ("linked", "{build}", "Kata Hezb"),
    ("paths", "{build}", "Kata Hezb", "Iran"),
    ("timeline", "{build}", "Kata Hezb"),
])
def test_unknown_name_gives_suggestions_not_a_traceback(build, args):
    result = kg(*(a.format(build=build) for a in args))
    assert result.exit_code == 1
    assert result.stderr == "Error: no entity 'Kata Hezb'; did you mean Kataib Hezbollah?\n"


def test_a_folder_without_a_build(tmp_path):
    result = kg("linked", str(tmp_path), "KH")
    assert result.exit_code == 1
    assert "is not a militia-kg build" in result.stderr and "kg build" in result.stderr


def test_bad_options_are_usage_errors(build):
    assert kg("linked", build, "KH", "--hops", "0").exit_code == 2
    assert "'funded' is not one of" in kg("linked", build, "KH", "--relation", "funded").stderr
    assert kg("linked", build, "KH", "--since", "July").stderr == (
        "Error: since must be a date like 2021, 2021-07 or 2021-07-07, not 'July'\n")


@pytest.mark.parametrize("command", ["linked", "paths", "timeline"])
def test_every_command_has_help_with_an_example(command):
    result = kg(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "--json" in result.stdout
