"""The Python API: the same functions the CLI and the server call."""

from __future__ import annotations

from pathlib import Path

from dateline.ingest import RawInput, read_source
from dateline.model import Document
from dateline.read import read


def extract(source: str | Path | bytes, *, published: str | None = None, facts: bool = True) -> Document:
    """Read one article (a path, raw bytes, or the text of a page) and find its facts.

    >>> doc = dateline.extract("examples/article.txt")
    >>> doc.title
    """
    if isinstance(source, bytes):
        raw = RawInput(source="<bytes>", data=source)
    elif isinstance(source, Path) or ("\n" not in source and len(source) < 4096 and Path(source).is_file()):
        raw = read_source(Path(source))
    else:
        raw = RawInput(source="<text>", data=source.encode("utf-8"))
    document = read(raw, published=published)
    if facts:
        from dateline.nlp import analyze_one

        document = analyze_one(document)
    return document
