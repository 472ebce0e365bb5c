"""Claims, condemnations and backing told across a phrase, a list or a document.

Sentences written for these tests; each pins one shape of language.
"""

from __future__ import annotations

import pytest

from tests.conftest import triples

ONE_RELATION = [
    pytest.param("Hezbollah and other Iran-aligned groups have fired rockets at the base.",
                 ("Hezbollah", "backedBy", "Iran"), id="x-and-other-backed-groups"),
    pytest.param("Harakat al-Nujaba, an umbrella of a number of Iran-backed factions, issued a warning.",
                 ("Harakat Hezbollah al-Nujaba", "backedBy", "Iran"), id="umbrella-of-a-number-of"),
    pytest.param("A coalition of Iran-backed factions known as the Islamic Resistance in Iraq issued a warning.",
                 ("Islamic Resistance in Iraq", "backedBy", "Iran"), id="known-as"),
    pytest.param("Officials blamed Iranian proxies for the raids. The proxy groups — including the Houthis "
                 "and Kataib Hezbollah — denied it.",
                 ("Kataib Hezbollah", "backedBy", "Iran"), id="the-proxy-groups-told-before"),
    pytest.param("The Islamic Resistance in Iraq has claimed dozens of attacks on bases housing American troops.",
                 ("Islamic Resistance in Iraq", "claimed", "United States"), id="claim-on-bases-housing-troops"),
    pytest.param("Kataib Hezbollah said on Sunday it attacked several targets near the border, including the "
                 "Al-Tanf garrison.", ("Kataib Hezbollah", "claimed", "Al-Tanf garrison"), id="claim-of-a-listed-target"),
    pytest.param("Israeli jets struck Hezbollah positions near Tyre on Monday. "
                 "The strike drew condemnation from Iraq and Turkey.",
                 ("Turkey", "condemned", "Israel"), id="condemnation-as-a-noun"),
    pytest.param("Joint statement of the governments of Denmark and Norway\n"
                 "We condemn the Houthi attacks on merchant ships.",
                 ("Norway", "condemned", "Houthis"), id="we-of-a-joint-statement"),
    pytest.param("Yusuf al-Amin, a spokesman for Iraq's Popular Mobilization Forces, spoke on Monday.",
                 ("Yusuf al-Amin", "leaderOf", "Popular Mobilization Forces"), id="spokesman-for-a-states-group"),
    pytest.param("Several factions, including Kataib Hezbollah and the Badr Organization, are backed by Iran.",
                 ("Badr Organization", "backedBy", "Iran"), id="listed-in-the-subject-of-a-passive"),
    pytest.param("The Houthis fired missiles at a tanker. The Iran-aligned group said it hit the ship.",
                 ("Houthis", "backedBy", "Iran"), id="the-backed-group-told-before"),
    pytest.param("“We will answer,” said Ali Hamid, a spokesman for Iraq’s Popular Mobilization Forces umbrella "
                 "grouping of Iran-backed militias.", ("Popular Mobilization Forces", "backedBy", "Iran"),
                 id="umbrella-grouping-torn-by-the-parse"),
    pytest.param("Asaib Ahl al-Haq is funded by the Iraqi state.",
                 ("Asaib Ahl al-Haq", "backedBy", "Iraq"), id="the-demonym-state"),
    pytest.param("The Popular Mobilization Forces mourned the dead. The force's chairman, Falih al-Fayyadh, spoke.",
                 ("Falih al-Fayyadh", "leaderOf", "Popular Mobilization Forces"), id="the-forces-chairman"),
    pytest.param("Hassan Nasrallah was killed on Friday. Nasrallah's deputy, Naim Qassem, spoke on Monday.",
                 ("Naim Qassem", "leaderOf", "Hezbollah"), id="an-officials-deputy"),
    pytest.param("The Houthis receive weapons and training from Iran's Islamic Revolutionary Guard Corps.",
                 ("Houthis", "backedBy", "Islamic Revolutionary Guard Corps"), id="receives-from"),
    pytest.param("Ahmad al-Hamidawi serves as the secretary general of Kataib Hezbollah.",
                 ("Ahmad al-Hamidawi", "leaderOf", "Kataib Hezbollah"), id="serves-as"),
    pytest.param("He trained at Fort Carson, Colorado, before deploying.", ("Fort Carson", "locatedIn", "Colorado"),
                 id="base-comma-place"),
    pytest.param("Missiles hit the base at Ain al-Asad, in Anbar Province, in western Iraq.",
                 ("Ain al-Asad", "locatedIn", "Anbar"), id="base-comma-in-place"),
]


@pytest.mark.parametrize(("text", "relation"), ONE_RELATION)
def test_one_relation_from_one_shape(read, text, relation):
    assert relation in triples(read(text))


def test_the_strike_far_from_its_telling_is_the_documents_attack(read):
    graph = read("Missiles fired by the Islamic Revolutionary Guard Corps struck Erbil on Sunday. "
                 "Residents swept glass from the streets. Schools stayed shut. Flights were delayed. "
                 "Shops reopened in the afternoon. The governor toured the damage. Rockets had hit Erbil before. "
                 "Markets were calm. Banks opened late. Power returned by noon. Roads were reopened. "
                 "Iraq condemned the strike as a violation of its sovereignty.")
    assert ("Iraq", "condemned", "Islamic Revolutionary Guard Corps") in triples(graph)


def test_a_condemnation_cue_is_a_whole_word(read):
    graph = read("Rockets struck the Ain al-Asad air base. "
                 "Pentagon spokesman John Kirby said the group had run terrorist activities for years.")
    assert triples(graph, "condemned") == set()


def test_a_rank_and_a_demonym_lead_nothing(read):
    graph = read("An American drone killed Iranian Gen. Qassem Soleimani near the airport.")
    assert ("Qassem Soleimani", "leaderOf", "Iran") not in triples(graph)


def test_a_posts_city_after_the_name_the_model_found(read):
    graph = read("The American Embassy in Amman advised citizens to stay home.")
    assert ("American Embassy in Amman", "locatedIn", "Amman") in triples(graph)


def test_a_demonym_and_a_title_in_apposition_name_the_state(read):
    graph = read("Faisal Mekdad, the Syrian foreign minister, spoke in Damascus.")
    assert ("Faisal Mekdad", "leaderOf", "Syria") in triples(graph)


def test_a_base_placed_past_its_kind(read):
    graph = read("Drones struck the Tower 22 military base in Jordan.")
    assert ("Tower 22", "locatedIn", "Jordan") in triples(graph)


@pytest.mark.parametrize(("text", "hedged"), [
    pytest.param("Kataib Hezbollah fired rockets at the Ain al-Asad air base, according to Iraqi officials.", True,
                 id="according-to"),
    pytest.param("Washington claimed that Kataib Hezbollah attacked the Victory Base Complex.", True,
                 id="a-third-partys-claim"),
    pytest.param("Kataib Hezbollah allegedly attacked Camp Taji.", True, id="allegedly"),
    pytest.param("Kataib Hezbollah was suspected of attacking Camp Taji.", True, id="suspected"),
    pytest.param("Kataib Hezbollah attacked Camp Taji.", False, id="stated-plainly"),
])
def test_hedges_mark_the_statement(read, text, hedged):
    graph = read(text)
    [attack] = [r for r in graph.relations if r.predicate == "attacked"]
    assert attack.hedged is hedged


def test_an_owner_before_the_role_is_the_body(read):
    graph = read("Sean Parnell, the Pentagon's chief spokesman, said the strikes were defensive.")
    assert ("Sean Parnell", "leaderOf", "Pentagon") in triples(graph)


def test_the_group_is_never_a_state(read):
    graph = read("Israel struck a depot near Baghdad. The group's spokesman, Ali Hamid, denied it.")
    assert not any(o == "Israel" for _, p, o in triples(graph, "leaderOf"))


def test_encyclopedia_shapes(read):
    graph = read("Kataib Hezbollah is an Iraqi Shia paramilitary group. It is supported by Iran. "
                 "Asaib Ahl al-Haq was established in 2006 by Qais al-Khazali.")
    found = triples(graph)
    assert ("Kataib Hezbollah", "backedBy", "Iran") in found
    assert ("Qais al-Khazali", "leaderOf", "Asaib Ahl al-Haq") in found


def test_a_treasury_release(read):
    graph = read("Treasury Under Secretary Brian Nelson said the action disrupts the financing of Kataib Hezbollah. "
                 "Specially Designated Global Terrorist (SDGT) status was imposed.")
    assert ("Brian Nelson", "leaderOf", "US Department of the Treasury") in triples(graph)
    assert not any(e.name == "SDGT" for e in graph.entities.values())


def test_a_relative_clause_claims_for_its_antecedent(read):
    graph = read("Nujaba joined the Islamic Resistance in Iraq, an umbrella label that has since claimed attacks on "
                 "US bases in Iraq.")
    assert ("Islamic Resistance in Iraq", "claimed", "United States") in triples(graph)


def test_a_place_with_more_after_the_comma_places_nothing(read):
    graph = read("Troops left Camp Taji, Iraq's largest base, last year.")
    assert triples(graph, "locatedIn") == set()
