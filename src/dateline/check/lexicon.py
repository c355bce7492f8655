"""The checker's word tables, read from `dateline/check/data/` (see the header of each file).

Synonym groups and antonym pairs decide when an article's words say what a claim says, or its
opposite; nothing in the code names a word of either.  Modal, control and negation words are
shared with the event extractor (`dateline.facts.eventtables`).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib import resources

from dateline.facts import eventtables

# prefixes that make a word's opposite: "un-" and "non-" of any word ("unprofitable", "non-binding");
# "in-" and its forms only of adjectives ("inactive", "illegal"), since "import" is no "not port"
_NEGATING_PREFIXES = ("un", "non", "non-")
_ADJECTIVE_PREFIXES = ("in", "im", "il", "ir")
_ADJECTIVE_ENDINGS = ("able", "ible", "ive", "al", "ent", "ant", "ous", "ful", "ic", "ar")
# endings that relate a name to its people or adjective ("Sarvia" / "Sarvian", "Iraq" / "Iraqi")
_NAME_ENDINGS = ("", "n", "an", "ian", "i", "ic", "ish", "ese", "s", "es", "'s")


def _rows(name: str) -> list[str]:
    raw = resources.files("dateline.check").joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in raw.splitlines() if line.strip() and not line.lstrip().startswith("#")]


@dataclass(frozen=True)
class Lexicon:
    groups: dict[str, frozenset[int]]
    """lemma (or "verb particle") -> ids of its synonym groups."""
    members: tuple[frozenset[str], ...]
    """synonym group id -> its lemmas."""
    antonyms: frozenset[tuple[str, str]]
    words: dict[str, frozenset[str]]
    """word class (universal, negative, doubt, light) -> words."""
    abbreviations: frozenset[str]

    def same(self, a: str, b: str) -> bool:
        """Whether two lemmas say the same thing: equal, or in one synonym group."""
        if a == b:
            return True
        first, second = self.groups.get(a), self.groups.get(b)
        return bool(first and second and first & second)

    def known(self, lemma: str) -> bool:
        """Whether the tables have the word (as a synonym or an opposite)."""
        return lemma in self.groups or any(lemma == a for a, _ in self.antonyms)

    def opposite(self, a: str, b: str) -> bool:
        """Whether two lemmas say opposite things: a listed pair, or one is the other with a negating prefix."""
        if (a, b) in self.antonyms:
            return True
        if min(len(a), len(b)) <= 3:
            return False
        if any(a == p + b or b == p + a for p in _NEGATING_PREFIXES):
            return True
        base = min(a, b, key=len)
        return base.endswith(_ADJECTIVE_ENDINGS) and any(
            a == p + b or b == p + a for p in _ADJECTIVE_PREFIXES
        )

    def expansions(self, lemma: str) -> set[str]:
        """The lemma's synonyms (for retrieval)."""
        return {w for g in self.groups.get(lemma, ()) for w in self.members[g]}

    def event_types(self, lemma: str) -> frozenset[str]:
        """The PLOVER types the event extractor gives the word as a trigger (the event ontology)."""
        return _event_types().get(lemma, frozenset())

    def modal(self) -> dict[str, str]:
        return eventtables.words()["modal"]

    def control(self) -> dict[str, str]:
        return eventtables.words()["control"]

    def adjective(self) -> dict[str, str]:
        return eventtables.words()["adjective"]

    def negation(self) -> frozenset[str]:
        return frozenset(eventtables.words()["negation"]) | self.words["negative"]


def same_name(a: str, b: str) -> bool:
    """Two folded name words that name the same thing ("sarvia" / "sarvian", "iraq" / "iraqi")."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    return len(short) >= 4 and long.startswith(short) and long[len(short) :] in _NAME_ENDINGS


@functools.cache
def _event_types() -> dict[str, frozenset[str]]:
    types: dict[str, set[str]] = {}
    for (_, word), rows in eventtables.triggers().items():
        for row in rows:
            if row.type is not None and row.type not in (eventtables.OTHER, eventtables.DEFER):
                types.setdefault(word, set()).add(row.type)
    return {word: frozenset(found) for word, found in types.items()}


@functools.cache
def lexicon() -> Lexicon:
    members = tuple(
        frozenset(w.strip().lower() for w in row.split("|") if w.strip()) for row in _rows("synonyms.tsv")
    )
    groups: dict[str, set[int]] = {}
    for i, group in enumerate(members):
        for word in group:
            groups.setdefault(word, set()).add(i)
    pairs: set[tuple[str, str]] = set()
    for row in _rows("antonyms.tsv"):
        a, b = row.split("\t")[:2] if "\t" in row else row.split()[:2]
        pairs |= {(a.strip(), b.strip()), (b.strip(), a.strip())}
    words: dict[str, set[str]] = {}
    for row in _rows("words.tsv"):
        kind, word = row.split("\t")[:2] if "\t" in row else row.split()[:2]
        words.setdefault(kind, set()).add(word.strip().lower())
    return Lexicon(
        groups={w: frozenset(g) for w, g in groups.items()},
        members=members,
        antonyms=frozenset(pairs),
        words={k: frozenset(v) for k, v in words.items()},
        abbreviations=frozenset(_rows("abbreviations.txt")),
    )
