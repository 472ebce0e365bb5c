"""The hand-built parses the rule tests read: the notation, the entities as our pipeline labels them,
and that no statistical model is loaded to read them."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from kg.config import DEFAULT_CONFIG
from tests.conftest import REPO
from tests.extract.parses import parse, rows, sentence, sentences

TWO_SENTENCES = """
    1  Iran       3  npadvmod  PROPN
    2  -          3  punct     PUNCT
    3  backed     5  amod      VERB   back  VBN
    4  Kataib     5  compound  PROPN
    5  Hezbollah  6  nsubj     PROPN
    6  struck     0  ROOT      VERB   strike
    7  Camp       8  compound  PROPN
    8  Taji       6  dobj      PROPN
    9  .          6  punct     PUNCT

    1  Abu        2  compound  PROPN
    2  Karrar     3  nsubj     PROPN
    3  denied     0  ROOT      VERB   deny
    4  it         3  dobj      PRON
    5  .          3  punct     PUNCT
"""
ENTS = ["Iran", "Kataib Hezbollah", "Camp Taji", ("Abu Karrar", "PERSON")]


def test_a_parse_has_its_words_heads_and_sentences():
    doc = parse(TWO_SENTENCES, ents=ENTS)
    assert doc.text == "Iran-backed Kataib Hezbollah struck Camp Taji. Abu Karrar denied it."
    assert [s.text.strip() for s in doc.sents] == ["Iran-backed Kataib Hezbollah struck Camp Taji.",
                                                   "Abu Karrar denied it."]
    assert [(t.text, t.head.text, t.dep_) for t in doc[9:12]] == [
        ("Abu", "Karrar", "compound"), ("Karrar", "denied", "nsubj"), ("denied", "denied", "ROOT")]
    assert (doc[2].lemma_, doc[2].tag_, doc[5].lemma_, doc[5].tag_) == ("back", "VBN", "strike", "VBD")


def test_dictionary_names_are_labelled_as_the_actor_ruler_labels_them():
    doc = parse(TWO_SENTENCES, ents=ENTS)
    assert [(e.text, e.label_, e.ent_id_) for e in doc.ents] == [
        ("Iran", "State", "iran"), ("Kataib Hezbollah", "Militia", "kataib-hezbollah"),
        ("Camp Taji", "Base", "camp-taji"), ("Abu Karrar", "PERSON", "")]
    first, second = sentences(doc)
    assert [(m.name, m.type, m.key) for m in first.mentions] == [
        ("Iran", "State", "iran"), ("Kataib Hezbollah", "Militia", "kataib-hezbollah"), ("Camp Taji", "Base", "camp-taji")]
    assert second.mentions == []  # a PERSON with no title or role is no official (find_mentions' rules)
    assert first.discourse is second.discourse


def test_rows_write_a_parse_back_in_the_notation():
    doc = parse(TWO_SENTENCES, ents=ENTS)
    again = parse(rows(doc))
    assert [(t.text, t.head.i, t.dep_, t.pos_, t.lemma_, t.tag_, t.whitespace_) for t in again] == \
           [(t.text, t.head.i, t.dep_, t.pos_, t.lemma_, t.tag_, t.whitespace_) for t in doc]


@pytest.mark.parametrize(("conll", "ents", "message"), [
    ("1 Iran 0 ROOT PROPN\n3 backed 1 amod VERB", (), "expected ID 2"),
    ("1 Iran 0 ROOT PROPN\n2 backed 7 amod VERB", (), "head 7 is outside its sentence"),
    ("1 Iran 0 ROOT", (), "expected ID 1 WORD HEAD DEP POS"),
    ("1 Iran 0 ROOT PROPN", ["Atlantis"], "no untaken tokens read 'Atlantis'"),
    ("1 Iran 2 compound PROPN\n2 Iran 0 ROOT PROPN", ["Iran", "Iran", "Iran"], "no untaken tokens read 'Iran'"),
    ("1 Narnia 0 ROOT PROPN", ["Narnia"], "'Narnia' is not in the actor dictionary"),
])
def test_a_mistyped_parse_is_refused(conll, ents, message):
    with pytest.raises(ValueError, match=message):
        parse(conll, ents=ents)


def test_a_one_sentence_helper_refuses_two_sentences():
    with pytest.raises(ValueError):
        sentence(parse(TWO_SENTENCES, ents=ENTS))


BLOCK_THE_MODEL = textwrap.dedent("""
    import importlib.abc, sys
    MODELS = {models!r}

    class NoModel(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.partition(".")[0] in MODELS:
                raise ImportError(f"{{name}}: the rule tests must not load a statistical model")

    sys.meta_path.insert(0, NoModel())
    import pytest
    code = pytest.main({args!r})
    loaded = sorted(m for m in sys.modules if m.partition(".")[0] in MODELS)
    print("models loaded:", loaded or "none")
    sys.exit(code or bool(loaded))
""")


def test_the_rule_tests_run_without_the_model():
    """Run every rule test again in a Python where the English model cannot be imported: a rule
    test that needed it (through the `extractor` fixture, make_nlp or spacy.load) fails there."""
    files = sorted(str(p.relative_to(REPO)) for p in (REPO / "tests" / "extract").glob("test_rule_*.py"))
    assert len(files) >= 6
    args = [*files, "tests/extract/test_parses.py", "-k", "not without_the_model", "-q", "-p", "no:cacheprovider"]
    script = BLOCK_THE_MODEL.format(models=sorted(DEFAULT_CONFIG.model_names), args=args)
    done = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "models loaded: none" in done.stdout and " passed" in done.stdout
