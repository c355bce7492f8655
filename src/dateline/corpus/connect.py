"""Corpus queries take a `Store` or a bare DuckDB connection (the REST API holds either)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

import duckdb

if TYPE_CHECKING:
    from dateline.store import Store

Database: TypeAlias = "Store | duckdb.DuckDBPyConnection"


def connection(db: Database) -> duckdb.DuckDBPyConnection:
    if isinstance(db, duckdb.DuckDBPyConnection):
        return db
    return db.db
