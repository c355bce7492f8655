"""Relational layout of the data model, derived from the dataclasses so the two never drift.

Each fact kind is one table keyed by `document_id`; a nested participant
(`speaker`, `cue`, `actor`, ...) becomes prefixed columns (`speaker_name`),
and the entity mentions get a table of their own.  `TABLES` gives, for every
table, its columns and the values of a batch of documents, column by column
(`columns`, and as an Arrow table: `arrow`): the DuckDB store and the Spark job
(`dateline.spark`) both write exactly these.
"""

from __future__ import annotations

import functools
import json
import types
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, fields, is_dataclass
from typing import TYPE_CHECKING, Any, Literal, Union, get_args, get_origin, get_type_hints

from dateline.model import Document, Entity, Event, Mention, Quantity, Quote, Time

if TYPE_CHECKING:
    import pyarrow as pa

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


class Table:
    """A table the documents fill: its name, its columns, and their values for a batch of documents."""

    name: str

    @property
    def layout(self) -> list[Column]:
        raise NotImplementedError

    def columns(self, documents: Sequence[Document]) -> dict[str, list[Any]]:
        """The values of every column for these documents, in `layout` order: one list a column."""
        raise NotImplementedError

    def rows(self, document: Document) -> list[tuple[Any, ...]]:
        return list(zip(*self.columns([document]).values(), strict=True))

    def arrow(self, documents: Sequence[Document]) -> pa.Table:
        """The batch's rows as one Arrow table, typed as the store's columns: one bulk insert."""
        import pyarrow as pa

        values = self.columns(documents)
        return pa.table(
            [pa.array(values[c.name], type=arrow_type(c.sql)) for c in self.layout],
            schema=arrow_schema(self.layout),
        )


@dataclass(frozen=True)
class FactTable(Table):
    name: str
    cls: type
    attribute: str  # Document attribute holding the facts

    @property
    def fact_columns(self) -> list[Column]:
        """The fact's own columns, after the keys."""
        return columns_of(self.cls)

    @property
    def layout(self) -> list[Column]:
        return [Column("document_id", "VARCHAR"), Column("idx", "INTEGER"), *self.fact_columns]

    def columns(self, documents: Sequence[Document]) -> dict[str, list[Any]]:
        keyed = [(d.id, i, fact) for d in documents for i, fact in enumerate(getattr(d, self.attribute))]
        values: dict[str, list[Any]] = {"document_id": [k[0] for k in keyed], "idx": [k[1] for k in keyed]}
        for c in self.fact_columns:
            values[c.name] = [value_at(k[2], c.path) for k in keyed]
        return values


FACT_TABLES = (
    FactTable("entities", Entity, "entities"),
    FactTable("quotes", Quote, "quotes"),
    FactTable("times", Time, "times"),
    FactTable("quantities", Quantity, "quantities"),
    FactTable("events", Event, "events"),
)

MENTION_COLUMNS = columns_of(Mention)


@dataclass(frozen=True)
class MentionTable(Table):
    name: str = "entity_mentions"

    @property
    def layout(self) -> list[Column]:
        return [Column("document_id", "VARCHAR"), Column("entity_id", "VARCHAR"), *MENTION_COLUMNS]

    def columns(self, documents: Sequence[Document]) -> dict[str, list[Any]]:
        keyed = [(d.id, e.id, m) for d in documents for e in d.entities for m in e.mentions]
        values: dict[str, list[Any]] = {
            "document_id": [k[0] for k in keyed],
            "entity_id": [k[1] for k in keyed],
        }
        for c in MENTION_COLUMNS:
            values[c.name] = [value_at(k[2], c.path) for k in keyed]
        return values


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
class DocumentTable(Table):
    """One row a document: its metadata as columns, its text, and the whole document as JSON."""

    name: str = "documents"

    @property
    def layout(self) -> list[Column]:
        return [Column(name, sql) for name, sql in _DOCUMENT_COLUMNS]

    def columns(self, documents: Sequence[Document]) -> dict[str, list[Any]]:
        derived: dict[str, Callable[[Document], str]] = {
            "paragraphs": lambda d: json.dumps([asdict(p) for p in d.paragraphs]),
            "document": lambda d: d.to_json(),
        }
        return {
            c.name: [derived[c.name](d) if c.name in derived else getattr(d, c.name) for d in documents]
            for c in self.layout
        }


DOCUMENTS = DocumentTable()
MENTIONS = MentionTable()
# Every table a document fills, documents first: what the store holds and the Spark job writes.
TABLES: tuple[DocumentTable | FactTable | MentionTable, ...] = (DOCUMENTS, *FACT_TABLES, MENTIONS)


@functools.cache
def _arrow_types() -> dict[str, pa.DataType]:
    import pyarrow as pa

    return {
        "VARCHAR": pa.string(),
        "JSON": pa.string(),
        "BIGINT": pa.int64(),
        "INTEGER": pa.int32(),
        "DOUBLE": pa.float64(),
        "BOOLEAN": pa.bool_(),
        "VARCHAR[]": pa.list_(pa.string()),
        "BLOB": pa.binary(),
        "UTINYINT": pa.uint8(),
        "UBIGINT": pa.uint64(),
    }


def arrow_type(sql: str) -> pa.DataType:
    """The Arrow type that holds a column of this SQL type (JSON travels as text)."""
    return _arrow_types()[sql]


def arrow_schema(columns: Sequence[Column]) -> pa.Schema:
    import pyarrow as pa

    return pa.schema([pa.field(c.name, arrow_type(c.sql)) for c in columns])


def ddl() -> list[str]:
    statements = ["CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)"]
    for table in TABLES:
        cols = [f'"{c.name}" {c.sql}' for c in table.layout]
        if table is DOCUMENTS:
            cols[0] += " PRIMARY KEY"
            cols.append("ingested_at TIMESTAMP DEFAULT current_timestamp")
        statements.append(f"CREATE TABLE IF NOT EXISTS {table.name} ({', '.join(cols)})")
    return statements
