"""Words are data: the extraction code names no English word, and every lexicon key is read.

A new cue word or pattern belongs in ontology/lexicon.json; these guards fail when one is
written into kg/extract/ instead, or when a lexicon key is left that no code reads.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from spacy import glossary

from kg.config import DEFAULT_CONFIG
from kg.model import ENTITY_TYPES, RELATION_TYPES, ROLE_EVENTS

EXTRACT = Path(__file__).resolve().parents[2] / "kg" / "extract"
# spaCy's own labels (dependencies, parts of speech, entity IOB codes), our types and relation names,
# and spaCy's alignment modes are vocabulary of the machinery, not of English.
MACHINERY = set(glossary.GLOSSARY) | {"I", "O", "B", "expand", "contract", "strict"} | set(ENTITY_TYPES) \
    | set(RELATION_TYPES) | set(ROLE_EVENTS)
WORDS = re.compile(r"[A-Za-z][a-z'’\-]*( [a-z][a-z'’\-]*){0,3} ?")


def english_literals(source: str) -> list[tuple[int, str]]:
    """String constants that look like English words, outside docstrings and f-string messages."""
    tree = ast.parse(source)
    skipped = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            skipped.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.JoinedStr):
            skipped.update(id(part) for part in ast.walk(node))  # a message
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skipped
            and WORDS.fullmatch(node.value) and node.value not in MACHINERY]


def test_the_guard_finds_a_word_written_into_code():
    assert english_literals('def f(t):\n    return t.lower_ == "claim" and t.dep_ == "nsubj"\n') == [(2, "claim")]


# The relation readers. The event modules (events.py, told.py, dates.py) still name some words in code.
READERS = ("attacks.py", "backing.py", "bridging.py", "claims.py", "condemnation.py", "context.py", "discourse.py",
           "entities.py", "leadership.py", "lexicon.py", "location.py", "relations.py", "roles.py", "tenure.py")


def test_extraction_code_names_no_english_word():
    found = {name: english_literals((EXTRACT / name).read_text(encoding="utf-8")) for name in READERS}
    found = {name: hits for name, hits in found.items() if hits}
    assert not found, f"move these words into ontology/lexicon.json: {found}"


def test_every_lexicon_key_is_read():
    keys = [k for k in json.loads(DEFAULT_CONFIG.lexicon_path.read_text(encoding="utf-8")) if not k.startswith("_")]
    code = "\n".join(path.read_text(encoding="utf-8") for path in (EXTRACT.parent).rglob("*.py"))
    unread = [key for key in keys if not re.search(rf"\b(?:lex|lexicon)\.{key}\b", code)]
    assert not unread, f"lexicon keys nothing reads: {unread}"
