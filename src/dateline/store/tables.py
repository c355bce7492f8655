"""Relational layout of the data model, derived from the dataclasses so the two never drift.

Each fact kind is one table keyed by `document_id`; a nested participant
(`speaker`, `cue`, `actor`, ...) becomes prefixed columns (`speaker_name`),
and the entity mentions get a table of their own.
"""

from __future__ import annotations

import functools
import types
from dataclasses import dataclass, fields, is_dataclass
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from dateline.model import Document, Entity, Event, Mention, Quantity, Quote, Time

_SQL = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN"}


@dataclass(frozen=True)
class Column:
    name: str
    sql: str
    path: tuple[str, ...]  # attribute path from the fact object


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
        return columns_of(self.cls)

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


def ddl() -> list[str]:
    statements = [
        "CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)",
        """CREATE TABLE IF NOT EXISTS documents (
            id VARCHAR PRIMARY KEY, schema VARCHAR, source VARCHAR, url VARCHAR, title VARCHAR,
            published VARCHAR, publisher VARCHAR, authors VARCHAR[], language VARCHAR,
            text VARCHAR, paragraphs JSON, warnings VARCHAR[], document JSON,
            ingested_at TIMESTAMP DEFAULT current_timestamp)""",
    ]
    for table in FACT_TABLES:
        cols = ", ".join(f'"{c.name}" {c.sql}' for c in table.columns)
        statements.append(
            f"CREATE TABLE IF NOT EXISTS {table.name} (document_id VARCHAR, idx INTEGER, {cols})"
        )
    cols = ", ".join(f'"{c.name}" {c.sql}' for c in MENTION_COLUMNS)
    statements.append(
        f"CREATE TABLE IF NOT EXISTS entity_mentions (document_id VARCHAR, entity_id VARCHAR, {cols})"
    )
    return statements
