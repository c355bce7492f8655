"""The data tables of the event extractor: triggers and their PLOVER types, word classes, actor codes.

Every table is a plain text file in `dateline/facts/data/` (see the header of each); this module only
reads them.  Nothing here is tuned to a sentence: a new trigger or country is a new line in a table.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources

# PLOVER v2.0 (manual draft; the version POLECAT uses): category -> quad class.
QUAD: dict[str, str] = {
    "AGREE": "verbal cooperation",
    "CONSULT": "verbal cooperation",
    "SUPPORT": "verbal cooperation",
    "CONCEDE": "verbal cooperation",
    "COOPERATE": "material cooperation",
    "AID": "material cooperation",
    "RETREAT": "material cooperation",
    "REQUEST": "verbal conflict",
    "ACCUSE": "verbal conflict",
    "REJECT": "verbal conflict",
    "THREATEN": "verbal conflict",
    "PROTEST": "material conflict",
    "SANCTION": "material conflict",
    "MOBILIZE": "material conflict",
    "COERCE": "material conflict",
    "ASSAULT": "material conflict",
}
OTHER = "OTHER"  # an event PLOVER does not code (CAMEO 01 statements, legislative acts ...)
DEFER = "~"
ROLE = "*"  # in sectors.tsv: a head noun that takes its modifier's sector ("rebel leader")  # a light or control verb: the event is its complement


@dataclass(frozen=True)
class Trigger:
    """One row of `event_triggers.tsv`."""

    pos: str
    lemma: str
    when: tuple[tuple[str, frozenset[str]], ...]
    type: str | None
    cameo: str | None
    mode: str | None


def _lines(name: str) -> list[list[str]]:
    text = resources.files("dateline.facts").joinpath("data", name).read_text(encoding="utf-8")
    rows = []
    for line in text.splitlines():
        line = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        if line.strip():
            rows.append(line.split("\t") if "\t" in line else line.split())
    return rows


def _when(spec: str) -> tuple[tuple[str, frozenset[str]], ...]:
    if spec == "-":
        return ()
    out = []
    for part in spec.split(","):
        key, _, values = part.partition("=")
        out.append((key, frozenset(values.split("|")) if values else frozenset()))
    return tuple(out)


@functools.cache
def triggers() -> dict[tuple[str, str], tuple[Trigger, ...]]:
    table: dict[tuple[str, str], list[Trigger]] = {}
    for pos, lemma, when, type_, cameo, mode in _lines("event_triggers.tsv"):
        row = Trigger(
            pos,
            lemma,
            _when(when),
            None if type_ == "-" else type_,
            None if cameo == "-" else cameo,
            None if mode == "-" else mode,
        )
        table.setdefault((pos, lemma), []).append(row)
    return {key: tuple(rows) for key, rows in table.items()}


def untyped(pos: str, lemma: str) -> Trigger:
    """The row of an event that no typed row fits: it is an event, with a null type."""
    return Trigger(pos, lemma, (), None, None, None)


def light(lemma: str) -> Trigger:
    """The row of a light verb that hands its subject and auxiliaries to the event it carries."""
    return Trigger("v", lemma, (), DEFER, None, None)


@functools.cache
def event_nouns() -> frozenset[str]:
    """`event_nouns.tsv`: nouns whose frequent senses denote events (generated from WordNet)."""
    return frozenset(row[0] for row in _lines("event_nouns.tsv"))


@functools.cache
def words() -> dict[str, dict[str, str]]:
    """`event_words.tsv`: category -> word -> value."""
    table: dict[str, dict[str, str]] = {}
    for category, word, value in _lines("event_words.tsv"):
        table.setdefault(category, {})[word] = value
    return table


@functools.cache
def intents() -> dict[str, tuple[str | None, str | None, str | None]]:
    """`event_intents.tsv`: type -> (type when planned, when negated, CAMEO of the planned coding)."""
    out: dict[str, tuple[str | None, str | None, str | None]] = {}
    for type_, planned, negated, cameo in _lines("event_intents.tsv"):
        out[type_] = (
            None if planned == "-" else planned,
            None if negated == "-" else negated,
            None if cameo == "-" else cameo,
        )
    return out


@functools.cache
def countries() -> dict[str, str]:
    """Lower-case name, adjective, demonym or capital -> ISO 3166 alpha-3 (or IGO/NGO)."""
    return {name: code for code, names in _lines("countries.tsv") for name in names.split("|")}


@functools.cache
def sectors() -> dict[str, str]:
    out: dict[str, str] = {}
    for code, names in _lines("sectors.tsv"):
        for name in names.split("|"):
            out.setdefault(name, code)
    return out


_LONGEST = 4  # words in the longest country name


def country_of(text: str) -> str | None:
    """The first country named in a phrase ("U.S.-led" -> USA, "the Iraqi prime minister" -> IRQ)."""
    tokens = re.findall(r"[\w.'’]+", text.lower().replace("’", "'"))
    tokens = [t[:-2] if t.endswith("'s") else t for t in tokens]
    table = countries()
    for i in range(len(tokens)):
        for n in range(min(_LONGEST, len(tokens) - i), 0, -1):
            name = " ".join(tokens[i : i + n])
            found = table.get(name) or table.get(name.rstrip("."))
            if found:
                return found
    return None


def sector_of(lemmas: list[str]) -> str | None:
    """Sector of a phrase from its words, the head (last) word first: "militia leader" -> REB."""
    table = sectors()
    if lemmas and table.get(lemmas[-1]) == ROLE:  # "militia leader", "rebel spokesman"
        lemmas = [*lemmas[-1:], *lemmas[:-1]]
    for i in range(len(lemmas) - 1):  # two-word titles first: "prime minister", "air force"
        found = table.get(f"{lemmas[i]} {lemmas[i + 1]}")
        if found:
            return found
    for lemma in reversed(lemmas):
        found = table.get(lemma)
        if found and found != ROLE:
            return found
    return table.get(lemmas[0]) if lemmas and table.get(lemmas[0]) == ROLE else None


def quad(type_: str | None) -> str | None:
    return QUAD.get(type_ or "")


# --- CAMEO verb patterns (PETRARCH2's dictionaries, converted by scripts/petrarch_patterns.py) ----


@dataclass(frozen=True)
class Pattern:
    """One verb pattern of `event_patterns.tsv`: words required on each side of the verb."""

    subject: tuple[frozenset[str], ...]  # each item: its alternatives (a word, or "word=" for exact)
    object: tuple[frozenset[str], ...]
    cameo: str | None
    type: str | None
    mode: str | None


@dataclass(frozen=True)
class Patterns:
    verbs: dict[str, tuple[str, ...]]  # "take part", "drop off", "attack" -> block names
    blocks: dict[str, tuple[Pattern, ...]]


@functools.cache
def patterns() -> Patterns:
    sets: dict[str, frozenset[str]] = {}
    verbs: dict[str, tuple[str, ...]] = {}
    blocks: dict[str, list[Pattern]] = {}

    def items(field: str) -> tuple[frozenset[str], ...]:
        if field == "-":
            return ()
        return tuple(sets.get(w, frozenset({w})) for w in field.split())

    for row in _lines("event_patterns.tsv"):
        key = row[0]
        if key.startswith("&"):
            sets[key] = frozenset(row[1].split("|"))
        elif key.startswith("="):
            verbs[key[1:]] = tuple(row[1].split())
        else:
            _, subject, obj, cameo, type_, mode = row
            blocks.setdefault(key, []).append(
                Pattern(
                    items(subject),
                    items(obj),
                    None if cameo == "-" else cameo,
                    None if type_ == "-" else type_,
                    None if mode == "-" else mode,
                )
            )
    return Patterns(verbs, {name: tuple(rows) for name, rows in blocks.items()})


def words_match(item: frozenset[str], exact: set[str], prefixes: set[str]) -> bool:
    """Whether a pattern item matches a bag of words (`exact`: the words and their lemmas;
    `prefixes`: every prefix of them, for the dictionary's stem matching)."""
    return any(w.rstrip("=") in exact if w.endswith("=") or len(w) <= STEM else w in prefixes for w in item)


STEM = 4  # words this short ("in", "war") match only themselves, not as stems
