"""Dates as pages write them: ISO values with the page's own offset, and the calendar date they show.

A page's timestamp is kept as written: "20180619T055000+0900" is 2018-06-19
05:50 in Tokyo, and its calendar date is 2018-06-19 — converting it to UTC
(2018-06-18) would give a day the page never shows.  Strings that are not ISO
8601 ("3 May, 2022, 11:37 pm", "7. Dezember 2022") are read by htmldate's
parser, which knows the date shapes and month names of many languages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache

from htmldate.extractors import try_date_expr
from htmldate.validators import get_max_date, get_min_date

# The ISO 8601 shapes pages put in their metadata: extended or basic, date or date-time, with or without an offset.
_ISO = re.compile(
    r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?\s*(Z|[+-]\d{2}:?(?:\d{2})?)?)?$",
    re.I,
)
_DATE_IN_URL = re.compile(r"/((?:19|20)\d{2})[/_-]?([01]\d)[/_-]?([0-3]\d)(?:/|[_-]|\.html?|$)")
_SPACES = re.compile(r"\s+")
# Dates before this are not publication dates of web pages (htmldate's own lower bound).
EARLIEST = date(1995, 1, 1)


@dataclass(frozen=True)
class PageDate:
    """A date read from a page: its ISO value as written, and the calendar date it shows."""

    value: str
    day: date
    offset: timedelta | None = None  # the page's UTC offset, when it gives a time with one
    has_time: bool = False

    @property
    def utc(self) -> datetime | None:
        """The instant, when the page gives a time with an offset."""
        if self.offset is None:
            return None
        hour, minute = (int(x) for x in self.value[11:16].split(":"))
        return datetime(self.day.year, self.day.month, self.day.day, hour, minute) - self.offset


def _offset(text: str | None) -> timedelta | None:
    if text is None:
        return None
    if text.upper() == "Z":
        return timedelta(0)
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    return sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))


def _format_offset(offset: timedelta) -> str:
    minutes = int(offset.total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def parse_iso(text: str) -> PageDate | None:
    """An ISO 8601 date or date-time, keeping its offset and its own calendar date."""
    match = _ISO.match(text.strip())
    if not match:
        return None
    year, month, day, hour, minute, _, zone = match.groups()
    try:
        day_value = date(int(year), int(month), int(day))
        if hour is None:
            return PageDate(day_value.isoformat(), day_value) if plausible(day_value) else None
        moment = datetime(day_value.year, day_value.month, day_value.day, int(hour), int(minute))
        offset = _offset(zone)
    except ValueError:
        return None
    if not plausible(day_value):
        return None
    value = moment.isoformat(timespec="minutes") + (_format_offset(offset) if offset is not None else "")
    return PageDate(value, day_value, offset, has_time=True)


def plausible(day: date) -> bool:
    return EARLIEST <= day <= _latest()


@cache
def _latest() -> date:
    # htmldate's upper bound (today): a page is not published in the future
    return get_max_date(None).date() + timedelta(days=1)


def parse_date(text: str | None, *, extensive: bool = False) -> PageDate | None:
    """A date from metadata or a visible line: ISO 8601 first, else any shape htmldate reads (day precision)."""
    if not text:
        return None
    text = _SPACES.sub(" ", text).strip()
    if not text or len(text) > 200:
        return None
    found = parse_iso(text)
    if found is not None:
        return found
    try:
        parsed = try_date_expr(text, "%Y-%m-%d", extensive, get_min_date(None), get_max_date(None))
    except Exception:  # htmldate's parser failing on an odd string: that string is not a date
        return None
    if parsed is None:
        return None
    day = date.fromisoformat(parsed)
    return PageDate(day.isoformat(), day) if plausible(day) else None


def date_in_url(url: str | None) -> PageDate | None:
    """A full date in a page's address ("/2022/05/03/", "/20220503-")."""
    if not url:
        return None
    match = _DATE_IN_URL.search(url)
    if not match:
        return None
    try:
        day = date(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None
    return PageDate(day.isoformat(), day) if plausible(day) else None
