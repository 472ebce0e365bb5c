"""Dates in the text, resolved the way an event coder resolves them.

A date the text states wins over the document's: "on July 7, 2021", "July 7" (the last
July 7 on or before the anchor), "Thursday, March 3" (March 3: the weekday only confirms),
"in April" or "April 2021" (a month), "in 2017" (a year); "last week", "last month" and
"earlier this year" give the month or year that holds them. A bare weekday ("on Sunday") is
the last such day on or before the anchor, "yesterday" the day before it; "early Wednesday" in
a story dated Tuesday is the next day (the small hours where it happened, ahead of the desk's
clock). The anchor is the
story's own dateline where a text carries several stories (a forum thread of reposts), else
the document's date. A date after "since" or "until" bounds a period and dates no event.

Values are ISO prefixes, as precise as the text: "2021-07-07", "2021-07", "2017".
Month names are read in kg.months, which kg.ingest uses too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from kg.months import MONTH, day_month_year, month_day_year, month_number

__all__ = ["MONTH", "month_number", "TextDate", "dates_in", "mentioned_date", "story_anchor", "line_lead_date", "parse_iso",
           "precision", "first_day"]

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_YEAR = r"(?:1[89]\d\d|20\d\d)"
_M = rf"(?P<month>{MONTH})"
_PATTERNS = (  # most precise first; each match's span is taken once
    ("day", re.compile(rf"\b(?P<year>{_YEAR})-(?P<mon>\d\d)-(?P<day>\d\d)\b")),
    ("day", re.compile(month_day_year(_YEAR), re.I)),
    ("day", re.compile(day_month_year(_YEAR), re.I)),
    ("day", re.compile(rf"\b{_M}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\b(?!,?\s*\d)", re.I)),
    ("day", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_M}(?!\w)", re.I)),
    ("month", re.compile(rf"\b{_M},?\s+(?P<year>{_YEAR})(?!\d)", re.I)),
    ("month", re.compile(rf"\b(?:in|during|of|since|until|late|early|mid-?)\s+{_M}(?!\w)", re.I)),
    ("year", re.compile(rf"(?<![\d$£€.,])\b(?P<year>{_YEAR})\b(?!\s*(?:s\b|'s|%|\d|-\d|mm|km|people|troops|Americans))")),
    ("holiday", re.compile(r"\b(?P<holiday>Christmas Day|Christmas Eve|New Year's Day|New Year’s Day|New Year's Eve"
                           r"|New Year’s Eve|Independence Day)\b")),
    ("relative", re.compile(r"\b(?P<rel>yesterday|today|tonight|last night)\b", re.I)),
    ("recent", re.compile(r"\b(?P<recent>last|earlier this|this)\s+(?P<unit>week|month|year)\b", re.I)),
    ("weekday", re.compile(r"\b(?P<weekday>" + "|".join(WEEKDAYS) + r")s?\b", re.I)),
)
_PERIOD_WORDS = re.compile(
    r"\b(?:since|until|till|through|from|between|before|by)\s+(?:(?:the|late|early|mid-?|end|start|beginning|spring"
    r"|summer|autumn|fall|winter|of)\s+){0,4}$|\b(?:began|begun|started|erupted|escalated)\s+(?:on|in)\s+$", re.I)
HOLIDAYS = {"christmas day": (12, 25), "christmas eve": (12, 24), "new year's day": (1, 1), "new year's eve": (12, 31),
            "independence day": (7, 4)}  # fixed days; the last one on or before the anchor
_SECOND_OF_RANGE = re.compile(r"(?:" + "|".join(WEEKDAYS) + r")\s*[-–/]\s*$", re.I)
_SMALL_HOURS = re.compile(r"\b(?:early|before dawn|pre-dawn|predawn)\s+(?:on\s+)?$", re.I)
_NOT_A_MONTH = re.compile(r"^(?:may|march)$", re.I)  # "may" the verb, "march" the walk: only with a day or year


@dataclass(frozen=True)
class TextDate:
    """A date the text states: where, what it resolves to, and whether it bounds a period."""

    start: int
    end: int
    value: str
    kind: str  # day, month, year, holiday, relative, recent, weekday
    period: bool = False


def parse_iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value[:10]) if value and len(value) >= 10 else None
    except ValueError:
        return None


def precision(value: str | None) -> str | None:
    """'day', 'month' or 'year' for an ISO prefix."""
    if not value:
        return None
    return {10: "day", 7: "month", 4: "year"}.get(len(value))


def first_day(value: str) -> str:
    """The first day an ISO prefix covers: '2019-10' -> '2019-10-01' (ACLED's and GTD's convention)."""
    return value + "-01-01"[len(value) - 4:] if len(value) < 10 else value


def dates_in(text: str, anchor: str | None) -> list[TextDate]:
    """Every date `text` states, resolved against `anchor` (an ISO day, or None), in text order.

    >>> [d.value for d in dates_in("rockets hit on Sunday; in 2017 it was quiet", "2021-07-08")]
    ['2021-07-04', '2017']
    >>> [(d.value, d.period) for d in dates_in("attacks since October 7", "2024-01-28")]
    [('2023-10-07', True)]
    """
    day = parse_iso(anchor)
    taken: list[tuple[int, int]] = []
    found = []
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(text):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            if kind == "weekday" and _SECOND_OF_RANGE.search(text[max(0, match.start() - 12): match.start()]):
                continue  # "the night of Tuesday-Wednesday" began on the Tuesday
            value = _resolve(kind, match, day)
            if value is None:
                continue
            taken.append(match.span())
            period = bool(_PERIOD_WORDS.search(text[max(0, match.start() - 40): match.start()])) \
                and not re.match(r",?\s+when\b", text[match.end():])  # "since Dec. 31, when militants stormed"
            found.append(TextDate(match.start(), match.end(), value, kind, period))
    return sorted(found, key=lambda d: d.start)


def mentioned_date(text: str, anchor: str | None, near: int | None = None) -> str | None:
    """The date `text` gives an event: the stated date nearest `near` (a character offset in
    `text`, else its start), preferring a stated day, month or year over a relative one when
    both are there ("on Thursday, March 3"). None when the text gives none.

    >>> mentioned_date("rockets hit the base on Wednesday", "2021-07-08")
    '2021-07-07'
    >>> mentioned_date("on Thursday, March 3, rockets hit", "2022-03-05")
    '2022-03-03'
    >>> mentioned_date("rockets hit the base", "2021-07-08") is None
    True
    """
    candidates = [d for d in dates_in(text, anchor) if not d.period]
    if not candidates:
        return None
    stated = [d for d in candidates if d.kind in ("day", "month", "year", "holiday")]
    pool = stated if stated and _adjacent(stated, candidates) else candidates
    where = near if near is not None else 0
    return min(pool, key=lambda d: (abs(d.start - where), d.start)).value


def _adjacent(stated: list[TextDate], candidates: list[TextDate]) -> bool:
    """A weekday right before a stated day ("Thursday, March 3") is the same day; else weigh them all."""
    relative = [d for d in candidates if d.kind in ("weekday", "relative")]
    return not relative or all(any(0 <= s.start - r.end <= 3 for s in stated) for r in relative)


def _resolve(kind: str, match: re.Match, anchor: date | None) -> str | None:
    parts = match.groupdict()
    if kind == "relative":
        if anchor is None:
            return None
        back = 1 if parts["rel"].lower() == "yesterday" else 0
        return (anchor - timedelta(days=back)).isoformat()
    if kind == "recent":
        return _recent(parts["recent"].lower(), parts["unit"].lower(), anchor) if anchor is not None else None
    if kind == "holiday":
        if anchor is None:
            return None
        month, day = HOLIDAYS[parts["holiday"].lower().replace("’", "'")]
        year = anchor.year if (month, day) <= (anchor.month, anchor.day) else anchor.year - 1
        return date(year, month, day).isoformat()
    if kind == "weekday":
        if anchor is None:
            return None
        back = (anchor.weekday() - WEEKDAYS.index(parts["weekday"].lower())) % 7
        if back == 6 and _SMALL_HOURS.search(match.string[max(0, match.start() - 12): match.start()]):
            back = -1  # "early Wednesday" in a story dated Tuesday: the small hours where it happened, ahead of the desk
        return (anchor - timedelta(days=back)).isoformat()
    if kind == "year":
        return parts["year"]
    month = int(parts["mon"]) if parts.get("mon") else month_number(parts["month"])
    if month is None:
        return None
    if kind == "month":
        if parts.get("year"):
            return f"{parts['year']}-{month:02d}"
        if anchor is None:
            return None
        year = anchor.year if month <= anchor.month else anchor.year - 1
        return f"{year}-{month:02d}"
    named = parts.get("month")  # None for "2021-07-07"
    if named and _NOT_A_MONTH.match(named.rstrip(".")) and not parts.get("year") and named[0].islower():
        return None
    year = int(parts["year"]) if parts.get("year") else None
    if year is None:
        if anchor is None:
            return None
        year = anchor.year
        try:
            if date(year, month, int(parts["day"])) > anchor + timedelta(days=1):
                year -= 1  # "Oct. 7" in a January story is last October
        except ValueError:
            return None
    try:
        return date(year, month, int(parts["day"])).isoformat()
    except ValueError:
        return None


def _recent(which: str, unit: str, anchor: date) -> str | None:
    """'last week' (the seven days before the anchor), 'last month', 'earlier this year': as precise
    as the span allows, the month or year that holds all of it."""
    if unit == "year":
        return str(anchor.year - 1 if which == "last" else anchor.year)
    if unit == "month":
        if which != "last":
            return f"{anchor.year}-{anchor.month:02d}"
        previous = anchor.replace(day=1) - timedelta(days=1)
        return f"{previous.year}-{previous.month:02d}"
    first, last = (anchor - timedelta(days=7), anchor - timedelta(days=1)) if which == "last" else \
        (anchor - timedelta(days=anchor.weekday()), anchor)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.year}-{first.month:02d}"
    return str(first.year) if first.year == last.year else None


# ---------------------------------------------------------------- story datelines

_DATE_LINE = re.compile(
    rf"^\(?(?:(?:published|updated|posted)(?:\s+on)?:?\s+)?(?:\w+day,?\s+)?"
    rf"(?:{MONTH}\s+\d{{1,2}},?\s+{_YEAR}|\d{{1,2}}\s+{MONTH},?\s+{_YEAR}|{_YEAR}-\d\d-\d\d)"
    rf"(?:[\s:,|-]+\d{{1,2}}:\d\d(?::\d\d)?(?:\s*[ap]\.?m\.?)?(?:\s+\w{{2,4}})?)?\)?\.?$", re.I)
_DATE_LEAD = re.compile(  # "(29 Jun 2021) Hundreds gathered ...", "Published in: Jul 07, 2021: 09:52 AM ..."
    rf"^(?:\((?:\w+day,?\s+)?(?:{MONTH}\s+\d{{1,2}},?\s+{_YEAR}|\d{{1,2}}\s+{MONTH},?\s+{_YEAR})\)"
    rf"|(?:published|updated|posted)(?:\s+(?:in|on))?:?\s+(?:{MONTH}\s+\d{{1,2}},?\s+{_YEAR}|\d{{1,2}}\s+{MONTH},?\s+{_YEAR}))",
    re.I)
_WIRE_DATELINE = re.compile(
    rf"^[A-Z][A-Z .'’-]{{2,40}}(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?\s*"
    rf"(?:\((?:[A-Za-z .]{{2,30}})\)|,\s*(?P<day>(?:{MONTH}\s+\d{{1,2}}(?:,\s*{_YEAR})?)))\s*[—–-]"
    r"|^(?-i:[A-Z]{3,}(?:\s[A-Z]{3,})?)\s+[—–]\s", re.I)  # "WASHINGTON – The Pentagon said": a new story, undated


_LINE_LEAD = re.compile(rf"^\W*(?P<date>(?:{MONTH}\s+\d{{1,2}},?\s+)?(?:{MONTH},?\s+)?{_YEAR})\s*[:—–-]\s*$", re.I)


def line_lead_date(text: str, offset: int, anchor: str | None) -> str | None:
    """The date a list item or entry opens with, for a sentence at `offset` of `text` on that line:
    "- December 2019: Kataib Hezbollah fired ..." dates the sentence after the colon."""
    line_start = text.rfind("\n", 0, offset) + 1
    lead = _LINE_LEAD.match(text[line_start:offset])
    if lead is None:
        return None
    found = dates_in(lead.group("date"), anchor)
    return found[0].value if found else None


def story_anchor(doc, offset: int, document_date: str | None) -> str | None:
    """The date relative days at `offset` of a spaCy `doc` count from: the last story dateline
    before it (a line that is only a date, "Published: Jul 07, 2021", "(29 Jun 2021)", or a wire
    dateline "BAGHDAD, Jan. 3, 2020 —"), else the document's date. Found once per doc."""
    anchors = doc.user_data.get("kg.story_anchors")
    if anchors is None:
        anchors = doc.user_data["kg.story_anchors"] = list(_anchors(doc.text, document_date))
    best = document_date
    for start, day in anchors:
        if start > offset:
            break
        best = day
    return best


def _anchors(text: str, document_date: str | None):
    position = 0
    for line in text.split("\n"):
        stripped = line.strip()
        if 0 < len(stripped) <= 60 and _DATE_LINE.match(stripped) or _DATE_LEAD.match(stripped):
            found = dates_in(stripped, document_date)
            if found and found[0].kind == "day":
                yield position, found[0].value
        else:
            wire = _WIRE_DATELINE.match(stripped)
            if wire:  # a new story: its own date, or the document's when the dateline gives none
                day = mentioned_date(wire.group("day"), document_date) if wire.group("day") else None
                yield position, day or document_date
        position += len(line) + 1
