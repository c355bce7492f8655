"""Articles longer than spaCy's `max_length`, analysed in windows and joined into one set of facts.

A window is cut at a paragraph boundary, preferably one where no quotation is open, so that
a quote running over several paragraphs stays in one window.  Each window after the first
also reads a little of the text before it (`CONTEXT`): a "he said" at the top of a window
still finds its speaker, and the facts found twice there are the joints between windows:

* a fact of the later window that starts in that context and ends in its own part crosses
  the cut: the later window saw it whole, the earlier one cut short, so the later one's is
  kept and the earlier one's dropped;
* an entity of the later window that has a mention in the context is the entity the earlier
  window found there; one without is joined by name (same type and name or alias, or for a
  person a first name or surname of a fuller name seen before).

Facts keep offsets into the whole text.  Everything here is linear in the text's length.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, is_dataclass, replace
from typing import Any

from dateline.model import Entity, Mention

# Left context of a window: this many paragraphs before its own part, at most CONTEXT_CHARS
# characters and a quarter of the window.
CONTEXT_PARAGRAPHS = 2
CONTEXT_CHARS = 5000

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"\n\s*")
_SENTENCE = re.compile(r"(?<=[.!?\u201d\"])\s+")
_SPACE = re.compile(r"\s+")
_OPENING = "\u201c"
_CLOSING = "\u201d"

FACT_LISTS = ("quotes", "times", "quantities", "events")


@dataclass(frozen=True)
class Window:
    """A stretch of the text analysed at once: `text[start:end]`, whose facts from `own` on are its own."""

    start: int
    own: int
    end: int


def _quote_open_after(paragraph: str) -> bool:
    """Whether a quotation opened in this paragraph runs on past its end (the next one continues it)."""
    curly = paragraph.count(_OPENING) > paragraph.count(_CLOSING)
    return curly or paragraph.count('"') % 2 == 1


def _boundaries(text: str) -> tuple[list[int], set[int]]:
    """Paragraph starts (after the first) and, of those, the ones where no quotation is open."""
    starts: list[int] = []
    closed: set[int] = set()
    previous = 0
    for match in _PARAGRAPH.finditer(text):
        if match.end() >= len(text):
            break
        starts.append(match.end())
        if not _quote_open_after(text[previous : match.start()]):
            closed.add(match.end())
        previous = match.end()
    return starts, closed


def _last_before(candidates: Sequence[int], low: int, high: int) -> int | None:
    """The largest candidate in (low, high], by bisection (candidates are sorted)."""
    lo, hi = 0, len(candidates)
    while lo < hi:
        mid = (lo + hi) // 2
        if candidates[mid] <= high:
            lo = mid + 1
        else:
            hi = mid
    return candidates[lo - 1] if lo and candidates[lo - 1] > low else None


def _cut_inside(text: str, low: int, high: int) -> int:
    """Where to end a window in (low, high] when no paragraph boundary is there: a line, sentence, space."""
    stretch = text[low:high]
    for pattern in (_LINE, _SENTENCE, _SPACE):
        ends = [m.end() for m in pattern.finditer(stretch) if 0 < m.end() < len(stretch)]
        if ends:
            return low + ends[-1]
    return high


def windows(text: str, limit: int) -> list[Window]:
    """Windows of at most `limit` characters (context included) that together cover `text`."""
    if len(text) <= limit:
        return [Window(0, 0, len(text))]
    starts, closed = _boundaries(text)
    closed_starts = [s for s in starts if s in closed]
    context_cap = min(CONTEXT_CHARS, limit // 4)
    found: list[Window] = []
    start = own = 0
    while True:
        high = start + limit
        if high >= len(text):
            found.append(Window(start, own, len(text)))
            return found
        # a cut where no quote is open, unless that would leave the window less than half used
        half = own + (high - own) // 2
        end = _last_before(closed_starts, half, high) or _last_before(starts, own, high)
        if end is None:
            end = _cut_inside(text, own, high)
        found.append(Window(start, own, end))
        own = end
        start = _context_start(text, starts, own, context_cap)


def _context_start(text: str, starts: Sequence[int], own: int, cap: int) -> int:
    """Start of the left context of a window whose own part begins at `own`."""
    earliest = own - cap
    start = own
    for _ in range(CONTEXT_PARAGRAPHS):
        before = _last_before(starts, earliest - 1, start - 1)
        if before is None:
            break
        start = before
    if start == own and own > 0 and cap > 0:
        # no paragraph start close enough: the last sentences before the cut
        start = _cut_inside(text, earliest, own - 1) if own - 1 > earliest else own
    return start


def _objects(fact: Any, seen: set[int]) -> Iterator[Any]:
    """A fact and every dataclass inside it (spans, references, mentions), each once.

    Facts share objects (an event's `reported_by` is the quote's `speaker`): each is visited once.
    """
    if not is_dataclass(fact) or isinstance(fact, type) or id(fact) in seen:
        return
    seen.add(id(fact))
    yield fact
    for f in fields(fact):
        value = getattr(fact, f.name)
        for item in value if isinstance(value, list) else [value]:
            yield from _objects(item, seen)


def shift(facts: Iterable[Any], by: int) -> None:
    """Add `by` to every `start`/`end` in the facts, their spans and references (in place)."""
    seen: set[int] = set()
    for fact in facts:
        for obj in _objects(fact, seen):
            for name in ("start", "end"):
                value = getattr(obj, name, None)
                if isinstance(value, int):
                    setattr(obj, name, value + by)


def _relink(facts: Iterable[Any], entities: dict[str, Entity | None]) -> None:
    """Point every reference at its joined entity (window entity id → joined entity), in place.

    A resolved reference carries its entity's fullest name: the joined one's, which may be fuller.
    """
    seen: set[int] = set()
    for fact in facts:
        for obj in _objects(fact, seen):
            if isinstance(getattr(obj, "entity", None), str):
                joined = entities.get(obj.entity)
                obj.entity = joined.id if joined is not None else None
                if joined is not None:
                    obj.name = joined.name


def _parts(name: str) -> list[str]:
    """A name's proper first and last words ("joe", "biden", for "Joe Biden"): its shorter names."""
    words = name.lower().split()
    return [" ".join(words[:n]) for n in range(1, len(words))] + [
        " ".join(words[n:]) for n in range(1, len(words))
    ]


def _names(entity: Entity) -> list[str]:
    return [entity.name.lower(), *(a.lower() for a in entity.aliases)]


def _weight(name: str) -> tuple[int, int]:
    return len(name.split()), len(name)


class _Entities:
    """The entities joined so far, indexed by the places of their mentions and by their names."""

    def __init__(self) -> None:
        self.items: list[Entity] = []
        self.at: dict[tuple[int, int], Entity] = {}
        self.named: dict[tuple[str, str], Entity] = {}  # (type, name or alias) → latest entity so named
        self.part_of: dict[str, Entity] = {}  # a person's shorter name → latest person with that fuller name
        self.seen: dict[int, int] = {}  # id(entity) → start of its latest mention

    def find(self, entity: Entity, own: int) -> Entity | None:
        """The joined entity this window's entity is: by a mention seen before, else by name."""
        for m in entity.mentions:
            if m.start < own and (m.start, m.end) in self.at:
                return self.at[(m.start, m.end)]
        found = [self.named.get((entity.type, n)) for n in _names(entity)]
        if entity.type == "PERSON":
            found.append(self.part_of.get(entity.name.lower()))  # "Biden" after "Joe Biden"
            found += [self.named.get(("PERSON", p)) for p in _parts(entity.name)]  # and the other way
        candidates = [e for e in found if e is not None]
        return max(candidates, key=lambda e: self.seen[id(e)]) if candidates else None

    def add(self, entity: Entity, mentions: list[Mention]) -> Entity:
        joined = replace(entity, mentions=[], aliases=list(entity.aliases))
        self.items.append(joined)
        self.seen[id(joined)] = -1
        self._take(joined, mentions)
        return joined

    def merge(self, into: Entity, other: Entity, mentions: list[Mention]) -> None:
        if _weight(other.name) > _weight(into.name):
            into.name, other_name = other.name, into.name
        else:
            other_name = other.name
        names = [*into.aliases, *other.aliases, other_name]
        into.aliases = list(dict.fromkeys(n for n in names if n != into.name))
        into.title = into.title or other.title
        self._take(into, mentions)

    def _take(self, into: Entity, mentions: list[Mention]) -> None:
        for m in mentions:
            if (m.start, m.end) not in self.at:
                into.mentions.append(m)
                self.at[(m.start, m.end)] = into
        if into.mentions:
            self.seen[id(into)] = max(self.seen[id(into)], into.mentions[-1].start)
        for n in _names(into):
            self.named[(into.type, n)] = into
        if into.type == "PERSON":
            for p in _parts(into.name):
                self.part_of[p] = into

    def drop_after(self, start: int) -> None:
        """Forget mentions ending after `start`: a mention of the next window crossing the cut replaces them."""
        for e in self.items:
            kept = [m for m in e.mentions if m.end <= start]
            for m in e.mentions[len(kept) :]:
                self.at.pop((m.start, m.end), None)
            e.mentions = kept

    def numbered(self) -> list[Entity]:
        """Entities with mentions, in order of first mention, numbered "e1", "e2", ... as in one window."""
        kept = [e for e in self.items if e.mentions]
        for e in kept:
            e.mentions.sort(key=lambda m: (m.start, m.end))
        kept.sort(key=lambda e: (e.mentions[0].start, e.mentions[0].end))
        for n, e in enumerate(kept, 1):
            e.id = f"e{n}"
        return kept


def _crossing(facts: Iterable[Any], own: int) -> int | None:
    """Start of the first fact that begins before the cut and ends after it, if any."""
    starts = [f.start for f in facts if f.start < own < f.end]
    return min(starts) if starts else None


def join(parts: Iterable[tuple[Window, dict[str, list[Any]]]]) -> dict[str, list[Any]]:
    """The facts of the whole text from the facts of each window (offsets relative to each window)."""
    entities = _Entities()
    joined: dict[str, list[Any]] = {kind: [] for kind in FACT_LISTS}
    linked: list[tuple[list[Any], dict[str, Entity | None]]] = []
    statements: list[tuple[Any, Any]] = []  # (event, the quote it introduces), its index is the window's
    for window, facts in parts:
        own = window.own
        shift([f for kind in ("entities", *FACT_LISTS) for f in facts.get(kind, [])], window.start)
        quotes = facts.get("quotes", [])
        statements.extend(
            (e, quotes[e.quote])
            for e in facts.get("events", [])
            if e.quote is not None and e.quote < len(quotes)
        )
        found = facts.get("entities", [])
        first = _crossing((m for e in found for m in e.mentions), own)
        if first is not None:
            entities.drop_after(first)
        local: dict[str, Entity | None] = {}
        for entity in found:
            mentions = [m for m in entity.mentions if m.end > own]
            target = entities.find(entity, own) if own else None
            if target is not None:
                entities.merge(target, entity, mentions)
            elif mentions:
                target = entities.add(entity, mentions)
            local[entity.id] = target
        window_facts: list[Any] = []
        for kind in FACT_LISTS:
            kept = [f for f in facts.get(kind, []) if f.end > own]
            first = _crossing(kept, own)
            if first is not None:
                joined[kind] = [f for f in joined[kind] if f.end <= first]
            joined[kind].extend(kept)
            window_facts.extend(kept)
        linked.append((window_facts, local))
    # an event's quote is an index into the whole text's quotes now: found by the quote's span (a
    # quote in a window's context is the one the window before found there)
    index: dict[tuple[int, int], int] = {}
    for n, quote in enumerate(joined["quotes"]):
        index.setdefault((quote.start, quote.end), n)
    for event, quote in statements:
        event.quote = index.get((quote.start, quote.end))
    numbered = entities.numbered()
    for window_facts, local in linked:
        _relink(window_facts, {old: e if e is not None and e.mentions else None for old, e in local.items()})
    return {"entities": numbered, **joined}
