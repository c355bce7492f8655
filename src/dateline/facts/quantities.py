"""The `dateline_quantities` component: numbers in the text with their value, unit and bounds.

Span rule: a quantity's span runs from its first qualifier ("about", "at least", "between") or
currency sign through the number and its scale word ("48 million") to the counted noun when the
parse attaches the number to a noun that follows it ("about 2,500 U.S. troops"), or to a unit
sign/word ("12%", "12 percent").  `unit` is the counted noun's lemma, mapped through the unit
table (dollars -> usd, tons -> tonne, % -> percent); None when nothing is counted.

Ranges ("between 10 and 20", "10 to 20", "10-20") give `lower` and `upper`, with `value` the
lower end.  "at least"/"more than" give `lower`, "up to"/"less than" give `upper`.  Years,
dates, clock times, durations and ordinals are times (spaCy DATE/TIME/ORDINAL, or a year's
shape), never quantities.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from dateline.model import Quantity

_DIGITS = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$|^\.\d+$")
_SUFFIXED = re.compile(r"^(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?P<scale>[a-zA-Z]+)$")
_DASH_RANGE = re.compile(r"^(?P<lo>\d[\d,.]*)[-–](?P<hi>\d[\d,.]*)$")
_DATE_CHUNK = re.compile(
    r"\d[:/]\d|\d[-–](?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[-–]\d",
    re.I,
)
_TIME_LABELS = {"DATE", "TIME", "ORDINAL"}
_NAME_LABELS = {"PERSON", "ORG", "GPE", "LOC", "FAC", "PRODUCT", "EVENT", "LAW", "WORK_OF_ART", "NORP"}


@dataclass(frozen=True)
class Tables:
    numbers: dict[str, float]
    scales: dict[str, float]
    currencies: dict[str, str]
    units: dict[str, str]
    approximators: tuple[tuple[str, ...], ...]
    lower_bounds: tuple[tuple[str, ...], ...]
    upper_bounds: tuple[tuple[str, ...], ...]


@cache
def tables() -> Tables:
    raw: dict[str, Any] = json.loads(
        resources.files("dateline.facts").joinpath("data", "quantities.json").read_text(encoding="utf-8")
    )

    def phrases(key: str) -> tuple[tuple[str, ...], ...]:
        return tuple(sorted((tuple(p.split()) for p in raw[key]), key=len, reverse=True))

    return Tables(
        numbers={k: float(v) for k, v in raw["numbers"].items()},
        scales={k: float(v) for k, v in raw["scales"].items()},
        currencies=raw["currency_symbols"],
        units=raw["units"],
        approximators=phrases("approximators"),
        lower_bounds=phrases("lower_bounds"),
        upper_bounds=phrases("upper_bounds"),
    )


def _digits(text: str) -> float | None:
    if _DIGITS.match(text):
        return float(text.replace(",", ""))
    if (m := _SUFFIXED.match(text)) and m.group("scale").lower() in tables().scales:
        return float(m.group("num").replace(",", "")) * tables().scales[m.group("scale").lower()]
    return None


def parse_number(tokens: list[Token], i: int) -> tuple[float, int] | None:
    """The number starting at token i and the index after it: "2,500", "48 million", "a dozen", "forty-five"."""
    t = tables()
    n = len(tokens)
    value = _digits(tokens[i].text)
    j = i + 1
    if value is None:
        words: list[str] = []
        k = i
        if tokens[k].lower_ in ("a", "an") and k + 1 < n and tokens[k + 1].lower_ in t.scales:
            words.append("one")
            k += 1
        while k < n:
            w = tokens[k].lower_
            if w in t.numbers or (w in t.scales and len(w) > 2):
                words.append(w)
                k += 1
            elif w in ("-", "and") and words and k + 1 < n and tokens[k + 1].lower_ in t.numbers:
                k += 1
            else:
                break
        if not words or (words == ["one"] and tokens[i].lower_ in ("a", "an")):
            return None
        value = _word_value(words)
        j = k
    # a scale word after digits: "48 million", "4.5 billion"
    while j < n and tokens[j].lower_ in t.scales and len(tokens[j].lower_) > 1:
        value *= t.scales[tokens[j].lower_]
        j += 1
    return value, j


def _word_value(words: list[str]) -> float:
    t = tables()
    total, current = 0.0, 0.0
    for w in words:
        if w in t.numbers:
            current += t.numbers[w]
        else:
            scale = t.scales[w]
            current = (current or 1.0) * scale
            if scale >= 1000:
                total, current = total + current, 0.0
    return total + current


def _phrase_before(tokens: list[Token], i: int, phrases: tuple[tuple[str, ...], ...]) -> int | None:
    for p in phrases:
        s = i - len(p)
        if s >= 0 and tuple(x.lower_ for x in tokens[s:i]) == p:
            return s
    return None


def _chunk(token: Token) -> str:
    """The whitespace-delimited stretch of text holding the token ("27-Jul-2021", "12:21,")."""
    doc = token.doc
    s = e = token.i
    while s > 0 and not doc[s - 1].whitespace_ and not doc[s - 1].is_space:
        s -= 1
    while e + 1 < len(doc) and not doc[e].whitespace_ and not doc[e + 1].is_space:
        e += 1
    return doc[s : e + 1].text


def _is_time(doc: Doc, tokens: list[Token], i: int, j: int, value: float) -> bool:
    tok = tokens[i]
    if any(x.ent_type_ in _TIME_LABELS for x in tokens[i:j]):
        return True
    if _DATE_CHUNK.search(_chunk(tok)):
        return True
    # a bare four-digit number in the range of years, with no currency and no comma, is a year
    return bool(re.fullmatch(r"1[89]\d\d|20\d\d", tok.text)) and j == i + 1


def _counted_noun(tokens: list[Token], i: int, j: int) -> Token | None:
    """The noun the number counts, when it follows the number closely ("2,500 U.S. troops")."""
    head = tokens[j - 1]
    seen = 0
    while head.pos_ == "NUM" or (head.i < j and head.i >= i):
        if head.head is head or seen > 4:
            return None
        head, seen = head.head, seen + 1
    excluded = _NAME_LABELS | _TIME_LABELS
    if head.pos_ in ("NOUN", "PROPN", "SYM") and j <= head.i <= j + 4 and head.ent_type_ not in excluded:
        return head
    if (
        j < len(tokens)
        and tokens[j].pos_ == "NOUN"
        and tokens[j].ent_type_ not in excluded
        and tokens[j].lower_ not in tables().scales
    ):
        return tokens[j]
    return None


def _unit(token: Token) -> str:
    units = tables().units
    return units.get(token.lower_) or units.get(token.lemma_.lower()) or token.lemma_.lower()


def extract(doc: Doc) -> list[Quantity]:
    t = tables()
    tokens = list(doc)
    found: list[Quantity] = []
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.ent_type_ in _NAME_LABELS and _digits(tok.text) is None:
            i += 1
            continue
        parsed = parse_number(tokens, i)
        dash = _DASH_RANGE.match(tok.text)
        if parsed is None and dash is None:
            i += 1
            continue
        if dash is not None:
            lo, hi = float(dash["lo"].replace(",", "")), float(dash["hi"].replace(",", ""))
            value, j = lo, i + 1
            lower: float | None = lo
            upper: float | None = hi
        else:
            assert parsed is not None
            value, j = parsed
            lower = upper = None
        if _is_time(doc, tokens, i, j, value) or (tok.lower_ == "one" and tok.dep_ != "nummod"):
            i = j
            continue
        start = i
        unit: str | None = None
        # a currency sign just before: "$48 million", "US$ 5"
        if start > 0 and tokens[start - 1].text in t.currencies:
            start -= 1
            unit = t.currencies[tokens[start].text]
        # a second number making a range: "10 to 20", "10-20", "between 10 and 20"
        if upper is None and j + 1 < len(tokens) and tokens[j].lower_ in ("to", "-", "–", "and"):
            second = parse_number(tokens, j + 1)
            opener = _phrase_before(tokens, start, (("between",), ("from",)))
            if second is not None and (tokens[j].lower_ != "and" or opener is not None):
                lower, upper, j = value, second[0], second[1]
                if opener is not None:
                    start = opener
        end = j
        if upper is None and lower is None:
            if (s := _phrase_before(tokens, start, t.lower_bounds)) is not None:
                lower, start = value, s
            elif (s := _phrase_before(tokens, start, t.upper_bounds)) is not None:
                upper, start = value, s
        approximate = False
        if (s := _phrase_before(tokens, start, t.approximators)) is not None:
            approximate, start = True, s
        if j < len(tokens) and tokens[j].text == "%":
            unit, end = "percent", j + 1
        elif j + 1 < len(tokens) and tokens[j].lower_ == "per" and tokens[j + 1].lower_ == "cent":
            unit, end = "percent", j + 2
        elif unit is None and (noun := _counted_noun(tokens, i, j)) is not None:
            unit, end = _unit(noun), noun.i + 1
        s_char, e_char = tokens[start].idx, tokens[end - 1].idx + len(tokens[end - 1])
        found.append(
            Quantity(
                text=doc[start:end].text,
                start=s_char,
                end=e_char,
                value=value,
                unit=unit,
                approximate=approximate,
                lower=lower,
                upper=upper,
            )
        )
        i = max(end, j)
    return found


class QuantityComponent:
    def __call__(self, doc: Doc) -> Doc:
        if doc._.facts is None:
            doc._.facts = {}
        doc._.facts["quantities"] = extract(doc)
        return doc


@Language.factory("dateline_quantities", default_config={})
def make_quantities(nlp: Language, name: str) -> QuantityComponent:
    return QuantityComponent()
