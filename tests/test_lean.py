"""A lean start: heavy libraries load only in the commands that use them; PySpark is an extra."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import dateline.corpus  # noqa: F401  (its tables go into every store opened here)
from dateline.store import Store
from tests.conftest import REPO

HEAVY = ("datasketch", "scipy", "pyspark", "matplotlib", "fastapi")

# Runs the command line, then names the heavy libraries it loaded (on stderr, last line).
RUN = """
import runpy, sys
sys.argv = ["dateline", *sys.argv[1:]]
try:
    runpy.run_module("dateline", run_name="__main__")
except SystemExit as stop:
    code = stop.code
heavy = sorted({m.split(".")[0] for m in sys.modules} & set(%r))
print("loaded:", ",".join(heavy), file=sys.stderr)
sys.exit(code)
"""


def loaded(*argv: str, block: str = "") -> tuple[subprocess.CompletedProcess[str], list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", block + RUN % (HEAVY,), *argv], capture_output=True, text=True, cwd=REPO
    )
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("loaded:"), done.stderr
    return done, [m for m in last.removeprefix("loaded:").strip().split(",") if m]


def test_extract_loads_no_heavy_library() -> None:
    done, heavy = loaded("extract", "examples/article.txt")
    assert done.returncode == 0 and '"entities"' in done.stdout
    assert heavy == []


def test_stats_and_search_load_no_heavy_library(tmp_path: Path) -> None:
    db = tmp_path / "d.duckdb"
    Store(db).close()  # the corpus's tables too: it is imported here
    for argv in (("stats", "--db", str(db)), ("search", "harbour", "--db", str(db))):
        done, heavy = loaded(*argv)
        assert done.returncode == 0, done.stderr
        assert heavy == [], argv


BLOCK_PYSPARK = """
import sys
class NoSpark:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("pyspark", "py4j"):
            raise ModuleNotFoundError(f"No module named {name!r}")
sys.meta_path.insert(0, NoSpark())
"""


def test_spark_without_pyspark_says_how_to_install_it(tmp_path: Path) -> None:
    done, _ = loaded("spark", "examples/article.txt", "out", block=BLOCK_PYSPARK)
    assert done.returncode == 2
    assert "PySpark is not installed; install it with: uv sync --extra spark" in done.stderr
    assert "Traceback" not in done.stderr
