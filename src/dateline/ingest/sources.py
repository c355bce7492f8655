"""Inputs as raw bytes with where they came from.

Each input yields either a `RawInput` or a `Failure`, so that one bad file
never stops the others.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dateline.errors import InputError

# A news article is at most a few hundred kB of HTML; far larger inputs are
# archives or dumps that belong to a streaming source, not to one article.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class RawInput:
    source: str
    data: bytes
    url: str | None = None
    published: str | None = None


@dataclass
class Failure:
    source: str
    message: str


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    """Read one file, refusing what cannot be an article before reading it all."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"file is too large for one article ({_human(size)} > {_human(max_bytes)})")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError as exc:
        raise InputError("cannot read file: permission denied") from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory") from exc
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise InputError(f"input is too large for one article (> {_human(max_bytes)})")
    return RawInput(source=str(path), data=data)


def _files_under(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def expand(paths: Iterable[str]) -> Iterator[str | Path]:
    """Paths as given, with directories replaced by the files under them."""
    for arg in paths:
        if arg == "-":
            yield arg
            continue
        path = Path(arg)
        if path.is_dir():
            yield from _files_under(path)
        else:
            yield path


def iter_inputs(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput | Failure]:
    for item in expand(paths):
        if item == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield Failure("-", f"input is too large for one article (> {_human(max_bytes)})")
            else:
                yield RawInput(source="-", data=data)
            continue
        path = Path(item)
        if not path.exists():
            yield Failure(str(path), "no such file or directory")
            continue
        try:
            yield read_source(path, max_bytes)
        except InputError as exc:
            yield Failure(str(path), str(exc))
