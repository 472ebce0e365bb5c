"""Attacks told through their frame: the clause that holds an attack's phrase names who carried it out.

Sentences written for these tests; each pins one shape of language, not one document.
"""

from __future__ import annotations

import pytest

from tests.conftest import triples

ATTACKED = [
    pytest.param("Badr fighters killed four Turkish soldiers in a mortar attack near Dohuk.",
                 ("Badr Organization", "attacked", "Turkey"), id="casualties-of-a-states-personnel"),
    pytest.param("Tehran answered with a salvo of missile strikes on American troops in Syria.",
                 ("Iran", "attacked", "United States"), id="attack-noun-in-a-with-phrase"),
    pytest.param("Washington launched airstrikes targeting Harakat al-Nujaba near Baghdad on Friday.",
                 ("United States", "attacked", "Harakat Hezbollah al-Nujaba"), id="acl-verb-on-a-light-verbs-noun"),
    pytest.param("An Iranian drone strike on the Harir air base wounded two contractors.",
                 ("Iran", "attacked", "Harir Air Base"), id="demonym-on-the-attack-noun"),
    pytest.param("The Israeli military said it struck Hezbollah positions in southern Lebanon overnight.",
                 ("Israel", "attacked", "Hezbollah"), id="pronoun-in-reported-speech-is-the-speaker"),
    pytest.param("A militia commander was killed by an American drone at Erbil International Airport.",
                 ("United States", "attacked", "Erbil International Airport"), id="passive-killing-at-a-base"),
    pytest.param("Asaib Ahl al-Haq carried out a car bombing at the Swedish embassy in Baghdad.",
                 ("Asaib Ahl al-Haq", "attacked", "Swedish embassy in Baghdad"), id="light-verb-holds-the-target"),
]


@pytest.mark.parametrize(("text", "relation"), ATTACKED)
def test_attack_frame(read, text, relation):
    assert relation in triples(read(text))


def test_soldiers_killed_at_a_named_base_make_the_base_the_target(read):
    graph = read("Kataib Hezbollah gunmen killed two U.S. soldiers in a rocket attack on the K1 air base.")
    attacked = triples(graph, "attacked")
    assert ("Kataib Hezbollah", "attacked", "K-1 Air Base") in attacked
    assert ("Kataib Hezbollah", "attacked", "United States") not in attacked


def test_a_place_that_names_what_was_hit_is_no_target(read):
    graph = read("Houthi missiles struck Red Sea shipping again on Tuesday.")
    assert not any(o == "Red Sea" for _, _, o in triples(graph, "attacked"))


def test_a_killed_person_is_no_target(read):
    graph = read("Kataib Hezbollah gunmen killed Hisham al-Hashimi outside his home.")
    assert triples(graph, "attacked") == set()


def test_a_base_is_placed_by_in_inside_its_name_only(read):
    graph = read("Protesters gathered at the U.S. Embassy in Amman. Rockets hit Erbil airport.")
    placed = triples(graph, "locatedIn")
    assert ("U.S. Embassy in Amman", "locatedIn", "Amman") in placed
    assert not any(s == "Erbil International Airport" for s, _, _ in placed)


def test_a_described_outpost_is_not_a_named_base(read):
    graph = read("A drone struck a small US outpost in the desert.")
    assert not [e for e in graph.entities.values() if e.type == "Base"]


MORE_ATTACKED = [
    pytest.param("Israel has carried out hundreds of air strikes in Syria against Iranian forces and Hezbollah fighters.",
                 {("Israel", "attacked", "Iran"), ("Israel", "attacked", "Hezbollah")}, id="counted-strikes-coordinated-targets"),
    pytest.param("Turkey is continuing its campaign in northern Iraq against the PKK.",
                 {("Turkey", "attacked", "Kurdistan Workers' Party")}, id="its-campaign-against"),
    pytest.param("The US-led coalition against the Islamic State group withdrew from the base.",
                 {("US-led coalition", "attacked", "Islamic State")}, id="a-body-set-against-a-group"),
    pytest.param("An American drone strike hit a car inside a Kataib Hezbollah compound near Baghdad.",
                 {("United States", "attacked", "Kataib Hezbollah")}, id="a-groups-compound-is-the-group"),
]


@pytest.mark.parametrize(("text", "relations"), MORE_ATTACKED)
def test_more_attack_shapes(read, text, relations):
    assert relations <= triples(read(text))


def test_a_car_hit_in_a_town_gives_the_town_no_attack(read):
    assert triples(read("A drone hit a car in Baghdad on Monday."), "attacked") == set()


@pytest.mark.parametrize(("text", "hedged"), [
    pytest.param("Rockets hit Camp Taji on Wednesday. Kataib Hezbollah was responsible for the attack.", False,
                 id="was-responsible-for"),
    pytest.param("Rockets hit Camp Taji on Wednesday. Officials held Kataib Hezbollah responsible.", True,
                 id="held-responsible"),
    pytest.param("Rockets hit Camp Taji on Wednesday. Officials blamed Kataib Hezbollah, the Iran-backed militia "
                 "group believed to be responsible.", True, id="believed-to-be-responsible"),
])
def test_responsibility_names_the_attacker(read, text, hedged):
    graph = read(text)
    [attack] = [r for r in graph.relations if r.predicate == "attacked"]
    assert (graph.entities[attack.subject].name, graph.entities[attack.object].name) == ("Kataib Hezbollah", "Camp Taji")
    assert attack.hedged is hedged


def test_blame_does_not_hedge_what_describes_the_blamed(read):
    graph = read("Officials blamed Kataib Hezbollah, the Iran-backed militia group, for the rockets.")
    [backing] = [r for r in graph.relations if r.predicate == "backedBy"]
    assert backing.hedged is False


def test_a_navys_ship_stands_for_its_state_and_is_no_entity(read):
    graph = read("The Houthis launched a ballistic missile at the USS Mason in the Red Sea on Tuesday.")
    assert ("Houthis", "attacked", "United States") in triples(graph)
    assert not any("Mason" in e.name for e in graph.entities.values())


def test_rockets_into_a_state_attack_it_but_troops_into_a_town_do_not(read):
    assert ("Hezbollah", "attacked", "Israel") in triples(read("Hezbollah fired dozens of rockets into northern Israel."))
    assert triples(read("Israeli troops fired into Gaza City."), "attacked") == set()


def test_the_rockets_launched_by_a_group_are_the_attack_told_before(read):
    graph = read("Rockets hit Camp Taji on Monday. Iraqi officials said the rockets were launched by Kataib Hezbollah.")
    assert ("Kataib Hezbollah", "attacked", "Camp Taji") in triples(graph)


def test_killing_a_groups_named_commander_attacks_the_group(read):
    graph = read("Israel killed Hezbollah commander Fuad Shukr in a strike on Monday.")
    assert ("Israel", "attacked", "Hezbollah") in triples(graph)


def test_bases_housing_a_states_troops_are_that_states(read):
    graph = read("Iran launched ballistic missiles at two Iraqi bases housing American troops on Wednesday.")
    assert ("Iran", "attacked", "United States") in triples(graph)
    assert ("Iran", "attacked", "Iraq") not in triples(graph)


def test_an_officials_forces_are_the_force_he_leads(read):
    graph = read("Qassem Soleimani, the commander of the Quds Force, spoke. Soleimani's forces attacked American "
                 "troops in Syria.")
    assert ("Quds Force", "attacked", "United States") in triples(graph)


def test_an_attack_that_names_an_unmodelled_target_borrows_none(read):
    graph = read("Washington pressed its sanctions campaign against Iran. "
                 "Kataib Hezbollah was blamed for attacks on oil tankers near the Gulf.")
    assert ("Kataib Hezbollah", "attacked", "Iran") not in triples(graph)
