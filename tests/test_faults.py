"""Killed mid-ingest: what was committed stays, nothing is stored twice, the database opens."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from tests.conftest import REPO, dateline


def _generate(path: Path, n: int) -> None:
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(n), str(path)],
        check=True,
        capture_output=True,
    )


def _counts(db: Path) -> dict[str, int]:
    result = dateline("stats", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    counts: dict[str, int] = json.loads(result.stdout)
    return counts


def _ids(db: Path) -> list[tuple[str, str | None]]:
    with duckdb.connect(str(db), read_only=True) as con:
        return con.execute("SELECT id, duplicate_of FROM documents ORDER BY id").fetchall()


def test_kill_9_during_ingest_then_ingest_again(tmp_path: Path) -> None:
    source = tmp_path / "articles.jsonl"
    _generate(source, 1500)
    db = tmp_path / "killed.duckdb"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "dateline",
            "ingest",
            "--no-facts",
            "--batch",
            "25",
            "--db",
            str(db),
            str(source),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    wal = db.with_name(db.name + ".wal")
    deadline = time.monotonic() + 120
    # kill once several batches are committed, well before the end: they are in the write-ahead log,
    # or already in the file (ingest lets go of the file every few seconds, which checkpoints it)
    empty: int | None = None
    while time.monotonic() < deadline and process.poll() is None:
        if wal.exists() and wal.stat().st_size > 400_000:
            break
        if db.exists():
            size = db.stat().st_size
            empty = size if empty is None else empty
            if size > empty + 400_000:
                break
        time.sleep(0.05)
    assert process.poll() is None, "ingest ended before it could be killed: give it more input"
    process.send_signal(signal.SIGKILL)
    process.wait()
    committed = _ids(db)  # the database opens after the kill
    assert 0 < len(committed) < 1400
    again = dateline("ingest", "--no-facts", "--db", str(db), str(source))
    assert again.returncode == 0, again.stderr

    clean = tmp_path / "clean.duckdb"
    assert dateline("ingest", "--no-facts", "--db", str(clean), str(source)).returncode == 0
    after = _ids(db)
    assert set(committed) <= set(after)  # nothing committed is lost, nor re-flagged
    assert after == _ids(clean)  # nothing twice, and the same near-duplicate verdicts as one clean run
    assert _counts(db) == _counts(clean)
    with duckdb.connect(str(db), read_only=True) as con:
        # the search index and the LSH bands hold each document once
        assert con.execute("SELECT count(*) - count(DISTINCT document_id) FROM search_docs").fetchone() == (
            0,
        )
        assert con.execute("SELECT count(*) - count(DISTINCT document_id) FROM minhash").fetchone() == (0,)
