"""The DuckDB store: idempotent, one transaction per batch, Parquet out."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

import dateline
from dateline import corpus
from dateline.model import Document, content_id
from dateline.store import SCHEMA_VERSION, Store
from tests.conftest import DATA, REPO
from tests.conftest import dateline as run_cli


def docs() -> list[Document]:
    return [
        dateline.extract(REPO / "examples" / "article.txt", facts=False),
        dateline.extract(DATA / "dump_council.txt", facts=False),
    ]


def test_add_is_idempotent(tmp_path: Path) -> None:
    with Store(tmp_path / "d.duckdb") as store:
        assert store.add(docs()) == 2
        assert store.add(docs()) == 0
        assert store.count() == 2
        first = docs()[0]
        assert store.get(first.id) == first
        version = store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        assert version == (SCHEMA_VERSION,)


def test_failed_batch_leaves_no_half_document(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    good, other = docs()
    with Store(path) as store:
        store.add([good])
    broken = Document.from_dict(other.to_dict())
    broken.quotes = ["not a quote"]  # type: ignore[list-item]
    with Store(path) as store:
        with pytest.raises(AttributeError):
            store.add([broken])
        assert store.count() == 1
        assert store.count("quotes") == 0
        assert store.get(good.id) == good


def older_file(path: Path, change: str) -> tuple[Document, Document]:
    """A file holding one document, then `change`d as an older Dateline wrote it; and a document to add."""
    stored, other = docs()
    with Store(path) as store:
        store.add([stored])
        store.db.execute(change)
    return stored, other


def test_file_of_an_older_version_gets_the_new_columns(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    good, other = older_file(path, 'ALTER TABLE events DROP COLUMN "reported_by_name"')
    with Store(path) as store:
        assert store.add([other]) == 1
        columns = {r[0] for r in store.db.execute("DESCRIBE events").fetchall()}
        assert "reported_by_name" in columns
        assert store.get(good.id) == good


def test_cli_ingest_twice_and_export(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    for _ in range(2):
        result = run_cli("ingest", "--db", str(db), str(REPO / "examples"), str(DATA / "dump_market.txt"))
        assert result.returncode == 0, result.stderr
    assert "0 new of 2" in result.stderr
    out = tmp_path / "pq"
    result = run_cli("export", "--db", str(db), "--parquet", str(out))
    assert result.returncode == 0, result.stderr
    with duckdb.connect() as con:
        rows = con.execute(
            f"SELECT title FROM read_parquet('{out}/documents/*.parquet') ORDER BY title"
        ).fetchall()
    assert [r[0] for r in rows] == [
        "Chipmaker shares tumble as demand outlook dims",
        "Harbor authority to close Port Veltra for repairs after storm damage",
    ]


def test_export_without_db(tmp_path: Path) -> None:
    result = run_cli("export", "--db", str(tmp_path / "none.duckdb"), "--parquet", str(tmp_path / "o"))
    assert result.returncode == 1 and "no database" in result.stderr


def _plain_store(path: Path, document: Document) -> subprocess.CompletedProcess[str]:
    """Add a document in a process that never imports the corpus: the store alone."""
    code = (
        "import sys\n"
        "from dateline.model import Document\n"
        "from dateline.store import Store\n"
        "with Store(sys.argv[1]) as store:\n"
        "    store.add([Document.from_json(sys.stdin.read())])\n"
        "assert not [m for m in sys.modules if m.startswith('dateline.corpus')]\n"
    )
    return subprocess.run(
        [sys.executable, "-c", code, str(path)], input=document.to_json(), capture_output=True, text=True
    )


def test_the_store_imports_nothing_of_the_corpus() -> None:
    importing = re.compile(r"^\s*(from|import)\s+dateline\.corpus", re.M)
    for module in (REPO / "src" / "dateline" / "store").glob("*.py"):
        assert not importing.search(module.read_text(encoding="utf-8")), module.name


def test_documents_stored_before_the_corpus_attached_are_indexed_then(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    original = docs()[1]
    assert _plain_store(path, original).returncode == 0
    text = original.text + "\n\nThis copy was filed later by a wire service."
    copy = Document(id=content_id(text), text=text, source="wire.txt")
    with Store(path) as store:  # the corpus is imported here: its indexes catch up, then take the copy
        assert store.add([copy]) == 1
        flagged = store.db.execute("SELECT duplicate_of FROM documents WHERE id = ?", [copy.id]).fetchone()
        assert flagged == (original.id,)
        assert [hit.document_id for hit in corpus.search(store, "council")] == [original.id]


def test_a_file_the_corpus_keeps_is_not_written_without_it(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    first, second = docs()
    with Store(path) as store:
        store.add([first])
    refused = _plain_store(path, second)
    assert refused.returncode != 0
    assert "keeps near-duplicates, search, corpus in step with its documents" in refused.stderr
    with Store(path, read_only=True) as store:
        assert store.count() == 1


def test_a_file_from_before_maintainers_were_listed_is_not_indexed_twice(tmp_path: Path) -> None:
    path = tmp_path / "d.duckdb"
    _, second = older_file(path, "DELETE FROM meta WHERE key = 'maintained_by'")
    with Store(path) as store:
        assert store.add([second]) == 1
        assert store.db.execute("SELECT count(*), count(DISTINCT document_id) FROM minhash").fetchone() == (
            2,
            2,
        )
        assert store.db.execute("SELECT count(*) FROM search_docs").fetchone() == (2,)
