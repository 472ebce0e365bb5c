"""Entity typing and alias resolution, from sentences written for these tests."""

from __future__ import annotations


def names_and_types(graph):
    return {(e.name, e.type) for e in graph.entities.values()}


def test_known_groups_are_militias_not_people(read):
    graph = read("Kata'ib Hizballah and Asa'ib Ahl al-Haq rejected the deal.")
    assert {("Kataib Hezbollah", "Militia"), ("Asaib Ahl al-Haq", "Militia")} <= names_and_types(graph)


def test_spellings_and_acronyms_merge_into_one_node(read):
    graph = read("Kataib Hezbollah fired first. Kata'ib Hizballah later denied it, "
                 "and a KH commander spoke to reporters.")
    militias = [e for e in graph.entities.values() if e.type == "Militia"]
    assert [e.name for e in militias] == ["Kataib Hezbollah"]


def test_us_spellings_are_one_state(read):
    graph = read("The U.S. said the United States would respond; US officials agreed.")
    assert [e.name for e in graph.entities.values() if e.type == "State"] == ["United States"]


def test_unknown_group_is_typed_by_its_name(read):
    graph = read("A group calling itself the Martyr Abu Ali Revenge Brigades fired two rockets.")
    assert any(e.type == "Militia" and "Revenge Brigades" in e.name for e in graph.entities.values())


def test_unknown_official_is_typed_by_title(read):
    graph = read("Brigadier General Yusuf Haddad said the perimeter held.")
    assert ("Yusuf Haddad", "Official") in names_and_types(graph)


def test_surname_refers_back_to_the_full_name(read):
    graph = read("Brigadier General Yusuf Haddad visited the site. Haddad said the perimeter held.")
    officials = [e for e in graph.entities.values() if e.type == "Official"]
    assert [e.name for e in officials] == ["Yusuf Haddad"]


def test_photo_credits_and_platforms_are_not_entities(read):
    graph = read("The commander spoke on Twitter on Monday.")
    assert "Twitter" not in {e.name for e in graph.entities.values()}


# ------------------------------------------------------------------ entity shapes that hold on new text

def test_a_numbered_unit_is_a_states_organization_not_a_militia(read):
    graph = read("Soldiers of the 101st Airborne Division and the 3rd Infantry Brigade were hurt.")
    types = {e.name: e.type for e in graph.entities.values()}
    assert types.get("101st Airborne Division") == "Organization"
    assert "Militia" not in types.values()


def test_every_sovereign_state_is_a_state(read):
    graph = read("Diplomats from Kenya, Peru and Malaysia met in Nairobi.")
    types = {e.name: e.type for e in graph.entities.values()}
    assert types["Kenya"] == types["Peru"] == types["Malaysia"] == "State"


def test_a_titled_name_the_model_calls_an_organization_is_an_official(read):
    graph = read("Prime Minister Kyriakos Mitsotakis of Greece spoke on Monday.")
    types = {e.name: e.type for e in graph.entities.values()}
    assert types.get("Kyriakos Mitsotakis") == "Official"


def test_a_fort_is_a_base_and_a_salutation_names_no_one(read):
    graph = read("Dear Madam President:\nThe soldiers were based at Fort Carson, Colorado.")
    types = {e.name: e.type for e in graph.entities.values()}
    assert types.get("Fort Carson") == "Base"
    assert not any("Madam" in name for name in types)


def test_a_capital_standing_for_its_government_is_no_place(read):
    graph = read("Officials met on Monday. Tehran denied any role, and Moscow called the strike illegal. "
                 "Reporters in Beirut waited.")
    names = {e.name for e in graph.entities.values() if e.type == "Location"}
    assert "Beirut" in names
    assert not names & {"Tehran", "Moscow"}


def test_a_possessive_inside_a_name_ends_it(read):
    graph = read("Officials read the Islamic Resistance in Iraq’s Telegram channel on Monday.")
    assert not any("Telegram" in e.name for e in graph.entities.values())


def test_a_hyphenated_acronym_in_the_dictionary_is_found(read):
    graph = read("Kataib Hezbollah receives funding and weapons from the IRGC-QF.")
    assert "Quds Force" in {e.name for e in graph.entities.values()}


def test_a_surname_that_reads_like_a_place_is_the_official(read):
    graph = read("Abu Bakr al-Baghdadi led the Islamic State. The death of Baghdadi came in 2019.")
    assert not [e for e in graph.entities.values() if e.type == "Location"]


def test_a_groups_name_without_its_place_is_the_same_group(read):
    graph = read("The Islamic Resistance in Iraq claimed the attack. The Islamic Resistance’s channel posted a video.")
    militias = [e.name for e in graph.entities.values() if e.type == "Militia"]
    assert militias == ["Islamic Resistance in Iraq"]


def test_a_name_after_its_title_in_apposition_is_an_official_whatever_ner_says(read):
    graph = read("He hosted the visiting prime minister of Greece, Kyriakos Mitsotakis.")
    assert ("Kyriakos Mitsotakis", "Official") in names_and_types(graph)
    graph = read("The spokesman of the coalition thanked the Popular Mobilization Forces.")
    assert not any(t == "Official" and "Forces" in n for n, t in names_and_types(graph))
