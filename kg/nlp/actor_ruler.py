"""The actor dictionary's names as entities: every name of every actor, found before spaCy's NER.

It finds what spaCy's EntityRuler would with one phrase pattern per name (matched in lower case,
token by token) and a token pattern per acronym (matched as written, so "US" is a state and "us"
a pronoun), and picks among overlapping matches as EntityRuler does: longest first, then leftmost (and where
two actors share a name, the first in the dictionary).
What it saves is the start-up. EntityRuler tokenises each of the dictionary's ~6,500 names on
every load, which makes a vocabulary entry for every new word, then indexes them: about a second
of every build. Here the names' tokens are kept in the user's cache, keyed by the dictionary's
bytes and the tokenizer, so a load reads one JSON file; finding the names in a document is a
dictionary lookup per token.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import spacy
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.tokens import Doc, Span

from kg.actors import is_acronym, load_actors, spelling_variants
from kg.atomic import write_text_atomically
from kg.config import user_cache_dir

CACHE_VERSION = 1
ENT_ID_SEP = "||"  # how EntityRuler names a pattern's match: label, separator, id


@dataclass(frozen=True)
class NamePattern:
    """One spelling of one actor's name as tokens; `exact` ones (acronyms) match case and all."""

    label: str
    id: str
    tokens: tuple[str, ...]
    exact: bool


class ActorRuler:
    """Sets doc.ents to the dictionary's names, with the actor's type as label and its id as ent_id."""

    def __init__(self, vocab, patterns: Iterable[NamePattern]):
        self.labels: dict[int, tuple[str, str]] = {}  # match id -> (label, actor id), in dictionary order
        self._lower: dict[int, list[tuple[tuple[int, ...], int]]] = {}  # first token -> (tokens, match id)
        self._exact: dict[int, list[tuple[tuple[int, ...], int]]] = {}
        strings = vocab.strings
        for pattern in patterns:
            if not pattern.tokens:
                continue
            match_id = strings.add(f"{pattern.label}{ENT_ID_SEP}{pattern.id}")
            self.labels.setdefault(match_id, (pattern.label, pattern.id))
            words = pattern.tokens if pattern.exact else tuple(t.lower() for t in pattern.tokens)
            keys = tuple(strings.add(w) for w in words)
            table = self._exact if pattern.exact else self._lower
            entries = table.setdefault(keys[0], [])
            if (keys, match_id) not in entries:
                entries.append((keys, match_id))
        self._rank = {match_id: n for n, match_id in enumerate(self.labels)}

    def __call__(self, doc: Doc) -> Doc:
        # Longest first, then leftmost; one span two actors are named by goes to the first in the dictionary.
        matches = sorted(set(self._matches(doc)), key=lambda m: (m[1] - m[2], m[1], self._rank[m[0]]))
        entities = list(doc.ents)
        found = []
        taken: set[int] = set()
        for match_id, start, end in matches:  # as EntityRuler.set_annotations, overwriting
            if start in taken or end - 1 in taken:
                continue
            label, actor_id = self.labels[match_id]
            found.append(Span(doc, start, end, label=label, span_id=actor_id))
            entities = [e for e in entities if not (e.start < end and e.end > start)]
            taken.update(range(start, end))
        doc.ents = entities + found
        return doc

    def _matches(self, doc: Doc) -> Iterator[tuple[int, int, int]]:
        if not len(doc):
            return
        columns = doc.to_array([LOWER, ORTH])
        for table, values in ((self._lower, columns[:, 0].tolist()), (self._exact, columns[:, 1].tolist())):
            for start, value in enumerate(values):
                for keys, match_id in table.get(value, ()):
                    end = start + len(keys)
                    if tuple(values[start:end]) == keys:
                        yield match_id, start, end


def name_patterns(nlp: Language, actor_files: list[Path]) -> list[NamePattern]:
    """Every spelling of every name, tokenised as `nlp` tokenises text: kept in the user's cache."""
    try:
        path = _cache_path(nlp, actor_files)
    except OSError:  # a dictionary that cannot be read is told by _tokenise, in one line
        path = None
    with contextlib.suppress(OSError, ValueError, TypeError):
        if path is not None:
            return [NamePattern(label, id_, tuple(tokens), exact)
                    for label, id_, tokens, exact in json.loads(path.read_text(encoding="utf-8"))]
    patterns = list(_tokenise(nlp, actor_files))
    if path is not None:
        with contextlib.suppress(OSError):
            write_text_atomically(path, json.dumps([[p.label, p.id, p.tokens, p.exact] for p in patterns],
                                                   ensure_ascii=False))
    return patterns


def _tokenise(nlp: Language, actor_files: list[Path]) -> Iterator[NamePattern]:
    for actor in load_actors(actor_files):
        for name in actor.names:
            for variant in sorted(spelling_variants(name)):
                if is_acronym(variant):
                    # "IRGC-QF" is three tokens to spaCy: IRGC, -, QF
                    parts = tuple(p for p in re.split(r"\s+|(-)", variant) if p)
                    yield NamePattern(actor.type, actor.id, parts, exact=True)
                else:
                    yield NamePattern(actor.type, actor.id, tuple(t.text for t in nlp.tokenizer(variant)), exact=False)


def _cache_path(nlp: Language, actor_files: list[Path]) -> Path:
    """Keyed by what decides the tokens: the dictionary's bytes, spaCy, and the model's tokenizer."""
    digest = hashlib.sha256(f"{CACHE_VERSION}|{spacy.__version__}|{nlp.meta.get('name')}|"
                            f"{nlp.meta.get('version')}".encode())
    for path in actor_files:
        digest.update(path.read_bytes() + b"\0")
    return user_cache_dir() / "actor-names" / f"{digest.hexdigest()[:20]}.json"
