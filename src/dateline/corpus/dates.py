"""Dates at their own precision: what span of the calendar a value covers, and how values sort.

An event's date keeps the precision the text gave it: "2011" is the whole year, "2020-01" a month,
"2023-W46" an ISO week, "2021-07-26" a day, "2021-07-26T14:00" a time.  On a chronology a coarse
date sorts at the start of its span, before the finer dates inside it (2007, then 2007-02-28, then
2007-10), unless its modifier moves it ("end of 2021" sorts at the end of 2021, "after March" past
March), so that a reader scanning down meets each period where it begins.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

Precision = Literal["year", "month", "week", "day", "time"]

_RANK: dict[str, int] = {"year": 0, "month": 1, "week": 2, "day": 3, "time": 4}
_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")
_DAY = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TIME = re.compile(r"^(\d{4})-(\d{2})-(\d{2})T\d{2}")
_PART = re.compile(r"^(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|AU|WI)$")
# months a quarter, half or season of a year covers (winter: the year's December and the next two months)
_PARTS = {
    "Q1": (1, 3),
    "Q2": (4, 6),
    "Q3": (7, 9),
    "Q4": (10, 12),
    "H1": (1, 6),
    "H2": (7, 12),
    "SP": (3, 5),
    "SU": (6, 8),
    "FA": (9, 11),
    "AU": (9, 11),
    "WI": (12, 14),
}
# how a reader says a modified date ("end of 2021") and where a date came from ("(reported on)")
_MODS = {
    "START": "start of ",
    "MID": "mid ",
    "END": "end of ",
    "BEFORE": "before ",
    "AFTER": "after ",
    "ON_OR_BEFORE": "by ",
    "ON_OR_AFTER": "from ",
}
_SOURCES = {"derived": " (derived)", "relative": " (relative)", "reported_on": " (reported on)"}


@dataclass(frozen=True)
class DateSpan:
    """The days a date value covers, first and last included, and the precision it was given at."""

    first: date
    last: date
    precision: Precision

    def overlaps(self, other: DateSpan) -> bool:
        return self.first <= other.last and other.first <= self.last

    def contains(self, other: DateSpan) -> bool:
        return self.first <= other.first and other.last <= self.last


def _month_span(year: int, first: int, last: int) -> tuple[date, date]:
    end_year, end_month = year + (last - 1) // 12, (last - 1) % 12 + 1
    return date(year, first, 1), date(end_year, end_month, calendar.monthrange(end_year, end_month)[1])


def span(value: str | None) -> DateSpan | None:
    """The span of an ISO 8601 / TIMEX3 calendar value, or None for what is not one ("P3Y", "PRESENT_REF")."""
    if not value:
        return None
    try:
        if m := _TIME.match(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return DateSpan(day, day, "time")
        if m := _DAY.match(value):
            day = date(int(m[1]), int(m[2]), int(m[3]))
            return DateSpan(day, day, "day")
        if m := _WEEK.match(value):
            monday = date.fromisocalendar(int(m[1]), int(m[2]), 1)
            return DateSpan(monday, monday + timedelta(days=6), "week")
        if m := _MONTH.match(value):
            return DateSpan(*_month_span(int(m[1]), int(m[2]), int(m[2])), "month")
        if m := _PART.match(value):
            return DateSpan(*_month_span(int(m[1]), *_PARTS[m[2]]), "month")
        if m := _YEAR.match(value):
            return DateSpan(date(int(m[1]), 1, 1), date(int(m[1]), 12, 31), "year")
    except ValueError:  # "2021-02-30", "2021-W54"
        return None
    return None


def precision(value: str | None) -> Precision | None:
    found = span(value)
    return found.precision if found else None


def sort_key(value: str | None, mod: str | None = None) -> tuple[int, int, int]:
    """Chronological key: the start of the span (moved by START/MID/END/BEFORE/AFTER), coarse before fine.

    Values that are not calendar dates sort last.
    """
    found = span(value)
    if found is None:
        return (date.max.toordinal() + 1, 0, 0)
    first, last = found.first.toordinal(), found.last.toordinal()
    at = {
        "END": last,
        "LATE": last,
        "MID": (first + last) // 2,
        "AFTER": last + 1,
        "ON_OR_AFTER": last,
        "BEFORE": first - 1,
    }.get(mod or "", first)
    # a span moved to its end sorts after the finer dates inside it
    rank = _RANK[found.precision] if at == first else 5 + (4 - _RANK[found.precision])
    return (at, rank, 0)


def describe(value: str | None, mod: str | None, source: str | None) -> str:
    """The date as a reader says it: "2003 (derived)", "end of 2021", "2024-03-05 (reported on)"."""
    if value is None:
        return "undated"
    return _MODS.get(mod or "", "") + value + _SOURCES.get(source or "", "")
