"""Embedded DuckDB store: one transaction per batch, idempotent by document id.

The store writes the documents and their facts, a bulk insert per table and batch.  Tables
that other stages keep in step with the documents (the corpus's near-duplicate and search
indexes) are theirs: they register a `Maintainer` with `maintain`, and the store calls it on
every batch, inside the batch's transaction.  The store imports nothing of theirs.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

import duckdb

from dateline.errors import DatelineError
from dateline.model import Document
from dateline.store.tables import DOCUMENTS, ddl
from dateline.store.tables import TABLES as LAYOUTS

if TYPE_CHECKING:
    import pyarrow as pa

SCHEMA_VERSION = "1"
TABLES = tuple(t.name for t in LAYOUTS)
# Every sighting of an article, so that a repeat from another source is not lost.
SIGHTINGS_DDL = """CREATE TABLE IF NOT EXISTS sightings (
    document_id VARCHAR, source VARCHAR, url VARCHAR, PRIMARY KEY (document_id, source))"""
BACKFILL_BATCH = 256


@dataclass(frozen=True)
class Maintainer:
    """Tables kept in step with the documents: created with `ddl`, written by `add` on each batch.

    `add` gets the batch's new documents after their rows are inserted, inside the batch's
    transaction, so a crash leaves both or neither.  Maintainers run in the order registered.
    """

    name: str
    ddl: tuple[str, ...]
    add: Callable[[duckdb.DuckDBPyConnection, Sequence[Document]], None]


_MAINTAINERS: list[Maintainer] = []


def maintain(maintainer: Maintainer) -> None:
    """Keep `maintainer`'s tables in step with every store written from now on, in this process."""
    if all(m.name != maintainer.name for m in _MAINTAINERS):
        _MAINTAINERS.append(maintainer)


def insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    """Insert an Arrow table into `table` in one statement: a bulk, columnar insert."""
    view = f"_dateline_insert_{table}"
    names = ", ".join(f'"{c}"' for c in rows.column_names)
    con.register(view, rows)
    try:
        con.execute(f"INSERT INTO {table} ({names}) SELECT {names} FROM {view}")
    finally:
        con.unregister(view)


# how long opening a file that another program holds is retried: `dateline serve` holds
# its file only while it answers, so a writer (or a reader) gets in within a moment
DEFAULT_WAIT = 10.0
_HOLDER = re.compile(r"Conflicting lock is held in (.*?) \(PID (\d+)\)")


class DatabaseBusy(DatelineError):
    """The database file is held by another program (a writer, or a server answering)."""


def connect(
    path: str | Path,
    read_only: bool = False,
    config: dict[str, str | bool | int | float | list[str]] | None = None,
    wait: float = DEFAULT_WAIT,
    waiting: Callable[[str], None] | None = None,
) -> duckdb.DuckDBPyConnection:
    """Open a DuckDB file, retrying for up to `wait` seconds while another program holds its lock.

    `waiting` is told once, in words, who holds it; past `wait` a `DatabaseBusy` says so in one line
    (never DuckDB's raw lock message).
    """
    deadline = time.monotonic() + wait
    told = False
    while True:
        try:
            return duckdb.connect(str(path), read_only=read_only, config=config or {})
        except duckdb.Error as exc:
            first = str(exc).splitlines()[0]
            held = _HOLDER.search(first)
            if "not a valid DuckDB database file" in first:
                raise DatelineError(
                    f"{path} is not a DuckDB database: give --db a Dateline database or a new file name"
                ) from None
            if held is None:
                raise DatelineError(f"cannot open database {path}: {first}") from None
            holder = f"PID {held.group(2)}, {Path(held.group(1)).name}"
            if time.monotonic() >= deadline:
                raise DatabaseBusy(
                    f"database {path} is in use by another program ({holder}) and stayed so for "
                    f"{wait:g} s; try again when it is done (a `dateline serve` lets writers in between requests)"
                ) from None
            if waiting is not None and not told:
                waiting(f"waiting for {path}: in use by another program ({holder})")
                told = True
            time.sleep(0.05)


class Store:
    """A Dateline database file.  Use as a context manager, or call `close()`."""

    def __init__(
        self,
        path: str | Path = "dateline.duckdb",
        read_only: bool = False,
        memory_limit: str | None = None,
        wait: float = DEFAULT_WAIT,
        waiting: Callable[[str], None] | None = None,
    ) -> None:
        self.path = str(path)
        self.maintainers: list[Maintainer] = []
        # DuckDB caches pages up to 80% of RAM by default: a limit keeps a long ingest's memory flat
        config: dict[str, str | bool | int | float | list[str]] = (
            {"memory_limit": memory_limit} if memory_limit else {}
        )
        self.db = connect(self.path, read_only=read_only, config=config, wait=wait, waiting=waiting)
        if not read_only:
            self._migrate()

    def _migrate(self) -> None:
        known = self.db.execute(
            "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
        ).fetchone() == (1,)
        for statement in (*ddl(), SIGHTINGS_DDL):
            self.db.execute(statement)
        self._add_new_columns()
        found = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if found is None:
            self.db.execute("INSERT INTO meta VALUES ('schema_version', ?)", [SCHEMA_VERSION])
        elif found[0] != SCHEMA_VERSION:
            raise DatelineError(
                f"database {self.path} has schema version {found[0]}, this Dateline writes {SCHEMA_VERSION}"
            )
        if not known:
            self._list_maintainers([])  # a new file: each maintainer is listed as it attaches
        self._attach()

    def _maintained_by(self) -> list[str] | None:
        found = self.db.execute("SELECT value FROM meta WHERE key = 'maintained_by'").fetchone()
        return [n for n in str(found[0]).split(",") if n] if found else None

    def _list_maintainers(self, names: list[str]) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES ('maintained_by', ?)", [",".join(names)])

    def _attach(self) -> None:
        """Bring in the maintainers registered since; one new to this file first catches up on its documents."""
        listed = self._maintained_by()
        # a file that lists none was written before maintainers were listed, when the store
        # itself kept the corpus's indexes of every document: nothing to catch up on
        earlier = listed is None
        listed = listed or []
        for maintainer in _MAINTAINERS[len(self.maintainers) :]:
            self.db.execute("BEGIN TRANSACTION")
            try:
                for statement in maintainer.ddl:
                    self.db.execute(statement)
                if maintainer.name not in listed:
                    if not earlier:
                        self._backfill(maintainer)
                    listed.append(maintainer.name)
                    self._list_maintainers(listed)
                self.db.execute("COMMIT")
            except BaseException:
                self.db.execute("ROLLBACK")
                raise
            self.maintainers.append(maintainer)

    def _backfill(self, maintainer: Maintainer) -> None:
        """The stored documents, in the order stored, through a maintainer new to this file."""
        reader = self.db.cursor()  # its own connection: the maintainer writes on this one meanwhile
        try:
            rows = reader.execute(f"SELECT document FROM {DOCUMENTS.name} ORDER BY rowid")
            while chunk := rows.fetchmany(BACKFILL_BATCH):
                maintainer.add(self.db, [Document.from_json(raw) for (raw,) in chunk])
        finally:
            reader.close()

    def _add_new_columns(self) -> None:
        """A file written by an older Dateline lacks the columns of fields added since: add them (null)."""
        present: dict[str, set[str]] = {}
        for table, column in self.db.execute(
            "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main'"
        ).fetchall():
            present.setdefault(table, set()).add(column)
        for table in LAYOUTS:
            for column in table.layout:
                if column.name not in present.get(table.name, {column.name}):
                    self.db.execute(f'ALTER TABLE {table.name} ADD COLUMN "{column.name}" {column.sql}')

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
        if len(self.maintainers) < len(_MAINTAINERS):
            self._attach()
        missing = [n for n in self._maintained_by() or [] if n not in {m.name for m in self.maintainers}]
        if missing:
            raise DatelineError(
                f"database {self.path} keeps {', '.join(missing)} in step with its documents: "
                "write to it with `dateline ingest` (or import dateline.corpus first)"
            )
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
        self.db.execute("BEGIN TRANSACTION")
        try:
            self.db.execute(
                "INSERT OR IGNORE INTO sightings SELECT unnest(?), unnest(?), unnest(?)",
                [
                    [d.id for d in documents_seen],
                    [d.source for d in documents_seen],
                    [d.url for d in documents_seen],
                ],
            )
            if new:
                for table in LAYOUTS:
                    rows = table.arrow(new)
                    if rows.num_rows:
                        insert(self.db, table.name, rows)
                for maintainer in self.maintainers:
                    maintainer.add(self.db, new)
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

    def import_parquet(self, directory: str | Path, batch: int = 256) -> tuple[int, int]:
        """Load a Parquet output (`DIR/<table>/*.parquet`, as `dateline spark` or `export` writes it).

        Each document is read back from its JSON and stored with `add`, a transaction per batch:
        documents already stored are skipped. Returns (new documents, documents in the folder).
        """
        root = Path(directory)
        if not (root / DOCUMENTS.name).is_dir():
            raise DatelineError(
                f"{root} is not a Dateline Parquet folder: it has no {DOCUMENTS.name}/ folder"
            )

        def source(table: str) -> str:
            pattern = (root / table / "*.parquet").as_posix().replace("'", "''")
            return f"read_parquet('{pattern}', union_by_name = true)"

        # through `add`, so that imported articles get the same duplicate check and search index
        reader = duckdb.connect()
        try:
            rows = reader.execute(f"SELECT document FROM {source(DOCUMENTS.name)} ORDER BY source, id")
            added = seen = 0
            while chunk := rows.fetchmany(batch):
                documents = [Document.from_json(raw) for (raw,) in chunk]
                seen += len(documents)
                added += self.add(documents)
        finally:
            reader.close()
        return added, seen

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


class TakingTurns:
    """A Store for a stream of batches that lets go of the file between them, so a server can read it.

    The file is opened for a batch and closed after it when batches come slowly (the nlp stage
    takes seconds per batch: holding the file meanwhile would shut the server out) or when it has
    been held `hold` seconds (fast batches share one opening, which costs ~0.1-0.3 s, and still let
    others in every few seconds).  Opening waits for a program holding the file (see `connect`).
    """

    def __init__(
        self,
        path: str | Path,
        memory_limit: str | None = None,
        wait: float = DEFAULT_WAIT,
        waiting: Callable[[str], None] | None = None,
        hold: float = 3.0,
    ) -> None:
        self.path, self.memory_limit, self.wait, self.waiting, self.hold = (
            path,
            memory_limit,
            wait,
            waiting,
            hold,
        )
        self.store: Store | None = None
        self.opened = self.last = 0.0

    def open(self) -> Store:
        if self.store is None:
            self.store = Store(
                self.path, memory_limit=self.memory_limit, wait=self.wait, waiting=self.waiting
            )
            self.opened = time.monotonic()
        return self.store

    def add(self, documents: list[Document]) -> int:
        arrived = time.monotonic()
        slow = arrived - self.last >= 1.0
        added = self.open().add(documents)
        self.last = time.monotonic()
        if slow or self.last - self.opened >= self.hold:
            self.close()
        return added

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
            self.store = None
