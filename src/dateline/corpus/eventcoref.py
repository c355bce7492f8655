"""Cross-document event coreference: the same happening told by several articles becomes one entry.

Two event mentions are the same event when all of these hold:

1. **Same action**: equal action keys — the lemma reduced to a stem ("announcement" and "announce",
   "delivery" and "deliver", "funding" and "fund") or mapped to its class in
   `data/event_classes.txt` ("unveil" and "introduce", "buy" and "acquire").
2. **Compatible dates**: two dates of their own overlap (2007 holds 2007-10-25; 2007-10-25 and
   2007-10-26 do not); a mention dated only by its article ("reported on") goes with an own date
   that lies at most `REPORT_DAYS` before that article (any time before it when both name the same
   actor and the same target), or with another reported one whose article is at most
   `REPORT_DAYS` apart.
3. **Compatible participants**: where both name an actor (or both a target) that resolves to a
   corpus entity, it is the same one; and the same modality (a report of a plan is not the report
   of the deed), "reported" counting as "happened".
4. **Statements** (speech events with their quote) are the same only when the same speaker is
   quoted with mostly the same words (half of the content words shared).
5. **One article** tells an event twice on its own evidence only in its headline and its body:
   two mentions of one article are joined directly when one of them is in the headline; otherwise
   only inside a cluster that a mention from another article ties them to.

Clusters grow greedily in a fixed order (dated mentions first, finer dates first, then article
date, article, position): a mention joins the first cluster in which one member fits it by rules
1-5 and every member by rules 1-4 (complete link), so a chain of near matches never glues unlike
events together.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field

from dateline.corpus.dates import DateSpan
from dateline.corpus.text import terms, vocabulary

REPORT_DAYS = 14
QUOTE_OVERLAP = 0.5
_SUFFIXES = ("ations", "ation", "tions", "tion", "sions", "sion", "ments", "ment", "als", "al", "ures", "ure")
_ENDINGS = ("ing", "ies", "es", "s", "y", "e")
_SAME_AS_HAPPENED = {"reported": "happened"}


def stem(word: str) -> str:
    """A crude derivational stem: nominal suffixes, then inflection and a final -e or -y, off."""
    word = word.lower()
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            word = word[: -len(suffix)]
            break
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 4:
            return word[: -len(ending)]
    return word


@functools.cache
def _classes() -> dict[str, str]:
    """Stem of each class member -> stem of its class's first word."""
    table: dict[str, str] = {}
    for line in sorted(vocabulary("event_classes")):
        members = line.split()
        for member in members:
            for form in (member, member.replace("_", " ")):
                table.setdefault(stem(form), stem(members[0]))
    return table


def action_key(action: str) -> str:
    """What two actions must share to name the same happening."""
    text = " ".join(action.lower().replace("_", " ").split())
    classes = _classes()
    for form in (text, text.split(" ")[0] if text else text):
        if stem(form) in classes:
            return classes[stem(form)]
    return stem(text.split(" ")[0] if text else text)


@dataclass
class Mention:
    """One event mention, as coreference sees it."""

    key: int  # the caller's index of the mention
    document: str
    action: str
    date: DateSpan | None  # a date of its own (or derived); None when only the article dates it
    published: dt.date | None
    modality: str
    actor: str | None = None  # corpus entity ids
    target: str | None = None
    in_headline: bool = False
    speaker: str | None = None  # statements: who, and the words
    quote: str | None = None
    position: int = 0
    _terms: frozenset[str] | None = field(default=None, repr=False)

    @property
    def quote_terms(self) -> frozenset[str]:
        if self._terms is None:
            self._terms = frozenset(terms(self.quote or ""))
        return self._terms


def _dates_fit(a: Mention, b: Mention) -> bool:
    if a.date is not None and b.date is not None:
        return a.date.overlaps(b.date)
    if a.date is None and b.date is None:
        if a.published is None or b.published is None:
            return a.published == b.published
        return abs((a.published - b.published).days) <= REPORT_DAYS
    dated, reported = (a, b) if a.date is not None else (b, a)
    assert dated.date is not None
    if reported.published is None:
        return False
    gap = (reported.published - dated.date.last).days
    # who did it to whom, both known and the same, ties a later report to the event at any distance
    named = a.actor is not None and a.actor == b.actor and a.target is not None and a.target == b.target
    return gap >= 0 and (gap <= REPORT_DAYS or named)


def _same(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def compatible(a: Mention, b: Mention, within: bool = False) -> bool:
    """Whether two mentions can be the same event (rules 1-5 of the module's docstring).

    `within`: two mentions of one article may be (rule 5 left out), as members of a cluster that
    another article's mention ties together.
    """
    if action_key(a.action) != action_key(b.action):
        return False
    if _SAME_AS_HAPPENED.get(a.modality, a.modality) != _SAME_AS_HAPPENED.get(b.modality, b.modality):
        return False
    if not (_same(a.actor, b.actor) and _same(a.target, b.target)):
        return False
    if a.document == b.document and not (within or a.in_headline or b.in_headline):
        return False
    if (a.quote is None) != (b.quote is None):
        return False
    if a.quote is not None and b.quote is not None:
        if a.speaker != b.speaker:
            return False
        shared = len(a.quote_terms & b.quote_terms)
        smaller = min(len(a.quote_terms), len(b.quote_terms))
        if smaller == 0 or shared < QUOTE_OVERLAP * smaller:
            return False
    return _dates_fit(a, b)


def _order(m: Mention) -> tuple[int, int, str, str, int]:
    precision = {"time": 0, "day": 0, "week": 1, "month": 2, "year": 3}
    return (
        0 if m.date is not None else 1,
        precision[m.date.precision] if m.date is not None else 4,
        m.published.isoformat() if m.published else "9999",
        m.document,
        m.position,
    )


def cluster(mentions: Sequence[Mention]) -> list[list[Mention]]:
    """Groups of mentions of one event, each group in the order its members joined."""
    by_action: dict[str, list[Mention]] = defaultdict(list)
    for mention in sorted(mentions, key=_order):
        by_action[action_key(mention.action)].append(mention)
    groups: list[list[Mention]] = []
    for action in sorted(by_action):
        found: list[list[Mention]] = []
        for mention in by_action[action]:
            home = next(
                (
                    g
                    for g in found
                    if any(compatible(mention, m) for m in g) and all(compatible(mention, m, True) for m in g)
                ),
                None,
            )
            if home is None:
                found.append([mention])
            else:
                home.append(mention)
        groups += found
    return groups
