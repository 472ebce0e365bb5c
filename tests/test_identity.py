"""Wikidata QIDs: each of the right form, none shared, each checked against a source we could read."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from kg.actors import load_actors
from kg.config import DEFAULT_CONFIG
from kg.errors import KGError
from kg.identity import IDENTITY_FILE, read_identities

QID = re.compile(r"Q[1-9][0-9]{0,11}")


@pytest.fixture(scope="module")
def actors():
    return load_actors([DEFAULT_CONFIG.actors_path])


def test_every_qid_has_the_wikidata_form_and_no_two_actors_share_one(actors):
    qids = Counter(a.qid for a in actors if a.qid)
    assert all(QID.fullmatch(q) for q in qids), [q for q in qids if not QID.fullmatch(q)]
    assert [q for q, n in qids.items() if n > 1] == []


def test_every_check_names_an_actor_and_how_it_was_checked(actors):
    checks = read_identities(DEFAULT_CONFIG.ontology_dir / IDENTITY_FILE)
    ids = {a.id: a for a in actors}
    assert checks
    for check in checks:
        assert check.actor in ids, check
        assert ids[check.actor].qid == check.qid
        assert " via " in check.checked  # what was compared, and the source it was read from


def test_states_carry_their_checked_qids(actors):
    states = [a for a in actors if a.type == "State"]
    checked = {c.actor for c in read_identities(DEFAULT_CONFIG.ontology_dir / IDENTITY_FILE)}
    assert sum(1 for a in states if a.qid) >= 190
    assert {"iraq", "syria", "iran", "jordan", "lebanon", "yemen"} <= checked
    iraq = next(a for a in states if a.id == "iraq")
    assert iraq.qid == "Q796" and "iraq" in checked


def test_a_check_that_contradicts_the_dictionary_is_an_error(tmp_path):
    (tmp_path / "actors.jsonl").write_text(json.dumps(
        {"id": "iraq", "name": "Iraq", "type": "State", "qid": "Q796"}) + "\n", encoding="utf-8")
    (tmp_path / IDENTITY_FILE).write_text(json.dumps(
        {"id": "iraq", "qid": "Q797", "checked": "label via a test"}) + "\n", encoding="utf-8")
    with pytest.raises(KGError, match="has Q796 in the dictionary but was checked as Q797"):
        load_actors([tmp_path / "actors.jsonl"])


@pytest.mark.parametrize("line", ['{"id": "iraq", "qid": "796", "checked": "x via y"}',
                                  '{"id": "iraq", "qid": "Q796", "checked": ""}', "not json"])
def test_a_malformed_check_is_one_clear_error(tmp_path, line):
    (tmp_path / "actors.jsonl").write_text(json.dumps({"id": "iraq", "name": "Iraq", "type": "State"}) + "\n",
                                           encoding="utf-8")
    (tmp_path / IDENTITY_FILE).write_text(line + "\n", encoding="utf-8")
    with pytest.raises(KGError, match=r"wikidata.jsonl:1: "):
        load_actors([tmp_path / "actors.jsonl"])


def test_a_checked_qid_fills_an_empty_one(tmp_path):
    (tmp_path / "actors.jsonl").write_text(json.dumps({"id": "iraq", "name": "Iraq", "type": "State"}) + "\n",
                                           encoding="utf-8")
    (tmp_path / IDENTITY_FILE).write_text(json.dumps(
        {"id": "iraq", "qid": "Q796", "checked": "label via a test"}) + "\n", encoding="utf-8")
    assert load_actors([tmp_path / "actors.jsonl"]).by_id["iraq"].qid == "Q796"
