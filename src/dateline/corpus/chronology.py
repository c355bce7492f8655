"""The corpus timeline: an entity's (or a story's) events from many articles, merged, dated, ordered.

1. **Which articles**: a story's members; for an entity, the canonical articles linked to the corpus
   entities its name matches (`matching_entities`) or that write one of its names (`name_forms`).
   In each, the entity is the article's entities linked to those that the article itself calls by
   one of the names (`_called`) and that hold the names of one thing only (`_one_thing`), and the
   names as written.
2. **Which events**: every event of those articles; for an entity, the ones it takes part in
   (`participants.role`: actor, target, place or other participant).
3. **When**: the event's own date at its own precision (`date_source` "own", or "derived" when the
   facts derived it from another time); else "relative": after or before a dated event of the same
   sentence that "after"/"before" introduces ("the yard reopened after the strike ended on
   Monday"), or, in a sentence that opens with "Then", "Later", "Afterwards" ..., after the last
   dated event before it in the article (`date_mod` AFTER/BEFORE, the other event's date); else the
   article's date, marked "reported_on" (with `date_mod` AFTER for a planned event: it lies after
   the report).  Nothing takes the article's date unmarked.
4. **Once**: mentions of the same event are merged (`eventcoref`): one entry listing every source
   and the offsets of its words.  A speech event is shown as the statement, with what was said.
5. **In order**: by the date at its own precision (`dates.sort_key`: a year before the days inside
   it), own dates before relative ones before reported ones on the same key, then by article date
   and position.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb

from dateline.corpus import dates, eventcoref, participants
from dateline.corpus.connect import Database, connection
from dateline.corpus.entities import PERSON_TYPES, acronym, name_key
from dateline.corpus.queries import Source, find_entities
from dateline.corpus.text import vocabulary, words
from dateline.model import Document, Entity, Event, Quote

DateSource = Literal["own", "derived", "relative", "reported_on"]
SUMMARY_CHARS = 240
_SEQUENCE = re.compile(
    r"^(?:then|later|afterwards|afterward|subsequently|next|after that|soon after|shortly after)\b", re.I
)
_CONNECTIVE = re.compile(r"\b(?:after|before|following|ahead of)\b", re.I)
# own dates before relative ones before the article's date on the same day (then undated)
SOURCE_RANK = {"own": 0, "derived": 0, "relative": 1, "reported_on": 2, None: 3}
# words that name the kind of an organisation: "China Eastern" is "China Eastern Airlines"
_DESIGNATORS = vocabulary("designators")


@dataclass(kw_only=True)
class TimelineEntry:
    """One happening on a timeline, with every article (and the words in it) that reports it.

    Built by keyword; the fields before issue 20 (date, date_from, action, text, modality, type,
    actor, target, place, sources) still build one alone, the newer ones taking empty defaults.
    """

    id: str = ""
    date: str | None
    precision: dates.Precision | None = None
    date_source: DateSource | None = None
    date_mod: str | None = None
    when: str = ""
    """The date as a reader says it, where it came from marked: "2011", "end of 2021", "2024-03-05 (reported on)"."""
    modality: str
    summary: str = ""
    action: str
    type: str | None
    actor: str | None
    target: str | None
    place: str | None
    text: str
    date_from: Literal["event", "published", "none"]
    role: participants.Role | None = None
    quote: str | None = None
    entities: list[str] = field(default_factory=list)
    sources: list[Source] = field(default_factory=list)


@dataclass
class _Sighting:
    """One event mention of one article, with what the timeline needs of it."""

    document: Document
    index: int
    event: Event
    role: participants.Role | None
    date: str | None
    date_source: DateSource | None
    date_mod: str | None
    quote: Quote | None
    corpus: dict[str, str | None]  # role (actor, target, place, speaker) -> corpus entity id


def name_forms(name: str) -> list[str]:
    """A name as written and its shorter forms that still name the same thing, as written.

    A shorter form is an end of the name of two words or more ("787 Dreamliner", "Apple Corps"), a
    one-word end that looks like a name of its own (a digit or an inner capital: "A380", "iPod";
    never a common word such as "Force"), or the name without the last word when that word names
    the organisation's kind ("China Eastern" for "China Eastern Airlines", `data/designators.txt`).
    """
    written = name.split()
    forms = [" ".join(written)]
    for i in range(1, len(written)):
        end = written[i:]
        if len(end) > 1 or _looks_like_a_name(end[0]):
            forms.append(" ".join(end))
    if len(written) > 2 and written[-1].lower() in _DESIGNATORS:
        forms.append(" ".join(written[:-1]))
    return [f for f in dict.fromkeys(forms) if words(f)]


def _looks_like_a_name(word: str) -> bool:
    return any(c.isdigit() for c in word) or any(c.isupper() for c in word[1:])


def matching_entities(con: duckdb.DuckDBPyConnection, name: str) -> dict[str, str]:
    """Corpus entities a name stands for: `find_entities`, and those called by one of its `name_forms`."""
    found = dict(find_entities(con, name))
    wanted = {tuple(words(f)) for f in name_forms(name)}
    rows = con.execute("SELECT id, name, aliases FROM corpus_entities ORDER BY id").fetchall()
    for entity, canonical, aliases in rows:
        if any(tuple(words(candidate)) in wanted for candidate in (canonical, *aliases)):
            found.setdefault(entity, canonical)
    return found


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def _one_thing(entity: Entity) -> bool:
    """Whether an article's entity holds names of one thing: each name inside its name, or its acronym.

    "Apple Corps" joined to "Apple Computer" in one article is another thing; "Jobs" and "Steve"
    of "Steve Jobs", or "EADS" of "European Aeronautic Defence and Space Company", are not.
    """
    full = name_key(entity.name, entity.type)
    # an acronym may leave out the word that says what kind of organisation it is
    initials = {acronym(full), acronym(full[:-1]) if full and full[-1] in _DESIGNATORS else ""}
    for alias in entity.aliases:
        key = name_key(alias, entity.type)
        if not key or _inside(key, full) or _inside(full, key) or (len(key) == 1 and key[0] in initials):
            continue
        return False
    return True


def _called(entity: Entity, forms: list[str]) -> bool:
    """Whether an article calls its entity by one of the forms (a one-word form: as its last word).

    A corpus entity can hold names of several things when the entity facts joined them wrongly; an
    article's entity stands for the asked-for one only where the article itself uses its name.
    """
    keys = {name_key(f, entity.type) for f in forms}
    single = {k[0] for k in keys if len(k) == 1}
    # a person is also called by the surname alone ("Jobs" for "Steve Jobs")
    surnames = {k[-1] for k in keys if k} if entity.type in PERSON_TYPES else set()
    for written in (entity.name, *entity.aliases):
        key = name_key(written, entity.type)
        if key in keys or (key and key[-1] in single) or (len(key) == 1 and key[0] in surnames):
            return True
    return False


def _documents(
    con: duckdb.DuckDBPyConnection, ids: dict[str, str], names: list[str], story: str | None
) -> list[Document]:
    where = ["d.duplicate_of IS NULL"]
    params: list[Any] = []
    if story is not None:
        where.append("d.id IN (SELECT document_id FROM story_members WHERE story_id = ?)")
        params.append(story)
    if names:
        written = " OR ".join("contains(d.text, ?)" for _ in names)
        where.append(
            f"(d.id IN (SELECT document_id FROM entity_links WHERE corpus_entity_id IN (SELECT unnest(?))) "
            f"OR {written})"
        )
        params += [list(ids), *names]
    rows = con.execute(
        f"SELECT d.document FROM documents d WHERE {' AND '.join(where)} ORDER BY d.published NULLS LAST, d.id",
        params,
    ).fetchall()
    return [Document.from_json(row[0]) for row in rows]


def _links(con: duckdb.DuckDBPyConnection, documents: list[str]) -> dict[tuple[str, str], str]:
    rows = con.execute(
        "SELECT document_id, entity_id, corpus_entity_id FROM entity_links WHERE document_id IN (SELECT unnest(?))",
        [documents],
    ).fetchall()
    return {(d, e): c for d, e, c in rows}


def _statement(document: Document, event: Event) -> Quote | None:
    """The quote a speech event reports: the one whose cue is the event's trigger."""
    index = getattr(event, "quote", None)
    if isinstance(index, int) and 0 <= index < len(document.quotes):
        return document.quotes[index]
    for quote in document.quotes:
        if quote.cue is not None and (quote.cue.start, quote.cue.end) == (
            event.trigger.start,
            event.trigger.end,
        ):
            return quote
    return None


def _published_day(document: Document) -> str | None:
    value = document.published or ""
    return value[:10] if dates.span(value[:10]) else None


def _connected(document: Document, event: Event, sentence: tuple[int, int]) -> tuple[str, str] | None:
    """(date, AFTER|BEFORE) from a dated event of the same sentence that "after"/"before" introduces.

    "The yard reopened after the strike ended on Monday", "Before the vote on 3 May, the union
    met": the connective comes before the dated event's trigger, with no other event's trigger
    between them outside that event's clause.
    """
    text = document.text
    for other in document.events:
        if other is event or not (other.date and dates.span(other.date)) or other.date_derived:
            continue
        if not sentence[0] <= other.trigger.start < sentence[1] + 1:
            continue
        head = text[sentence[0] : other.trigger.start]
        found = list(_CONNECTIVE.finditer(head))
        if not found:
            continue
        at = sentence[0] + found[-1].start()
        # triggers between the connective and the dated event, outside its clause ("the strike ended")
        between = [
            e
            for e in document.events
            if at < e.trigger.start < other.trigger.start and not other.start <= e.trigger.start < other.end
        ]
        if between or at <= event.trigger.start < other.trigger.start:
            continue
        return other.date, "AFTER" if found[-1].group(0).lower() in ("after", "following") else "BEFORE"
    return None


def date_of(
    document: Document, event: Event, previous: str | None, bounds: list[tuple[int, int]]
) -> tuple[str | None, DateSource | None, str | None]:
    """(date, date_source, date_mod) of an event as a timeline shows it (rule 3 of the module's docstring).

    `previous` is the last own date of an event before it in the article; `bounds` the sentences.
    """
    if event.date and dates.span(event.date):
        return event.date, "derived" if event.date_derived else "own", event.date_mod
    sentence = next(((s, e) for s, e in bounds if s <= event.trigger.start < e + 1), None)
    if sentence is not None:
        related = _connected(document, event, sentence)
        if related is not None:
            return related[0], "relative", related[1]
    if previous and sentence is not None and _SEQUENCE.match(document.text[sentence[0] :]):
        return previous, "relative", "AFTER"
    day = _published_day(document)
    if day is None:
        return None, None, None
    return day, "reported_on", "AFTER" if event.modality == "planned" else None


def _sightings(
    documents: list[Document],
    links: dict[tuple[str, str], str],
    matched: dict[str, str],
    name: str | None,
) -> list[_Sighting]:
    found: list[_Sighting] = []
    forms = name_forms(name) if name else []
    for document in documents:
        own = [
            e for e in document.entities if links.get((document.id, e.id)) in matched and _called(e, forms)
        ]
        target = participants.Target(
            entity_ids={e.id for e in own}, names=forms, person=any(e.type == "PERSON" for e in own)
        )
        spots = participants.find(document, target) if name else []
        bounds = participants.sentences(document.text)
        previous: str | None = None
        for index, event in enumerate(document.events):
            role = participants.role(event, document, target, spots) if name else None
            date_value, source, mod = date_of(document, event, previous, bounds)
            if source in ("own", "derived"):
                previous = date_value
            if name and role is None:
                continue
            quote = _statement(document, event)
            refs = (
                ("actor", event.actor),
                ("target", event.target),
                ("place", event.place),
                ("speaker", quote.speaker if quote is not None else None),
            )
            corpus = {
                r: links.get((document.id, ref.entity)) if ref and ref.entity else None for r, ref in refs
            }
            found.append(_Sighting(document, index, event, role, date_value, source, mod, quote, corpus))
    return found


def _in_headline(document: Document, event: Event) -> bool:
    """Whether the event is told in the headline, where the text opens with it."""
    first = document.paragraphs[0] if document.paragraphs else None
    return (
        first is not None
        and bool(document.title)
        and document.text[first.start : first.end] == document.title
        and event.trigger.start < first.end
    )


def _mention(key: int, s: _Sighting) -> eventcoref.Mention:
    own = dates.span(s.date) if s.date_source in ("own", "derived", "relative") else None
    published = dates.span(_published_day(s.document))
    speaker = None
    if s.quote is not None and s.quote.speaker is not None:
        speaker = s.corpus.get("speaker") or " ".join(name_key(s.quote.speaker.name, "PERSON"))
    return eventcoref.Mention(
        key=key,
        document=s.document.id,
        action=s.event.action,
        date=own,
        published=published.first if published else None,
        modality=s.event.modality,
        actor=s.corpus["actor"],
        target=s.corpus["target"],
        in_headline=_in_headline(s.document, s.event),
        speaker=speaker,
        quote=s.quote.text if s.quote is not None else None,
        position=s.event.trigger.start,
    )


def _summary(s: _Sighting) -> str:
    if s.quote is not None:
        who = s.quote.speaker.name if s.quote.speaker else (s.event.actor.name if s.event.actor else "")
        cue = s.quote.cue.text if s.quote.cue else "said"
        said = f"“{s.quote.text}”" if s.quote.kind == "direct" else s.quote.text
        text = f"{who} {cue}: {said}".strip()
    else:
        text = s.event.text
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def _source(s: _Sighting) -> Source:
    d = s.document
    return Source(
        d.id,
        d.title,
        d.published,
        d.url,
        d.source,
        fact=f"event-{s.index}",
        start=s.event.start,
        end=s.event.end,
        text=s.event.text,
    )


def _name(s: _Sighting, role: str, names: dict[str, str]) -> str | None:
    ref = getattr(s.event, role)
    linked = s.corpus.get(role)
    if linked is not None and linked in names:
        return names[linked]
    return ref.name if ref is not None else None


def _entry(group: list[_Sighting], names: dict[str, str]) -> TimelineEntry:
    first = group[0]
    ordered = sorted(group, key=lambda s: (s.document.published or "9999", s.document.id, s.event.start))
    e = first.event
    ident = hashlib.sha1(f"{ordered[0].document.id}|event-{ordered[0].index}".encode()).hexdigest()[:12]
    involved = sorted({c for s in group for c in s.corpus.values() if c})
    return TimelineEntry(
        id="T" + ident,
        date=first.date,
        precision=dates.precision(first.date),
        date_source=first.date_source,
        date_mod=first.date_mod,
        when=dates.describe(first.date, first.date_mod, first.date_source),
        modality=e.modality,
        summary=_summary(first),
        action=e.action,
        type=e.type,
        actor=_name(first, "actor", names),
        target=_name(first, "target", names),
        place=_name(first, "place", names),
        text=e.text,
        date_from="event"
        if first.date_source in ("own", "derived")
        else ("published" if first.date else "none"),
        role=first.role,
        quote=first.quote.text if first.quote is not None else None,
        entities=involved,
        sources=[_source(s) for s in ordered],
    )


def _order(entry: TimelineEntry) -> tuple[Any, ...]:
    first = entry.sources[0] if entry.sources else None
    return (
        entry.date is None,
        dates.sort_key(entry.date, entry.date_mod),
        SOURCE_RANK[entry.date_source],
        (first.published or "9999") if first else "9999",
        first.document_id if first else "",
        first.start if first else 0,
    )


def timeline(db: Database, entity: str | None = None, story: str | None = None) -> list[TimelineEntry]:
    """Events across articles in date order, one entry per happening with every mention that reports it."""
    con = connection(db)
    matched = matching_entities(con, entity) if entity else {}
    forms = name_forms(entity) if entity else []
    documents = _documents(con, matched, forms, story)
    if not documents:
        return []
    links = _links(con, [d.id for d in documents])
    names = dict(con.execute("SELECT id, name FROM corpus_entities").fetchall())
    sightings = _sightings(documents, links, matched, entity)
    mentions = [_mention(i, s) for i, s in enumerate(sightings)]
    groups = eventcoref.cluster(mentions)
    entries = [_entry([sightings[m.key] for m in group], names) for group in groups]
    return sorted(entries, key=_order)


def as_dict(entry: TimelineEntry) -> dict[str, Any]:
    """The JSON form of an entry (the contract in docs/corpus.md)."""
    from dataclasses import asdict

    return asdict(entry)
