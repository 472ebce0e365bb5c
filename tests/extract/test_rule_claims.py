"""claimed, one rule at a time, on hand-built parses (no statistical model: see parses.py)."""

from __future__ import annotations


from kg.extract.attacks import find_attacks
from kg.extract.claims import find_claims
from tests.extract.parses import Triple, cues, extract, parse, sentence, triples

KH_TAJI = ["Kataib Hezbollah", "Camp Taji"]
CLAIMED_RESPONSIBILITY = """
    1  Kataib         2  compound  PROPN
    2  Hezbollah      3  nsubj     PROPN
    3  claimed        0  ROOT      VERB   claim
    4  responsibility 3  dobj      NOUN
    5  for            4  prep      ADP
    6  the            7  det       DET
    7  attack         5  pobj      NOUN
    8  on             7  prep      ADP
    9  Camp           10 compound  PROPN
    10 Taji           8  pobj      PROPN
    11 .              3  punct     PUNCT
"""


def claims(doc, pending=None) -> list[Triple]:
    return triples(find_claims(sentence(doc), [] if pending is None else pending))


def test_claiming_responsibility_for_an_attack_claims_its_target():
    doc = parse(CLAIMED_RESPONSIBILITY, ents=KH_TAJI)
    assert claims(doc) == [Triple("Kataib Hezbollah", "claimed", "Camp Taji", "claim.verb")]


def test_a_claim_in_the_passive_names_its_group_by_the_agent():
    doc = parse("""
        1  The        2  det        DET
        2  attack     7  nsubjpass  NOUN
        3  on         2  prep       ADP
        4  Camp       5  compound   PROPN
        5  Taji       3  pobj       PROPN
        6  was        7  auxpass    AUX    be
        7  claimed    0  ROOT       VERB   claim  VBN
        8  by         7  agent      ADP
        9  Kataib     10 compound   PROPN
        10 Hezbollah  8  pobj       PROPN
        11 .          7  punct      PUNCT
    """, ents=["Camp Taji", "Kataib Hezbollah"])
    assert claims(doc) == [Triple("Kataib Hezbollah", "claimed", "Camp Taji", "claim.verb")]


def test_no_group_claiming_is_no_claim():
    doc = parse("""
        1  No         2  det       DET
        2  group      3  nsubj     NOUN
        3  claimed    0  ROOT      VERB   claim
        4  the        5  det       DET
        5  attack     3  dobj      NOUN
        6  on         5  prep      ADP
        7  Camp       8  compound  PROPN
        8  Taji       6  pobj      PROPN
        9  .          3  punct     PUNCT
    """, ents=["Camp Taji"])
    pending = []
    assert claims(doc, pending) == [] and pending == []  # nor does it wait for a group named later


def test_a_person_claiming_that_asserts_and_claims_nothing():
    doc = parse("""
        1  He         2  nsubj     PRON
        2  claimed    0  ROOT      VERB   claim
        3  that       7  mark      SCONJ
        4  Kataib     5  compound  PROPN
        5  Hezbollah  7  nsubj     PROPN
        6  had        7  aux       AUX    have
        7  left       2  ccomp     VERB   leave  VBN
        8  Camp       9  compound  PROPN
        9  Taji       7  dobj      PROPN
        10 .          2  punct     PUNCT
    """, ents=KH_TAJI)
    assert claims(doc) == []


def test_a_claim_by_an_unnamed_group_waits_for_the_statements_signer():
    doc = parse("""
        1  Rockets    2  nsubj     NOUN   rocket
        2  hit        0  ROOT      VERB
        3  Camp       4  compound  PROPN
        4  Taji       2  dobj      PROPN
        5  .          2  punct     PUNCT

        1  The        2  det       DET
        2  attack     4  nsubjpass NOUN
        3  was        4  auxpass   AUX    be
        4  claimed    0  ROOT      VERB   claim  VBN
        5  by         4  agent     ADP
        6  a          8  det       DET
        7  new        8  amod      ADJ
        8  group      5  pobj      NOUN
        9  .          4  punct     PUNCT

        1  A          2  det       DET
        2  statement  7  nsubj     NOUN
        3  signed     2  acl       VERB   sign  VBN
        4  by         3  agent     ADP
        5  Ashab      6  compound  PROPN
        6  al-Kahf    4  pobj      PROPN
        7  praised    0  ROOT      VERB   praise
        8  the        9  det       DET
        9  fighters   7  dobj      NOUN   fighter
        10 .          7  punct     PUNCT
    """, ents=["Camp Taji", "Ashab al-Kahf"])
    claimed = [t for t in triples(extract(doc).relations) if t.predicate == "claimed"]
    assert claimed == [Triple("Ashab al-Kahf", "claimed", "Camp Taji", "claim.statement")]


def test_a_self_claim_does_not_make_the_claimant_the_events_attacker():
    doc = parse(CLAIMED_RESPONSIBILITY, ents=KH_TAJI)
    relations, [event] = find_attacks(sentence(doc), cues())
    assert relations == [] and event.target.text == "Camp Taji"
    assert event.attacker is None
