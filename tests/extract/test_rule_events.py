"""Attack events, one rule at a time, on hand-built parses (no statistical model: see parses.py):
trigger, target and attacker; casualties; dates against the dateline; hedges; one attack or many."""

from __future__ import annotations

import pytest

from kg.extract.attacks import find_attacks
from kg.extract.events import casualties
from tests.extract.parses import cues, extract, parse, sentence, sentences

FIRED_AT_TAJI = """
    1  Kataib     2  compound  PROPN
    2  Hezbollah  4  nsubj     PROPN
    3  {adverb}
    4  fired      0  ROOT      VERB   fire
    5  five       6  nummod    NUM
    6  rockets    4  dobj      NOUN   rocket
    7  at         4  prep      ADP
    8  Camp       9  compound  PROPN
    9  Taji       7  pobj      PROPN
    10 on         4  prep      ADP
    11 Tuesday    10 pobj      PROPN
    12 .          4  punct     PUNCT
"""
THEN = "then       4  advmod    ADV"
ROCKETS_HIT_TAJI = """
    1  Rockets    2  nsubj     NOUN   rocket
    2  hit        0  ROOT      VERB
    3  Camp       4  compound  PROPN
    4  Taji       2  dobj      PROPN
    5  {when}
    6  .          2  punct     PUNCT
"""


def events(doc, date="2021-07-08"):
    return find_attacks(sentence(doc, date), cues())[1]


def test_an_attack_verb_tells_an_event_with_attacker_target_weapon_count_and_day():
    doc = parse(FIRED_AT_TAJI.format(adverb=THEN), ents=["Kataib Hezbollah", "Camp Taji", ("Tuesday", "DATE")])
    [event] = events(doc, date="2021-07-08")  # a Thursday: "on Tuesday" is two days before
    assert (event.attacker.text, event.target.text, event.evidence.rule) == (
        "Kataib Hezbollah", "Camp Taji", "attack.active.event")
    assert (event.date, event.weapon, event.count) == ("2021-07-06", "rockets", 5)
    assert not event.evidence.hedged


def test_an_alleged_attack_is_hedged():
    doc = parse(FIRED_AT_TAJI.format(adverb="allegedly  4  advmod    ADV"),
                ents=["Kataib Hezbollah", "Camp Taji", ("Tuesday", "DATE")])
    [relation], [event] = find_attacks(sentence(doc), cues())
    assert relation.evidence.hedged and event.evidence.hedged
    assert event.attacker.text == "Kataib Hezbollah"  # hedged, still named


def test_a_weekday_counts_back_from_the_documents_date():
    doc = parse(FIRED_AT_TAJI.format(adverb=THEN), ents=["Kataib Hezbollah", "Camp Taji", ("Tuesday", "DATE")])
    assert [e.date for e in events(doc, date="2021-07-13")] == ["2021-07-13"]  # a Tuesday: that very day
    assert [e.date for e in events(doc, date=None)] == [None]  # no anchor, no day


def test_yesterday_counts_from_the_wire_dateline_not_the_documents_date():
    doc = parse("""
        1  BAGHDAD    0  ROOT      PROPN
        2  ,          1  punct     PUNCT
        3  Jan.       1  npadvmod  PROPN
        4  3          3  nummod    NUM
        5  ,          3  punct     PUNCT
        6  2020       3  nummod    NUM
        7  —          1  punct     PUNCT

    """ + ROCKETS_HIT_TAJI.format(when="yesterday  2  npadvmod  NOUN"), ents=["BAGHDAD", "Camp Taji", ("yesterday", "DATE")])
    assert doc.text.startswith("BAGHDAD, Jan. 3, 2020 — Rockets hit Camp Taji yesterday.")
    [dateline, story] = sentences(doc, "2020-01-10")  # a later document reprinting the wire story
    assert dateline.span.text.strip() == "BAGHDAD, Jan. 3, 2020 —"
    [event] = find_attacks(story, cues())[1]
    assert event.date == "2020-01-02"


def test_an_attack_told_without_a_day_is_undated():
    doc = parse(ROCKETS_HIT_TAJI.format(when="again      2  advmod    ADV"), ents=["Camp Taji"])
    [event] = events(doc)
    assert event.target.text == "Camp Taji" and event.date is None  # never the document's own date


CASUALTIES = [
    ("rockets hit the base, killing two soldiers and wounding four contractors", (2, 4)),
    ("the blast killed two, and no one was injured", (2, 0)),
    ("at least 14 rockets hit the base", (None, None)),  # a count of rockets is no toll
    ("the attack wounded a soldier and two contractors", (None, 3)),
    ("there were no casualties", (0, 0)),
]


@pytest.mark.parametrize(("text", "toll"), CASUALTIES, ids=[t for t, _ in CASUALTIES])
def test_casualties_as_the_sentence_states_them(text, toll):
    assert casualties(text, cues()) == toll


def test_the_killed_are_not_counted_again_as_wounded():
    assert casualties("the strike killed three soldiers and injured no one", cues()) == (3, 0)


def test_an_event_carries_the_toll_of_its_own_clauses():
    doc = parse("""
        1  Rockets    2  nsubj     NOUN   rocket
        2  hit        0  ROOT      VERB
        3  Camp       4  compound  PROPN
        4  Taji       2  dobj      PROPN
        5  ,          2  punct     PUNCT
        6  killing    2  advcl     VERB   kill   VBG
        7  two        8  nummod    NUM
        8  soldiers   6  dobj      NOUN   soldier
        9  and        6  cc        CCONJ
        10 wounding   6  conj      VERB   wound  VBG
        11 four       12 nummod    NUM
        12 contractors 10 dobj     NOUN   contractor
        13 .          2  punct     PUNCT
    """, ents=["Camp Taji"])
    [event] = events(doc)
    assert (event.killed, event.wounded) == (2, 4)


def test_dozens_of_attacks_are_a_campaign_not_an_event():
    doc = parse("""
        1  Kataib     2  compound  PROPN
        2  Hezbollah  4  nsubj     PROPN
        3  has        4  aux       AUX    have  VBZ
        4  carried    0  ROOT      VERB   carry  VBN
        5  out        4  prt       ADP    _   RP
        6  dozens     4  dobj      NOUN   dozen
        7  of         6  prep      ADP
        8  attacks    7  pobj      NOUN   attack
        9  on         8  prep      ADP
        10 Camp       11 compound  PROPN
        11 Taji       9  pobj      PROPN
        12 .          4  punct     PUNCT
    """, ents=["Kataib Hezbollah", "Camp Taji"])
    relations, found = find_attacks(sentence(doc), cues())
    assert [r.evidence.rule for r in relations] == ["attack.nominal"]  # who attacked what holds
    assert found == []


def test_a_photo_caption_tells_no_event():
    caption = """
        1  A          2  det       DET
        2  photo      7  nsubj     NOUN
        3  taken      2  acl       VERB   take  VBN
        4  on         3  prep      ADP
        5  March      4  pobj      PROPN
        6  2          5  nummod    NUM
        7  shows      0  ROOT      VERB   show  VBZ
        8  rockets    9  nsubj     NOUN   rocket
        9  hitting    7  ccomp     VERB   hit   VBG
        10 Camp       11 compound  PROPN
        11 Taji       9  dobj      PROPN
        12 .          7  punct     PUNCT
    """
    doc = parse(caption, ents=[("March 2", "DATE"), "Camp Taji"])
    assert doc.text.startswith("A photo taken on March 2 shows")
    assert events(doc) == []
    assert extract(doc).attacks == []
