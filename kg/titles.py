"""A document's title: its headline, never the advert or banner a scraped page puts above it.

    headline(text)          the first headline-like paragraph near the top of a cleaned text
    best_title(candidates)  the first candidate (og:title, <h1>, <title>...) that reads as a title
    is_title(line)          whether one line reads as a headline

The words that mark adverts and banners are data: ontology/titles.json.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from kg.config import ONTOLOGY_DIR

__all__ = ["best_title", "headline", "is_title"]

MAX_WORDS = 30
MAX_CHARS = 200
LOOK_AHEAD = 10  # paragraphs searched for the headline, unless body text starts sooner
BODY_WORDS = 30  # a paragraph this long is body text, and so is one that ends with a period
_LETTER = re.compile(r"[^\W\d_]")
_MONTHS = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?", re.I)
_SITE_SUFFIX = re.compile(r"\s+[|–—]\s+[^|–—]{1,40}$")  # "Headline | Site Name"


def headline(text: str) -> str:
    """The first paragraph that reads as a headline, among the first few and before the body starts.

    >>> headline("CRYPTO REWARDS!\\n\\nGet in while you can!\\n\\nMilitias step up rocket attacks on bases\\n\\n"
    ...          "The attacks came after a week of strikes on the groups' depots in western Iraq.")
    'Militias step up rocket attacks on bases'
    >>> headline("Three rockets fell near the embassy today, the army said, and none hit it; officials "
    ...          "blamed groups that Iran backs for this and for two more attacks in the same week.")
    ''
    """
    for paragraph in text.split("\n\n")[:LOOK_AHEAD]:
        line = " ".join(paragraph.split())
        if is_title(line):
            return line
        if _is_body(line):
            return ""
    return ""


def best_title(candidates: Iterable[object]) -> str:
    """The first candidate that reads as a title, without a trailing " | Site name".

    >>> best_title([None, "WIN BIG TODAY!", "Rockets hit Ain al-Asad air base | Example News"])
    'Rockets hit Ain al-Asad air base'
    """
    for candidate in candidates:
        if not isinstance(candidate, str):
            continue
        line = " ".join(candidate.split())
        if not line or line.endswith("!") or _is_advert_or_banner(line):
            continue  # an advert is not rescued by cutting off its end
        bare = _SITE_SUFFIX.sub("", line)
        for choice in (bare, line):
            if choice and is_title(choice):
                return choice
    return ""


def is_title(line: str) -> bool:
    """Whether a line reads as a headline: a few words to a long sentence, not a date, not an advert
    or banner, not a short all-capitals label ("PROFILE", "EXAMPLE NEWS DESK").

    >>> [is_title(s) for s in ("Rockets hit base", "July 8, 2021", "CRYPTO REWARDS!", "Breaking News",
    ...                        "EXAMPLE DIPLOMATIC MONITOR", "IRAN-BACKED GROUP CLAIMS DRONE ATTACK ON BASE")]
    [True, False, False, False, False, True]
    """
    words = line.split()
    if not 2 <= len(words) <= MAX_WORDS or len(line) > MAX_CHARS:
        return False
    if not (line[0].isupper() or line[0].isdigit() or line[0] in "\"'“‘"):
        return False
    if line[-1] in ".,;:!":
        return False  # a sentence, or a shout
    letters = _LETTER.findall(_MONTHS.sub("", line))
    if len(letters) < 3:
        return False  # a date, a time, a number
    if len(words) <= 4 and all(c.isupper() for c in letters):
        return False  # a kicker or masthead in capitals
    return not _is_advert_or_banner(line)


def _is_body(line: str) -> bool:
    """Prose has started: the headline, if any, came before. (A line ending with "!" may be an advert.)"""
    return bool(line) and (line[-1] == "." or (len(line.split()) >= BODY_WORDS and line[-1] in "?\"”’"))


def _is_advert_or_banner(line: str) -> bool:
    cues = _cues()
    bare = " ".join(re.findall(r"[\w']+", line.casefold().replace("’", "'")))
    return bare in cues.banners or cues.advert.search(bare) is not None


class _Cues:
    def __init__(self, data: dict):
        self.banners = frozenset(s.casefold() for s in data["banner_lines"])
        phrases = sorted((re.escape(s.casefold()) for s in data["advert_cues"]), key=len, reverse=True)
        self.advert = re.compile(r"\b(?:" + "|".join(phrases) + r")\b")


@lru_cache(maxsize=1)
def _cues(path: Path = ONTOLOGY_DIR / "titles.json") -> _Cues:
    return _Cues(json.loads(path.read_text(encoding="utf-8")))
