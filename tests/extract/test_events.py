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


def test_a_base_described_first_is_the_base_named_next(read):
    graph = read("Rockets slammed into a base hosting American soldiers north of Mosul on Monday, police sources said. "
                 "Three guards were hurt in the attack at Balad Air Base.", date="2024-02-01")
    [attack] = graph.attacks
    assert names(graph, [attack.target]) == {"Balad Air Base"}
    assert (attack.date, attack.wounded) == ("2024-01-29", 3)
    assert len(attack.evidence) == 2


def test_a_described_base_waits_only_for_a_telling_without_a_day_of_its_own(read):
    graph = read("Rockets slammed into a base hosting American soldiers on Monday, police sources said. "
                 "On Saturday, drones struck Balad Air Base.", date="2024-02-01")
    assert sorted(a.date for a in graph.attacks) == ["2024-01-27", "2024-01-29"]
    assert [a.date for a in attacks_on(graph, "Balad Air Base")] == ["2024-01-27"]


def test_early_on_the_day_after_the_story_is_the_small_hours_where_it_happened(read):
    graph = read("Iran fired missiles at Balad Air Base early Wednesday, state media said.", date="2020-01-07")
    assert [a.date for a in graph.attacks] == ["2020-01-08"]  # a Tuesday story: not the Wednesday before


def test_strikes_prompted_against_what_officials_called_depots_of_a_group(read):
    graph = read("The barrage prompted American airstrikes on Friday against what officials said were "
                 "mainly depots belonging to Kataib Hezbollah.", date="2024-02-01")
    [attack] = graph.attacks
    assert names(graph, [attack.target, attack.attacker]) == {"Kataib Hezbollah", "United States"}
    assert attack.date == "2024-01-26"


def test_a_sentence_that_refers_back_lends_the_attack_none_of_its_own_weapons(read):
    graph = read("Rockets hit Balad Air Base on Wednesday. On Friday American jets bombed depots of "
                 "Kataib Hezbollah, which officials held responsible.", date="2024-02-01")
    [on_base] = attacks_on(graph, "Balad Air Base")
    assert (on_base.date, on_base.weapon) == ("2024-01-31", "rockets")
    assert names(graph, [on_base.attacker]) == {"Kataib Hezbollah"}  # the referring telling joined it
    assert len(on_base.evidence) == 2


def test_a_thwarted_attack_was_still_an_attack_and_the_clause_dates_it(read):
    graph = read("Crowds mourned the fighters killed in US strikes on June 20, after a drone attack against the "
                 "Americans was thwarted on Monday.", date="2021-07-08")
    thwarted = attacks_on(graph, "United States")
    assert [a.date for a in thwarted] == ["2021-07-05"]  # its own clause's Monday, not the strikes' June 20


def test_a_threatened_or_prevented_attack_is_none(read):
    graph = read("The militia threatened to attack Balad Air Base. Guards prevented an attack on Camp Taji.")
    assert graph.attacks == []


def test_last_week_is_the_month_that_holds_it(read):
    graph = read("As recently as last week, American jets struck depots in Iraq used by Kataib Hezbollah.",
                 date="2024-01-28")
    [attack] = graph.attacks
    assert (names(graph, [attack.target]), attack.date) == ({"Kataib Hezbollah"}, "2024-01")


def test_the_toll_of_the_attack_told_later_is_the_attacks(read):
    graph = read("Drones struck Balad Air Base on Sunday. Officials said more than 40 troops were wounded in "
                 "the attack.", date="2024-02-01")
    [attack] = graph.attacks
    assert (attack.date, attack.wounded) == ("2024-01-28", 40)


def test_the_attack_takes_the_day_the_text_gave_it_before(read):
    graph = read("Details of the Sunday attack emerged slowly. The attack hit a small outpost in northeastern "
                 "Jordan known as Tower 22.", date="2024-01-29")
    [attack] = graph.attacks
    assert (names(graph, [attack.target]), attack.date) == ({"Tower 22"}, "2024-01-28")


def test_a_group_that_killed_people_somewhere_attacked_there(read):
    graph = read("Hamas gunmen killed a US citizen in the West Bank in 2015.")
    [attack] = graph.attacks
    assert names(graph, [attack.attacker, attack.place]) == {"Hamas", "West Bank"}
    assert (attack.target, attack.date) == (None, "2015")



def test_the_attack_a_claim_names_is_the_one_just_told(read):
    graph = read("TEHRAN, Jan. 9, 2020 — Iran launched a barrage of missiles at two Iraqi bases early on Wednesday. "
                 "The Revolutionary Guard Corps claimed responsibility for the attack on Balad Air Base.")
    assert [a.date for a in attacks_on(graph, "Balad Air Base")] == ["2020-01-08"]
