"""Embedded DuckDB store: one transaction per batch, idempotent by document id."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import asdict
from pathlib import Path
from types import TracebackType

import duckdb

from dateline.errors import DatelineError
from dateline.model import Document
from dateline.store.tables import FACT_TABLES, MENTION_COLUMNS, ddl, mention_rows

SCHEMA_VERSION = "1"
TABLES = ("documents", *(t.name for t in FACT_TABLES), "entity_mentions")


class Store:
    """A Dateline database file.  Use as a context manager, or call `close()`."""

    def __init__(
        self, path: str | Path = "dateline.duckdb", read_only: bool = False, memory_limit: str | None = None
    ) -> None:
        self.path = str(path)
        try:
            # DuckDB caches pages up to 80% of RAM by default: a limit keeps a long ingest's memory flat
            config: dict[str, str | bool | int | float | list[str]] = (
                {"memory_limit": memory_limit} if memory_limit else {}
            )
            self.db = duckdb.connect(self.path, read_only=read_only, config=config)
        except duckdb.Error as exc:
            raise DatelineError(f"cannot open database {self.path}: {str(exc).splitlines()[0]}") from exc
        if not read_only:
            self._migrate()

    def _migrate(self) -> None:
        from dateline.corpus import DDL as CORPUS_DDL

        # corpus tables and columns are added in place (IF NOT EXISTS), so older files open unchanged
        for statement in (*ddl(), *CORPUS_DDL):
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
        documents_seen = list(documents)
        batch: dict[str, Document] = {}
        for d in documents_seen:
            batch.setdefault(d.id, d)  # the first sighting of a text is the one stored
        if not batch:
            return 0
        known = {
            row[0]
            for row in self.db.execute(
                "SELECT id FROM documents WHERE id IN (SELECT unnest(?))", [list(batch)]
            ).fetchall()
        }
        new = [d for d in batch.values() if d.id not in known]
        from dateline.corpus import dedup, fulltext

        self.db.execute("BEGIN TRANSACTION")
        try:
            # every sighting of an article is kept, so a repeat from another source is not lost
            self.db.execute(
                "INSERT OR IGNORE INTO sightings SELECT unnest(?), unnest(?), unnest(?)",
                [
                    [d.id for d in documents_seen],
                    [d.source for d in documents_seen],
                    [d.url for d in documents_seen],
                ],
            )
            if not new:
                self.db.execute("COMMIT")
                return 0
            # the corpus tables no longer cover every document until the next rebuild
            self.db.execute("INSERT OR REPLACE INTO meta VALUES ('corpus_stale', 'true')")
            verdicts = dedup.index_batch(self.db, [d.id for d in new], [d.text for d in new])
            self.db.executemany(
                "INSERT INTO documents (id, schema, source, url, title, published, publisher, authors, "
                "language, text, paragraphs, warnings, document, duplicate_of, similarity) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        d.id,
                        d.schema,
                        d.source,
                        d.url,
                        d.title,
                        d.published,
                        d.publisher,
                        d.authors,
                        d.language,
                        d.text,
                        json.dumps([asdict(p) for p in d.paragraphs]),
                        d.warnings,
                        d.to_json(),
                        v.duplicate_of,
                        v.similarity,
                    )
                    for d, v in zip(new, verdicts, strict=True)
                ],
            )
            canonical = [
                (d.id, f"{d.title or ''}\n{d.text}")
                for d, v in zip(new, verdicts, strict=True)
                if not v.duplicate_of
            ]
            if canonical:
                fulltext.index_batch(self.db, [c[0] for c in canonical], [c[1] for c in canonical])
            for table in FACT_TABLES:
                rows = [row for d in new for row in table.rows(d)]
                if rows:
                    marks = ", ".join("?" * (len(table.columns) + 2))
                    self.db.executemany(f"INSERT INTO {table.name} VALUES ({marks})", rows)
            mentions = [row for d in new for row in mention_rows(d)]
            if mentions:
                marks = ", ".join("?" * (len(MENTION_COLUMNS) + 2))
                self.db.executemany(f"INSERT INTO entity_mentions VALUES ({marks})", mentions)
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
