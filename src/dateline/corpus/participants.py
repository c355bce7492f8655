"""Which events an entity takes part in, across articles: as actor, target, place or other participant.

The corpus keeps facts, not parses, so participation is read from the facts and the words:

* **Where the entity is named** in an article (`find`): the mentions of every article entity
  linked to the corpus entity; the entity's names written out where the article's NER missed them
  (a name inside a longer name of another entity does not count: "Airbus" in "Airbus A380"); and
  anaphora resolved to those: "he"/"she" to the nearest person, "it"/"its" and "the company"
  (the organisation nouns of `facts/data/speaker_words.tsv`) to the nearest organisation, first
  in the same sentence before the word, else in the sentence before; the subject-most (first)
  candidate wins.
* **How an event involves it** (`role`): its actor, target or place is one of those mentions (or
  resolves to a linked entity); or a mention lies inside the clause that states the event; or it
  is the possessor of an event noun ("Apple's announcement") or follows the trigger as its "with"
  or "against" argument ("signed a contract with Halvard"): a "participant".

Measured on the SemEval-2015 TimeLine trial set (the development set; events of the issue-15
branch), counting events of the target's gold timeline against the others: actor 64 right / 58
wrong, target 12 / 23, clause 1 / 4; a mention elsewhere in the sentence would add one right event
for nine wrong ones; a prepositional argument with any preposition ("of", "for", "to" ...) 2 / 20,
so only "with"/"against" stay (trial F1 0.255 with all prepositions, 0.266 with these two, 0.268
with none); "the actor's own phrase names it" ("welders at Halvard") 0 / 4, left out.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from dateline.facts.speakers import COMPATIBLE, KIND_OF_TYPE, speaker_pronouns, speaker_words
from dateline.model import Document, Event, Reference

Role = Literal["actor", "target", "place", "participant"]

_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+(?=[\"“'(\[]?[A-Z0-9])")
_POSSESSOR = re.compile(r"^['’]s?\s+(?:[\w-]+\s+){0,2}$")
# the trigger, at most three words (its object), "with" or "against", at most two words, the name:
# "signed a contract with Halvard", "filed a lawsuit against Apple" (a co-participant or opponent;
# "of", "for", "to", "on" ... tie too many events to names that only qualify them: see above)
_ARGUMENT = re.compile(r"^\s+(?:[\w-]+\s+){0,3}(?:with|against)\s+(?:[\w-]+\s+){0,2}$")
_ANAPHOR_WORD = re.compile(r"\b[A-Za-z]+\b")
# an organisation named by its kind: "the company", "the firm"
_DEFINITE_ORG = re.compile(r"\b[Tt]he\s+([a-z]+)\b")


@dataclass(frozen=True)
class Spot:
    """Where an entity is named or referred to in one article."""

    start: int
    end: int
    how: Literal["entity", "name", "anaphor"]


@dataclass
class Target:
    """What is being looked for in an article: its entities (ids in that article) and written names."""

    entity_ids: set[str] = field(default_factory=set)
    names: list[str] = field(default_factory=list)
    person: bool = False  # referred to as he/she rather than it


def sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence: paragraphs split at sentence-final punctuation before a capital."""
    spans: list[tuple[int, int]] = []
    at = 0
    for paragraph in text.split("\n\n"):
        begin = at
        for match in _SENTENCE_END.finditer(paragraph):
            spans.append((begin, at + match.start()))
            begin = at + match.end()
        if begin < at + len(paragraph):
            spans.append((begin, at + len(paragraph)))
        at += len(paragraph) + 2
    return spans


def _sentence_of(bounds: Sequence[tuple[int, int]], offset: int) -> int:
    for i, (start, end) in enumerate(bounds):
        if start <= offset < end + 1:
            return i
    return len(bounds) - 1


def _name_spots(document: Document, names: Iterable[str], taken: list[tuple[int, int, str]]) -> list[Spot]:
    """Written occurrences of the names, except inside the mention of another entity."""
    found: list[Spot] = []
    for name in sorted({n for n in names if n.strip()}, key=len, reverse=True):
        pattern = re.compile(r"(?<![\w-])" + re.escape(name) + r"(?![\w-])")
        for match in pattern.finditer(document.text):
            s, e = match.span()
            inside_other = any(ts <= s and e <= te and (ts, te) != (s, e) for ts, te, _ in taken)
            overlapping = any(f.start < e and s < f.end for f in found)
            if not inside_other and not overlapping:
                found.append(Spot(s, e, "name"))
    return found


def _kind(type_: str) -> str | None:
    return KIND_OF_TYPE.get(type_, "org" if type_ in ("FAC", "PRODUCT") else None)


def find(document: Document, target: Target) -> list[Spot]:
    """Every place in the article that names or refers to the target, in text order."""
    mentions = [(m.start, m.end, e.id) for e in document.entities for m in e.mentions]
    kinds = {e.id: _kind(e.type) for e in document.entities}
    spots = [Spot(s, e, "entity") for s, e, eid in mentions if eid in target.entity_ids]
    spots += [
        s for s in _name_spots(document, target.names, mentions) if not any(_overlap(s, t) for t in spots)
    ]
    own_kind = "person" if target.person else "org"
    # every mention an anaphor could take: the target's own (marked None) and other entities'
    candidates: list[tuple[int, int, str | None, str | None]] = [
        (s.start, s.end, None, own_kind) for s in spots
    ]
    candidates += [
        (s, e, eid, kinds.get(eid))
        for s, e, eid in mentions
        if eid not in target.entity_ids and not any(t.start < e and s < t.end for t in spots)
    ]
    candidates.sort(key=lambda c: (c[0], c[1]))
    bounds = sentences(document.text)
    spots += [
        Spot(s, e, "anaphor")
        for s, e, kind in _anaphors(document.text)
        if _antecedent(candidates, bounds, s, kind) == "target"
    ]
    return sorted(set(spots), key=lambda s: (s.start, s.end))


def _overlap(a: Spot, b: Spot) -> bool:
    return a.start < b.end and b.start < a.end


def _anaphors(text: str) -> Iterable[tuple[int, int, str]]:
    pronouns = speaker_pronouns()
    for match in _ANAPHOR_WORD.finditer(text):
        word = match.group(0).lower()
        kind = {"his": "person", "its": "thing", "their": "plural", "hers": "person"}.get(
            word, pronouns.get(word)
        )
        if kind in COMPATIBLE:
            yield match.start(), match.end(), kind
    nouns = speaker_words()
    for match in _DEFINITE_ORG.finditer(text):
        if nouns.get(match.group(1)) == "org":
            yield match.start(), match.end(), "thing"


def _antecedent(
    candidates: list[tuple[int, int, str | None, str | None]],
    bounds: Sequence[tuple[int, int]],
    at: int,
    kind: str,
) -> str | None:
    """ "target" when the anaphor at `at` stands for the target, else None."""
    wanted = COMPATIBLE[kind]
    here = _sentence_of(bounds, at)
    for sentence in (here, here - 1):
        if sentence < 0:
            break
        start, end = bounds[sentence]
        stop = at if sentence == here else end
        fitting = [c for c in candidates if start <= c[0] and c[1] <= stop and c[3] in wanted]
        if fitting:
            return "target" if fitting[0][2] is None else None
    return None


def _refers(ref: Reference | None, target: Target, spots: list[Spot]) -> bool:
    if ref is None:
        return False
    if ref.entity is not None and ref.entity in target.entity_ids:
        return True
    return any(s.start < ref.end and ref.start < s.end for s in spots)


def role(event: Event, document: Document, target: Target, spots: list[Spot]) -> Role | None:
    """How the event involves the target, or None when it does not."""
    for name, ref in (("actor", event.actor), ("target", event.target), ("place", event.place)):
        if _refers(ref, target, spots):
            return name  # type: ignore[return-value]
    text = document.text
    trigger = event.trigger
    for spot in spots:
        if event.start <= spot.start and spot.end <= event.end:
            return "participant"
        if spot.end <= trigger.start and _POSSESSOR.match(text[spot.end : trigger.start]):
            return "participant"
        if trigger.end <= spot.start and _ARGUMENT.match(text[trigger.end : spot.start]):
            return "participant"
    return None
