"""leaderOf, one rule at a time, on hand-built parses (no statistical model: see parses.py).

The officials here are invented and labelled Official without a dictionary id, so no role the
actor dictionary knows can stand in for the rule under test.
"""

from __future__ import annotations

from kg.extract.leadership import find_leadership
from tests.extract.parses import Triple, extract, parse, sentence, triples

KARRAR = ("Abu Karrar", "Official")


def leadership(doc) -> list[Triple]:
    return triples(find_leadership(sentence(doc)))


def test_a_title_before_the_name_names_the_body():
    doc = parse("""
        1  Pentagon   2  compound  PROPN
        2  spokesman  4  compound  NOUN
        3  Abu        4  compound  PROPN
        4  Karrar     5  nsubj     PROPN
        5  spoke      0  ROOT      VERB   speak
        6  .          5  punct     PUNCT
    """, ents=["Pentagon", KARRAR])
    assert leadership(doc) == [Triple("Abu Karrar", "leaderOf", "Pentagon", "leader.title")]


def test_a_demonym_before_a_title_names_the_state():
    doc = parse("""
        1  Iranian    3  amod      ADJ
        2  Defence    3  compound  PROPN
        3  Minister   5  compound  PROPN
        4  Amir       5  compound  PROPN
        5  Rostami    6  nsubj     PROPN
        6  spoke      0  ROOT      VERB   speak
        7  .          6  punct     PUNCT
    """, ents=[("Amir Rostami", "Official")])
    assert leadership(doc) == [Triple("Amir Rostami", "leaderOf", "Iran", "leader.title")]


def test_a_rank_alone_leads_nothing():
    doc = parse("""
        1  Iranian    2  amod      ADJ
        2  Gen.       4  compound  PROPN
        3  Amir       4  compound  PROPN
        4  Rostami    5  nsubj     PROPN
        5  spoke      0  ROOT      VERB   speak
        6  .          5  punct     PUNCT
    """, ents=[("Amir Rostami", "Official")])
    assert leadership(doc) == []  # a rank says whose army, not what the general leads


def test_an_apposition_after_the_name_names_the_body():
    doc = parse("""
        1  Abu        2  compound  PROPN
        2  Karrar     10 nsubj     PROPN
        3  ,          2  punct     PUNCT
        4  the        5  det       DET
        5  leader     2  appos     NOUN
        6  of         5  prep      ADP
        7  Asaib      8  compound  PROPN
        8  Ahl        9  compound  PROPN
        9  al-Haq     6  pobj      PROPN
        10 spoke      0  ROOT      VERB   speak
        11 .          10 punct     PUNCT
    """, ents=[KARRAR, "Asaib Ahl al-Haq"])
    assert "Abu Karrar, the leader of Asaib Ahl al-Haq spoke" in doc.text
    assert leadership(doc) == [Triple("Abu Karrar", "leaderOf", "Asaib Ahl al-Haq", "leader.apposition")]


def test_an_analyst_at_a_body_leads_nothing():
    doc = parse("""
        1  Abu        2  compound  PROPN
        2  Karrar     9  nsubj     PROPN
        3  ,          2  punct     PUNCT
        4  an         5  det       DET
        5  analyst    2  appos     NOUN
        6  at         5  prep      ADP
        7  the        8  det       DET
        8  Pentagon   6  pobj      PROPN
        9  spoke      0  ROOT      VERB   speak
        10 .          9  punct     PUNCT
    """, ents=[KARRAR, "Pentagon"])
    assert leadership(doc) == []


def test_a_faction_led_by_an_official():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  11 nsubj     PROPN
        3  ,          2  punct     PUNCT
        4  a          5  det       DET
        5  faction    2  appos     NOUN
        6  led        5  acl       VERB   lead  VBN
        7  by         6  agent     ADP
        8  Abu        9  compound  PROPN
        9  Karrar     7  pobj      PROPN
        10 ,          2  punct     PUNCT
        11 fired      0  ROOT      VERB   fire
        12 rockets    11 dobj      NOUN   rocket
        13 .          11 punct     PUNCT
    """, ents=["Kataib Hezbollah", KARRAR])
    assert leadership(doc) == [Triple("Abu Karrar", "leaderOf", "Kataib Hezbollah", "leader.led-by")]


def test_who_heads_a_body_leads_it():
    doc = parse("""
        1  Abu          2  compound  PROPN
        2  Karrar       10 nsubj     PROPN
        3  ,            2  punct     PUNCT
        4  who          5  nsubj     PRON   _   WP
        5  heads        2  relcl     VERB   head  VBZ
        6  the          8  det       DET
        7  Badr         8  compound  PROPN
        8  Organization 5  dobj      PROPN
        9  ,            2  punct     PUNCT
        10 spoke        0  ROOT      VERB   speak
        11 .            10 punct     PUNCT
    """, ents=[KARRAR, "Badr Organization"])
    assert leadership(doc) == [Triple("Abu Karrar", "leaderOf", "Badr Organization", "leader.who-leads")]


def test_a_body_commanded_by_an_official():
    doc = parse("""
        1  The          3  det        DET
        2  Badr         3  compound   PROPN
        3  Organization 5  nsubjpass  PROPN
        4  is           5  auxpass    AUX    be  VBZ
        5  commanded    0  ROOT       VERB   command  VBN
        6  by           5  agent      ADP
        7  Abu          8  compound   PROPN
        8  Karrar       6  pobj       PROPN
        9  .            5  punct      PUNCT
    """, ents=["Badr Organization", KARRAR])
    assert leadership(doc) == [Triple("Abu Karrar", "leaderOf", "Badr Organization", "leader.passive")]


def test_whose_secretary_general_is_an_official():
    doc = parse("""
        1  Asaib      2  compound  PROPN
        2  Ahl        3  compound  PROPN
        3  al-Haq     10 nsubj     PROPN
        4  ,          3  punct     PUNCT
        5  whose      6  poss      DET    _   WP$
        6  secretary-general 7 nsubj NOUN
        7  is         3  relcl     AUX    be  VBZ
        8  Abu        9  compound  PROPN
        9  Karrar     7  attr      PROPN
        10 spoke      0  ROOT      VERB   speak
        11 .          10 punct     PUNCT
    """, ents=["Asaib Ahl al-Haq", KARRAR])
    assert leadership(doc) == [Triple("Abu Karrar", "leaderOf", "Asaib Ahl al-Haq", "leader.whose-role")]


PREDICATE = """
    1  Abu        2  compound  PROPN
    2  Karrar     3  nsubj     PROPN
    3  is         0  ROOT      AUX    be  VBZ
    4  {neg}
    5  the        6  det       DET
    6  leader     3  attr      NOUN
    7  of         6  prep      ADP
    8  Asaib      9  compound  PROPN
    9  Ahl        10 compound  PROPN
    10 al-Haq     7  pobj      PROPN
    11 .          3  punct     PUNCT
"""


def test_being_the_leader_of_a_body():
    doc = parse(PREDICATE.format(neg="truly      3  advmod    ADV"), ents=[KARRAR, "Asaib Ahl al-Haq"])
    assert leadership(doc) == [Triple("Abu Karrar", "leaderOf", "Asaib Ahl al-Haq", "leader.predicate")]


def test_not_being_the_leader_of_a_body():
    doc = parse(PREDICATE.format(neg="not        3  neg       PART   _   RB"), ents=[KARRAR, "Asaib Ahl al-Haq"])
    assert leadership(doc) == []


def test_serving_as_a_bodys_spokesman():
    doc = parse("""
        1  Abu          2  compound  PROPN
        2  Karrar       3  nsubj     PROPN
        3  serves       0  ROOT      VERB   serve  VBZ
        4  as           3  prep      ADP
        5  the          6  det       DET
        6  spokesman    4  pobj      NOUN
        7  of           6  prep      ADP
        8  the          10 det       DET
        9  Badr         10 compound  PROPN
        10 Organization 7  pobj      PROPN
        11 .            3  punct     PUNCT
    """, ents=[KARRAR, "Badr Organization"])
    assert leadership(doc) == [Triple("Abu Karrar", "leaderOf", "Badr Organization", "leader.serves-as")]


def test_the_role_of_a_body_before_the_name():
    doc = parse("""
        1  The        2  det       DET
        2  commander  11 nsubj     NOUN
        3  of         2  prep      ADP
        4  the        6  det       DET
        5  Quds       6  compound  PROPN
        6  Force      3  pobj      PROPN
        7  ,          2  punct     PUNCT
        8  Abu        9  compound  PROPN
        9  Karrar     2  appos     PROPN
        10 ,          2  punct     PUNCT
        11 spoke      0  ROOT      VERB   speak
        12 .          11 punct     PUNCT
    """, ents=["Quds Force", KARRAR])
    assert leadership(doc) == [Triple("Abu Karrar", "leaderOf", "Quds Force", "leader.role-of")]


def test_its_spokesman_speaks_for_the_previous_sentences_subject():
    doc = parse("""
        1  Hezbollah  2  nsubj     PROPN
        2  fired      0  ROOT      VERB   fire
        3  rockets    2  dobj      NOUN   rocket
        4  .          2  punct     PUNCT

        1  Its        2  poss      PRON   _   PRP$
        2  spokesman  7  nsubj     NOUN
        3  ,          2  punct     PUNCT
        4  Abu        5  compound  PROPN
        5  Karrar     2  appos     PROPN
        6  ,          2  punct     PUNCT
        7  confirmed  0  ROOT      VERB   confirm
        8  it         7  dobj      PRON
        9  .          7  punct     PUNCT
    """, ents=["Hezbollah", KARRAR])
    assert [t for t in triples(extract(doc).relations) if t.predicate == "leaderOf"] == [
        Triple("Abu Karrar", "leaderOf", "Hezbollah", "leader.role-owner")]
