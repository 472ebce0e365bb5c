"""The cue words of ontology/lexicon.json, loaded once per pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from kg.errors import KGError


class Lexicon:
    """Each key of the lexicon as an attribute: a frozenset of lower-cased words, or a dict."""

    def __init__(self, entries: dict):
        self._entries = {
            key: {k.lower(): v for k, v in value.items()} if isinstance(value, dict)
            else frozenset(w.lower() for w in value)
            for key, value in entries.items()
            if not key.startswith("_")
        }

    def __getattr__(self, key: str):
        try:
            return self.__dict__["_entries"][key]
        except KeyError:
            raise AttributeError(f"the lexicon has no entry {key!r}") from None


def load_lexicon(path: Path) -> Lexicon:
    try:
        return Lexicon(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        raise KGError(f"cannot read the lexicon {path}: {error}") from None
