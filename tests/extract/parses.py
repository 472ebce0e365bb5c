"""Hand-built spaCy parses for testing one extraction rule at a time, with no statistical model.

A parse is written CoNLL-style, one token a line, a blank line between sentences:

    ID  WORD  HEAD  DEP  POS  [LEMMA]  [TAG]

ID counts from 1 in each sentence (it is checked, so a row cannot slip); HEAD is the ID of the
token's head in the same sentence, 0 for the sentence's root. LEMMA defaults to the lower-cased
word and TAG to a plain Penn tag for the POS (NNS for a NOUN whose lemma is shorter than the
word); write "_" to keep a default. Words are joined by single spaces, except that nothing is
written before , . ; : ' s ) ? ! or around a hyphen ("Iran-backed", "al-Asad").

Entities are given after the parse, by their words, as the pipeline's two labellers give them:

    "Kataib Hezbollah"            a name in the actor dictionary: labelled, like the actor ruler
                                  (kg_actor_ruler), with the actor's type and id
    ("Abu Fadak", "PERSON")       an NER label (PERSON, ORG, GPE, LOC, FAC, NORP, DATE ...) or one
                                  of our types without an id; find_mentions types it by its rules

The first occurrence of the words not yet taken by an earlier entity is labelled.

`rows(doc)` writes any parsed Doc in this notation: parse a new test sentence once with the model,
correct what the model got wrong, and paste the rows into the test.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.tokens import Doc, Span

from kg.actors import ActorDictionary, load_actors
from kg.config import DEFAULT_CONFIG
from kg.extract.context import Sentence
from kg.extract.discourse import Discourse
from kg.extract.entities import add_surname_mentions, find_mentions
from kg.extract.events import EventCues, load_event_cues
from kg.extract.lexicon import Lexicon, load_lexicon
from kg.extract.relations import document_sentences, extract_document, statement_authors
from kg.model import Document, DocumentExtraction

DEFAULT_TAGS = {"PROPN": "NNP", "NOUN": "NN", "VERB": "VBD", "AUX": "VBD", "ADJ": "JJ", "ADV": "RB", "ADP": "IN",
                "DET": "DT", "PRON": "PRP", "NUM": "CD", "CCONJ": "CC", "SCONJ": "IN", "PART": "RP", "PUNCT": ".",
                "SYM": "SYM", "X": "XX", "INTJ": "UH", "SPACE": "_SP"}
NO_SPACE_BEFORE = frozenset({",", ".", ";", ":", "'s", "’s", ")", "?", "!", "-", "n't", "%"})
NO_SPACE_AFTER = frozenset({"-", "(", "$"})
DOCUMENT_DATE = "2021-07-08"  # a Thursday


@lru_cache(maxsize=1)
def vocab():
    """The vocabulary of a blank English pipeline: its lexical attributes and noun chunks, no model."""
    return spacy.blank("en").vocab


def parse(conll: str, ents=()) -> Doc:
    """A Doc with the parse `conll` writes and the entities `ents` names (see the module's docstring)."""
    words, heads, deps, pos, lemmas, tags = [], [], [], [], [], []
    for block in _sentences(conll):
        offset = len(words)
        for number, row in enumerate(block, 1):
            cells = row.split()
            if len(cells) < 5 or cells[0] != str(number):
                raise ValueError(f"row {row!r}: expected ID {number} WORD HEAD DEP POS [LEMMA] [TAG]")
            word, head, dep, tag_pos = cells[1], int(cells[2]), cells[3], cells[4]
            lemma = cells[5] if len(cells) > 5 and cells[5] != "_" else word.lower()
            tag = cells[6] if len(cells) > 6 and cells[6] != "_" else _default_tag(tag_pos, word, lemma)
            if not 0 <= head <= len(block):
                raise ValueError(f"row {row!r}: head {head} is outside its sentence of {len(block)} tokens")
            words.append(word)
            heads.append(offset + (head - 1 if head else number - 1))
            deps.append(dep)
            pos.append(tag_pos)
            lemmas.append(lemma)
            tags.append(tag)
    spaces = [i + 1 < len(words) and words[i + 1] not in NO_SPACE_BEFORE and words[i] not in NO_SPACE_AFTER
              for i in range(len(words))]
    doc = Doc(vocab(), words=words, spaces=spaces, heads=heads, deps=deps, pos=pos, tags=tags, lemmas=lemmas)
    doc.ents = _entities(doc, ents)
    return doc


def _sentences(conll: str) -> list[list[str]]:
    blocks, current = [], []
    for line in conll.strip("\n").splitlines():
        if line.strip():
            current.append(line.strip())
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


PUNCT_TAGS = {",": ",", ".": ".", "-": "HYPH", "—": ":", "–": ":", ";": ":", ":": ":", "(": "-LRB-", ")": "-RRB-",
              '"': "''", "'s": "POS", "’s": "POS"}


def _default_tag(pos: str, word: str, lemma: str) -> str:
    if word in PUNCT_TAGS and pos in ("PUNCT", "PART"):
        return PUNCT_TAGS[word]
    if pos == "NOUN" and len(lemma) < len(word) and word.lower().endswith("s"):
        return "NNS"
    return DEFAULT_TAGS.get(pos, "XX")


def _entities(doc: Doc, ents) -> list[Span]:
    spans, taken = [], set()
    for ent in ents:
        text, label = (ent, None) if isinstance(ent, str) else ent
        start, end = _locate(doc, text, taken)
        if label is None:
            actor = actors().lookup(text)
            if actor is None:
                raise ValueError(f"{text!r} is not in the actor dictionary: give its label, as ({text!r}, LABEL)")
            spans.append(Span(doc, start, end, label=actor.type, span_id=actor.id))
        else:
            spans.append(Span(doc, start, end, label=label))
        taken.update(range(start, end))
    return sorted(spans, key=lambda s: s.start)


def _locate(doc: Doc, text: str, taken: set[int]) -> tuple[int, int]:
    for start in range(len(doc)):
        for end in range(start + 1, len(doc) + 1):
            if doc[start:end].text == text and not taken & set(range(start, end)):
                return start, end
            if len(doc[start:end].text) >= len(text):
                break
    raise ValueError(f"no untaken tokens read {text!r} in {doc.text!r}")


def rows(doc: Doc) -> str:
    """`doc` in the notation `parse` reads, a blank line between its sentences (a drafting aid)."""
    out = []
    for sent in doc.sents:
        for token in sent:
            head = 0 if token.head.i == token.i else token.head.i - sent.start + 1
            lemma = "_" if token.lemma_.lower() == token.lower_ else token.lemma_
            tag = "" if token.tag_ == _default_tag(token.pos_, token.text, token.lemma_ or token.lower_) else token.tag_
            line = f"{token.i - sent.start + 1:<3}{token.text:<14}{head:<3}{token.dep_:<10}{token.pos_:<6}{lemma} {tag}"
            out.append(line.rstrip().removesuffix(" _").rstrip())
        out.append("")
    return "\n".join(out).rstrip() + "\n"


# ---------------------------------------------------------------- what the extractors read with


@lru_cache(maxsize=1)
def actors() -> ActorDictionary:
    return load_actors([DEFAULT_CONFIG.actors_path])


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    return load_lexicon(DEFAULT_CONFIG.lexicon_path)


@lru_cache(maxsize=1)
def cues() -> EventCues:
    return load_event_cues(DEFAULT_CONFIG.events_path)


def document(doc: Doc, date: str | None = DOCUMENT_DATE) -> Document:
    return Document("rule-test.txt", "rule-test.txt", doc.text, date=date)


def sentences(doc: Doc, date: str | None = DOCUMENT_DATE) -> list[Sentence]:
    """The doc's sentences as the extractors see them: their mentions, sharing one Discourse."""
    found = add_surname_mentions(doc, find_mentions(doc, lexicon(), actors()), lexicon())
    discourse = Discourse(named=frozenset(f.key for f in found if f.key), authors=statement_authors(doc, found, lexicon()))
    return document_sentences(doc, found, document(doc, date), lexicon(), actors(), discourse,
                              DEFAULT_CONFIG.coreference_window)


def sentence(doc: Doc, date: str | None = DOCUMENT_DATE) -> Sentence:
    """The one sentence of a one-sentence doc, with a Discourse that has heard nothing before it."""
    [only] = sentences(doc, date)
    return only


def extract(doc: Doc, date: str | None = DOCUMENT_DATE) -> DocumentExtraction:
    """The whole extraction of a hand-built doc, sentence after sentence, as a build reads it."""
    return extract_document(doc, document(doc, date), lexicon(), actors(), DEFAULT_CONFIG.coreference_window, cues())


@dataclass(frozen=True)
class Triple:
    subject: str
    predicate: str
    object: str
    rule: str
    hedged: bool = False


def triples(relations) -> list[Triple]:
    """Relation mentions as (subject text, predicate, object text, rule, hedged), in order."""
    return [Triple(r.subject.text, r.predicate, r.object.text, r.evidence.rule, r.evidence.hedged) for r in relations]
