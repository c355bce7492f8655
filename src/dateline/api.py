"""The Python API: the same functions the CLI and the server call.

`extract` takes a path, raw bytes or the text of a page.  A string is read
as text only when it cannot be a path (it holds a line break, or is longer
than any path); otherwise it names a file, and a file that is not there
raises `InputError("no such file: …")` instead of being read as an article
made of its own name.  `extract_text` and `extract_path` say which is meant.
"""

from __future__ import annotations

import os
from pathlib import Path

from dateline.errors import InputError
from dateline.ingest import RawInput, read_source
from dateline.model import Document
from dateline.read import read

# longer than this, a string cannot name a file on any system Dateline runs on
_LONGEST_PATH = 4096


def could_be_path(value: str) -> bool:
    """Whether a string can name a file: one line, not blank, not longer than a path can be."""
    return bool(value.strip()) and "\n" not in value and "\r" not in value and len(value) <= _LONGEST_PATH


def extract(source: str | Path | bytes, *, published: str | None = None, facts: bool = True) -> Document:
    """Read one article (a path, raw bytes, or the text of a page) and find its facts.

    >>> doc = dateline.extract("examples/article.txt")  # a path, relative to the working folder
    >>> doc = dateline.extract("Officials said on Monday ...\\n")  # text: it has a line break
    """
    if isinstance(source, bytes):
        return _analyze(RawInput(source="<bytes>", data=source), published, facts)
    if isinstance(source, Path) or could_be_path(source):
        return extract_path(source, published=published, facts=facts)
    return extract_text(source, published=published, facts=facts)


def extract_path(
    path: str | os.PathLike[str], *, published: str | None = None, facts: bool = True
) -> Document:
    """Read the article in a file (HTML or text, any encoding); `InputError` if there is none."""
    where = Path(path)
    if not where.exists():
        raise InputError(f"no such file: {where}")
    try:
        raw = read_source(where)
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    return _analyze(raw, published, facts)


def extract_text(text: str, *, published: str | None = None, facts: bool = True) -> Document:
    """Read an article given as text (plain text, a page dump, or HTML markup)."""
    return _analyze(RawInput(source="<text>", data=text.encode("utf-8")), published, facts)


def _analyze(raw: RawInput, published: str | None, facts: bool) -> Document:
    document = read(raw, published=published)
    if facts:
        from dateline.nlp import analyze_one

        document = analyze_one(document)
    return document
