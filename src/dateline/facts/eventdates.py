"""Dates for events: reading ISO values of times, shifting them, and a fallback reader.

The times component (`doc._.facts["times"]`) normally gives every time expression a normalized
value.  When it is absent (a pipeline built without it), `fallback_times` reads spaCy's DATE
entities with a deliberately small grammar — a year, a month, a weekday, "last/this/next year",
relative to the publication date — so that events still get coarse dates.  It is a fallback, not a
time normalizer.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

from spacy.tokens import Doc

from dateline.model import Time

ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
WEEK = re.compile(r"^(\d{4})-W(\d{2})(?:-WE)?$")
PART = re.compile(r"^(\d{4})-(Q[1-4]|H[12]|SP|SU|FA|WI)$")  # quarters, halves, seasons
_PART_MONTH = {"Q1": 1, "Q2": 4, "Q3": 7, "Q4": 10, "H1": 1, "H2": 7, "SP": 3, "SU": 6, "FA": 9, "WI": 12}
_MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): i for i, name in enumerate(calendar.month_abbr) if name}
_DAYS = {name.lower(): i for i, name in enumerate(calendar.day_name)}
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")
_RELATIVE_YEAR = {"last": -1, "past": -1, "previous": -1, "this": 0, "the": 0, "next": 1, "coming": 1}
_MODS = {
    "end": "END",
    "late": "END",
    "beginning": "START",
    "start": "START",
    "early": "START",
    "mid": "MID",
    "middle": "MID",
}


def calendar_value(value: str | None) -> str | None:
    """The calendar part of a TIMEX3 value at its own precision ("2021-07-26T10:00" -> "2021-07-26",
    "2023-W46", "2020-01", "2011"), or None for values that are not a point or period of the calendar."""
    head = (value or "").split("T", 1)[0]
    return head if ISO.match(head) or WEEK.match(head) or PART.match(head) else None


def _week_monday(value: str) -> date | None:
    match = WEEK.match(value)
    if match is None:
        return None
    try:
        return date.fromisocalendar(int(match.group(1)), int(match.group(2)), 1)
    except ValueError:
        return None


def parse_iso(value: str | None) -> tuple[int, int | None, int | None] | None:
    """(year, month, day) of a calendar value such as "2021", "2021-07" or "2021-07-26".

    A week ("2023-W46") reads as its Monday, so that it can be sorted and shifted."""
    monday = _week_monday(value or "")
    if monday is not None:
        return monday.year, monday.month, monday.day
    part = PART.match(value or "")
    if part is not None:  # a quarter, half or season reads as the month it starts in
        return int(part.group(1)), _PART_MONTH[part.group(2)], None
    match = ISO.match(value or "")
    if not match:
        return None
    year, month, day = match.groups()
    return int(year), int(month) if month else None, int(day) if day else None


def shift(value: str, amount: int, unit: str) -> str | None:
    """Move an ISO calendar value by whole years, months or days, keeping its precision."""
    monday = _week_monday(value)
    if (
        monday is not None and unit == "day" and not value.endswith("-WE")
    ):  # a week moves by whole weeks and stays a week
        year_, week, _ = (monday + timedelta(days=7 * round(amount / 7))).isocalendar()
        return f"{year_:04d}-W{week:02d}"
    parts = parse_iso(value)
    if parts is None:
        return None
    year, month, day = parts
    if monday is not None:
        day = None  # a week shifted by months or years keeps the month it starts in
    if unit == "year" or month is None:
        years = amount if unit == "year" else round(amount / (12 if unit == "month" else 365))
        return _iso(year + years, month, day)
    if unit == "month" or day is None:
        months = amount if unit == "month" else round(amount / 30)
        total = year * 12 + month - 1 + months
        return _iso(total // 12, total % 12 + 1, None if day is None else min(day, 28))
    moved = date(year, month, day) + timedelta(days=amount)
    return moved.isoformat()


def _iso(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def sort_key(value: str, mod: str | None = None) -> tuple[float, float, float]:
    """Chronological key; a year alone sorts at its middle, "end of" at its end."""
    parts = parse_iso(value)
    if parts is None:
        return (9999.0, 0.0, 0.0)
    year, month, day = parts
    if WEEK.match(value):
        day = (day or 1) + 3  # a week sorts at its middle
    position = {"START": 0.5, "END": 12.5}.get(mod or "", 6.5)
    if month is None:
        return (float(year), position, 0.0)
    return (
        float(year),
        float(month),
        float(day) if day is not None else {"START": 0.5, "END": 31.5}.get(mod or "", 15.5),
    )


def read_date(text: str, published: date | None) -> tuple[str, str | None] | None:
    """Fallback: an ISO value (and mod) for a DATE entity's text, or None for durations and the unknown."""
    words = re.findall(r"[a-z]+|\d+", text.lower())
    mod = next((_MODS[w] for w in words if w in _MODS), None)
    year_match = _YEAR.search(text)
    year: int | None = int(year_match.group(1)) if year_match else None
    if year is None and published is not None and "year" in words:
        before = words[words.index("year") - 1] if words.index("year") > 0 else ""
        if before in _RELATIVE_YEAR and not any(w.isdigit() for w in words):
            year = published.year + _RELATIVE_YEAR[before]
    month = next((_MONTHS[w] for w in words if w in _MONTHS and (len(w) > 3 or w == "may")), None)
    if month is not None:
        days = re.findall(r"\b\d{1,2}\b", text)
        day: int | None = int(days[0]) if days else None
        if year is None and published is not None:
            year = published.year if month <= published.month else published.year - 1
        if year is None:
            return None
        if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
            day = None
        return _iso(year, month, day), mod
    if year is not None:
        return _iso(year, None, None), mod
    if published is None:
        return None
    weekday = next((_DAYS[w] for w in words if w in _DAYS), None)
    if weekday is not None:
        return (published - timedelta(days=(published.weekday() - weekday) % 7)).isoformat(), mod
    if "yesterday" in words:
        return (published - timedelta(days=1)).isoformat(), mod
    if "today" in words or "tonight" in words:
        return published.isoformat(), mod
    if "tomorrow" in words:
        return (published + timedelta(days=1)).isoformat(), mod
    return None


def published_date(doc: Doc) -> date | None:
    value = doc._.published
    if not value:
        return None
    try:
        return date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def fallback_times(doc: Doc) -> list[Time]:
    """Times from spaCy DATE entities, read by `read_date` (used only when no times component ran)."""
    published = published_date(doc)
    found = []
    for ent in doc.ents:
        if ent.label_ != "DATE":
            continue
        read = read_date(ent.text, published)
        if read is not None:
            value, mod = read
            found.append(Time(ent.text, ent.start_char, ent.end_char, "DATE", value, mod=mod))
    return found
