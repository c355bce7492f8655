"""The `store` stage: Documents into an embedded DuckDB database, and out as Parquet."""

from dateline.store.duck import SCHEMA_VERSION, Store

__all__ = ["SCHEMA_VERSION", "Store"]
