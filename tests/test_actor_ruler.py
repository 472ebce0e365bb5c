"""The actor ruler finds the dictionary's names as spaCy's EntityRuler would, and loads from the user cache."""

from __future__ import annotations

import json
import re

import pytest
import spacy
from spacy.pipeline import EntityRuler

import kg.nlp.factories  # noqa: F401  registers kg_actor_ruler
from kg.actors import is_acronym, load_actors, spelling_variants
from kg.nlp import actor_ruler

ACTORS = [
    {"id": "banner-brigades", "name": "Banner Brigades", "type": "Militia", "aliases": ["Kata'ib al-Raya", "BB"]},
    {"id": "banner-brigades-sector", "name": "Banner Brigades Northern Sector", "type": "Militia"},
    {"id": "ruritania", "name": "Ruritania", "type": "State", "aliases": ["RU", "US-RU"]},
    {"id": "camp-linden", "name": "Camp Linden", "type": "Base", "aliases": ["Linden"]},
    {"id": "linden-town", "name": "Linden", "type": "Location"},  # shares a name with the base listed first
    {"id": "ahmad-vale", "name": "Ahmad al-Vale", "type": "Official"},
]

SENTENCES = [
    "The Banner Brigades Northern Sector fired on Camp Linden, and the Banner Brigades claimed it.",
    "kata'ib al-raya and KATAIB AL-RAYA and Kata’ib al-Raya are one group; so is BB but not bb.",
    "Ruritania said RU forces and US-RU patrols stayed; ru and us-ru did not.",
    "Officials in Linden met Ahmad al-Vale and Ahmad al Vale.",
    "",
    "Nothing here names anyone.",
]


@pytest.fixture()
def actor_file(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "actors.jsonl"
    path.write_text("\n".join(json.dumps(a) for a in ACTORS) + "\n", encoding="utf-8")
    return path


def ours(actor_file):
    nlp = spacy.blank("en")
    nlp.add_pipe("kg_actor_ruler", config={"actor_files": [str(actor_file)]})
    return nlp


def spacys(actor_file):
    """spaCy's own EntityRuler with the patterns our ruler stands for: the oracle."""
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": "LOWER", "overwrite_ents": True})
    assert isinstance(ruler, EntityRuler)
    patterns = []
    for actor in load_actors([actor_file]):
        for name in actor.names:
            for variant in spelling_variants(name):
                pattern = ([{"ORTH": p} for p in re.split(r"\s+|(-)", variant) if p] if is_acronym(variant)
                           else variant)
                patterns.append({"label": actor.type, "pattern": pattern, "id": actor.id})
    ruler.add_patterns(patterns)
    return nlp


def entities(doc):
    return [(e.text, e.label_, e.ent_id_) for e in doc.ents]


@pytest.mark.parametrize("text", SENTENCES)
def test_the_ruler_finds_what_spacys_entity_ruler_finds(actor_file, text):
    assert entities(ours(actor_file)(text)) == entities(spacys(actor_file)(text))


def test_names_match_in_any_case_and_acronyms_only_as_written(actor_file):
    nlp = ours(actor_file)
    assert entities(nlp(SENTENCES[1])) == [
        ("kata'ib al-raya", "Militia", "banner-brigades"), ("KATAIB AL-RAYA", "Militia", "banner-brigades"),
        ("Kata’ib al-Raya", "Militia", "banner-brigades"), ("BB", "Militia", "banner-brigades")]
    assert [e[0] for e in entities(nlp(SENTENCES[2]))] == ["Ruritania", "RU", "US-RU"]


def test_the_longest_name_wins_and_a_shared_name_goes_to_the_first_actor_listed(actor_file):
    found = entities(ours(actor_file)(SENTENCES[0] + " " + SENTENCES[3]))
    assert ("Banner Brigades Northern Sector", "Militia", "banner-brigades-sector") in found
    assert ("Banner Brigades", "Militia", "banner-brigades") in found
    assert ("Linden", "Base", "camp-linden") in found


def test_the_names_tokens_are_read_back_from_the_user_cache(actor_file, tmp_path, monkeypatch):
    first = entities(ours(actor_file)(SENTENCES[0]))
    [cached] = (tmp_path / "cache" / "militia-kg" / "actor-names").glob("*.json")
    with monkeypatch.context() as patched:
        patched.setattr(actor_ruler, "_tokenise", lambda nlp, files: pytest.fail("tokenised the names again"))
        assert entities(ours(actor_file)(SENTENCES[0])) == first
    cached.write_text("[not json", encoding="utf-8")
    assert entities(ours(actor_file)(SENTENCES[0])) == first  # a broken cache is rebuilt, never an error


def test_a_changed_dictionary_is_tokenised_again(actor_file):
    assert not ours(actor_file)("Zembla attacked.").ents
    with actor_file.open("a", encoding="utf-8") as out:
        out.write(json.dumps({"id": "zembla", "name": "Zembla", "type": "State"}) + "\n")
    assert entities(ours(actor_file)("Zembla attacked.")) == [("Zembla", "State", "zembla")]
