"""Same bytes, same facts: whatever the hash seed, the number of processes or the batch size."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from tests.conftest import DATA, REPO

INPUTS = [*sorted(DATA.glob("*.txt")), DATA / "page_clinic.html", REPO / "examples" / "article.txt"]


def dateline(*args: str, seed: str) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [sys.executable, "-m", "dateline", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONHASHSEED": seed},
        timeout=900,
    )
    assert done.returncode == 0, done.stderr
    return done


def test_extract_gives_the_same_json_under_two_hash_seeds() -> None:
    paths = [str(p) for p in INPUTS]
    first, second = (dateline("extract", *paths, "--format", "jsonl", seed=s).stdout for s in ("1", "2"))
    assert first.count("\n") == len(INPUTS)
    assert first == second


def rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows, in a fixed order, without the time they were stored."""
    with duckdb.connect(str(db), read_only=True) as con:
        tables = [
            t for (t,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY table_name").fetchall()
        ]
        found = {}
        for table in tables:
            names = [
                f'"{c}"'
                for (c,) in con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ? ORDER BY column_index",
                    [table],
                ).fetchall()
                if c != "ingested_at"
            ]
            listed = ", ".join(names)
            found[table] = con.execute(f"SELECT {listed} FROM {table} ORDER BY {listed}").fetchall()
        return found


def test_ingest_in_one_or_two_processes_stores_the_same_rows(tmp_path: Path) -> None:
    paths = [str(p) for p in INPUTS]
    one, two = tmp_path / "one.duckdb", tmp_path / "two.duckdb"
    dateline("ingest", *paths, "--db", str(one), "-j", "1", "--batch", "64", seed="1")
    dateline("ingest", *paths, "--db", str(two), "-j", "2", "--batch", "3", seed="2")
    first, second = rows(one), rows(two)
    assert len(first["documents"]) == len(INPUTS) and first["entities"] and first["postings"]
    for table in first:
        assert first[table] == second[table], table
