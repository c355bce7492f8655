"""Test-only changes to Dateline's fact components, in this process or in every process a test starts.

`fail_on_marker` raises on a marker word: a real crash inside the pipeline, on one input only.
`install()` adds it to (or drops components from) Dateline's components in this process;
`sitecustomize(folder)` writes a `sitecustomize.py` that does the same in every Python process
started with that folder on PYTHONPATH: the command line, its worker processes, Spark's Python
workers and the server's analysis workers.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

MARKER = "Zorblaxian"
COMPONENT = "test_fail_on_marker"
REPO = Path(__file__).resolve().parents[1]


@Language.component(COMPONENT)
def fail_on_marker(doc: Doc) -> Doc:
    if MARKER in doc.text:
        raise RuntimeError("the test component refuses the marker word")
    return doc


def install(add: Sequence[str] = (COMPONENT,), drop: Sequence[str] = ()) -> None:
    import dateline.facts as facts

    kept = tuple(c for c in facts.COMPONENTS if c not in drop)
    facts.COMPONENTS = kept + tuple(c for c in add if c not in kept)


def sitecustomize(
    folder: Path, add: Sequence[str] = (COMPONENT,), drop: Sequence[str] = ()
) -> dict[str, str]:
    """Write the hook into `folder`; returns the environment variables that make Python load it."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "sitecustomize.py").write_text(
        f"import sys\nsys.path.insert(0, {str(REPO)!r})\n"
        f"from tests.faulty import install\ninstall({list(add)!r}, {list(drop)!r})\n",
        encoding="utf-8",
    )
    return {"PYTHONPATH": str(folder)}
