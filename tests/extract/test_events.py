"""Attack events from sentences written for these tests: dates, attackers, general statements, merging."""

from __future__ import annotations

import pytest

from kg.model import Document


@pytest.fixture(scope="module")
def read_all(extractor):
    """read_all((text, date, source), ...) -> one resolved Graph of several documents."""
    from kg.resolve.aliases import resolve

    def read_all(*docs):
        documents = [Document(f"doc-{i}.txt", source, text, date=date) for i, (text, date, source) in enumerate(docs)]
        return resolve(list(extractor.extract(documents)), extractor.actors)

    return read_all


def names(graph, ids):
    return {graph.entities[i].name for i in ids if i}


def attacks_on(graph, name):
    return [a for a in graph.attacks if a.target and graph.entities[a.target].name == name]


def test_a_wire_dateline_is_not_the_attacker(read):
    graph = read("BAGHDAD (Reuters) - Kataib Hezbollah fired five rockets at Camp Taji on Sunday.")
    [attack] = graph.attacks
    assert names(graph, [attack.attacker]) == {"Kataib Hezbollah"}
    assert not any(graph.entities[r.subject].name == "Iraq" for r in graph.relations if r.predicate == "attacked")
    assert (attack.date, attack.weapon, attack.count) == ("2021-07-04", "rockets", 5)


def test_a_caption_dates_nothing_and_tells_of_no_attack(read):
    graph = read(
        "A photo taken on March 2, 2020, shows coalition soldiers clearing rubble after a strike at Camp Taji.\n\n"
        "Rockets struck Camp Taji, wounding two soldiers.")
    [attack] = graph.attacks
    assert attack.date is None  # neither the caption's day nor the document's
    assert attack.wounded == 2
    assert all("photo" not in e.sentence for e in attack.evidence)


def test_sunday_counts_back_from_the_storys_own_thursday_dateline(read):
    text = ("Forum digest\n\nBAGHDAD, July 8, 2021 — Rockets struck the Ain al-Asad air base on Sunday, "
            "the coalition said.")
    graph = read(text, date="2021-07-20")  # the thread was saved later; the story is dated Thursday 8 July
    [attack] = graph.attacks
    assert attack.date == "2021-07-04"


def test_a_stated_day_beats_its_weekday(read):
    graph = read("On Thursday, March 3, drones struck the Ain al-Asad air base.", date="2022-03-05")
    assert [a.date for a in graph.attacks] == ["2022-03-03"]


def test_a_stated_year_wins_over_the_document_date(read):
    graph = read("In 2017, Kataib Hezbollah fired rockets at the K1 air base.")
    [attack] = graph.attacks
    assert attack.date == "2017"


def test_a_year_is_written_with_its_precision():
    from kg.model import Attack
    from kg.rdf import attack_quads
    from kg.vocab import KG

    quads = {(p, str(o)) for _, p, o, _ in attack_quads(Attack("a", "k1", date="2017"))}
    assert (KG.date, "2017-01-01") in quads and (KG.datePrecision, "year") in quads


@pytest.mark.parametrize("text", [
    "Attacks on US forces have continued since October, and the militias show no sign of stopping.",
    "Militias have launched more than 150 attacks on the Ain al-Asad air base and other US bases.",
    "Dozens of attacks have targeted Camp Taji over the past year.",
    "Each attack against the Iraqi government weakens the state, the minister said.",
])
def test_a_general_statement_gives_no_event(read, text):
    assert read(text).attacks == []


def test_two_reports_of_one_attack_in_two_documents_are_one_event(read_all):
    graph = read_all(
        ("Kataib Hezbollah fired six rockets at Camp Taji on Wednesday.", "2020-03-12", "Reuters"),
        ("Six rockets hit Camp Taji on March 11, killing two soldiers.", "2020-03-13", "AP"),
        ("Quoted from a wire:\n\nBAGHDAD (Reuters) - Kataib Hezbollah fired six rockets at Camp Taji on Wednesday.",
         "2020-03-14", "some-forum"),
    )
    [attack] = attacks_on(graph, "Camp Taji")
    assert (attack.date, attack.killed, attack.count) == ("2020-03-11", 2, 6)
    assert names(graph, [attack.attacker]) == {"Kataib Hezbollah"}
    assert len(attack.evidence) == 3  # every sentence that told of it
    assert attack.corroboration == 2  # Reuters and AP: the forum's repost of Reuters counts once


def test_two_attacks_on_one_base_on_different_days_stay_apart(read):
    graph = read("Rockets struck Camp Taji on Wednesday. Three days later, on Saturday, a second barrage of rockets "
                 "hit Camp Taji, wounding three soldiers.", date="2020-03-14")
    attacks = sorted(attacks_on(graph, "Camp Taji"), key=lambda a: a.date)
    assert [(a.date, a.wounded) for a in attacks] == [("2020-03-11", None), ("2020-03-14", 3)]


def test_a_different_attacker_is_a_different_attack(read):
    graph = read("On Friday, Kataib Hezbollah fired rockets at Camp Taji, and the Islamic State attacked Camp Taji "
                 "with mortars.", date="2020-03-14")
    assert len(attacks_on(graph, "Camp Taji")) == 2


def test_a_listed_series_gives_one_event_per_target_and_day(read):
    graph = read("Recent rocket attacks have included ones on Balad Air Base on April 4 and May 3, 2021; "
                 "and Ain al-Asad air base on May 24, 2021.", date="2021-06-29")
    told = sorted((graph.entities[a.target].name, a.date) for a in graph.attacks)
    assert ("Ain al-Asad", "2021-05-24") in told
    assert len([t for t in told if t[1] in ("2021-04-04", "2021-05-03")]) == 2


def test_listed_victims_add_up_and_a_named_victim_counts(read):
    graph = read("On Monday a militia fired a rocket at Camp Taji, wounding a soldier and four contractors.")
    assert [a.wounded for a in graph.attacks] == [5]
    graph = read("On Monday an American drone strike in Baghdad killed General Qassem Soleimani.")
    assert [a.killed for a in graph.attacks] == [1]


def test_an_undated_telling_joins_the_documents_latest_attack_on_that_target(read):
    graph = read("Rockets struck Camp Taji on Wednesday. On Saturday more rockets hit Camp Taji. "
                 "Two soldiers were wounded in the attack at Camp Taji, officials said.", date="2020-03-14")
    attacks = sorted(attacks_on(graph, "Camp Taji"), key=lambda a: a.date)
    assert [(a.date, a.wounded, len(a.evidence)) for a in attacks] == [("2020-03-11", None, 1), ("2020-03-14", 2, 2)]


def test_a_holiday_is_the_last_one_before_the_story():
    from kg.extract.dates import mentioned_date

    assert mentioned_date("a soldier wounded in an attack on Christmas Day", "2024-01-28") == "2023-12-25"


def test_a_day_written_as_year_month_day_dates_the_attack(read):
    """"2020-03-11" has no month name to check: it once raised KeyError and the whole document was skipped."""
    from kg.extract.dates import mentioned_date

    assert mentioned_date("rockets hit the base on 2020-03-11, officials said", "2020-03-14") == "2020-03-11"
    graph = read("Kataib Hezbollah fired rockets at Camp Taji on 2020-03-11, officials said.", date="2020-03-14")
    assert [a.date for a in attacks_on(graph, "Camp Taji")] == ["2020-03-11"]


def test_unnamed_gunmen_killing_people_at_a_place_is_an_attack(read):
    graph = read("On Monday gunmen killed two contractors in Basra.")
    [attack] = graph.attacks
    assert (names(graph, [attack.place]), attack.attacker, attack.killed, attack.date) == ({"Basra"}, None, 2, "2021-07-05")


def test_a_death_with_no_attacker_is_no_attack(read):
    assert read("A contractor was killed in Basra on Monday, his employer said.").attacks == []
