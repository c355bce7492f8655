"""The `store` stage: Documents into an embedded DuckDB database, and out as Parquet."""

from dateline.store.duck import SCHEMA_VERSION, DatabaseBusy, Maintainer, Store, connect, insert, maintain

__all__ = ["SCHEMA_VERSION", "DatabaseBusy", "Maintainer", "Store", "connect", "insert", "maintain"]
