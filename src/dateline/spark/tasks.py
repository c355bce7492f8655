"""What runs on the executors: the library's own stages over one partition, as Arrow batches.

Nothing here re-implements a stage: `flow.process` reads and analyzes (the spaCy
pipeline is built once per Python worker, which Spark reuses across tasks), and
`store.tables` turns a Document into the rows of every table, as for DuckDB.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import islice
from typing import Any

import pyarrow as pa

from dateline.flow import Options, process
from dateline.ingest import Failure, RawInput, iter_inputs
from dateline.model import Document
from dateline.store.tables import DOCUMENTS, TABLES, Column, arrow_schema

# SQL type of the DuckDB store → Spark DDL type (the Arrow types are `store.tables.arrow_type`),
# so both layouts come from store.tables.
_SPARK_TYPES: dict[str, str] = {
    "VARCHAR": "string",
    "JSON": "string",
    "BIGINT": "bigint",
    "INTEGER": "int",
    "DOUBLE": "double",
    "BOOLEAN": "boolean",
    "VARCHAR[]": "array<string>",
    "BLOB": "binary",
}

# The read+nlp stage emits documents and failures in one stream: a failure is a row with
# only `source` and `failure` set, so that one bad input never stops its partition.
# `rank` (of the input) and `item` (within it: an archive holds many) keep the input order,
# so that of an article read twice the first is kept, as `dateline ingest` does.
FAILURE = Column("failure", "VARCHAR")
ORDER = [Column("rank", "BIGINT"), Column("item", "BIGINT")]
STAGE = [*DOCUMENTS.layout, FAILURE, *ORDER]

# One row per unit of work: a file to open (`path`) or a record of a data set (`data` and metadata).
INPUT = [
    Column("rank", "BIGINT"),
    Column("path", "VARCHAR"),
    Column("source", "VARCHAR"),
    Column("data", "BLOB"),
    Column("url", "VARCHAR"),
    Column("published", "VARCHAR"),
]

# Rows per Arrow batch sent back to Spark: small enough to stream a partition, large enough to be cheap.
CHUNK = 64


def spark_ddl(columns: Sequence[Column]) -> str:
    return ", ".join(f"`{c.name}` {_SPARK_TYPES[c.sql]}" for c in columns)


BY_NAME = {t.name: t for t in TABLES}


def _items(row: dict[str, Any]) -> Iterator[RawInput | Failure]:
    """Files are opened by the ingest stage (which knows every format), records taken as they are."""
    if row["path"] is not None:
        yield from iter_inputs([row["path"]])
    elif row["data"] is None:
        yield Failure(row["source"], "record has no html or text")
    else:
        yield RawInput(row["source"], row["data"], url=row["url"], published=row["published"])


def raw_inputs(rows: Iterable[dict[str, Any]], order: list[tuple[int, int]]) -> Iterator[RawInput | Failure]:
    """The inputs of a partition; `order` gets the (rank, item) of each, in step."""
    for row in rows:
        for item, raw in enumerate(_items(row)):
            order.append((row["rank"], item))
            yield raw


def stage_row(result: Document | Failure, rank: int, item: int) -> dict[str, Any]:
    if isinstance(result, Failure):
        return {"source": result.source, "failure": result.message, "rank": rank, "item": item}
    (values,) = DOCUMENTS.rows(result)
    return dict(zip((c.name for c in DOCUMENTS.layout), values, strict=True)) | {"rank": rank, "item": item}


def _chunks(rows: Iterator[dict[str, Any]], schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    while chunk := list(islice(rows, CHUNK)):
        yield pa.RecordBatch.from_pylist(chunk, schema=schema)


@dataclass(frozen=True)
class Analyze:
    """read → nlp → facts over one partition of INPUT rows, giving STAGE rows."""

    published: str | None = None
    facts: bool = True
    batch_size: int = 32

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        rows = (row for batch in batches for row in batch.to_pylist())
        options = Options(published=self.published, facts=self.facts, batch_size=self.batch_size)
        order: list[tuple[int, int]] = []
        # process() yields one result per input, in order: its n-th result is the n-th input's
        results = process(raw_inputs(rows, order), options)
        staged = (stage_row(r, *order[n]) for n, r in enumerate(results))
        yield from _chunks(staged, arrow_schema(STAGE))


@dataclass(frozen=True)
class TableRows:
    """The rows of one table for a partition of documents (their `document` JSON)."""

    name: str

    def __call__(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        table = BY_NAME[self.name]
        layout = table.layout
        names = [c.name for c in layout]
        rows = (
            dict(zip(names, values, strict=True))
            for batch in batches
            for raw in batch.column("document").to_pylist()
            for values in table.rows(Document.from_json(raw))
        )
        yield from _chunks(rows, arrow_schema(layout))
