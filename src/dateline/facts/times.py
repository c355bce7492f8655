"""Times: find TIMEX3 expressions and normalize them against the article's date.

The tagger is table-driven: ``data/times.json`` holds the vocabularies (months,
weekdays, numbers, units, modifiers, ...) and the rule patterns, whose
``{PLACEHOLDERS}`` are filled with those vocabularies.  Every rule is matched
over the text; overlapping candidates are resolved leftmost-longest, then each
expression is normalized by the function its rule names.

Anchoring: deictic expressions ("Monday", "last year", "two weeks ago")
resolve against the document creation time (``doc._.published``); anaphoric
ones ("two days later", "the following week") against the narrative reference
time, the last fully specified date the text mentioned (the creation time
until then).  Direction of a bare weekday or month comes from the tense and
modality of the verb that governs it.  Without a creation time, deictic values
stay unresolved (``XXXX-...``, ``anchored=False``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.model import Time, TimeType

KIND = "times"


@dataclass(frozen=True)
class Tables:
    data: dict[str, Any]
    rules: list[tuple[str, re.Pattern[str]]]
    trigger: re.Pattern[str]

    def __getitem__(self, key: str) -> Any:
        return self.data[key]


def _alternation(words: object, cased: bool = False) -> str:
    """A regex alternation of vocabulary entries, longest first (so "the end of" beats "the")."""
    items = sorted({str(w) for w in words}, key=len, reverse=True)  # type: ignore[attr-defined]
    parts = []
    for item in items:
        body = r"\s+".join(re.escape(w) for w in item.split())
        if cased:
            # month and weekday names are proper nouns: "may", "march", "sun" are not dates
            variants = {item.capitalize(), item.upper()}
            parts.append("(?-i:" + "|".join(re.escape(v) for v in sorted(variants)) + ")")
        else:
            parts.append(body)
    return "(?:" + "|".join(parts) + ")"


def _abbreviated(words: dict[str, int], full_only: bool) -> str:
    """Cased names; abbreviations ("Nov.", "Sept") only where a day number or year follows."""
    names = [w for w in words if not full_only or len(w) > 4 or w in ("may", "june", "july")]
    alternation = _alternation(names, cased=True)
    return alternation if full_only else alternation + r"\.?"


@functools.cache
def tables() -> Tables:
    raw = resources.files("dateline.facts").joinpath("data/times.json").read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(raw)
    numbers = list(data["numbers"])
    tens = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    ones = "one|two|three|four|five|six|seven|eight|nine"
    modifiers = {k for k in data["part_modifiers"] if not k.endswith("-")}
    slots = {
        "MONTH": _abbreviated(data["months"], full_only=False),
        "MONTHNAME": _abbreviated(data["months"], full_only=True),
        "WEEKDAY": _abbreviated(data["weekdays"], full_only=False),
        "WEEKDAYNAME": _abbreviated(data["weekdays"], full_only=True),
        "YEAR": r"(?:1[89]\d\d|20\d\d)",
        "DAYNUM": r"(?:3[01]|[12]\d|0?[1-9])(?:st|nd|rd|th)?",
        "NUM": rf"(?:\d{{1,3}}(?:,\d{{3}})*(?:\.\d+)?(?:\s+1/2)?|(?:{tens})[\s-](?:{ones})|{_alternation(numbers)})",
        "VAGUE": _alternation(data["vague_numbers"]),
        "UNIT": _alternation(data["units"]),
        "SEASON": _alternation(data["seasons"]),
        "PART": _alternation(data["day_parts"]),
        "TZ": _alternation(data["timezones"]),
        "DEICTIC": _alternation(data["deictic_days"]),
        "REFERENCE": _alternation(data["references"]),
        "REL": _alternation(data["relative_words"]),
        "PMOD": "(?:" + _alternation(modifiers) + "|mid-?)",
        "QMOD": _alternation(data["quantity_modifiers"]),
        "ORDINAL": _alternation(data["ordinals"]),
        "SETWORD": _alternation(data["set_words"]),
        "HOLIDAY": _alternation(data["holidays"]),
    }
    rules = []
    for rule in data["rules"]:
        pattern = re.sub(r"\{([A-Z]+)\}", lambda m: slots[m.group(1)], rule["pattern"])
        rules.append((rule["name"], re.compile(rf"(?<![\w$£€#]){pattern}(?![\w]|-old)", re.IGNORECASE)))
    return Tables(data, rules, _trigger(data))


def _trigger(data: dict[str, Any]) -> re.Pattern[str]:
    """The words one of which every time expression contains (see `candidates`)."""
    skip = set(data["trigger_words"]["not_triggers"])
    words = set(data["trigger_words"]["extra"])
    for table in (
        "units",
        "seasons",
        "day_parts",
        "deictic_days",
        "references",
        "set_words",
        "holidays",
        "clock_words",
    ):
        for entry in data[table]:
            words.update(w for w in entry.lower().split() if w not in skip)
    names = _alternation([*data["months"], *data["weekdays"]], cased=True)
    return re.compile(rf"\d+|(?<!\w)(?:{names}|{_alternation(words)})(?!\w)", re.IGNORECASE)


# ---------------------------------------------------------------- candidates


@dataclass
class Candidate:
    rule: str
    start: int
    end: int
    groups: dict[str, str]


# how far a time expression reaches from its head word ("approximately the past several years")
TRIGGER_REACH = 50


def _windows(text: str) -> list[tuple[int, int]]:
    """Stretches of text around trigger words, cut at whitespace, merged where they touch."""
    windows: list[tuple[int, int]] = []
    for match in tables().trigger.finditer(text):
        start = max(0, match.start() - TRIGGER_REACH)
        end = min(len(text), match.end() + TRIGGER_REACH)
        while end < len(text) and not text[end].isspace():
            end += 1
        if windows and start <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(end, windows[-1][1]))
        else:
            windows.append((start, end))
    return windows


def candidates(text: str) -> list[Candidate]:
    """All rule matches, then leftmost-longest non-overlapping ones (earlier rules win ties).

    Rules only run near trigger words: every expression has a head word (a month, a
    unit, a digit...), and most of a news text has none, so this saves most of the time.
    """
    found: list[tuple[int, int, int, Candidate]] = []
    windows = _windows(text)
    for order, (name, pattern) in enumerate(tables().rules):
        for begin, end in windows:
            for match in pattern.finditer(text, begin, end):
                groups = {k: v for k, v in match.groupdict().items() if v is not None}
                start, stop = match.span("t") if "t" in groups else match.span()
                found.append((start, -(stop - start), order, Candidate(name, start, stop, groups)))
    found.sort(key=lambda item: item[:3])
    chosen: list[Candidate] = []
    taken_until = -1
    for start, _, _, candidate in found:
        if start >= taken_until:
            chosen.append(candidate)
            taken_until = candidate.end
    return chosen


# ---------------------------------------------------------------- direction from tense


def _clause_verb(token: Token) -> Token | None:
    """The verb (or predicative head) a token hangs from."""
    current = token
    for _ in range(8):
        if current.pos_ in ("VERB", "AUX") or (current.dep_ == "ROOT" and current.pos_ == "ADJ"):
            return current
        if current.head.i == current.i:
            return None
        current = current.head
    return None


def span_verb(span: Span) -> Token | None:
    """The verb a time expression modifies.

    A time right after a verb ("said Monday", "said on Monday that ...") belongs to
    it: the parser often hangs it on the following clause instead.
    """
    doc = span.doc
    i = span.start - 1
    if i >= 0 and doc[i].lower_ in tables()["time_prepositions"]:
        i -= 1
    if i >= 0 and doc[i].pos_ == "VERB" and doc[i].tag_ in ("VBD", "VBZ", "VBP", "VBN"):
        return doc[i]
    return _clause_verb(span.root)


def _attached(span: Span, verb: Token) -> bool:
    """Whether the time hangs from `verb` directly, or through one preposition, or right after it."""
    root = span.root
    head = root.head
    if head.i == verb.i or span.start - verb.i in (1, 2):
        return True
    return head.dep_ == "prep" and head.head.i == verb.i


def tense_direction(verb: Token | None, depth: int = 0) -> int:
    """-1 for past, +1 for future or planned, 0 for present or unknown."""
    if verb is None or depth > 6:
        return 0
    data = tables().data
    auxiliaries = [c for c in verb.children if c.dep_ in ("aux", "auxpass")]
    lowers = {a.lower_ for a in auxiliaries}
    head = verb.head if verb.head.i != verb.i else None
    if lowers & set(data["future_auxiliaries"]):
        return 1
    if verb.tag_ == "VB" and "to" in lowers:
        # an infinitive: planned when governed by "scheduled", "expected", "plans"...; else as its governor
        if head is not None and head.lemma_.lower() in data["future_governors"]:
            return 1
        return tense_direction(head, depth + 1)
    if verb.tag_ == "VBD" or lowers & set(data["past_auxiliaries"]):
        return -1
    if verb.tag_ == "VBN":
        return -1 if lowers & set(data["perfect_auxiliaries"]) or not auxiliaries else 0
    if verb.tag_ == "VBG" and lowers & set(data["present_be"]):
        return 1  # the present progressive of plans: "is leaving on Saturday"
    if verb.tag_ in ("VBG", "VB") and verb.dep_ in ("advcl", "acl", "xcomp", "conj", "pcomp", "ccomp"):
        return tense_direction(head, depth + 1)
    return 0


# ---------------------------------------------------------------- calendar helpers


def _iso_week(day: dt.date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def _add_months(day: dt.date, months: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _season_of(day: dt.date) -> int:
    """0 winter (Dec-Feb), 1 spring, 2 summer, 3 fall."""
    return (day.month % 12) // 3


SEASON_ORDER = ["WI", "SP", "SU", "FA"]


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    if nth > 0:
        first = dt.date(year, month, 1)
        return first + dt.timedelta(days=(weekday - first.isoweekday()) % 7 + 7 * (nth - 1))
    last = dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.isoweekday() - weekday) % 7)


def _number(text: str) -> float | None:
    data = tables().data
    word = " ".join(text.lower().replace("-", " ").split())
    if re.fullmatch(r"\d+(?:\.\d+)?", word):
        return float(word)
    if re.fullmatch(r"\d+ 1/2", word):
        return float(word.split()[0]) + 0.5
    if word in data["numbers"]:
        return float(data["numbers"][word])
    parts = word.split()
    if len(parts) == 2 and all(p in data["numbers"] for p in parts):
        return float(data["numbers"][parts[0]] + data["numbers"][parts[1]])
    return None


def _fmt_number(value: float) -> str:
    return str(int(value)) if value == int(value) else f"{value:g}"


def _duration(amount: float | None, unit_code: str) -> str:
    """ISO 8601 duration of `amount` `unit_code` (X where the amount is vague)."""
    scale = {"DE": (10, "Y"), "CE": (100, "Y"), "ML": (1000, "Y")}
    if unit_code in scale and amount is not None:
        factor, unit_code = scale[unit_code]
        amount *= factor
    if amount is not None and amount != int(amount):
        # ISO allows fractions, but TIMEX3 values use the next smaller unit ("P18M", "PT30M")
        smaller = {"Y": (12, "M"), "M": (30, "D"), "D": (24, "TH"), "TH": (60, "TM"), "W": (7, "D")}
        if unit_code in smaller and amount * smaller[unit_code][0] == int(amount * smaller[unit_code][0]):
            factor, unit_code = smaller[unit_code]
            amount *= factor
    count = "X" if amount is None else _fmt_number(amount)
    if unit_code.startswith("T"):
        return f"PT{count}{unit_code[1:]}"
    return f"P{count}{unit_code}"


# ---------------------------------------------------------------- normalization


@dataclass(frozen=True)
class Reference:
    """The narrative reference time: the last date the text placed events at, and how precisely."""

    day: dt.date
    grain: str  # "day", "month", "year", or a quarter/half label "Q3", "H1"


_GRAINS = [
    (re.compile(r"(\d{4})-(\d{2})-(\d{2})"), "day"),
    (re.compile(r"(\d{4})-W(\d{2})$"), "week"),
    (re.compile(r"(\d{4})-(\d{2})$"), "month"),
    (re.compile(r"(\d{4})-([QH]\d)$"), "part"),
    (re.compile(r"(\d{4})$"), "year"),
]


def reference_of(value: str) -> Reference | None:
    """The reference time a normalized DATE/TIME value sets, if it names a calendar period."""
    for pattern, grain in _GRAINS:
        found = pattern.match(value)
        if not found:
            continue
        year = int(found.group(1))
        if grain == "day":
            try:
                return Reference(dt.date(year, int(found.group(2)), int(found.group(3))), "day")
            except ValueError:
                return None
        if grain == "month":
            return Reference(dt.date(year, int(found.group(2)), 1), "month")
        if grain == "week":
            try:
                return Reference(dt.date.fromisocalendar(year, int(found.group(2)), 1), "week")
            except ValueError:
                return None
        if grain == "part":
            label = found.group(2)
            month = (int(label[1]) - 1) * (3 if label[0] == "Q" else 6) + 1
            return Reference(dt.date(year, month, 1), label)
        return Reference(dt.date(year, 1, 1), "year")
    return None


@dataclass
class Context:
    """What a value is resolved against."""

    dct: dt.date | None
    reference: Reference | None = None
    direction: int = 0
    # whether the time is an argument or adjunct of the verb whose tense gave `direction`
    # ("left on Monday") rather than buried in a noun phrase ("a dividend payable Dec. 1")
    direct: bool = False
    # a day named earlier in the same sentence: "on Saturday at 6:30 a.m." is Saturday's 6:30
    sentence_day: dt.date | None = None
    # the word before the expression: "twelve sailings a day" and "$5 a day" are rates, not spans
    rate_before: bool = False


@dataclass
class Value:
    type: TimeType
    value: str
    mod: str | None = None
    anchored: bool = True
    anchor: str | None = None


Normalizer = Callable[[Candidate, Context], Value | None]
NORMALIZERS: dict[str, Normalizer] = {}


def normalizer(*names: str) -> Callable[[Normalizer], Normalizer]:
    def register(function: Normalizer) -> Normalizer:
        for name in names:
            NORMALIZERS[name] = function
        return function

    return register


def _mod(groups: dict[str, str]) -> str | None:
    data = tables().data
    if "pmod" in groups:
        key = " ".join(groups["pmod"].lower().split()).rstrip("-")
        found = data["part_modifiers"].get(key, data["part_modifiers"].get(key + "-", "MID"))
        return str(found) or None
    if "qmod" in groups:
        return str(data["quantity_modifiers"].get(" ".join(groups["qmod"].lower().split()))) or None
    return None


def _month_number(name: str) -> int:
    return int(tables()["months"][name.lower().rstrip(".")])


def _weekday_number(name: str) -> int:
    return int(tables()["weekdays"][name.lower().rstrip(".")])


def _year(text: str, context: Context) -> int:
    year = int(text)
    if len(text) == 2:
        century = (context.dct or dt.date(2000, 1, 1)).year // 100 * 100
        year = (
            century + year
            if century + year <= (context.dct or dt.date(2100, 1, 1)).year + 10
            else year + century - 100
        )
    return year


def _rel(groups: dict[str, str], key: str = "rel") -> int | None:
    if key not in groups:
        return None
    return int(tables()["relative_words"].get(" ".join(groups[key].lower().split()), 0))


def _anchor(context: Context, anaphoric: bool) -> dt.date | None:
    if anaphoric and context.reference is not None:
        return context.reference.day
    return context.dct


def _pick_year(month: int, day: int | None, base: dt.date, direction: int, strict: bool = False) -> int:
    """The year of month(/day) nearest `base` in `direction` (-1 past, +1 future, 0 same year)."""
    here = (month, day or 0)
    now = (base.month, base.day if day else 0)
    if direction < 0:
        before = here < now if strict else here <= now
        return base.year if before else base.year - 1
    if direction > 0:
        after = here > now if strict else here >= now
        return base.year if after else base.year + 1
    return base.year


# how far (in months) a date named without its year may lie on the side the tense points to
# before the nearer one on the other side wins: news dates cluster around the article's date
TENSE_REACH_MONTHS = 6


def _nearest_year(month: int, day: int | None, base: dt.date, direction: int, direct: bool = True) -> int:
    """The year that puts month(/day) nearest to `base`, on the tense's side when that is not far."""

    def distance(year: int) -> float:
        return (year - base.year) * 12 + (month - base.month) + ((day or base.day) - base.day) / 31

    options = sorted((base.year - 1, base.year, base.year + 1), key=lambda y: abs(distance(y)))
    best = options[0]
    if direction and distance(best) * direction < 0:
        along = [y for y in options if distance(y) * direction >= 0]
        if along and abs(distance(along[0])) <= (12 if direct else TENSE_REACH_MONTHS):
            return along[0]
    return best


@normalizer("iso_date", "slash_date", "month_day", "day_month", "month_year")
def _calendar_date(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    month = int(g["mnum"]) if "mnum" in g else _month_number(g["month"])
    if not 1 <= month <= 12:
        return None
    mod = _mod(g)
    if "day" not in g:
        return Value("DATE", f"{_year(g['year'], context):04d}-{month:02d}", mod)
    day = int(re.sub(r"\D", "", g["day"]))
    if "year" in g:
        year = _year(g["year"], context)
        try:
            date = dt.date(year, month, day)
        except ValueError:
            return None
        if "hour" in g:
            return Value("TIME", f"{date.isoformat()}T{g['hour']}:{g['minute']}", mod)
        return Value("DATE", date.isoformat(), mod)
    dt.date(2000, month, day)  # a leap year: raises on "Feb. 30", accepts "Feb. 29"
    if context.dct is None:
        return Value("DATE", f"XXXX-{month:02d}-{day:02d}", mod, anchored=False)
    base = context.dct
    if "weekday" in g:
        # the weekday decides the year: the nearest such date that falls on it
        weekday = _weekday_number(g["weekday"])
        for year in (base.year, base.year - 1, base.year + 1):
            try:
                if dt.date(year, month, day).isoweekday() == weekday:
                    return Value("DATE", dt.date(year, month, day).isoformat(), mod, anchor=base.isoformat())
            except ValueError:
                continue
    year = _nearest_year(month, day, base, context.direction, context.direct)
    try:
        date = dt.date(year, month, day)
    except ValueError:
        return None
    return Value("DATE", date.isoformat(), mod, anchor=base.isoformat())


@normalizer("month")
def _month(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    month = _month_number(g["month"])
    mod = _mod(g)
    rel = _rel(g)
    relyear = _rel({"rel": g["relyear"]}) if "relyear" in g else None
    anaphoric = "relyear" in g and g["relyear"].lower().startswith("the")
    base = _anchor(context, anaphoric)
    if base is None:
        return Value("DATE", f"XXXX-{month:02d}", mod, anchored=False)
    if relyear is not None:
        year = base.year + relyear
    elif rel is not None and rel != 0:
        year = _pick_year(month, None, base, rel, strict=True)
    elif rel == 0:
        year = base.year
    else:
        year = _nearest_year(month, None, base, context.direction, context.direct)
    return Value("DATE", f"{year:04d}-{month:02d}", mod, anchor=base.isoformat())


@normalizer("year")
def _year_rule(c: Candidate, context: Context) -> Value | None:
    return Value("DATE", f"{int(c.groups['year']):04d}", _mod(c.groups))


@normalizer("decade")
def _decade(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    # TE-3 gold writes a decade with its unknown year digit: "the 1990s" is 199X
    if "decade" in g:
        return Value("DATE", g["decade"][:3] + "X", _mod(g))
    if "pmod2" in g:
        g = {**g, "pmod": g["pmod2"]}
    short = int(g.get("short_decade") or g["bare_decade"])
    century = 19 if short > (context.dct.year % 100 if context.dct else 30) else 20
    return Value("DATE", f"{century}{short // 10}X", _mod(g))


@normalizer("century")
def _century(c: Candidate, context: Context) -> Value | None:
    ordinal = tables()["ordinals"].get(c.groups["ordinal"].lower())
    if ordinal is None or ordinal < 1:
        return None
    return Value("DATE", f"{ordinal - 1:02d}XX", _mod(c.groups))


def _weekday_date(weekday: int, base: dt.date, rel: int | None, direction: int) -> dt.date:
    delta = weekday - base.isoweekday()
    if rel is not None and rel < 0:
        return base + dt.timedelta(days=delta - 7 if delta >= 0 else delta)
    if rel is not None and rel > 0:
        return base + dt.timedelta(days=delta + 7 if delta <= 0 else delta)
    if direction < 0:
        return base + dt.timedelta(days=delta - 7 if delta > 0 else delta)
    if direction > 0:
        return base + dt.timedelta(days=delta + 7 if delta < 0 else delta)
    # present tense or no verb: the nearest such day, the past one on a tie (news reports the past)
    past = delta - 7 if delta > 0 else delta
    future = delta + 7 if delta < 0 else delta
    return base + dt.timedelta(days=future if abs(future) < abs(past) else past)


def _part_code(part: str) -> str:
    return str(tables()["day_parts"][" ".join(part.lower().split())])


@normalizer("weekday", "part_weekday")
def _weekday(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    weekday = _weekday_number(g["weekday"])
    part = "T" + _part_code(g["part"]) if "part" in g else ""
    kind: TimeType = "TIME" if part else "DATE"
    rel = _rel(g)
    anaphoric = "rel" in g and g["rel"].lower().strip() in tables()["anaphoric_relative"]
    base = _anchor(context, anaphoric)
    if base is None:
        return Value(kind, f"XXXX-WXX-{weekday}{part}", _mod(g), anchored=False)
    date = _weekday_date(weekday, base, rel, context.direction)
    return Value(kind, date.isoformat() + part, _mod(g), anchor=base.isoformat())


@normalizer("deictic")
def _deictic(c: Candidate, context: Context) -> Value | None:
    key = " ".join(c.groups["deictic"].lower().split())
    offset, part = tables()["deictic_days"][key]
    kind: TimeType = "TIME" if part else "DATE"
    suffix = f"T{part}" if part else ""
    if context.dct is None:
        return Value(kind, f"XXXX-XX-XX{suffix}", _mod(c.groups), anchored=False)
    day = context.dct + dt.timedelta(days=int(offset))
    return Value(kind, day.isoformat() + suffix, _mod(c.groups), anchor=context.dct.isoformat())


@normalizer("reference")
def _reference(c: Candidate, context: Context) -> Value | None:
    key = " ".join(c.groups["reference"].lower().split())
    return Value("DATE", str(tables()["references"][key]))


def _unit_value(unit: str, day: dt.date, shift: int) -> str:
    """The calendar unit containing `day`, moved by `shift` units."""
    if unit in ("day", "morning", "afternoon", "evening", "night"):
        moved = day + dt.timedelta(days=shift)
        return moved.isoformat() + ("" if unit == "day" else "T" + _part_code(unit))
    if unit in ("week", "weekend"):
        return _iso_week(day + dt.timedelta(weeks=shift)) + ("-WE" if unit == "weekend" else "")
    if unit == "month":
        year, month = _add_months(day, shift)
        return f"{year:04d}-{month:02d}"
    if unit == "quarter":
        index = day.year * 4 + (day.month - 1) // 3 + shift
        return f"{index // 4:04d}-Q{index % 4 + 1}"
    if unit == "decade":
        return f"{day.year // 10 + shift:03d}"
    if unit == "century":
        return f"{day.year // 100 + shift:02d}"
    return f"{day.year + shift:04d}"


def _unresolved(unit: str) -> str:
    return {
        "day": "XXXX-XX-XX",
        "week": "XXXX-WXX",
        "weekend": "XXXX-WXX-WE",
        "month": "XXXX-XX",
        "quarter": "XXXX-QX",
        "decade": "XXX",
        "century": "XX",
    }.get(unit, "XXXX")


@normalizer("relative_unit", "part_of_unit", "year_end", "the_weekend", "anaphoric_day", "day_before")
def _relative_unit(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    unit = " ".join(g["calunit"].lower().split()).replace("fiscal year", "year")
    mod = "END" if "yearend" in g else _mod(g)
    rel_word = " ".join(g.get("rel", "").lower().split())
    anaphoric = rel_word in tables()["anaphoric_relative"] or c.rule in ("anaphoric_day", "day_before")
    shift = _rel(g) or 0
    if "side" in g:
        shift = -1 if g["side"].lower() == "before" else 1
    kind: TimeType = "TIME" if unit in ("morning", "afternoon", "evening", "night") else "DATE"
    if c.rule == "the_weekend":
        shift = -1 if context.direction < 0 and context.dct and context.dct.isoweekday() < 6 else 0
    if unit in ("day", "morning", "afternoon", "evening", "night") and rel_word in (
        "this",
        "current",
        "the current",
    ):
        return None  # "this day" is not a date; "this morning" is a deictic entry
    if rel_word in ("past", "the past") and kind == "DATE":
        # "the past decade" is the stretch up to now, not the decade before this one
        return Value("DURATION", _duration(1, _unit_code(unit.split()[-1])), mod)
    if anaphoric and context.reference is not None and not _fine_enough(context.reference, unit):
        if not _contains(context.reference, context.dct):
            return Value(kind, f"{context.reference.day.year:04d}" + _unresolved(unit)[4:], mod)
        # "this week ... the next day": the narrative is at the article's date
        anaphoric = False
    base = _anchor(context, anaphoric)
    if base is None:
        return Value(kind, _unresolved(unit), mod, anchored=False)
    return Value(kind, _unit_value(unit, base, shift), mod, anchor=base.isoformat())


_GRAIN_RANK = {"day": 0, "week": 1, "month": 2, "year": 4}


def _contains(reference: Reference, day: dt.date | None) -> bool:
    """Whether the reference period includes `day`."""
    if day is None:
        return False
    start = reference.day
    if reference.grain == "week":
        return start.isocalendar()[:2] == day.isocalendar()[:2]
    if reference.grain == "month":
        return (start.year, start.month) == (day.year, day.month)
    if reference.grain == "year":
        return start.year == day.year
    if reference.grain[0] in "QH":
        size = 3 if reference.grain[0] == "Q" else 6
        return start.year == day.year and (start.month - 1) // size == (day.month - 1) // size
    return start == day


def _fine_enough(reference: Reference, unit: str) -> bool:
    """Whether the reference time is precise enough to place `unit` ("that day" needs a day)."""
    needed = {"week": 1, "weekend": 1, "month": 2, "quarter": 3, "year": 4, "decade": 5, "century": 6}.get(
        unit, 0
    )
    return _GRAIN_RANK.get(reference.grain, 3) <= needed


@normalizer("relative_season", "season_year", "the_season")
def _season(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    code = str(tables()["seasons"][g["season"].lower()])
    mod = _mod(g)
    if "year" in g:
        return Value("DATE", f"{g['year']}-{code}", mod)
    base = context.dct
    if base is None:
        return Value("DATE", f"XXXX-{code}", mod, anchored=False)
    shift = _rel(g) or (context.direction if c.rule == "the_season" else 0)
    current, wanted = _season_of(base), SEASON_ORDER.index(code)
    year = base.year
    if shift < 0:
        year -= 1 if wanted >= current else 0
    elif shift > 0:
        year += 1 if wanted <= current else 0
    return Value("DATE", f"{year:04d}-{code}", mod, anchor=base.isoformat())


def _unit_code(unit: str) -> str:
    return str(tables()["units"][unit.lower()])


def _shift_by(day: dt.date, amount: int, code: str) -> str:
    if code == "D":
        return (day + dt.timedelta(days=amount)).isoformat()
    if code in ("W", "WE"):
        return _iso_week(day + dt.timedelta(weeks=amount))
    if code == "M":
        year, month = _add_months(day, amount)
        return f"{year:04d}-{month:02d}"
    if code == "Q":
        return _unit_value("quarter", day, amount)
    if code in ("DE", "CE", "ML"):
        factor = {"DE": 10, "CE": 100, "ML": 1000}[code]
        return f"{day.year + amount * factor:04d}"
    if code.startswith("T"):
        return day.isoformat()
    return f"{day.year + amount:04d}"


@normalizer("reference_quarter")
def _reference_quarter(c: Candidate, context: Context) -> Value | None:
    """ "the quarter" names the quarter the text is talking about, if it named one."""
    reference = context.reference
    if reference is None or reference.grain[0] != "Q":
        return None
    return Value("DATE", f"{reference.day.year:04d}-{reference.grain}")


@normalizer("ago", "year_ago_adjective")
def _ago(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    code = _unit_code(g["unit"])
    amount = _number(g["num"]) if "num" in g else 1.0
    word = " ".join(g["ago"].lower().split())
    sign = 1 if word in ("later", "from now", "hence") else -1
    anaphoric = word in ("earlier", "later", "previously")
    base = _anchor(context, anaphoric)
    if amount is None:
        return Value("DATE", "PAST_REF" if sign < 0 else "FUTURE_REF", _mod(g))
    if base is None:
        return Value(
            "DATE",
            _unresolved({"D": "day", "W": "week", "M": "month"}.get(code, "year")),
            _mod(g),
            anchored=False,
        )
    if amount != int(amount) or (anaphoric and code.startswith("T")):
        return Value("DURATION", _duration(amount, code), _mod(g))
    reference = context.reference if anaphoric else None
    if reference is not None:
        shifted = _shift_reference(reference, sign * int(amount), code)
        if shifted is not None:
            return Value("DATE", shifted, _mod(g), anchor=base.isoformat())
    return Value("DATE", _shift_by(base, sign * int(amount), code), _mod(g), anchor=base.isoformat())


def _shift_reference(reference: Reference, amount: int, code: str) -> str | None:
    """Shift the reference time, keeping its precision where it is finer than the unit
    ("a year earlier" after "the third quarter" is the third quarter of the year before)."""
    day = reference.day
    if code == "Y" and reference.grain != "day":
        if reference.grain in ("month", "year"):
            return f"{day.year + amount:04d}" + (f"-{day.month:02d}" if reference.grain == "month" else "")
        return f"{day.year + amount:04d}-{reference.grain}"
    if code == "Y":
        try:
            return day.replace(year=day.year + amount).isoformat()
        except ValueError:  # 29 February
            return (day.replace(day=28).replace(year=day.year + amount)).isoformat()
    if code == "M" and reference.grain == "day":
        year, month = _add_months(day, amount)
        try:
            return dt.date(year, month, day.day).isoformat()
        except ValueError:
            return f"{year:04d}-{month:02d}"
    if code in ("D", "W") and reference.grain != "day":
        return None
    return None


@normalizer("duration")
def _duration_rule(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    code = _unit_code(g["unit"])
    number_text = " ".join(g["num"].lower().split())
    vague = number_text in tables()["vague_numbers"]
    amount = None if vague else _number(number_text)
    unit_word = g["unit"].lower()
    if amount is None and not vague:
        return None
    if "half" in g and amount is not None:
        amount += 0.5
    if (
        amount is not None
        and amount == 1
        and unit_word in ("second", "quarter")
        and not number_text.isdigit()
    ):
        return None  # "a second chance", "a quarter of the vote"
    if number_text in ("a", "an") and context.rate_before and "span_rel" not in g and "qmod" not in g:
        return Value("SET", _duration(1, code))
    if code == "Q":
        if amount is None:
            return Value("DURATION", "PXQ", _mod(g))
        code, amount = "M", amount * 3
    return Value("DURATION", _duration(amount, code), _mod(g))


@normalizer("unit_plural")
def _unit_plural(c: Candidate, context: Context) -> Value | None:
    return Value("DURATION", _duration(None, _unit_code(c.groups.get("unit") or c.groups["unit2"])))


def _clock(hour: int, minute: int, ampm: str | None) -> str | None:
    if ampm:
        if not 1 <= hour <= 12:
            return None
        pm = ampm.lower().startswith("p")
        hour = hour % 12 + (12 if pm else 0)
    if not (0 <= hour <= 24 and 0 <= minute <= 59):
        return None
    return f"{hour:02d}:{minute:02d}"


@normalizer("clock", "oclock")
def _clock_rule(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    if "clockword" in g:
        clock: str | None = str(tables()["clock_words"].get(g["clockword"].lower(), "12:00"))
    elif "hour24" in g:
        clock = _clock(int(g["hour24"]), int(g["minute24"]), None)
    else:
        hour = _number(g["hour"])
        if hour is None:
            return None
        clock = _clock(int(hour), int(g.get("minute") or 0), g.get("ampm"))
    if clock is None:
        return None
    day: dt.date | None = context.sentence_day or context.dct
    if "weekday" in g and context.dct is not None:
        day = _weekday_date(_weekday_number(g["weekday"]), context.dct, None, context.direction)
    elif "deictic" in g and context.dct is not None:
        offset = tables()["deictic_days"][g["deictic"].lower()][0]
        day = context.dct + dt.timedelta(days=int(offset))
    if day is None:
        return Value("TIME", f"XXXX-XX-XXT{clock}", anchored=False)
    return Value("TIME", f"{day.isoformat()}T{clock}", anchor=(context.dct or day).isoformat())


@normalizer("set_every", "set_frequency", "set_per", "set_word", "set_plural_weekday")
def _set(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    if "setword" in g:
        return Value("SET", str(tables()["set_words"][g["setword"].lower()]))
    if "weekdays" in g:
        return Value("SET", f"XXXX-WXX-{_weekday_number(g['weekdays'])}")
    if "weekday" in g:
        return Value("SET", f"XXXX-WXX-{_weekday_number(g['weekday'])}")
    if "month" in g:
        return Value("SET", f"XXXX-{_month_number(g['month']):02d}")
    if "season" in g:
        return Value("SET", f"XXXX-{tables()['seasons'][g['season'].lower()]}")
    if "part" in g:
        return Value("SET", f"XXXX-XX-XXT{_part_code(g['part'])}")
    amount = _number(g["num"]) if "num" in g else 1.0
    code = _unit_code(g["unit"])
    if code == "WE":
        return Value("SET", "XXXX-WXX-WE")
    return Value("SET", _duration(amount or 1.0, code))


@normalizer("quarter")
def _quarter(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    ordinal = int(tables()["ordinals"][g["ordinal"].lower()])
    half = g["quarter"].lower() == "half"
    if half and ordinal > 2:
        return None
    label = f"H{ordinal}" if half else f"Q{ordinal}"
    explicit = g.get("year") or g.get("year2")
    if explicit:
        return Value("DATE", f"{explicit}-{label}")
    base = context.dct
    if base is None:
        return Value("DATE", f"XXXX-{label}", anchored=False)
    current = (base.month - 1) // (6 if half else 3) + 1
    relyear = g.get("relyear") or g.get("relyear2")
    if relyear:
        year = base.year + (_rel({"rel": relyear}) or 0)
    elif context.direction > 0 and ordinal > current:
        year = base.year
    else:
        # financial news reports quarters that have ended or are running
        year = base.year if ordinal <= current else base.year - 1
    return Value("DATE", f"{year:04d}-{label}", anchor=base.isoformat())


@normalizer("holiday")
def _holiday(c: Candidate, context: Context) -> Value | None:
    g = c.groups
    rule = str(tables()["holidays"][" ".join(g["holiday"].lower().split())])
    month = int(rule[:2])

    def on(year: int) -> dt.date:
        if rule[3:5].isdigit():
            return dt.date(year, month, int(rule[3:5]))
        weekday = _weekday_number(rule[3:5].lower().replace("th", "thu").replace("mo", "mon"))
        nth = -1 if rule[5] == "L" else int(rule[5])
        return _nth_weekday(year, month, weekday, nth)

    if "year" in g:
        return Value("DATE", on(int(g["year"])).isoformat())
    base = context.dct
    if base is None:
        day = rule[3:5] if rule[3:5].isdigit() else "XX"  # Thanksgiving's day depends on the year
        return Value("DATE", f"XXXX-{month:02d}-{day}", anchored=False)
    rel = _rel(g) or context.direction
    year = base.year
    if rel < 0 and on(year) >= base:
        year -= 1
    elif rel > 0 and on(year) < base:
        year += 1
    return Value("DATE", on(year).isoformat(), anchor=base.isoformat())


# ---------------------------------------------------------------- filters using the parse


def _plausible(c: Candidate, span: Span | None, text: str) -> bool:
    """Reject matches that the parse or the layout shows are not times."""
    data = tables().data
    after = text[c.end : c.end + 30].lower().split()
    next_word = after[0].strip(".,;:()") if after else ""
    if c.rule == "year":
        before = text[max(0, c.start - 12) : c.start].lower().split()
        # "2,500 troops", "about 2000 people": a count, not a year
        return next_word not in data["not_year_after"] and not (
            before and before[-1] in {*data["quantity_modifiers"], "than", "of"} and next_word.endswith("s")
        )
    if c.rule in ("duration", "ago") and next_word in data["not_time_after"]:
        return False
    if c.rule == "clock" and "hour24" in c.groups:
        # a bare timestamp on its own line is a media player's running time, not a time of day
        line_start = text.rfind("\n", 0, c.start) + 1
        line_end = text.find("\n", c.end)
        if text[line_start : line_end if line_end >= 0 else None].strip() == text[c.start : c.end]:
            return False
        preceding = text[max(0, c.start - 16) : c.start].lower()
        # "won 2:1", "a 3:30 score" are results, not clock times
        if re.search(r"\d[:.]\s*$", preceding) or set(preceding.split()) & set(data["score_words"]):
            return False
    if (
        c.rule == "set_word"
        and span is not None
        and (span.root.dep_ == "amod" or next_word in data["set_not_before"])
    ):
        return False  # "a quarterly dividend", "the daily newspaper": adjectives, not recurring times
    if c.rule in ("month", "weekday") and span is not None:
        word = c.groups.get("month", c.groups.get("weekday", ""))
        token = next((t for t in span if t.text == word), None)
        if token is not None and token.tag_ == "MD":
            return False  # "May" as a modal verb
    return True


def _is_rate_head(token: Token) -> bool:
    """A counted thing or an amount right before "a day": what the frequency is of."""
    return token.tag_ in ("NNS", "CD", "$") or (token.like_num and token.i > 0)


def _char_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _published(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


# "a year earlier", "the year-ago quarter" compare with the reference time without moving the narrative
COMPARISON_RULES = ("year_ago_adjective", "reference_quarter")


def find_times(doc: Doc) -> Iterator[tuple[Time, Span | None]]:
    """Tag and normalize every time expression of a parsed Doc, in text order."""
    dct = _published(doc._.published)
    context = Context(dct=dct)
    text = doc.text
    sentence_days: dict[int, dt.date] = {}
    for candidate in candidates(text):
        span = _char_span(doc, candidate.start, candidate.end)
        if not _plausible(candidate, span, text):
            continue
        sentence = span.sent.start if span is not None and doc.has_annotation("SENT_START") else -1
        context.sentence_day = sentence_days.get(sentence)
        context.rate_before = span is not None and span.start > 0 and _is_rate_head(doc[span.start - 1])
        verb = span_verb(span) if span is not None else None
        context.direction = tense_direction(verb)
        context.direct = span is not None and verb is not None and _attached(span, verb)
        try:
            value = NORMALIZERS[candidate.rule](candidate, context)
        except ValueError:  # a calendar impossibility ("Feb. 30", "the 0th century"): not a time
            continue
        if value is None:
            continue
        if value.type in ("DATE", "TIME") and candidate.rule not in COMPARISON_RULES:
            context.reference = reference_of(value.value) or context.reference
            if (
                context.reference is not None
                and context.reference.grain == "day"
                and value.value[:1].isdigit()
            ):
                sentence_days[sentence] = context.reference.day
        time = Time(
            text=text[candidate.start : candidate.end],
            start=candidate.start,
            end=candidate.end,
            type=value.type,
            value=value.value,
            mod=value.mod,
            anchored=value.anchored,
            anchor=value.anchor,
        )
        yield time, span


# ---------------------------------------------------------------- governing time


def governing_time(doc: Doc, token: Token) -> Time | None:
    """The DATE/TIME expression that governs a verb or noun `token`, or None.

    It is a time attached to the token's own clause (as npadvmod, obl, or through a
    preposition's object), else the time of the clause that governs it (a reported
    event inherits the time of the report only when it has none of its own).
    To ask for many tokens of one Doc, build one `GoverningTimes(doc)` and ask it.
    """
    return GoverningTimes(doc).of(token)


class GoverningTimes:
    """`governing_time` for many tokens of one Doc: each time's span and attachment are worked out
    once, indexed by the word it hangs from, so asking for every quote or event stays linear."""

    def __init__(self, doc: Doc) -> None:
        # word -> the times that hang from it, in text order: through their clause's verb (for a
        # verb) or as a modifier of it (for a noun)
        self.verbal: dict[int, list[tuple[Time, Span]]] = {}
        self.nominal: dict[int, list[tuple[Time, Span]]] = {}
        for time in (doc._.facts or {}).get(KIND, []):
            if time.type not in ("DATE", "TIME") or time.value.endswith("_REF"):
                continue
            span = _char_span(doc, time.start, time.end)
            if span is None:
                continue
            if (verb := span_verb(span)) is not None:
                self.verbal.setdefault(verb.i, []).append((time, span))
            root, head = span.root, span.root.head
            if head.dep_ == "prep":
                self.nominal.setdefault(head.head.i, []).append((time, span))
            if root.dep_ in ("npadvmod", "compound", "nmod", "poss", "amod"):
                self.nominal.setdefault(head.i, []).append((time, span))

    def of(self, token: Token) -> Time | None:
        current: Token | None = token
        for _ in range(6):
            if current is None:
                return None
            table = self.verbal if current.pos_ in ("VERB", "AUX") else self.nominal
            for time, span in table.get(current.i, ()):
                if not _inside(current, span):
                    return time
            # a reported or subordinate clause happens when its governor does, unless it is
            # planned or hypothetical ("said Friday the bridge would reopen"): then it has no date of its own
            if current.dep_ not in INHERITING_DEPS or tense_direction(current) > 0:
                return None
            current = _clause_verb(current.head)
        return None


# clauses that take the time of the clause above them; relative clauses ("the bridge, which
# was damaged ...") describe another event and do not
INHERITING_DEPS = ("ccomp", "advcl", "xcomp", "conj", "pcomp")


def _inside(token: Token, span: Span) -> bool:
    return span.start <= token.i < span.end


@Language.factory("dateline_times", default_config={})
def make_times(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    tables()  # compile the patterns once, at load time

    def component(doc: Doc) -> Doc:
        if doc._.facts is None:
            doc._.facts = {}
        doc._.facts[KIND] = [t for t, _ in find_times(doc)]
        return doc

    return component
