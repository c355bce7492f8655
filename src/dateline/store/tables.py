"""Relational layout of the data model, derived from the dataclasses so the two never drift.

Each fact kind is one table keyed by `document_id`; a nested participant
(`speaker`, `cue`, `actor`, ...) becomes prefixed columns (`speaker_name`),
and the entity mentions get a table of their own.  `TABLES` gives, for every
table, its columns and the rows of one document: the DuckDB store and the
Spark job (`dateline.spark`) both write exactly these.
"""

from __future__ import annotations

import functools
import json
import types
from dataclasses import asdict, dataclass, fields, is_dataclass
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from dateline.model import Document, Entity, Event, Mention, Quantity, Quote, Time

_SQL = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN"}


@dataclass(frozen=True)
class Column:
    name: str
    sql: str
    path: tuple[str, ...] = ()  # attribute path from the fact object


def _unwrap(hint: Any) -> Any:
    if get_origin(hint) in (Union, types.UnionType):
        inner = [a for a in get_args(hint) if a is not type(None)]
        return inner[0]
    return hint


@functools.cache  # type hints are re-evaluated on every call: cached, storing stops being bound by typing
def columns_of(cls: type, prefix: tuple[str, ...] = ()) -> list[Column]:
    cols: list[Column] = []
    for f in fields(cls):
        hint = _unwrap(get_type_hints(cls)[f.name])
        path = (*prefix, f.name)
        if get_origin(hint) is Literal:
            cols.append(Column("_".join(path), "VARCHAR", path))
        elif get_origin(hint) is list:
            (item,) = get_args(hint)
            if item is str:
                cols.append(Column("_".join(path), "VARCHAR[]", path))
        elif isinstance(hint, type) and is_dataclass(hint):
            cols.extend(columns_of(hint, path))
        else:
            cols.append(Column("_".join(path), _SQL[hint], path))
    return cols


def value_at(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if obj is None:
            return None
        obj = getattr(obj, name)
    return obj


@dataclass(frozen=True)
class FactTable:
    name: str
    cls: type
    attribute: str  # Document attribute holding the facts

    @property
    def columns(self) -> list[Column]:
        """The fact's own columns, after the keys."""
        return columns_of(self.cls)

    @property
    def layout(self) -> list[Column]:
        return [Column("document_id", "VARCHAR"), Column("idx", "INTEGER"), *self.columns]

    def rows(self, document: Document) -> list[tuple[Any, ...]]:
        cols = self.columns
        return [
            (document.id, i, *(value_at(fact, c.path) for c in cols))
            for i, fact in enumerate(getattr(document, self.attribute))
        ]


FACT_TABLES = (
    FactTable("entities", Entity, "entities"),
    FactTable("quotes", Quote, "quotes"),
    FactTable("times", Time, "times"),
    FactTable("quantities", Quantity, "quantities"),
    FactTable("events", Event, "events"),
)

MENTION_COLUMNS = columns_of(Mention)


def mention_rows(document: Document) -> list[tuple[Any, ...]]:
    return [
        (document.id, entity.id, *(value_at(m, c.path) for c in MENTION_COLUMNS))
        for entity in document.entities
        for m in entity.mentions
    ]


@dataclass(frozen=True)
class MentionTable:
    name: str = "entity_mentions"

    @property
    def layout(self) -> list[Column]:
        return [Column("document_id", "VARCHAR"), Column("entity_id", "VARCHAR"), *MENTION_COLUMNS]

    def rows(self, document: Document) -> list[tuple[Any, ...]]:
        return mention_rows(document)


_DOCUMENT_COLUMNS = (
    ("id", "VARCHAR"),
    ("schema", "VARCHAR"),
    ("source", "VARCHAR"),
    ("url", "VARCHAR"),
    ("title", "VARCHAR"),
    ("published", "VARCHAR"),
    ("publisher", "VARCHAR"),
    ("authors", "VARCHAR[]"),
    ("language", "VARCHAR"),
    ("text", "VARCHAR"),
    ("paragraphs", "JSON"),
    ("warnings", "VARCHAR[]"),
    ("document", "JSON"),
)


@dataclass(frozen=True)
class DocumentTable:
    """One row a document: its metadata as columns, its text, and the whole document as JSON."""

    name: str = "documents"

    @property
    def layout(self) -> list[Column]:
        return [Column(name, sql) for name, sql in _DOCUMENT_COLUMNS]

    def rows(self, document: Document) -> list[tuple[Any, ...]]:
        derived = {
            "paragraphs": json.dumps([asdict(p) for p in document.paragraphs]),
            "document": document.to_json(),
        }
        return [
            tuple(derived[c.name] if c.name in derived else getattr(document, c.name) for c in self.layout)
        ]


DOCUMENTS = DocumentTable()
MENTIONS = MentionTable()
# Every table a document fills, documents first: what the store holds and the Spark job writes.
TABLES: tuple[DocumentTable | FactTable | MentionTable, ...] = (DOCUMENTS, *FACT_TABLES, MENTIONS)


def ddl() -> list[str]:
    statements = ["CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)"]
    for table in TABLES:
        cols = [f'"{c.name}" {c.sql}' for c in table.layout]
        if table is DOCUMENTS:
            cols[0] += " PRIMARY KEY"
            cols.append("ingested_at TIMESTAMP DEFAULT current_timestamp")
        statements.append(f"CREATE TABLE IF NOT EXISTS {table.name} ({', '.join(cols)})")
    return statements
