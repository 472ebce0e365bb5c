"""Publication dates: the first date near the top of a text, and a metadata date in any common form.

    find_date(text)  the first date in the first ~600 characters, as "YYYY-MM-DD"
    iso_day(value)   a metadata date ("2021-07-08T09:52:00Z", "Thu, 08 Jul 2021") as "YYYY-MM-DD"

Month names are read by kg.months, as the event dates of kg.extract are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date as Date
from datetime import datetime

from dateutil import parser as dateutil_parser

from kg.ingest.characters import one_line
from kg.months import day_month_year, month_day_year, month_number

__all__ = ["find_date", "iso_day"]

_DATE_WINDOW = 600
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<year>\d{4})(?P<sep>[-/.])(?P<mon>\d{1,2})(?P=sep)(?P<day>\d{1,2})(?!\d)"),
    re.compile(month_day_year(r"\d{4}"), re.I),
    re.compile(day_month_year(r"\d{4}"), re.I),
)
_MAX_DATE_CHARS = 64  # longer metadata is not a date; dateutil would only spend time on it


def find_date(text: str) -> str | None:
    """The first date in the first ~600 characters of `text`, as "YYYY-MM-DD", or None.

    Reads "July 8, 2021", "JULY 8, 2021 14:25", "Jan. 3, 2020", "8 July 2021", "(29 Jun 2021)",
    "2021-07-08". Numeric day/month forms such as 7/8/2021 are ambiguous and ignored.

    >>> find_date("Dubai - Alarabiya.net\\nPublished: Jul 07, 2021: 09:52 AM")
    '2021-07-07'
    """
    return _first_date(text[:_DATE_WINDOW])


def iso_day(value: str) -> str | None:
    """A metadata date in any common form as "YYYY-MM-DD"; None unless year, month and day are all given.

    >>> iso_day("Thu, 08 Jul 2021 09:52:00 GMT"), iso_day("July 2021")
    ('2021-07-08', None)
    """
    value = one_line(value)
    found = _first_date(value)
    if found or not value or len(value) > _MAX_DATE_CHARS:
        return found
    try:
        # Parsing with two different defaults shows whether any of year, month and day was missing.
        first = dateutil_parser.parse(value, default=datetime(2000, 1, 1))
        second = dateutil_parser.parse(value, default=datetime(2001, 2, 2))
    except (ValueError, OverflowError):
        return None
    return first.date().isoformat() if first.date() == second.date() else None


def _first_date(text: str) -> str | None:
    found = [(start, day) for pattern in _DATE_PATTERNS for start, day in _dates(pattern, text)]
    return min(found)[1] if found else None


def _dates(pattern: re.Pattern, text: str) -> Iterator[tuple[int, str]]:
    """(offset, ISO day) of each real calendar date the pattern finds."""
    for match in pattern.finditer(text):
        parts = match.groupdict()
        month = month_number(parts["month"]) if parts.get("month") else int(parts["mon"])
        try:
            day = Date(int(parts["year"]), month, int(parts["day"]))
        except ValueError:
            continue  # "February 30" or month 13
        if 1900 <= day.year <= 2100:
            yield match.start(), day.isoformat()
