"""The cue words of ontology/lexicon.json, loaded once per pipeline."""

from __future__ import annotations

import json
from pathlib import Path

from kg.errors import KGError


class Lexicon:
    """Each key of the lexicon as an attribute: a frozenset of lower-cased words, or a dict."""

    def __init__(self, entries: dict):
        # plain instance attributes: the extractors read them hundreds of thousands of times a build
        self.__dict__.update({
            key: {k.lower(): v for k, v in value.items()} if isinstance(value, dict)
            else frozenset(w.lower() for w in value)
            for key, value in entries.items()
            if not key.startswith("_")
        })

    def __getattr__(self, key: str):  # only reached for a key the lexicon does not have
        raise AttributeError(f"the lexicon has no entry {key!r}")


def load_lexicon(path: Path) -> Lexicon:
    try:
        return Lexicon(json.loads(Path(path).read_text(encoding="utf-8")))
    except (OSError, ValueError) as error:
        raise KGError(f"cannot read the lexicon {path}: {error}") from None
