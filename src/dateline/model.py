"""The one data model of the whole flow: a `Document` and the facts found in it.

Every fact carries `start`/`end` character offsets into `Document.text`, so that
`text[start:end]` is the fact's own words.  Field names are a public contract
(see `schema/document.schema.json`): add fields, never rename them.

Each class and each field has a docstring (a string right under the field): they are
the descriptions of the JSON Schema (`dateline.schema`), so write them for readers of the JSON.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

SCHEMA = "dateline.document/2"
# Versions this one reads: /2 only added fields, so a /1 document reads with their defaults.
READABLE_SCHEMAS = ("dateline.document/1", SCHEMA)

QuoteKind = Literal["direct", "indirect", "mixed"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]
Modality = Literal["happened", "planned", "negated", "possible", "reported"]
MetadataSource = Literal[
    "json-ld",
    "meta",
    "microdata",
    "time",
    "byline",
    "text-header",
    "title",
    "h1",
    "url",
    "htmldate",
    "input",
    "crawl",
]
DateKind = Literal["published", "modified"]


@dataclass
class Span:
    """A stretch of the document's text."""

    start: int
    """Offset of its first character in `Document.text` (Unicode code points, from 0)."""
    end: int
    """Offset just past its last character: `text[start:end]` is its words."""
    text: str
    """Its words, exactly as they stand in `Document.text`."""


@dataclass
class Paragraph:
    """A paragraph of the cleaned text."""

    start: int
    """Offset of the paragraph's first character in `Document.text`."""
    end: int
    """Offset just past the paragraph's last character."""


@dataclass
class Mention(Span):
    """One place in the text where an entity is named (or referred to)."""


@dataclass
class Entity:
    """A person, organisation, place or other named thing, with every mention of it in this article."""

    id: str
    """Id of the entity within this document ("e0", "e1", ...)."""
    name: str
    """Its fullest name in the article ("Joe Biden" for "Biden", "he")."""
    type: str
    """spaCy entity label: PERSON, ORG, GPE, NORP, LOC, FAC, EVENT, ..."""
    mentions: list[Mention] = field(default_factory=list)
    """Where the article names it, in text order."""
    title: str | None = None
    """A role or title the article gives it ("U.S. President")."""
    aliases: list[str] = field(default_factory=list)
    """Other names the article uses for it."""


@dataclass
class Reference:
    """A participant named in the text (a speaker, an actor), resolved to an entity where possible."""

    name: str
    """The participant's name: the entity's fullest name when resolved, else the words themselves."""
    start: int
    """Offset of the words that name it here in `Document.text`."""
    end: int
    """Offset just past those words."""
    text: str
    """The words that name it here ("he", "the minister", "Biden")."""
    entity: str | None = None
    """Id of the entity it resolves to (`Entity.id`), or null."""


@dataclass
class Quote:
    """Something someone said or wrote, as the article reports it."""

    kind: QuoteKind
    """direct: verbatim, in quotation marks; indirect: paraphrase ("said that ..."); mixed: paraphrase with a quoted fragment."""
    text: str
    """The reported content, exactly as in `Document.text` (for direct quotes, without the quotation marks)."""
    start: int
    """Offset of the content's first character in `Document.text`."""
    end: int
    """Offset just past the content."""
    speaker: Reference | None = None
    """Who said it, resolved to an entity where possible."""
    cue: Span | None = None
    """The words that report the speech ("said", "according to")."""
    date: str | None = None
    """When it was said (ISO 8601 at its own precision), or null when the article does not say."""


@dataclass
class Time:
    """A time expression, normalized as TIMEX3 does ("Monday" → "2021-07-26")."""

    text: str
    """Its words, exactly as in `Document.text`."""
    start: int
    """Offset of its first character in `Document.text`."""
    end: int
    """Offset just past its last character."""
    type: TimeType
    """DATE, TIME, DURATION or SET (TIMEX3 types)."""
    value: str
    """TIMEX3 value: "2021-07-26", "2021-W30", "P3Y", "PRESENT_REF", "XXXX-07" when no year is known."""
    mod: str | None = None
    """TIMEX3 modifier: START, MID, END, BEFORE, AFTER, APPROX, ..."""
    anchored: bool = True
    """Whether a relative expression could be resolved to a calendar value."""
    anchor: str | None = None
    """The date a relative value was resolved against (the article's date or the narrative's reference time)."""


@dataclass
class Quantity:
    """A number with what it counts or measures ("about 2,500 troops")."""

    text: str
    """Its words, exactly as in `Document.text`."""
    start: int
    """Offset of its first character in `Document.text`."""
    end: int
    """Offset just past its last character."""
    value: float
    """The number itself (2500.0 for "2,500", 1.5e9 for "1.5 billion")."""
    unit: str | None = None
    """What is counted or measured: a currency code, a unit, or the counted noun ("troops")."""
    approximate: bool = False
    """Whether the text hedges the number ("about", "nearly", "more than")."""
    lower: float | None = None
    """Lower bound, for ranges and "more than" values."""
    upper: float | None = None
    """Upper bound, for ranges and "up to" values."""


@dataclass
class Event:
    """Something that happened, is planned, or is reported: who did what to whom, when and where."""

    text: str
    """The clause that states the event, exactly as in `Document.text`."""
    start: int
    """Offset of the clause's first character in `Document.text`."""
    end: int
    """Offset just past the clause."""
    trigger: Span
    """The word that names the event (a verb or an event noun)."""
    action: str
    """The trigger's lemma, with a particle where it has one ("pull out")."""
    modality: Modality = "happened"
    """happened, planned, negated, possible, or reported (someone's claim, see `reported_by`)."""
    type: str | None = None
    """PLOVER event type (ASSAULT, AGREE, ...), or null when no category fits."""
    actor: Reference | None = None
    """Who acts, resolved to an entity where possible."""
    target: Reference | None = None
    """Whom or what the action is directed at."""
    place: Reference | None = None
    """Where it happens."""
    date: str | None = None
    """When it happens, ISO 8601 at its own precision (2011, 2020-01, 2023-W46, 2021-07-26), or null."""
    date_derived: bool = False
    """Whether the date was derived from another event or time ("eight years after the invasion")."""
    date_mod: str | None = None
    """START, MID, END, BEFORE, AFTER ... of `date` ("by the end of the year")."""
    cameo: str | None = None
    """The CAMEO code the trigger corresponds to."""
    mode: str | None = None
    """The PLOVER mode ("withdraw", "visit", "explosives")."""
    actor_code: str | None = None
    """Actor's country and sector code: "USA GOV", "IRQ MIL", "--- REB"."""
    target_code: str | None = None
    """Target's country and sector code."""
    reported_by: Reference | None = None
    """Whose claim it is, when the event is reported speech."""
    quote: int | None = None
    """For a statement ("said", "told", "according to"): the index in `Document.quotes` of the quote it introduces, whose text is what was said; null for other events. A timeline shows such a statement once, with its quote."""


@dataclass
class Evidence:
    """One value a page gives for a metadata field, and where it gives it."""

    value: str
    """The value as read: an ISO 8601 date, one name, a title."""
    source: MetadataSource
    """Where it was found: json-ld (schema.org JSON-LD), meta (<meta> tags), microdata (itemprop attributes), time (a <time> element), byline (an author element or "By ..." line), text-header (a date or byline line above the article text), title (the <title> element), h1 (the page's headline element), url (the page's address), htmldate (htmldate's extensive search of the page), input (given by the caller), crawl (when the page was fetched)."""
    key: str | None = None
    """The exact place within the source: "datePublished", "article:published_time", "og:title", "rel=author"; null when the source has no keys."""


@dataclass
class FieldEvidence:
    """Where one metadata value of the document came from, how far to trust it, and what else the page said."""

    source: MetadataSource
    """Where the kept value was found (see `Evidence.source`)."""
    key: str | None = None
    """The exact place within that source ("datePublished", "og:title"), or null."""
    confidence: float = 0.0
    """How far to trust the value, from 0 to 1: the share of values read this way that were right on the tuning part of the metadata evaluation (docs/evaluation.md), higher when other sources agree."""
    agreeing: list[str] = field(default_factory=list)
    """Other sources that give the same value ("meta:og:title", "h1")."""
    alternatives: list[Evidence] = field(default_factory=list)
    """Different values other sources give for the field, best first: kept so that a reader can check the choice."""


@dataclass
class Metadata:
    """The evidence behind the document's metadata: no value without its source."""

    published: FieldEvidence | None = None
    """Where `Document.published` came from; null when the page gives no date."""
    published_kind: DateKind | None = None
    """Which date `Document.published` is: the publication date, or the last-modified date when the page gives no other."""
    authors: FieldEvidence | None = None
    """Where `Document.authors` came from; null when the page names no person as its author."""
    author_organizations: list[str] = field(default_factory=list)
    """Organisations the page names as its author (a news agency, a newsroom, a company): not people, so not in `authors`."""
    title: FieldEvidence | None = None
    """Where `Document.title` came from, with the site name removed from it where there was one."""
    publisher: FieldEvidence | None = None
    """Where `Document.publisher` came from."""


@dataclass
class Document:
    """One article: its cleaned text, its metadata, and every fact found in it."""

    id: str
    """Hash of the whitespace-normalized text: the same article read twice has the same id."""
    text: str
    """The cleaned article body; every fact's offsets point into it."""
    source: str | None = None
    """Where it was read from: a path, a WARC record, a feed item."""
    title: str | None = None
    """The article's headline."""
    published: str | None = None
    """Publication date and time, ISO 8601, in the page's own time zone where it gives one."""
    publisher: str | None = None
    """The site or organisation that published it."""
    authors: list[str] = field(default_factory=list)
    """Names of the people who wrote it."""
    language: str | None = None
    """ISO 639-1 code of the text's language ("en")."""
    url: str | None = None
    """The page's address, where known."""
    metadata: Metadata = field(default_factory=Metadata)
    """Where `published`, `authors`, `title` and `publisher` came from, how far to trust each, and what else the page said."""
    paragraphs: list[Paragraph] = field(default_factory=list)
    """The text's paragraphs, in order."""
    entities: list[Entity] = field(default_factory=list)
    """People, organisations, places ... named in the text, each with its mentions."""
    quotes: list[Quote] = field(default_factory=list)
    """Who said what, in text order."""
    times: list[Time] = field(default_factory=list)
    """Time expressions, normalized, in text order."""
    quantities: list[Quantity] = field(default_factory=list)
    """Numbers with what they count, in text order."""
    events: list[Event] = field(default_factory=list)
    """Events: who did what to whom, when and where, in text order."""
    warnings: list[str] = field(default_factory=list)
    """What could not be done for this document (one line each)."""
    schema: str = SCHEMA
    """The version of this format: "dateline.document/2"."""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        # schema first: readers can dispatch on it before reading the rest
        return {"schema": data.pop("schema"), **data}

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        if data.get("schema") not in READABLE_SCHEMAS:
            raise ValueError(f"not a {SCHEMA} document: schema is {data.get('schema')!r}")
        return _build(cls, {**data, "schema": SCHEMA})

    @classmethod
    def from_json(cls, raw: str) -> Document:
        return cls.from_dict(json.loads(raw))


def content_id(text: str) -> str:
    """Stable id of a document: a hash of its cleaned text, whitespace-normalized."""
    normalized = " ".join(text.split())
    return hashlib.sha256(normalized.encode("utf-8")).hexdigest()[:16]


T = TypeVar("T")


_FIELD_HINTS: dict[type, tuple[tuple[str, Any], ...]] = {}


def _field_hints(cls: type) -> tuple[tuple[str, Any], ...]:
    # resolving the annotations is far dearer than building the object: once per class
    if cls not in _FIELD_HINTS:
        hints = get_type_hints(cls)
        _FIELD_HINTS[cls] = tuple((f.name, hints[f.name]) for f in fields(cls))
    return _FIELD_HINTS[cls]


def _build(cls: type[T], data: dict[str, Any]) -> T:
    kwargs = {name: _convert(hint, data[name]) for name, hint in _field_hints(cls) if name in data}
    return cls(**kwargs)


def _convert(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = get_origin(hint)
    if origin is list:
        (item,) = get_args(hint)
        return [_convert(item, v) for v in value]
    if origin is not None and type(None) in get_args(hint):  # Optional[X]
        inner = [a for a in get_args(hint) if a is not type(None)]
        return _convert(inner[0], value) if len(inner) == 1 else value
    if isinstance(hint, type) and is_dataclass(hint):
        return _build(hint, value)
    return value
