from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

# The fuzz tests (tests/test_fuzz.py): a fixed sample of a few thousand cases in CI, the same on
# every run; `--hypothesis-profile=long` by hand for 100,000 per test, new ones each time.
settings.register_profile(
    "ci",
    max_examples=1500,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "long", max_examples=100_000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile("ci")

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("DATELINE_SHARED", REPO.parent / "shared"))
DATA = Path(__file__).parent / "data"
SEED = SHARED / "seed" / "000_dcdca312d99efd07.txt"


@pytest.fixture
def shared() -> Path:
    if not (SHARED / "data").is_dir():
        pytest.skip(f"../shared is not beside the repository ({SHARED}): gold data and seed unavailable")
    return SHARED


@pytest.fixture
def seed(shared: Path) -> Path:
    return SEED


def dateline(
    *args: str,
    stdin: bytes | None = None,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 600,
) -> subprocess.CompletedProcess[str]:
    """Run the real command line in a subprocess, as a user would (`env`: variables to add)."""
    return subprocess.run(
        [sys.executable, "-m", "dateline", *args],
        input=stdin.decode("latin-1") if stdin is not None else None,
        capture_output=True,
        text=True,
        cwd=cwd,
        env=with_env(env),
        timeout=timeout,
    )


def with_env(extra: dict[str, str] | None) -> dict[str, str] | None:
    """This process's environment plus `extra`; a PYTHONPATH in `extra` goes before the one set here."""
    if not extra:
        return None
    merged = {**os.environ, **extra}
    if "PYTHONPATH" in extra and os.environ.get("PYTHONPATH"):
        merged["PYTHONPATH"] = extra["PYTHONPATH"] + os.pathsep + os.environ["PYTHONPATH"]
    return merged


def skip_without(what: str, reason: str, allow_module_level: bool = False) -> None:
    """Skip when a system runtime is missing — except where CI asks for it, where that is a failure."""
    if os.environ.get("DATELINE_REQUIRE_SYSTEM"):
        pytest.fail(f"{what} is required here (DATELINE_REQUIRE_SYSTEM is set): {reason}")
    pytest.skip(reason, allow_module_level=allow_module_level)
