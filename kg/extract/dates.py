"""Dates in the text, resolved against the document's date: 'on Wednesday' -> a day."""

from __future__ import annotations

import re
from datetime import date, timedelta

from dateutil import parser as dateparser

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
_EXPLICIT = re.compile(rf"\b(?:{MONTHS}\s+\d{{1,2}}(?:,?\s+\d{{4}})?|\d{{1,2}}\s+{MONTHS}(?:\s+\d{{4}})?)\b")
_WEEKDAY = re.compile(r"\b(" + "|".join(WEEKDAYS) + r")\b", re.IGNORECASE)


def mentioned_date(text: str, document_date: str | None) -> str | None:
    """The day `text` names, resolved against the document's date; None if it names none.

    >>> mentioned_date("rockets hit the base on Wednesday", "2021-07-08")
    '2021-07-07'
    >>> mentioned_date("on July 7, 14 rockets hit", "2021-07-08")
    '2021-07-07'
    >>> mentioned_date("rockets hit the base", "2021-07-08") is None
    True
    """
    anchor = parse_iso(document_date)
    match = _EXPLICIT.search(text)
    if match:
        default = anchor or date.today()
        try:
            day = dateparser.parse(match.group(0), default=default_datetime(default)).date()
        except (ValueError, OverflowError):
            day = None
        if day is not None:
            if anchor and day > anchor and not re.search(r"\d{4}", match.group(0)):
                day = day.replace(year=day.year - 1)
            return day.isoformat()
    match = _WEEKDAY.search(text)
    if match and anchor:
        back = (anchor.weekday() - WEEKDAYS.index(match.group(1).lower())) % 7
        return (anchor - timedelta(days=back)).isoformat()
    return None


def parse_iso(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def default_datetime(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)
