"""Embedded DuckDB store: one transaction per batch, idempotent by document id."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType

import duckdb

from dateline.errors import DatelineError
from dateline.model import Document
from dateline.store.tables import DOCUMENTS, ddl
from dateline.store.tables import TABLES as LAYOUTS

SCHEMA_VERSION = "1"
TABLES = tuple(t.name for t in LAYOUTS)


class Store:
    """A Dateline database file.  Use as a context manager, or call `close()`."""

    def __init__(self, path: str | Path = "dateline.duckdb", read_only: bool = False) -> None:
        self.path = str(path)
        try:
            self.db = duckdb.connect(self.path, read_only=read_only)
        except duckdb.Error as exc:
            raise DatelineError(f"cannot open database {self.path}: {str(exc).splitlines()[0]}") from exc
        if not read_only:
            self._migrate()

    def _migrate(self) -> None:
        for statement in ddl():
            self.db.execute(statement)
        found = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        elif found[0] != SCHEMA_VERSION:
            raise DatelineError(
                f"database {self.path} has schema version {found[0]}, this Dateline writes {SCHEMA_VERSION}"
            )

    def __enter__(self) -> Store:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self.db.close()

    def has(self, document_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", [document_id]).fetchone() is not None

    def add(self, documents: Iterable[Document]) -> int:
        """Store a batch in one transaction; documents already stored are skipped.  Returns how many were new."""
        batch: dict[str, Document] = {}
        for d in documents:
            batch.setdefault(d.id, d)  # an article read twice: the first one read is kept
        if not batch:
            return 0
        known = {
            row[0]
            for row in self.db.execute(
                "SELECT id FROM documents WHERE id IN (SELECT unnest(?))", [list(batch)]
            ).fetchall()
        }
        new = [d for d in batch.values() if d.id not in known]
        if not new:
            return 0
        self.db.execute("BEGIN TRANSACTION")
        try:
            for table in LAYOUTS:
                rows = [row for d in new for row in table.rows(d)]
                if rows:
                    names = ", ".join(f'"{c.name}"' for c in table.layout)
                    marks = ", ".join("?" * len(table.layout))
                    self.db.executemany(f"INSERT INTO {table.name} ({names}) VALUES ({marks})", rows)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return len(new)

    def documents(self) -> Iterator[Document]:
        for (raw,) in self.db.execute("SELECT document FROM documents ORDER BY published, id").fetchall():
            yield Document.from_json(raw)

    def get(self, document_id: str) -> Document | None:
        row = self.db.execute("SELECT document FROM documents WHERE id = ?", [document_id]).fetchone()
        return Document.from_json(row[0]) if row else None

    def count(self, table: str = "documents") -> int:
        if table not in TABLES:
            raise ValueError(f"unknown table {table!r}")
        row = self.db.execute(f"SELECT count(*) FROM {table}").fetchone()
        return int(row[0]) if row else 0

    def import_parquet(self, directory: str | Path) -> tuple[int, int]:
        """Load a Parquet output (`DIR/<table>/*.parquet`, as `dateline spark` or `export` writes it).

        Documents already stored are skipped, with their facts, as in `add`; all in one transaction.
        Returns (new documents, documents in the folder).
        """
        root = Path(directory)
        if not (root / DOCUMENTS.name).is_dir():
            raise DatelineError(
                f"{root} is not a Dateline Parquet folder: it has no {DOCUMENTS.name}/ folder"
            )

        def source(table: str) -> str:
            pattern = (root / table / "*.parquet").as_posix().replace("'", "''")
            return f"read_parquet('{pattern}', union_by_name = true)"

        seen_row = self.db.execute(f"SELECT count(DISTINCT id) FROM {source(DOCUMENTS.name)}").fetchone()
        seen = int(seen_row[0]) if seen_row else 0
        self.db.execute("BEGIN TRANSACTION")
        try:
            self.db.execute(
                "CREATE OR REPLACE TEMP TABLE _dateline_incoming AS "
                f"SELECT DISTINCT id FROM {source(DOCUMENTS.name)} WHERE id NOT IN (SELECT id FROM documents)"
            )
            for table in LAYOUTS:
                if not (root / table.name).is_dir():
                    continue
                key = "id" if table is DOCUMENTS else "document_id"
                names = ", ".join(f'"{c.name}"' for c in table.layout)
                # one row per document even if the folder holds an article twice
                once = (
                    " QUALIFY row_number() OVER (PARTITION BY id ORDER BY source) = 1"
                    if table is DOCUMENTS
                    else ""
                )
                self.db.execute(
                    f"INSERT INTO {table.name} ({names}) SELECT {names} FROM {source(table.name)} "
                    f"WHERE {key} IN (SELECT id FROM _dateline_incoming){once}"
                )
            added_row = self.db.execute("SELECT count(*) FROM _dateline_incoming").fetchone()
            self.db.execute("DROP TABLE _dateline_incoming")
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        return (int(added_row[0]) if added_row else 0), seen

    def export_parquet(self, directory: str | Path) -> list[Path]:
        """Write each table as `DIR/<table>/part-0.parquet`, the layout Spark and DuckDB read as folders."""
        out = Path(directory)
        written = []
        for table in TABLES:
            target = out / table
            target.mkdir(parents=True, exist_ok=True)
            path = target / "part-0.parquet"
            quoted = path.as_posix().replace("'", "''")
            self.db.execute(f"COPY {table} TO '{quoted}' (FORMAT PARQUET)")
            written.append(path)
        return written
