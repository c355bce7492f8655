"""The one data model of the whole flow: a `Document` and the facts found in it.

Every fact carries `start`/`end` character offsets into `Document.text`, so that
`text[start:end]` is the fact's own words.  Field names are a public contract
(see `schema/document.schema.json`): add fields, never rename them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, field, fields, is_dataclass
from typing import Any, Literal, TypeVar, get_args, get_origin, get_type_hints

SCHEMA = "dateline.document/1"

QuoteKind = Literal["direct", "indirect", "mixed"]
TimeType = Literal["DATE", "TIME", "DURATION", "SET"]
Modality = Literal["happened", "planned", "negated", "possible", "reported"]


@dataclass
class Span:
    """A stretch of the document's text."""

    start: int
    end: int
    text: str


@dataclass
class Paragraph:
    start: int
    end: int


@dataclass
class Mention(Span):
    pass


@dataclass
class Entity:
    id: str
    name: str
    type: str
    mentions: list[Mention] = field(default_factory=list)
    title: str | None = None
    aliases: list[str] = field(default_factory=list)


@dataclass
class Reference:
    """A participant named in the text (a speaker, an actor), resolved to an entity where possible."""

    name: str
    start: int
    end: int
    text: str
    entity: str | None = None


@dataclass
class Quote:
    kind: QuoteKind
    text: str
    start: int
    end: int
    speaker: Reference | None = None
    cue: Span | None = None
    date: str | None = None


@dataclass
class Time:
    text: str
    start: int
    end: int
    type: TimeType
    value: str
    mod: str | None = None
    anchored: bool = True
    # the date a relative value was resolved against (creation time or narrative reference time)
    anchor: str | None = None


@dataclass
class Quantity:
    text: str
    start: int
    end: int
    value: float
    unit: str | None = None
    approximate: bool = False
    lower: float | None = None
    upper: float | None = None


@dataclass
class Event:
    text: str
    start: int
    end: int
    trigger: Span
    action: str
    modality: Modality = "happened"
    type: str | None = None
    actor: Reference | None = None
    target: Reference | None = None
    place: Reference | None = None
    date: str | None = None
    date_derived: bool = False
    date_mod: str | None = None  # START, MID, END ... of `date` ("by the end of the year")
    cameo: str | None = None  # the CAMEO code the trigger corresponds to
    mode: str | None = None  # the PLOVER mode ("withdraw", "visit", "explosives")
    actor_code: str | None = None  # country and sector: "USA GOV", "IRQ MIL", "--- REB"
    target_code: str | None = None
    reported_by: Reference | None = None  # whose claim it is, when the event is reported speech


@dataclass
class Document:
    id: str
    text: str
    source: str | None = None
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    language: str | None = None
    url: str | None = None
    paragraphs: list[Paragraph] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    quotes: list[Quote] = field(default_factory=list)
    times: list[Time] = field(default_factory=list)
    quantities: list[Quantity] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    schema: str = SCHEMA

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        # schema first: readers can dispatch on it before reading the rest
        return {"schema": data.pop("schema"), **data}

    def to_json(self, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=indent)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        if data.get("schema") != SCHEMA:
            raise ValueError(f"not a {SCHEMA} document: schema is {data.get('schema')!r}")
        return _build(cls, data)

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
