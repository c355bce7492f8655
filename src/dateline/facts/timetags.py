"""Find time expressions in text and normalize them to TIMEX3 values.

Pure functions over a string and an anchor date: the spaCy component in
`dateline.facts.times` adds the parse (tense) and attaches the results.
The vocabulary is the data table `data/times.json`; this module holds the
grammar that combines it.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Any

PAST, UNKNOWN, FUTURE = -1, 0, 1


@dataclass(frozen=True)
class Anchor:
    """What relative expressions resolve against: the reference day and the tense around them."""

    day: date | None
    direction: int = UNKNOWN


@dataclass(frozen=True)
class Resolved:
    value: str
    mod: str | None = None
    anchored: bool = True


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    type: str  # DATE | TIME | DURATION | SET
    resolve: Callable[[Anchor], Resolved]
    relative: bool  # needs the anchor (and so the tense)
    narrative: bool = False  # "two days later": counted from the story's last date, not the article's


@cache
def tables() -> dict[str, Any]:
    raw = (
        resources.files("dateline.facts").joinpath("data").joinpath("times.json").read_text(encoding="utf-8")
    )
    data: dict[str, Any] = json.loads(raw)
    return data


def _alt(words: list[str] | Any) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


# ---------------------------------------------------------------- calendar arithmetic


def add_months(day: date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def week_of(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def quarter_of(day: date) -> int:
    return (day.month - 1) // 3 + 1


def weekday_near(anchor: date, weekday: int, direction: int, shift: int | None = None) -> date:
    """The day with that ISO weekday around the anchor: the last one for past tense, the coming one for future."""
    back = (anchor.isoweekday() - weekday) % 7
    ahead = (weekday - anchor.isoweekday()) % 7
    if shift == -1:
        return anchor - timedelta(days=back or 7)
    if shift == 1:
        return anchor + timedelta(days=ahead or 7)
    if direction == PAST:
        return anchor - timedelta(days=back)
    if direction == FUTURE:
        return anchor + timedelta(days=ahead)
    # without tense, news reports what has happened: the last such day, unless it is tomorrow
    return anchor + timedelta(days=1) if ahead == 1 and back > 1 else anchor - timedelta(days=back)


def month_year(anchor: date, month: int, direction: int) -> int:
    if direction == PAST and month > anchor.month:
        return anchor.year - 1
    if direction == FUTURE and month < anchor.month:
        return anchor.year + 1
    if direction == UNKNOWN:
        # without tense, the nearest such month: "January" written in October is the coming one
        if month - anchor.month > 6:
            return anchor.year - 1
        if anchor.month - month > 6:
            return anchor.year + 1
    return anchor.year


def unit_value(unit: str, anchor: date, offset: int) -> str:
    """The calendar unit `offset` units away from the anchor, at that unit's granularity."""
    if unit in ("day", "night"):
        return (anchor + timedelta(days=offset)).isoformat()
    if unit == "week":
        return week_of(anchor + timedelta(weeks=offset))
    if unit == "weekend":
        return week_of(anchor + timedelta(weeks=offset)) + "-WE"
    if unit == "fortnight":
        return week_of(anchor + timedelta(weeks=2 * offset))
    if unit == "month":
        y, m = add_months(anchor, offset)
        return f"{y}-{m:02d}"
    if unit == "quarter":
        y, m = add_months(anchor, 3 * offset)
        return f"{y}-Q{(m - 1) // 3 + 1}"
    if unit == "year":
        return str(anchor.year + offset)
    if unit == "decade":
        return str((anchor.year + 10 * offset) // 10)
    if unit == "century":
        return str((anchor.year + 100 * offset) // 100)
    if unit in ("hour", "minute", "second"):
        return anchor.isoformat()
    raise ValueError(unit)


UNKNOWN_BY_UNIT = {
    "day": "XXXX-XX-XX",
    "night": "XXXX-XX-XX",
    "week": "XXXX-WXX",
    "weekend": "XXXX-WXX-WE",
    "fortnight": "XXXX-WXX",
    "month": "XXXX-XX",
    "quarter": "XXXX-QX",
    "year": "XXXX",
    "decade": "XXX",
    "century": "XX",
    "hour": "XXXX-XX-XX",
    "minute": "XXXX-XX-XX",
    "second": "XXXX-XX-XX",
}


def reported_quarter(anchor: Anchor) -> Resolved:
    """ "The quarter" in a dated report is the one just reported: the quarter of six weeks before."""
    if anchor.day is None:
        return Resolved("XXXX-QX", anchored=False)
    return Resolved(unit_value("quarter", anchor.day - timedelta(days=45), 0))


def duration(amount: float | None, unit: str) -> str:
    code, is_time = tables()["units"][unit]
    if amount is None:
        number = "X"
    elif code in ("10Y", "100Y", "2W"):
        factor, code = int(code[:-1]), code[-1]
        number = _number_text(amount * factor)
    elif amount != int(amount):
        # half a year is six months, half an hour thirty minutes
        smaller = {
            "Y": (12, "M"),
            "M": (4, "W") if not is_time else (60, "S"),
            "D": (24, "H"),
            "H": (60, "M"),
            "W": (7, "D"),
        }
        factor, code = smaller.get(code, (1, code))
        number = _number_text(amount * factor)
        if code == "H" or (is_time and code in "MS"):
            is_time = True
    else:
        number = _number_text(amount)
    return f"PT{number}{code}" if is_time else f"P{number}{code}"


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


# ---------------------------------------------------------------- the grammar


def parse_number(text: str) -> float | None:
    words = tables()["numbers"]
    cleaned = " ".join(text.lower().replace("-", " ").split())
    if cleaned in words:
        return float(words[cleaned])
    if re.fullmatch(r"\d+(?:\.\d+)?", cleaned.replace(",", "")):
        return float(cleaned.replace(",", ""))
    parts = cleaned.split()
    if len(parts) == 2 and all(p in words for p in parts):  # "twenty four"
        return float(words[parts[0]] + words[parts[1]])
    return None


@cache
def grammar() -> list[tuple[str, re.Pattern[str]]]:
    t = tables()
    month = rf"(?P<month>{_alt(t['months'])})\.?"
    weekday = rf"(?P<weekday>{_alt(t['weekdays'])})\.?"
    year = r"(?P<year>(?:1[89]|20)\d\d)(?![\d,]\d)"
    dom = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
    number = rf"(?P<number>\d+(?:\.\d+)?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[-\s](?:one|two|three|four|five|six|seven|eight|nine)\b|(?:{_alt(t['numbers'])}))"
    vague = rf"(?P<vague>{_alt(t['vague_numbers'])})"
    unit = rf"(?P<unit>{_alt(t['units'])})s?"
    shift = rf"(?P<shift>{_alt(t['shifts'])})"
    season = rf"(?P<season>{_alt(t['seasons'])})"
    part = rf"(?P<part>{_alt(t['day_parts'])})"
    relday = rf"(?P<relday>{_alt(t['relative_days'])})"
    approx = r"(?P<approx>about|around|roughly|nearly|almost|some|more\s+than|less\s+than|at\s+least|up\s+to|over|under|just\s+over|just\s+under|the\s+(?:past|last|next|first|previous|coming|following))"
    phase = rf"(?P<phase>{_alt(t['phases'])})"
    ordinal = rf"(?P<ordinal>{_alt(t['ordinals'])})"
    rules = [
        ("iso", r"\b(?P<y>\d{4})-(?P<m>\d\d)-(?P<d>\d\d)(?:T(?P<hh>\d\d):(?P<mm>\d\d))?\b"),
        ("mdy", rf"\b(?:{weekday},?\s+)?{month}\s+{dom}\b(?:,?\s+{year})?"),
        ("dmy", rf"\b(?:{weekday},?\s+)?{dom}\s+(?:of\s+)?{month}(?:,?\s+{year})?\b"),
        ("month_rel_year", rf"\b{month}\s+(?P<yshift>last|next|this)\s+year\b"),
        ("month_year", rf"\b{month},?\s+(?:of\s+)?{year}"),
        ("shift_month", rf"\b(?P<mshift>last|next|this|early|late|mid|mid-)\s*{month}\b"),
        ("month", rf"\b{month}\b"),
        (
            "phase_of",
            rf"\b(?:the\s+)?{phase}\s+of\s+(?:(?P<pshift>the|this|next|last|that)\s+)?(?:{year}|(?P<punit>year|month|week|decade|century)|{month}|{season})\b",
        ),
        ("phase_early", rf"\b{phase}-?\s*{year}"),
        ("year_end", r"\b(?:the\s+)?year[-\s]end\b"),
        (
            "ago",
            rf"\b(?:{approx}\s+)?{number}\s+{unit}\s+(?P<dir>ago|earlier|before|later|from\s+now|hence)\b",
        ),
        ("weekday", rf"\b(?:{shift}\s+)?{weekday}(?:\s+{part})?\b"),
        (
            "relday",
            rf"\b{relday}(?:\s+{part})?\b|\b(?P<lastnight>last\s+night)\b|\bthis\s+(?P<thispart>morning|afternoon|evening)\b",
        ),
        (
            "quarter",
            rf"\b(?:the\s+)?(?:fiscal\s+)?(?:{ordinal}|(?P<qshift>last|next|this|current|latest|previous|recent|past))[-\s]+(?:fiscal\s+)?quarter(?:\s+of\s+{year})?\b|\b(?P<thequarter>the\s+quarter)\b",
        ),
        ("year_ago", r"\b(?:the\s+)?year[-\s](?:earlier|ago)\b"),
        ("season", rf"\b(?:(?P<sshift>last|next|this|early|late)\s+)?{season}(?:\s+(?:of\s+)?{year})?\b"),
        (
            "shift_unit",
            rf"\b(?:the\s+)?{shift}\s+(?P<sunit>week|month|year|quarter|weekend|decade|century)\b",
        ),
        ("duration", rf"\b(?:{approx}\s+)?{number}[-\s]+{unit}(?:[-\s](?:long|old))?\b"),
        ("vague_duration", rf"\b(?:the\s+(?:past|last|next)\s+)?{vague}\s+{unit}\b"),
        ("for_units", r"\b(?:for|over|in|within)\s+(?P<bunit>years|months|weeks|days|decades|hours)\b"),
        (
            "set",
            rf"\b(?P<every>every|each)\s+(?:other\s+)?(?:{weekday}|(?P<eunit>day|week|month|year|morning|night|evening|summer|winter|spring|autumn|fall))\b",
        ),
        ("set_word", rf"\b(?P<setword>{_alt(t['sets'])})\b"),
        ("decade", r"\b(?:the\s+)?(?P<decade>(?:1[89]|20)\d)0'?s\b"),
        (
            "clock",
            r"\b(?P<hh>[01]?\d|2[0-3]):(?P<mm>[0-5]\d)(?:\s*(?P<ampm>[ap]\.?m\.?))?(?:\s+(?P<tz>[A-Z]{2,4}T))?(?![\d:])|\b(?P<hh2>1[0-2]|0?[1-9])\s*(?P<ampm2>[ap]\.m\.|[ap]m\b)|\b(?P<noon>noon|midnight)\b",
        ),
        ("ref", rf"\b(?P<ref>{_alt(t['references'])})\b"),
        (
            "year",
            rf"(?<![$£€\d.,-])\b(?:(?:in|since|by|until|from|of|during|through|before|after|early|late|mid-)\s+)?{year}\b(?!\s*(?:%|percent|people|troops))",
        ),
    ]
    return [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in rules]


_LEADING_PREPOSITION = re.compile(r"^(?:in|since|by|until|from|of|during|through|before|after)\s+", re.I)
# Months and weekdays that are also common words: trusted only when capitalized.
_AMBIGUOUS = {
    "may",
    "march",
    "sun",
    "sat",
    "wed",
    "dec",
    "jan",
    "mar",
    "sept",
    "fri",
    "mon",
    "tue",
    "thu",
    "aug",
    "jun",
    "jul",
    "oct",
    "nov",
    "feb",
    "apr",
    "sep",
}


def _shift_value(word: str | None) -> int | None:
    if word is None:
        return None
    value: int = tables()["shifts"].get(" ".join(word.lower().split()), 0)
    return value


def find(text: str) -> list[Candidate]:
    """All time expressions in the text, longest first where they overlap."""
    found: list[Candidate] = []
    for name, pattern in grammar():
        for match in pattern.finditer(text):
            candidate = _build(name, match, text)
            if candidate is not None:
                found.append(candidate)
    found.sort(key=lambda c: (-(c.end - c.start), c.start))
    taken: list[Candidate] = []
    for c in found:
        if all(c.end <= o.start or c.start >= o.end for o in taken):
            taken.append(c)
    return sorted(taken, key=lambda c: c.start)


def _build(name: str, m: re.Match[str], text: str) -> Candidate | None:
    t = tables()
    g = m.groupdict()
    start, end = m.start(), m.end()
    if "month" in g and g["month"] is not None and not g["month"][0].isupper():
        return None
    if "weekday" in g and g["weekday"] is not None and not g["weekday"][0].isupper():
        return None
    if (
        name in ("month",)
        and g["month"].lower() in _AMBIGUOUS | {"may"}
        and not _month_context(text, start, end)
    ):
        return None

    def cand(kind: str, resolve: Callable[[Anchor], Resolved], relative: bool = True) -> Candidate:
        return Candidate(start, end, kind, resolve, relative)

    if name == "iso":
        y, mo, d = int(g["y"]), int(g["m"]), int(g["d"])
        if not (1 <= mo <= 12 and 1 <= d <= 31):
            return None
        value = f"{y:04d}-{mo:02d}-{d:02d}" + (f"T{g['hh']}:{g['mm']}" if g["hh"] else "")
        return cand("TIME" if g["hh"] else "DATE", lambda a: Resolved(value), relative=False)
    if name in ("mdy", "dmy"):
        month, day = t["months"][g["month"].lower()], int(g["day"])
        if not 1 <= day <= 31:
            return None
        if g["year"]:
            value = f"{int(g['year']):04d}-{month:02d}-{day:02d}"
            return cand("DATE", lambda a: Resolved(value), relative=False)

        def month_day(a: Anchor) -> Resolved:
            if a.day is None:
                return Resolved(f"XXXX-{month:02d}-{day:02d}", anchored=False)
            year = month_year(a.day, month, a.direction)
            if a.direction == PAST and month == a.day.month and day > a.day.day:
                year -= 1
            return Resolved(f"{year:04d}-{month:02d}-{day:02d}")

        return cand("DATE", month_day)
    if name == "month_rel_year":
        month, k = t["months"][g["month"].lower()], _shift_value(g["yshift"]) or 0
        return cand(
            "DATE",
            lambda a: (
                Resolved(f"{a.day.year + k}-{month:02d}")
                if a.day
                else Resolved(f"XXXX-{month:02d}", anchored=False)
            ),
        )
    if name == "month_year":
        value = f"{int(g['year'])}-{t['months'][g['month'].lower()]:02d}"
        return cand("DATE", lambda a: Resolved(value), relative=False)
    if name in ("shift_month", "month"):
        month = t["months"][g["month"].lower()]
        word = (g.get("mshift") or "").lower().rstrip("-")
        mod = {"early": "START", "late": "END", "mid": "MID"}.get(word)

        def month_only(a: Anchor) -> Resolved:
            if a.day is None:
                return Resolved(f"XXXX-{month:02d}", mod, anchored=False)
            if word == "last":
                year = a.day.year if month < a.day.month else a.day.year - 1
            elif word == "next":
                year = a.day.year if month > a.day.month else a.day.year + 1
            else:
                year = month_year(a.day, month, a.direction)
            return Resolved(f"{year}-{month:02d}", mod)

        return cand("DATE", month_only)
    if name == "phase_of":
        mod = t["phases"][g["phase"].lower()]
        if g["year"]:
            value = g["year"]
            return cand("DATE", lambda a: Resolved(value, mod), relative=False)
        if g["month"]:
            month = t["months"][g["month"].lower()]
            return cand(
                "DATE",
                lambda a: (
                    Resolved(f"{month_year(a.day, month, a.direction)}-{month:02d}", mod)
                    if a.day
                    else Resolved(f"XXXX-{month:02d}", mod, False)
                ),
            )
        if g["season"]:
            code = t["seasons"][g["season"].lower()]
            return cand(
                "DATE",
                lambda a: (
                    Resolved(f"{a.day.year}-{code}", mod) if a.day else Resolved(f"XXXX-{code}", mod, False)
                ),
            )
        unit = g["punit"].lower()
        k = {"next": 1, "last": -1}.get((g["pshift"] or "").lower(), 0)
        return cand(
            "DATE",
            lambda a: (
                Resolved(unit_value(unit, a.day, k), mod)
                if a.day
                else Resolved(UNKNOWN_BY_UNIT[unit], mod, False)
            ),
        )
    if name == "phase_early":
        if g["phase"].lower() not in ("early", "late", "mid"):
            return None
        mod, value = t["phases"][g["phase"].lower()], g["year"]
        return cand("DATE", lambda a: Resolved(value, mod), relative=False)
    if name == "year_end":
        return cand(
            "DATE", lambda a: Resolved(str(a.day.year), "END") if a.day else Resolved("XXXX", "END", False)
        )
    if name == "ago":
        amount = parse_number(g["number"])
        if amount is None:
            return None
        unit = g["unit"].lower()
        sign = -1 if g["dir"].lower() in ("ago", "earlier", "before") else 1
        steps = int(amount) if amount == int(amount) else 0
        narrative = g["dir"].lower() in ("earlier", "before", "later")

        def ago(a: Anchor) -> Resolved:
            if a.day is None:
                return Resolved(UNKNOWN_BY_UNIT[unit], anchored=False)
            return Resolved(unit_value(unit, a.day, sign * steps))

        return Candidate(start, end, "DATE", ago, True, narrative)
    if name == "weekday":
        weekday, wshift = t["weekdays"][g["weekday"].lower()], _shift_value(g["shift"])
        daypart = t["day_parts"].get((g["part"] or "").lower())

        def on_weekday(a: Anchor) -> Resolved:
            suffix = f"T{daypart}" if daypart else ""
            if a.day is None:
                return Resolved(f"XXXX-WXX-{weekday}{suffix}", anchored=False)
            return Resolved(weekday_near(a.day, weekday, a.direction, wshift or None).isoformat() + suffix)

        return cand("TIME" if daypart else "DATE", on_weekday)
    if name == "relday":
        if g["lastnight"]:
            offset, daypart = -1, "NI"
        elif g["thispart"]:
            offset, daypart = 0, t["day_parts"][g["thispart"].lower()]
        else:
            offset = t["relative_days"][g["relday"].lower()]
            daypart = (
                "NI" if g["relday"].lower() == "tonight" else t["day_parts"].get((g["part"] or "").lower())
            )

        def relday(a: Anchor) -> Resolved:
            suffix = f"T{daypart}" if daypart else ""
            if a.day is None:
                return Resolved("XXXX-XX-XX" + suffix, anchored=False)
            return Resolved((a.day + timedelta(days=offset)).isoformat() + suffix)

        return cand("TIME" if daypart else "DATE", relday)
    if name == "year_ago":
        return cand(
            "DATE", lambda a: Resolved(str(a.day.year - 1)) if a.day else Resolved("XXXX", anchored=False)
        )
    if name == "quarter":
        if g["thequarter"]:
            return cand("DATE", reported_quarter)
        if g["ordinal"]:
            q = t["ordinals"][g["ordinal"].lower()]
            if g["year"]:
                value = f"{g['year']}-Q{q}"
                return cand("DATE", lambda a: Resolved(value), relative=False)
            return cand(
                "DATE",
                lambda a: Resolved(f"{a.day.year}-Q{q}") if a.day else Resolved(f"XXXX-Q{q}", anchored=False),
            )
        word = g["qshift"].lower()
        if word in ("latest", "recent", "past"):
            return cand("DATE", reported_quarter)
        k = {"last": -1, "previous": -1, "next": 1}.get(word, 0)
        return cand(
            "DATE",
            lambda a: (
                Resolved(unit_value("quarter", a.day, k)) if a.day else Resolved("XXXX-QX", anchored=False)
            ),
        )
    if name == "season":
        code = t["seasons"][g["season"].lower()]
        word = (g["sshift"] or "").lower()
        if not word and not g["year"]:
            return None  # "fall" and "spring" alone are too often not seasons
        mod = {"early": "START", "late": "END"}.get(word)
        if g["year"]:
            value = f"{g['year']}-{code}"
            return cand("DATE", lambda a: Resolved(value, mod), relative=False)
        k = {"last": -1, "next": 1}.get(word, 0)
        return cand(
            "DATE",
            lambda a: (
                Resolved(f"{a.day.year + k}-{code}", mod) if a.day else Resolved(f"XXXX-{code}", mod, False)
            ),
        )
    if name == "shift_unit":
        unit, k = g["sunit"].lower(), _shift_value(g["shift"]) or 0
        if g["shift"].lower() == "past":
            return cand("DURATION", lambda a: Resolved(duration(1, unit)), relative=False)
        return cand(
            "DATE",
            lambda a: (
                Resolved(unit_value(unit, a.day, k))
                if a.day
                else Resolved(UNKNOWN_BY_UNIT[unit], anchored=False)
            ),
        )
    if name == "duration":
        amount = parse_number(g["number"])
        if amount is None or amount > 1000:
            return None
        unit = g["unit"].lower()
        if (
            unit == "weekend"
            or re.match(r"[-\s]old\b", text[end : end + 5])
            or m.group(0).lower().endswith("old")
        ):
            return None  # "a 6-year-old" is an age
        if re.match(r"(?i)an?\s", m.group(0)) and m.start("number") > start and not g["approx"]:
            start = m.start("number")  # "a two-day strike": the article is not part of the duration
        if (
            g["number"].lower() in ("a", "an", "one")
            and not g["approx"]
            and text[end : end + 1] != "s"
            and re.match(r"\s*(?:ago|earlier|later)", text[end:]) is None
            and re.search(r"(?:\b(?:per|a|an|each)\s*)$", text[:start], re.I)
        ):
            return None
        mod = _approx_mod(g["approx"])
        value = duration(amount, unit)
        return cand("DURATION", lambda a: Resolved(value, mod), relative=False)
    if name == "vague_duration":
        unit = g["unit"].lower()
        if not m.group(0).lower().endswith("s"):
            return None
        value = duration(None, unit)
        return cand("DURATION", lambda a: Resolved(value), relative=False)
    if name == "for_units":
        unit = g["bunit"].lower().rstrip("s")
        start = m.start("bunit")
        value = duration(None, unit)
        return Candidate(start, end, "DURATION", lambda a: Resolved(value), False)
    if name == "set":
        if g["weekday"]:
            wd = t["weekdays"][g["weekday"].lower()]
            return cand("SET", lambda a: Resolved(f"XXXX-WXX-{wd}"), relative=False)
        unit = g["eunit"].lower()
        if unit in t["day_parts"]:
            value = f"XXXX-XX-XXT{t['day_parts'][unit]}"
        elif unit in t["seasons"]:
            value = f"XXXX-{t['seasons'][unit]}"
        else:
            value = duration(1, unit)
        return cand("SET", lambda a: Resolved(value), relative=False)
    if name == "set_word":
        value = t["sets"][g["setword"].lower()]
        return cand("SET", lambda a: Resolved(value), relative=False)
    if name == "decade":
        value = g["decade"]
        return cand("DATE", lambda a: Resolved(value), relative=False)
    if name == "clock":
        if g["noon"]:
            hh, mm = (12 if g["noon"].lower() == "noon" else 24), 0
        elif g["hh2"]:
            hh, mm = int(g["hh2"]) % 12 + (12 if g["ampm2"].lower().startswith("p") else 0), 0
        else:
            hh, mm = int(g["hh"]), int(g["mm"])
            if g["ampm"] and g["ampm"].lower().startswith("p") and hh < 12:
                hh += 12
            if g["ampm"] and g["ampm"].lower().startswith("a") and hh == 12:
                hh = 0
            if not g["ampm"] and re.match(r"\s*(?:-|to|and)\s*\d", text[end:]) is not None:
                return None  # a score or a ratio, not a clock
        clock = f"T{hh:02d}:{mm:02d}"
        return cand(
            "TIME",
            lambda a: (
                Resolved(a.day.isoformat() + clock)
                if a.day
                else Resolved("XXXX-XX-XX" + clock, anchored=False)
            ),
        )
    if name == "ref":
        value = t["references"][" ".join(g["ref"].lower().split())]
        return cand("DATE", lambda a: Resolved(value), relative=False)
    if name == "year":
        lead = _LEADING_PREPOSITION.match(m.group(0))
        if lead and not lead.group(0).lower().startswith(("early", "late", "mid")):
            start += lead.end()
        value = g["year"]
        word = m.group(0)[: m.start("year") - m.start()].strip().lower()
        mod = {"early": "START", "late": "END", "mid-": "MID"}.get(word)
        return Candidate(start, end, "DATE", lambda a: Resolved(value, mod), False)
    return None


def _approx_mod(word: str | None) -> str | None:
    if not word:
        return None
    w = " ".join(word.lower().split())
    if w in ("about", "around", "roughly", "nearly", "almost", "some"):
        return "APPROX"
    if w in ("more than", "over", "just over", "at least"):
        return "MORE_THAN" if w != "at least" else "EQUAL_OR_MORE"
    if w in ("less than", "under", "just under", "up to"):
        return "LESS_THAN" if w != "up to" else "EQUAL_OR_LESS"
    return None


def _month_context(text: str, start: int, end: int) -> bool:
    """'May' and 'March' alone are months only where a month can stand: after 'in', 'since' ..., or before a year."""
    before = text[max(0, start - 12) : start].lower()
    after = text[end : end + 8]
    return bool(
        re.search(
            r"\b(?:in|since|until|till|by|of|from|through|during|last|next|this|early|late|mid)\s+$", before
        )
    ) or bool(re.match(r",?\s+\d", after))
