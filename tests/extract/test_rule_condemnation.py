"""condemned, one rule at a time, on hand-built parses (no statistical model: see parses.py)."""

from __future__ import annotations


from kg.extract.attacks import find_attacks
from kg.extract.condemnation import find_condemnations
from tests.extract.parses import Triple, cues, extract, parse, sentence, triples

TURKISH_STRIKES = """
    1  Iraq       2  nsubj     PROPN
    2  condemned  0  ROOT      VERB   condemn
    3  the        5  det       DET
    4  Turkish    5  amod      ADJ
    5  strikes    2  dobj      NOUN   strike
    6  on         5  prep      ADP
    7  Sinjar     6  pobj      PROPN
    8  .          2  punct     PUNCT
"""
ROCKETS_HIT_TAJI = """
    1  Rockets    2  nsubj     NOUN   rocket
    2  hit        0  ROOT      VERB
    3  Camp       4  compound  PROPN
    4  Taji       2  dobj      PROPN
    5  .          2  punct     PUNCT
"""
CONDEMNED_THE_ATTACK_ON_TAJI = """
    1  Iraq       2  nsubj     PROPN
    2  condemned  0  ROOT      VERB   condemn
    3  the        4  det       DET
    4  attack     2  dobj      NOUN
    5  on         4  prep      ADP
    6  Camp       7  compound  PROPN
    7  Taji       5  pobj      PROPN
    8  .          2  punct     PUNCT
"""


def condemnations(doc) -> list[Triple]:
    return triples(find_condemnations(sentence(doc)))


def condemned_in(doc) -> list[Triple]:
    """The condemnations of a whole doc, read as a build reads it (earlier sentences tell the attacks)."""
    return [t for t in triples(extract(doc).relations) if t.predicate == "condemned"]


def test_condemning_strikes_a_demonym_names_condemns_that_state():
    doc = parse(TURKISH_STRIKES, ents=["Iraq", ("Sinjar", "GPE")])
    assert condemnations(doc) == [Triple("Iraq", "condemned", "Turkey", "condemn.verb")]


def test_not_condemning_condemns_nothing():
    doc = parse("""
        1  Iraq       4  nsubj     PROPN
        2  did        4  aux       AUX    do
        3  not        4  neg       PART   _   RB
        4  condemn    0  ROOT      VERB   _   VB
        5  the        7  det       DET
        6  Turkish    7  amod      ADJ
        7  strikes    4  dobj      NOUN   strike
        8  .          4  punct     PUNCT
    """, ents=["Iraq"])
    assert condemnations(doc) == []


def test_condemning_what_is_no_attack_condemns_nothing():
    doc = parse("""
        1  Iraq       2  nsubj     PROPN
        2  condemned  0  ROOT      VERB   condemn
        3  the        4  det       DET
        4  decision   2  dobj      NOUN
        5  to         6  aux       PART   _   TO
        6  close      4  acl       VERB   _   VB
        7  the        8  det       DET
        8  border     6  dobj      NOUN
        9  .          2  punct     PUNCT
    """, ents=["Iraq"])
    assert condemnations(doc) == []


def test_condemning_the_attack_told_before_condemns_its_attacker():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  3  nsubj     PROPN
        3  fired      0  ROOT      VERB   fire
        4  rockets    3  dobj      NOUN   rocket
        5  at         3  prep      ADP
        6  Camp       7  compound  PROPN
        7  Taji       5  pobj      PROPN
        8  .          3  punct     PUNCT

        1  The        3  det       DET
        2  United     3  compound  PROPN
        3  States     4  nsubj     PROPN
        4  condemned  0  ROOT      VERB   condemn
        5  the        6  det       DET
        6  attack     4  dobj      NOUN
        7  .          4  punct     PUNCT
    """, ents=["Kataib Hezbollah", "Camp Taji", "United States"])
    assert condemned_in(doc) == [Triple("United States", "condemned", "Kataib Hezbollah", "condemn.verb")]


def test_condemning_an_attack_with_no_known_attacker_condemns_its_target():
    doc = parse(ROCKETS_HIT_TAJI + "\n" + CONDEMNED_THE_ATTACK_ON_TAJI, ents=["Camp Taji", "Iraq", "Camp Taji"])
    assert condemned_in(doc) == [Triple("Iraq", "condemned", "Camp Taji", "condemn.verb")]


def test_a_passive_condemnation_names_its_speaker_by_the_agent():
    doc = parse("""
        1  The        2  det        DET
        2  attack     7  nsubjpass  NOUN
        3  on         2  prep       ADP
        4  Camp       5  compound   PROPN
        5  Taji       3  pobj       PROPN
        6  was        7  auxpass    AUX    be
        7  condemned  0  ROOT       VERB   condemn  VBN
        8  by         7  agent      ADP
        9  the        12 det        DET
        10 Kurdistan  12 compound   PROPN
        11 Regional   12 compound   PROPN
        12 Government 8  pobj       PROPN
        13 .          7  punct      PUNCT
    """, ents=["Camp Taji", "Kurdistan Regional Government"])
    assert condemnations(doc) == [
        Triple("Kurdistan Regional Government", "condemned", "Camp Taji", "condemn.passive")]


def test_condemnation_from_a_state_as_a_noun():
    doc = parse("""
        1  The          3  det       DET
        2  Turkish      3  amod      ADJ
        3  strikes      4  nsubj     NOUN   strike
        4  drew         0  ROOT      VERB   draw
        5  condemnation 4  dobj      NOUN
        6  from         5  prep      ADP
        7  Iraq         6  pobj      PROPN
        8  .            4  punct     PUNCT
    """, ents=["Iraq"])
    assert condemnations(doc) == [Triple("Iraq", "condemned", "Turkey", "condemn.noun")]


def test_calling_a_strike_a_violation_condemns_the_striker():
    doc = parse("""
        1  Iraq        2  nsubj     PROPN
        2  said        0  ROOT      VERB   say
        3  the         5  det       DET
        4  Turkish     5  amod      ADJ
        5  strike      6  nsubj     NOUN
        6  was         2  ccomp     AUX    be
        7  a           8  det       DET
        8  violation   6  attr      NOUN
        9  of          8  prep      ADP
        10 its         11 poss      PRON   _   PRP$
        11 sovereignty 9  pobj      NOUN
        12 .           2  punct     PUNCT
    """, ents=["Iraq"])
    # the sentence's own attack reading tells the discourse whose strike it was
    assert condemned_in(doc) == [Triple("Iraq", "condemned", "Turkey", "condemn.phrase")]


def test_condemning_an_attack_does_not_make_the_condemner_its_attacker():
    doc = parse(CONDEMNED_THE_ATTACK_ON_TAJI, ents=["Iraq", "Camp Taji"])
    _, events = find_attacks(sentence(doc), cues())
    assert all(event.attacker is None for event in events)
