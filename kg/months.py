"""Month names: the one place they are read, for ingest (publication dates) and extract (event dates).

    MONTH                 a regular expression for a month's name or abbreviation ("Sept.", "july")
    month_number(name)    1-12 for such a name, or None
    month_day_year(year)  the pattern of "July 8, 2021" and "Jan. 3rd 2020", with the given year pattern
    day_month_year(year)  the pattern of "8 July 2021" and "3rd of January, 2020"

The two date patterns name their groups `month`, `day` and `year`; match them case-insensitively.
This module imports nothing of kg, so every stage may import it.
"""

from __future__ import annotations

__all__ = ["MONTH", "day_month_year", "month_day_year", "month_number"]

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_GROUP = rf"(?P<month>{MONTH})"


def month_number(name: str) -> int | None:
    """1-12 for a month's name or abbreviation, any case, with or without a period.

    >>> month_number("Sept."), month_number("july"), month_number("Ramadan")
    (9, 7, None)
    """
    key = name.strip().rstrip(".").lower()[:3]
    return _MONTHS.index(key) + 1 if key in _MONTHS and len(name.strip().rstrip(".")) >= 3 else None


def month_day_year(year: str) -> str:
    r"""The pattern of a written day, month first: "July 8, 2021", "Jan. 3rd 2020"; `year` is a pattern.

    >>> import re
    >>> re.search(month_day_year(r"\d{4}"), "on Jan. 3rd 2020 at", re.I).group("month", "day", "year")
    ('Jan.', '3', '2020')
    """
    return rf"\b{_MONTH_GROUP}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>{year})(?!\d)"


def day_month_year(year: str) -> str:
    r"""The pattern of a written day, day first: "8 July 2021", "3rd of January, 2020"; `year` is a pattern.

    >>> import re
    >>> re.search(day_month_year(r"\d{4}"), "(3rd of January, 2020)", re.I).group("day", "month", "year")
    ('3', 'January', '2020')
    """
    return rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?{_MONTH_GROUP},?\s+(?P<year>{year})(?!\d)"
