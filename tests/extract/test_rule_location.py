"""locatedIn, one rule at a time, on hand-built parses (no statistical model: see parses.py)."""

from __future__ import annotations


from kg.extract.location import find_locations
from tests.extract.parses import Triple, parse, sentence, triples

ROCKETS_HIT_TAJI = """
    1  Rockets    2  nsubj     NOUN   rocket
    2  hit        0  ROOT      VERB
    3  Camp       4  compound  PROPN
    4  Taji       2  dobj      PROPN
    5  {prep}     4  prep      ADP
    6  {place}    5  pobj      PROPN
    7  .          2  punct     PUNCT
"""


def locations(doc) -> list[Triple]:
    return triples(find_locations(sentence(doc)))


def test_a_base_in_a_place():
    doc = parse("""
        1  Rockets    2  nsubj     NOUN   rocket
        2  hit        0  ROOT      VERB
        3  the        7  det       DET
        4  Ain        5  compound  PROPN
        5  al-Asad    7  compound  PROPN
        6  air        7  compound  NOUN
        7  base       2  dobj      NOUN
        8  in         7  prep      ADP
        9  Anbar      8  pobj      PROPN
        10 .          2  punct     PUNCT
    """, ents=["Ain al-Asad air base", "Anbar"])  # the actor ruler takes the alias with its head noun
    assert locations(doc) == [Triple("Ain al-Asad", "locatedIn", "Anbar", "location.in")]


TOWER_22 = """
    1  Rockets    2  nsubj     NOUN   rocket
    2  hit        0  ROOT      VERB
    3  the        7  det       DET
    4  Tower      7  compound  PROPN
    5  22         4  nummod    NUM
    6  {kind}
    7  base       2  dobj      NOUN
    8  in         7  prep      ADP
    9  Jordan     8  pobj      PROPN
    10 .          2  punct     PUNCT
"""


def test_the_head_noun_a_name_leaves_out_is_skipped():
    doc = parse(TOWER_22.format(kind="military   7  amod      ADJ"), ents=["Tower 22", "Jordan"])
    assert locations(doc) == [Triple("Tower 22", "locatedIn", "Jordan", "location.in")]


def test_a_two_word_head_noun_the_name_leaves_out_is_skipped():
    doc = parse(TOWER_22.format(kind="air        7  compound  NOUN"), ents=["Tower 22", "Jordan"])
    assert locations(doc) == [Triple("Tower 22", "locatedIn", "Jordan", "location.in")]


def test_a_base_near_a_place_is_not_in_it():
    doc = parse(ROCKETS_HIT_TAJI.format(prep="near", place="Baghdad"), ents=["Camp Taji", "Baghdad"])
    assert doc.text == "Rockets hit Camp Taji near Baghdad."
    assert locations(doc) == []


def test_a_base_in_a_month_is_in_no_place():
    doc = parse(ROCKETS_HIT_TAJI.format(prep="in", place="January"), ents=["Camp Taji", ("January", "DATE")])
    assert locations(doc) == []


def test_an_apposition_places_the_base():
    doc = parse("""
        1  Ain        2  compound   PROPN
        2  al-Asad    11 nsubjpass  PROPN
        3  ,          2  punct      PUNCT
        4  the        6  det        DET
        5  air        6  compound   NOUN
        6  base       2  appos      NOUN
        7  in         6  prep       ADP
        8  Anbar      7  pobj       PROPN
        9  ,          2  punct      PUNCT
        10 was        11 auxpass    AUX    be
        11 hit        0  ROOT       VERB   _   VBN
        12 .          11 punct      PUNCT
    """, ents=["Ain al-Asad", "Anbar"])
    assert locations(doc) == [Triple("Ain al-Asad", "locatedIn", "Anbar", "location.apposition")]


def test_a_missions_name_places_it_in_its_city():
    doc = parse("""
        1  Protesters 2  nsubj     NOUN   protester
        2  gathered   0  ROOT      VERB   gather
        3  outside    2  prep      ADP
        4  the        6  det       DET
        5  Swedish    6  amod      ADJ
        6  Embassy    3  pobj      PROPN
        7  in         6  prep      ADP
        8  Baghdad    7  pobj      PROPN
        9  .          2  punct     PUNCT
    """, ents=["Baghdad"])
    # no entity is labelled on "Swedish Embassy": the base is read off the noun phrase, with its city
    assert locations(doc) == [Triple("Swedish Embassy in Baghdad", "locatedIn", "Baghdad", "location.name")]


def test_a_place_that_houses_a_base():
    doc = parse("""
        1  Anbar      2  compound  PROPN
        2  province   3  nsubj     NOUN
        3  houses     0  ROOT      VERB   house  VBZ
        4  the        8  det       DET
        5  Ain        6  compound  PROPN
        6  al-Asad    8  compound  PROPN
        7  air        8  compound  NOUN
        8  base       3  dobj      NOUN
        9  .          3  punct     PUNCT
    """, ents=["Anbar", "Ain al-Asad"])
    assert locations(doc) == [Triple("Ain al-Asad", "locatedIn", "Anbar", "location.houses")]
