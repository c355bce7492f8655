"""A batch never dies for one input: an input that crashes fails alone, in every way of running the flow.

The crashes are real: a fact component that raises on a marker word (added, in every process
the command starts, by `tests.faulty`), and a 22-byte page that makes lxml assert in the
metadata step.  Before, either lost the batch: `ingest` stored nothing.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DATA, dateline, skip_without
from tests.faulty import COMPONENT, MARKER, sitecustomize

GOOD = ("article_election.txt", "article_port.txt", "article_summit.txt")
# what lxml's drop_tree() asserts on, called by htmldate through trafilatura's metadata step
ASSERTING_PAGE = b"<svg><p><p><p<h2>><div"


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    """Good articles with a crashing one between each two: named so that they are read in this order."""
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(DATA / GOOD[0], folder / "1_good.txt")
    text = (DATA / GOOD[1]).read_text(encoding="utf-8")
    (folder / "2_crash.txt").write_text(
        text.replace(". ", f". The {MARKER} crew waited. ", 1), encoding="utf-8"
    )
    shutil.copy(DATA / GOOD[1], folder / "3_good.txt")
    (folder / "4_assert.html").write_bytes(ASSERTING_PAGE)
    shutil.copy(DATA / GOOD[2], folder / "5_good.txt")
    return folder


def check_failures(stderr: str, folder: Path) -> None:
    assert "Traceback" not in stderr and "internal error" not in stderr
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 2, stderr
    crash, page = sorted(lines)
    assert crash.startswith(f"error: {folder / '2_crash.txt'}: fact extraction failed in {COMPONENT}")
    assert page.startswith(f"error: {folder / '4_assert.html'}: no article text found")


def stored(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT source FROM documents ORDER BY source").fetchall()
    return [Path(r[0]).name for r in rows]


@pytest.mark.parametrize("processes", ["1", "2"])
def test_ingest_stores_every_good_article(inputs: Path, tmp_path: Path, processes: str) -> None:
    db = tmp_path / "d.duckdb"
    hook = sitecustomize(tmp_path / "hook")
    result = dateline("ingest", "-j", processes, "--no-corpus", "--db", str(db), str(inputs), env=hook)
    assert result.returncode == 1
    check_failures(result.stderr, inputs)
    assert "3 new of 3 documents" in result.stderr and "2 failed" in result.stderr
    assert stored(db) == ["1_good.txt", "3_good.txt", "5_good.txt"]


def test_extract_prints_every_good_article(inputs: Path, tmp_path: Path) -> None:
    result = dateline("extract", str(inputs), env=sitecustomize(tmp_path / "hook"))
    assert result.returncode == 1
    check_failures(result.stderr, inputs)
    assert [Path(d["source"]).name for d in json.loads(result.stdout)] == [
        "1_good.txt",
        "3_good.txt",
        "5_good.txt",
    ]


def test_spark_writes_every_good_article(inputs: Path, tmp_path: Path) -> None:
    if shutil.which("java") is None:
        skip_without("java", "no Java runtime: PySpark needs Java 17 (.ci/run installs it)")
    out = tmp_path / "out"
    quiet = ["--conf", "spark.ui.enabled=false", "--conf", "spark.ui.showConsoleProgress=false"]
    hook = sitecustomize(tmp_path / "hook")
    result = dateline("spark", str(inputs), str(out), "--master", "local[2]", *quiet, env=hook)
    assert result.returncode == 1, result.stderr
    check_failures(result.stderr, inputs)
    assert f"3 documents written to {out}; 2 failed" in result.stderr
    with duckdb.connect() as con:
        rows = con.execute(f"SELECT source FROM '{out}/documents/*.parquet' ORDER BY source").fetchall()
    assert [Path(r[0]).name for r in rows] == ["1_good.txt", "3_good.txt", "5_good.txt"]
