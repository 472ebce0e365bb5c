"""Entity resolution across a corpus: close spellings still merge, and the fuzzy matcher is shown a
small block of candidates, not every name the corpus holds (counted, not timed)."""

from __future__ import annotations

import random

import pytest

import kg.resolve.aliases as aliases
from kg.actors import ActorDictionary
from kg.model import Document, DocumentExtraction, Mention
from kg.resolve.aliases import resolve

SYLLABLES = ("ka", "ru", "zo", "mi", "te", "sha", "lo", "vin", "dra", "pe", "qu", "nor")


def extraction(doc_id: str, names: list[tuple[str, str]]) -> DocumentExtraction:
    mentions = [Mention(text, kind, i, i + 1, doc_id) for i, (text, kind) in enumerate(names)]
    return DocumentExtraction(Document(doc_id, doc_id, " ".join(t for t, _ in names)), mentions=mentions)


def names(graph) -> set[str]:
    return {e.name for e in graph.entities.values()}


def test_a_close_spelling_of_the_same_type_merges_and_of_another_type_does_not():
    graph = resolve([
        extraction("a.txt", [("Zoltan Brigades Front", "Militia")]),
        extraction("b.txt", [("Zoltan Brigade Front", "Militia")]),  # a close spelling: one militia
        extraction("c.txt", [("Zoltan Brigades Fronts", "Location")]),  # close, but not a militia
    ], ActorDictionary([]))
    assert names(graph) == {"Zoltan Brigades Front", "Zoltan Brigades Fronts"}


@pytest.fixture
def candidates_seen(monkeypatch):
    seen = []
    extract_one = aliases.process.extractOne

    def counting(query, choices, **kwargs):
        choices = list(choices)
        seen.append(len(choices))
        return extract_one(query, choices, **kwargs)

    monkeypatch.setattr(aliases.process, "extractOne", counting)
    return seen


def corpus(n_names: int) -> list[DocumentExtraction]:
    rng = random.Random(3)
    made = {" ".join("".join(rng.choices(SYLLABLES, k=3)).title() for _ in range(2)) + " Front"
            for _ in range(n_names)}
    made = sorted(made)
    return [extraction(f"doc-{i}.txt", [(name, "Militia") for name in made[i:i + 10]])
            for i in range(0, len(made), 10)]


def test_fuzzy_matching_compares_a_block_not_the_whole_corpus(candidates_seen):
    resolve(corpus(500), ActorDictionary([]))
    small = sum(candidates_seen) / len(candidates_seen)
    candidates_seen.clear()
    resolve(corpus(2000), ActorDictionary([]))
    large = sum(candidates_seen) / len(candidates_seen)
    # Comparing every new name with every earlier one averages ~half the corpus: 4x more at 4x the names.
    assert large < 2.5 * small + 5, f"{small:.1f} -> {large:.1f} candidates per name at 4x the names"


def test_a_corpus_resolves_the_same_whatever_the_hash_seed():
    """A spelling one letter from each of two names ('Jahezya' between 'Bahezya' and 'Jahezqa') ties;
    the tie goes the same way in every process, whatever order Python's string hashing gives sets."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import json\n"
        "from tests.test_resolve_scale import extraction\n"
        "from kg.actors import ActorDictionary\n"
        "from kg.resolve.aliases import resolve\n"
        "stems = ['ahezy', 'olamir', 'urenti', 'akosha', 'emirol', 'inotra', 'aluvik', 'orabez']\n"
        "docs = [extraction(f'{s}-{i}.txt', [(name + ' Brigades', 'Militia')]) for s in stems\n"
        "        for i, name in enumerate(['B' + s + 'a', 'J' + s + 'q', 'J' + s + 'a'])]\n"
        "graph = resolve(docs, ActorDictionary([]))\n"
        "print(json.dumps(sorted((e.name, sorted(e.aliases)) for e in graph.entities.values())))\n"
    )
    answers = set()
    for seed in ("1", "2", "3", "4"):
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True,
                              env={**os.environ, "PYTHONHASHSEED": seed}, cwd=Path(__file__).resolve().parents[1])
        answers.add(done.stdout)
    assert len(answers) == 1, "the same documents resolved differently in different processes"


def test_a_telling_of_an_attack_is_held_only_against_attacks_on_the_same_target_or_place(monkeypatch):
    """Counted, not timed: 400 attacks on 400 targets cost each telling a handful of comparisons."""
    from kg.model import AttackMention, Evidence
    from kg.resolve import events

    compared = []
    dated = events.AttackIndex.dated

    def counting(self, keys, day):
        found = dated(self, keys, day)
        compared.append(len(found))
        return found

    monkeypatch.setattr(events.AttackIndex, "dated", counting)
    rng = random.Random(5)
    camps = sorted({"Camp " + "".join(rng.choices(SYLLABLES, k=4)).title() for _ in range(600)})[:400]
    extractions = []
    for i, camp in enumerate(camps):
        target = Mention(camp, "Base", 0, 1, f"d{i}.txt")
        told = AttackMention(target, Evidence(f"d{i}.txt", "Rockets hit the camp.", 0, 20, "2021-07-08"),
                             date="2021-07-08")
        extractions.append(DocumentExtraction(Document(f"d{i}.txt", f"d{i}.txt", "Rockets hit the camp."),
                                              mentions=[target], attacks=[told, told]))
    graph = resolve(extractions, ActorDictionary([]))
    assert len(graph.attacks) == len(graph.entities) > 300  # each camp's two tellings are one attack
    assert max(compared) <= 1, f"a telling was held against {max(compared)} attacks"
