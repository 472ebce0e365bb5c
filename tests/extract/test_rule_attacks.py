"""attacked, one reading at a time, on hand-built parses (no statistical model: see parses.py)."""

from __future__ import annotations

from kg.extract.attacks import find_attacks
from tests.extract.parses import Triple, cues, extract, parse, sentence, triples

KH_TAJI = ["Kataib Hezbollah", "Camp Taji"]


def attacks(doc):
    """(relations as Triples, events) that find_attacks reads in a one-sentence doc."""
    relations, events = find_attacks(sentence(doc), cues())
    return triples(relations), events


def test_an_active_verb_reads_subject_attacked_object():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  3  nsubj     PROPN
        3  attacked   0  ROOT      VERB   attack
        4  Camp       5  compound  PROPN
        5  Taji       3  dobj      PROPN
        6  .          3  punct     PUNCT
    """, ents=KH_TAJI)
    relations, _ = attacks(doc)
    assert relations == [Triple("Kataib Hezbollah", "attacked", "Camp Taji", "attack.active")]


def test_a_passive_keeps_the_agent_as_attacker():
    doc = parse("""
        1  Camp       2  compound   PROPN
        2  Taji       4  nsubjpass  PROPN
        3  was        4  auxpass    AUX    be
        4  attacked   0  ROOT       VERB   attack  VBN
        5  by         4  agent      ADP
        6  Kataib     7  compound   PROPN
        7  Hezbollah  5  pobj       PROPN
        8  .          4  punct      PUNCT
    """, ents=["Camp Taji", "Kataib Hezbollah"])
    relations, _ = attacks(doc)
    assert relations == [Triple("Kataib Hezbollah", "attacked", "Camp Taji", "attack.passive")]


def test_a_demonym_on_an_attack_noun_is_the_attacker():
    doc = parse("""
        1  American   2  amod      ADJ
        2  strikes    6  nsubj     NOUN   strike
        3  on         2  prep      ADP
        4  Kataib     5  compound  PROPN
        5  Hezbollah  3  pobj      PROPN
        6  killed     0  ROOT      VERB   kill
        7  four       8  nummod    NUM
        8  fighters   6  dobj      NOUN   fighter
        9  .          6  punct     PUNCT
    """, ents=["Kataib Hezbollah"])
    relations, _ = attacks(doc)
    assert relations == [Triple("United States", "attacked", "Kataib Hezbollah", "attack.nominal")]


def test_a_place_the_attack_happened_in_is_not_its_target():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  3  nsubj     PROPN
        3  carried    0  ROOT      VERB   carry
        4  out        3  prt       ADP    _   RP
        5  an         6  det       DET
        6  attack     3  dobj      NOUN
        7  in         6  prep      ADP
        8  Baghdad    7  pobj      PROPN
        9  .          3  punct     PUNCT
    """, ents=["Kataib Hezbollah", "Baghdad"])
    relations, [event] = attacks(doc)
    assert relations == []
    assert (event.attacker.text, event.target, event.place.text) == ("Kataib Hezbollah", None, "Baghdad")


def test_a_negated_attack_verb_reads_nothing():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  5  nsubj     PROPN
        3  did        5  aux       AUX    do
        4  not        5  neg       PART   _   RB
        5  attack     0  ROOT      VERB   _   VB
        6  Camp       7  compound  PROPN
        7  Taji       5  dobj      PROPN
        8  .          5  punct     PUNCT
    """, ents=KH_TAJI)
    assert attacks(doc) == ([], [])


def test_a_threat_to_attack_is_no_attack():
    doc = parse("""
        1  Kataib      2  compound  PROPN
        2  Hezbollah   3  nsubj     PROPN
        3  threatened  0  ROOT      VERB   threaten
        4  to          5  aux       PART   _   TO
        5  attack      3  xcomp     VERB   _   VB
        6  Camp        7  compound  PROPN
        7  Taji        5  dobj      PROPN
        8  .           3  punct     PUNCT
    """, ents=KH_TAJI)
    assert attacks(doc) == ([], [])


def test_rockets_landing_inside_a_base_hit_it_without_an_attacker():
    doc = parse("""
        1  Two        2  nummod    NUM
        2  rockets    3  nsubj     NOUN   rocket
        3  landed     0  ROOT      VERB   land
        4  inside     3  prep      ADP
        5  Camp       6  compound  PROPN
        6  Taji       4  pobj      PROPN
        7  .          3  punct     PUNCT
    """, ents=["Camp Taji"])
    relations, [event] = attacks(doc)
    assert relations == []
    assert (event.attacker, event.target.text, event.evidence.rule) == (None, "Camp Taji", "attack.impact.event")
    assert (event.weapon, event.count) == ("rockets", 2)


def test_killing_a_states_soldiers_attacked_the_state():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  3  nsubj     PROPN
        3  killed     0  ROOT      VERB   kill
        4  three      6  nummod    NUM
        5  Turkish    6  amod      ADJ
        6  soldiers   3  dobj      NOUN   soldier
        7  .          3  punct     PUNCT
    """, ents=["Kataib Hezbollah"])
    relations, events = attacks(doc)
    assert relations == [Triple("Kataib Hezbollah", "attacked", "Turkey", "attack.casualties")]
    assert events == []  # a toll tells no event of its own


def test_killing_a_civilian_of_a_state_attacked_no_state():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  3  nsubj     PROPN
        3  killed     0  ROOT      VERB   kill
        4  a          6  det       DET
        5  Turkish    6  amod      ADJ
        6  shepherd   3  dobj      NOUN
        7  .          3  punct     PUNCT
    """, ents=["Kataib Hezbollah"])
    assert attacks(doc) == ([], [])


def test_blaming_a_group_for_an_attack_is_a_hedged_attack():
    doc = parse("""
        1  Washington 2  nsubj     PROPN
        2  blamed     0  ROOT      VERB   blame
        3  Kataib     4  compound  PROPN
        4  Hezbollah  2  dobj      PROPN
        5  for        2  prep      ADP
        6  the        7  det       DET
        7  attack     5  pobj      NOUN
        8  on         7  prep      ADP
        9  Camp       10 compound  PROPN
        10 Taji       8  pobj      PROPN
        11 .          2  punct     PUNCT
    """, ents=["Washington", "Kataib Hezbollah", "Camp Taji"])
    relations, _ = attacks(doc)
    assert relations == [Triple("Kataib Hezbollah", "attacked", "Camp Taji", "attack.blamed", hedged=True)]


def test_being_behind_an_attack_is_attacking_its_target():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  3  nsubj     PROPN
        3  was        0  ROOT      AUX    be
        4  behind     3  prep      ADP
        5  the        6  det       DET
        6  attack     4  pobj      NOUN
        7  on         6  prep      ADP
        8  Camp       9  compound  PROPN
        9  Taji       7  pobj      PROPN
        10 .          3  punct     PUNCT
    """, ents=KH_TAJI)
    relations, _ = attacks(doc)
    assert relations == [Triple("Kataib Hezbollah", "attacked", "Camp Taji", "attack.behind")]


def test_being_held_responsible_is_a_hedged_attack():
    doc = parse("""
        1  Officials   2  nsubj     NOUN   official
        2  held        0  ROOT      VERB   hold
        3  Kataib      4  compound  PROPN
        4  Hezbollah   2  dobj      PROPN
        5  responsible 2  oprd      ADJ
        6  for         5  prep      ADP
        7  the         8  det       DET
        8  attack      6  pobj      NOUN
        9  on          8  prep      ADP
        10 Camp        11 compound  PROPN
        11 Taji        9  pobj      PROPN
        12 .           2  punct     PUNCT
    """, ents=KH_TAJI)
    relations, _ = attacks(doc)
    assert relations == [Triple("Kataib Hezbollah", "attacked", "Camp Taji", "attack.responsible", hedged=True)]


def test_a_group_saying_it_attacked_claims_and_does_not_attack():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  3  nsubj     PROPN
        3  said       0  ROOT      VERB   say
        4  it         6  nsubj     PRON
        5  had        6  aux       AUX    have
        6  attacked   3  ccomp     VERB   attack  VBN
        7  Camp       8  compound  PROPN
        8  Taji       6  dobj      PROPN
        9  .          3  punct     PUNCT
    """, ents=KH_TAJI)
    relations, [event] = attacks(doc)
    assert relations == [Triple("Kataib Hezbollah", "claimed", "Camp Taji", "claim.self-report")]
    assert event.attacker is None and event.target.text == "Camp Taji"


def test_a_light_verb_lends_its_subject_to_the_attack_noun():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  3  nsubj     PROPN
        3  carried    0  ROOT      VERB   carry
        4  out        3  prt       ADP    _   RP
        5  strikes    3  dobj      NOUN   strike
        6  against    5  prep      ADP
        7  Camp       8  compound  PROPN
        8  Taji       6  pobj      PROPN
        9  .          3  punct     PUNCT
    """, ents=KH_TAJI)
    relations, _ = attacks(doc)
    assert relations == [Triple("Kataib Hezbollah", "attacked", "Camp Taji", "attack.nominal")]


def test_coordinated_states_each_attacked():
    doc = parse("""
        1  The        3  det       DET
        2  United     3  compound  PROPN
        3  States     6  nsubj     PROPN
        4  and        3  cc        CCONJ
        5  Britain    3  conj      PROPN
        6  struck     0  ROOT      VERB   strike
        7  the        8  det       DET
        8  Houthis    6  dobj      PROPN
        9  on         6  prep      ADP
        10 Sunday     9  pobj      PROPN
        11 .          6  punct     PUNCT
    """, ents=["United States", "Britain", "Houthis", ("Sunday", "DATE")])
    relations, events = attacks(doc)
    assert relations == [Triple("United States", "attacked", "Houthis", "attack.active"),
                         Triple("United Kingdom", "attacked", "Houthis", "attack.active")]
    assert [e.attacker.text for e in events] == ["United States", "United Kingdom"]


def test_the_attack_told_before_lends_its_target_to_a_blame():
    doc = parse("""
        1  Rockets    2  nsubj     NOUN   rocket
        2  hit        0  ROOT      VERB
        3  Camp       4  compound  PROPN
        4  Taji       2  dobj      PROPN
        5  .          2  punct     PUNCT

        1  Washington 2  nsubj     PROPN
        2  blamed     0  ROOT      VERB   blame
        3  Kataib     4  compound  PROPN
        4  Hezbollah  2  dobj      PROPN
        5  for        2  prep      ADP
        6  the        7  det       DET
        7  attack     5  pobj      NOUN
        8  .          2  punct     PUNCT
    """, ents=["Camp Taji", "Washington", "Kataib Hezbollah"])
    assert [t for t in triples(extract(doc).relations) if t.predicate == "attacked"] == [
        Triple("Kataib Hezbollah", "attacked", "Camp Taji", "attack.blamed", hedged=True)]
