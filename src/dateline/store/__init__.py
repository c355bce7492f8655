"""The `store` stage: Documents into an embedded DuckDB database, and out as Parquet."""

from dateline.store.duck import SCHEMA_VERSION, DatabaseBusy, Store, connect

__all__ = ["SCHEMA_VERSION", "DatabaseBusy", "Store", "connect"]
