"""Each relation from sentences written for these tests, read as a build reads them."""

from __future__ import annotations

import pytest

from tests.conftest import triples


def test_backing_from_an_adjective(read):
    graph = read("Iran-backed Kataib Hezbollah fired rockets at the K1 air base near Kirkuk.")
    assert ("Kataib Hezbollah", "backedBy", "Iran") in triples(graph)


def test_backing_reaches_every_group_a_phrase_lists(read):
    graph = read("The pro-Iranian factions, led by Kataib Hezbollah and Asaib Ahl al-Haq, vowed revenge.")
    backed = triples(graph, "backedBy")
    assert {("Kataib Hezbollah", "backedBy", "Iran"), ("Asaib Ahl al-Haq", "backedBy", "Iran")} <= backed


def test_backing_from_a_verb_with_coordinated_groups(read):
    graph = read("For years Iran has supplied missiles and money to Hamas and Hezbollah.")
    assert {("Hamas", "backedBy", "Iran"), ("Hezbollah", "backedBy", "Iran")} <= triples(graph)


def test_passive_attack_keeps_its_direction(read):
    graph = read("On Tuesday the Ain al-Asad air base was targeted by Kataib Hezbollah with six rockets.")
    assert ("Kataib Hezbollah", "attacked", "Ain al-Asad") in triples(graph)
    assert ("Ain al-Asad", "attacked", "Kataib Hezbollah") not in triples(graph)
    attack = graph.attacks[0]
    assert attack.date == "2021-07-06"  # the Tuesday before the document's date
    assert (attack.weapon, attack.count) == ("rockets", 6)


def test_an_attack_with_no_named_attacker_is_still_an_event(read):
    graph = read("Three rockets struck Erbil International Airport late on Monday, injuring two people.")
    assert triples(graph, "attacked") == set()
    [attack] = graph.attacks
    assert graph.entities[attack.target].name == "Erbil International Airport"
    assert attack.attacker is None and attack.wounded == 2


def test_claim_names_group_and_target(read):
    graph = read("Saraya Awliya al-Dam claimed responsibility for the rocket attack on Erbil International Airport.")
    assert ("Saraya Awliya al-Dam", "claimed", "Erbil International Airport") in triples(graph)
    assert triples(graph, "attacked") == set()  # a self-claim is a claim, not an attack (SCHEME.md)


def test_claim_whose_group_is_named_in_a_later_sentence(read):
    graph = read(
        "Rockets hit the Ain al-Asad air base on Wednesday. "
        "The attack was quickly claimed by a little-known group. "
        "\"Our fighters struck the occupiers' base with missiles,\" said a statement signed by Ashab al-Kahf."
    )
    assert ("Ashab al-Kahf", "claimed", "Ain al-Asad") in triples(graph)


def test_negated_claim_gives_nothing(read):
    graph = read("No group has claimed responsibility for the attack on the US embassy in Baghdad.")
    assert triples(graph, "claimed") == set()


def test_condemnation_points_at_whoever_struck(read):
    graph = read(
        "U.S. aircraft struck Kataib Hezbollah positions near the border on Sunday. "
        "The Iraqi government condemned the strikes as a violation of Iraqi sovereignty."
    )
    assert ("Iraq", "condemned", "United States") in triples(graph)


def test_condemnation_of_an_attack_with_no_known_attacker_points_at_its_target(read):
    graph = read("Three rockets struck Erbil International Airport. "
                 "Iraqi Prime Minister Mustafa al-Kadhimi condemned the attack on Erbil International Airport.")
    assert ("Mustafa al-Kadhimi", "condemned", "Erbil International Airport") in triples(graph)


def test_leadership_from_titles_and_apposition(read):
    graph = read("Pentagon spokesman John Kirby spoke on Friday. "
                 "Qais al-Khazali, the leader of Asaib Ahl al-Haq, answered him.")
    assert {("John Kirby", "leaderOf", "Pentagon"), ("Qais al-Khazali", "leaderOf", "Asaib Ahl al-Haq")} <= triples(graph)


def test_analysts_lead_nothing(read):
    graph = read("Michael Knights, an analyst at the Washington Institute, said the militias were weak.")
    assert triples(graph, "leaderOf") == set()
    assert "Michael Knights" not in {e.name for e in graph.entities.values()}


def test_location_from_a_preposition_but_not_from_near(read):
    graph = read("Rockets fell near the US embassy in Baghdad. Another hit near K1 air base, north of Kirkuk.")
    located = triples(graph, "locatedIn")
    assert ("US embassy in Baghdad", "locatedIn", "Baghdad") in located
    assert not any(o == "Kirkuk" for _, _, o in located)


def test_a_group_saying_it_struck_is_claiming(read):
    graph = read("The Islamic Resistance in Iraq said it had targeted the Harir air base with a drone.")
    assert ("Islamic Resistance in Iraq", "claimed", "Harir Air Base") in triples(graph)
    assert triples(graph, "attacked") == set()


def test_threats_and_plans_are_not_attacks(read):
    graph = read("Harakat al-Nujaba threatened to attack American troops, and Kataib Hezbollah will strike Erbil.")
    assert triples(graph, "attacked") == set()


def test_light_verbs_carry_the_attacker_to_the_noun(read):
    graph = read("The Pentagon said U.S. forces carried out strikes against Kataib Hezbollah in Iraq.")
    assert ("United States", "attacked", "Kataib Hezbollah") in triples(graph)


def test_proxy_apposition_is_backing(read):
    graph = read("Hezbollah, Iran's main proxy in Lebanon, fired rockets at northern Israel on Sunday.")
    assert {("Hezbollah", "backedBy", "Iran"), ("Hezbollah", "attacked", "Israel")} <= triples(graph)


def test_condemning_an_attack_named_by_a_demonym(read):
    graph = read("Iran condemned the American attack on its territory as a violation of sovereignty.")
    assert ("Iran", "condemned", "United States") in triples(graph)


def test_blame_names_a_hedged_attacker_of_the_attack_told_before(read):
    graph = read("A rocket barrage hit the K1 air base near Kirkuk on Friday. "
                 "Washington blamed Kataib Hezbollah for the attack.")
    [relation] = [r for r in graph.relations if r.predicate == "attacked"]
    assert relation.hedged
    [attack] = graph.attacks  # both sentences tell of one attack
    assert (attack.date, graph.entities[attack.attacker].name) == ("2021-07-02", "Kataib Hezbollah")


def test_leader_named_in_apposition_with_the_body_first(read):
    graph = read("Abu Fadak al-Mohammedawi, a Kataib Hezbollah commander, spoke at the funeral.")
    assert ("Abu Fadak al-Mohammedawi", "leaderOf", "Kataib Hezbollah") in triples(graph)


def test_saying_it_was_behind_an_attack_is_a_claim(read):
    graph = read("In a statement, Ashab al-Kahf said it was behind the attack on the Ain al-Asad base.")
    assert ("Ashab al-Kahf", "claimed", "Ain al-Asad") in triples(graph)
    assert triples(graph, "attacked") == set()


def test_describing_a_strike_as_a_violation_condemns_the_striker(read):
    graph = read("U.S. jets struck a Kataib Hezbollah depot in Jurf al-Sakhar. "
                 "Iraq's foreign ministry described the strike as a violation of Iraqi sovereignty.")
    condemned = triples(graph, "condemned")
    assert len(condemned) == 1 and next(iter(condemned))[2] == "United States"


def test_strikes_that_killed_a_groups_fighters_attacked_the_group(read):
    graph = read("Israeli jets bombed targets near the border overnight. "
                 "The strikes killed three Hezbollah fighters, the group said.")
    assert ("Israel", "attacked", "Hezbollah") in triples(graph)


def test_its_forces_are_the_speakers_forces(read):
    graph = read("Central Command said its forces conducted strikes on facilities used by Kataib Hezbollah.")
    assert ("US Central Command", "attacked", "Kataib Hezbollah") in triples(graph)


def test_claiming_an_attack_is_not_also_carrying_it_out(read):
    graph = read("The Islamic Resistance in Iraq claimed a drone attack on the Ain al-Asad base on Tuesday.")
    assert ("Islamic Resistance in Iraq", "claimed", "Ain al-Asad") in triples(graph)
    assert triples(graph, "attacked") == set()


def test_a_faction_led_by_its_leader_and_aligned_with_its_backer(read):
    graph = read("Kataib Sayyid al-Shuhada, an Iran-aligned faction led by Abu Alaa al-Walai, praised the operation.")
    assert {("Abu Alaa al-Walai", "leaderOf", "Kataib Sayyid al-Shuhada"),
            ("Kataib Sayyid al-Shuhada", "backedBy", "Iran")} <= triples(graph)


def test_passive_condemnation(read):
    graph = read("Rockets hit the Harir base on Monday. "
                 "The attack on the Harir base was condemned by the Kurdistan Regional Government.")
    assert ("Kurdistan Regional Government", "condemned", "Harir Air Base") in triples(graph)


def test_a_base_placed_by_its_apposition(read):
    graph = read("Ain al-Asad, the sprawling air base in Anbar province, was hit by ten rockets.")
    assert ("Ain al-Asad", "locatedIn", "Anbar") in triples(graph)


def test_one_of_the_backed_groups_is_backed(read):
    graph = read("Kataib Hezbollah is one of the most powerful Iran-backed groups in Iraq.")
    assert ("Kataib Hezbollah", "backedBy", "Iran") in triples(graph)


def test_who_heads_a_body_leads_it(read):
    graph = read("Hadi al-Amiri, who heads the Badr Organization, met the prime minister on Monday.")
    assert ("Hadi al-Amiri", "leaderOf", "Badr Organization") in triples(graph)


def test_coordinated_attackers_each_attacked(read):
    graph = read("American and British warplanes struck Houthi radar sites near Hodeidah.")
    assert {("United States", "attacked", "Houthis"), ("United Kingdom", "attacked", "Houthis")} <= triples(graph)


# ------------------------------------------------------------------ shapes read off the held-out set's misses

ONE_RELATION = [
    pytest.param("The Badr Organization has been led since 2003 by Hadi al-Amiri.",
                 ("Hadi al-Amiri", "leaderOf", "Badr Organization"), id="passive-command"),
    pytest.param("Asaib Ahl al-Haq, whose secretary-general is Qais al-Khazali, rejected the deal.",
                 ("Qais al-Khazali", "leaderOf", "Asaib Ahl al-Haq"), id="whose-clause"),
    pytest.param("Qais al-Khazali is the leader of Asaib Ahl al-Haq.",
                 ("Qais al-Khazali", "leaderOf", "Asaib Ahl al-Haq"), id="predicate"),
    pytest.param("The Iraqi Foreign Ministry summoned the Turkish envoy. "
                 "Its spokesman, Ahmed al-Sahaf, called the strike a violation of sovereignty.",
                 ("Ahmed al-Sahaf", "leaderOf", "Iraqi Foreign Ministry"), id="its-spokesman-previous-subject"),
    pytest.param("The Quds Force lost its reach after Qassem Soleimani, its long-time commander, was killed.",
                 ("Qassem Soleimani", "leaderOf", "Quds Force"), id="its-commander-in-apposition"),
    pytest.param("Iran's ambassador in Baghdad, Iraj Masjedi, declined to comment.",
                 ("Iraj Masjedi", "leaderOf", "Iran"), id="a-states-ambassador"),
    pytest.param("A US drone strike in Baghdad killed Abu Baqir al-Saadi, a Kataib Hezbollah commander.",
                 ("United States", "attacked", "Kataib Hezbollah"), id="killing-a-groups-commander"),
    pytest.param("Iraqi Prime Minister Mohammed Shia al-Sudani spoke on Monday. "
                 "Sudani's government condemned the US strike as a violation of sovereignty.",
                 ("Iraq", "condemned", "United States"), id="a-leaders-government-is-the-state"),
]


@pytest.mark.parametrize(("text", "relation"), ONE_RELATION)
def test_one_relation_from_one_shape(read, text, relation):
    assert relation in triples(read(text))


def test_blaming_an_attack_on_a_group(read):
    graph = read("Washington blamed the Tower 22 attack on Kataib Hezbollah.")
    assert ("Kataib Hezbollah", "attacked", "Tower 22") in triples(graph)
    assert ("Tower 22", "attacked", "Kataib Hezbollah") not in triples(graph)


def test_all_of_them_backed_covers_the_list(read):
    graph = read("The umbrella brings together Kataib Hezbollah, Harakat al-Nujaba and smaller outfits, "
                 "all of them Iran-backed.")
    backed = triples(graph, "backedBy")
    assert {("Kataib Hezbollah", "backedBy", "Iran"), ("Harakat Hezbollah al-Nujaba", "backedBy", "Iran")} <= backed


def test_a_salvo_fired_by_a_force_is_its_attack(read):
    graph = read("On Sunday, 13 March, a salvo of ballistic missiles fired by the Islamic Revolutionary Guard Corps "
                 "struck Erbil. Iraqi Prime Minister Mustafa al-Kadhimi condemned the attack on Erbil.")
    assert ("Islamic Revolutionary Guard Corps", "attacked", "Erbil") in triples(graph)
    assert ("Mustafa al-Kadhimi", "condemned", "Islamic Revolutionary Guard Corps") in triples(graph)


def test_a_base_named_by_its_kind_is_one_base(read):
    graph = read("A drone hit the al-Omar oil field base in Syria. The al-Omar facility hosts US troops.")
    bases = sorted(e.name for e in graph.entities.values() if e.type == "Base")
    assert len(bases) == 1, bases


def test_the_strike_far_from_its_telling_is_the_only_attack_the_story_told(read):
    graph = read("A drone struck Tower 22 on Sunday. The outpost sits near the border. It houses engineers. "
                 "It began as a watch post. Its role grew in 2015. Troops rotate through it every year. "
                 "Iraq's government condemned the drone strike.")
    assert ("Iraq", "condemned", "Tower 22") in triples(graph, "condemned")


def test_a_signed_letter_is_written_in_the_post_its_signer_held(read):
    letter = "The strikes hit depots in Iraq and Syria.\n\nSincerely,\n\nJOSEPH R. BIDEN JR."
    assert ("Joe Biden", "leaderOf", "United States") in triples(read(letter, date="2021-06-29"), "leaderOf")
    assert ("Joe Biden", "leaderOf", "United States") in triples(read(letter, date=None), "leaderOf")  # one body
    unsigned = "The strikes hit depots in Iraq and Syria.\n\nJOSEPH R. BIDEN JR."
    assert not triples(read(unsigned, date="2021-06-29"), "leaderOf")
