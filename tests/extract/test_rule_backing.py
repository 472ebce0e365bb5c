"""backedBy, one rule at a time, on hand-built parses (no statistical model: see parses.py)."""

from __future__ import annotations

from kg.extract.backing import find_backing
from tests.extract.parses import Triple, parse, sentence, triples


def backing(doc) -> list[Triple]:
    return triples(find_backing(sentence(doc)))


def test_an_adjective_names_the_backer_before_its_hyphen():
    doc = parse("""
        1  Iran       3  npadvmod  PROPN
        2  -          3  punct     PUNCT
        3  backed     5  amod      VERB   back  VBN
        4  Kataib     5  compound  PROPN
        5  Hezbollah  6  nsubj     PROPN
        6  fired      0  ROOT      VERB   fire
        7  rockets    6  dobj      NOUN   rocket
        8  .          6  punct     PUNCT
    """, ents=["Iran", "Kataib Hezbollah"])
    assert doc.text == "Iran-backed Kataib Hezbollah fired rockets."
    assert backing(doc) == [Triple("Kataib Hezbollah", "backedBy", "Iran", "backing.adjective")]


def test_a_militia_before_the_hyphen_backs_nothing():
    doc = parse("""
        1  Hezbollah  3  npadvmod  PROPN
        2  -          3  punct     PUNCT
        3  backed     4  amod      VERB   back  VBN
        4  fighters   5  nsubj     NOUN   fighter
        5  fired      0  ROOT      VERB   fire
        6  rockets    5  dobj      NOUN   rocket
        7  .          5  punct     PUNCT
    """, ents=["Hezbollah"])
    assert backing(doc) == []  # only a state or an organisation backs (SCHEME.md)


def test_backed_by_names_the_backer_after_the_adjective():
    doc = parse("""
        1  Kataib     2  compound   PROPN
        2  Hezbollah  4  nsubjpass  PROPN
        3  is         4  auxpass    AUX    be  VBZ
        4  backed     0  ROOT       VERB   back  VBN
        5  by         4  agent      ADP
        6  Iran       5  pobj       PROPN
        7  .          4  punct      PUNCT
    """, ents=["Kataib Hezbollah", "Iran"])
    assert backing(doc) == [Triple("Kataib Hezbollah", "backedBy", "Iran", "backing.adjective")]


def test_a_pro_prefix_backs_the_groups_the_phrase_lists():
    doc = parse("""
        1  Pro        3  amod      ADJ    pro
        2  -          3  punct     PUNCT
        3  Iranian    4  amod      ADJ
        4  factions   9  nsubj     NOUN   faction
        5  such       6  amod      ADJ
        6  as         4  prep      ADP
        7  Kataib     8  compound  PROPN
        8  Hezbollah  6  pobj      PROPN
        9  denied     0  ROOT      VERB   deny
        10 it         9  dobj      PRON
        11 .          9  punct     PUNCT
    """, ents=["Kataib Hezbollah"])
    assert doc.text.startswith("Pro-Iranian factions such as")
    assert backing(doc) == [Triple("Kataib Hezbollah", "backedBy", "Iran", "backing.pro")]


def test_a_proxy_in_apposition_is_backed_by_its_owner():
    doc = parse("""
        1  Hezbollah  10 nsubj     PROPN
        2  ,          1  punct     PUNCT
        3  Iran       6  poss      PROPN
        4  's         3  case      PART
        5  main       6  amod      ADJ
        6  proxy      1  appos     NOUN
        7  in         6  prep      ADP
        8  Lebanon    7  pobj      PROPN
        9  ,          1  punct     PUNCT
        10 fired      0  ROOT      VERB   fire
        11 rockets    10 dobj      NOUN   rocket
        12 .          10 punct     PUNCT
    """, ents=["Hezbollah", "Iran", "Lebanon"])
    assert backing(doc) == [Triple("Hezbollah", "backedBy", "Iran", "backing.proxy")]


def test_a_supplying_verb_backs_every_coordinated_recipient():
    doc = parse("""
        1  Iran       2  nsubj     PROPN
        2  supplied   0  ROOT      VERB   supply
        3  drones     2  dobj      NOUN   drone
        4  to         2  prep      ADP
        5  Hamas      4  pobj      PROPN
        6  and        5  cc        CCONJ
        7  Hezbollah  5  conj      PROPN
        8  .          2  punct     PUNCT
    """, ents=["Iran", "Hamas", "Hezbollah"])
    assert backing(doc) == [Triple("Hamas", "backedBy", "Iran", "backing.verb"),
                            Triple("Hezbollah", "backedBy", "Iran", "backing.verb")]


def test_a_negated_supplying_verb_backs_nothing():
    doc = parse("""
        1  Iran       4  nsubj     PROPN
        2  did        4  aux       AUX    do
        3  not        4  neg       PART   _     RB
        4  supply     0  ROOT      VERB   _     VB
        5  drones     4  dobj      NOUN   drone
        6  to         4  prep      ADP
        7  Hamas      6  pobj      PROPN
        8  .          4  punct     PUNCT
    """, ents=["Iran", "Hamas"])
    assert backing(doc) == []


def test_an_alleged_supply_is_hedged():
    doc = parse("""
        1  Iran       3  nsubj     PROPN
        2  allegedly  3  advmod    ADV
        3  supplied   0  ROOT      VERB   supply
        4  drones     3  dobj      NOUN   drone
        5  to         3  prep      ADP
        6  Hamas      5  pobj      PROPN
        7  .          3  punct     PUNCT
    """, ents=["Iran", "Hamas"])
    assert backing(doc) == [Triple("Hamas", "backedBy", "Iran", "backing.verb", hedged=True)]


def test_receiving_from_a_backer_is_backing():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  3  nsubj     PROPN
        3  receives   0  ROOT      VERB   receive  VBZ
        4  money      3  dobj      NOUN
        5  from       3  prep      ADP
        6  the        8  det       DET
        7  Quds       8  compound  PROPN
        8  Force      5  pobj      PROPN
        9  .          3  punct     PUNCT
    """, ents=["Kataib Hezbollah", "Quds Force"])
    assert backing(doc) == [Triple("Kataib Hezbollah", "backedBy", "Quds Force", "backing.received")]
