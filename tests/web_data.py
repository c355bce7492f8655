"""A small corpus for the API and UI tests: facts built by hand with exact offsets, plus a hostile article."""

from __future__ import annotations

from pathlib import Path

from dateline import corpus
from dateline.model import Document, Quantity, Time, content_id
from dateline.store import Store
from tests.test_corpus import biden_corpus

HOSTILE = (
    "Officials said <script>window.__pwned = 1</script> nothing happened.\n\n"
    'A picture <img src=x onerror="window.__pwned = 2"> was attached and a '
    '<a href="javascript:window.__pwned = 3">link</a> too.'
)


def _at(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def documents() -> list[Document]:
    docs = biden_corpus()
    first = docs[0]
    start, end = _at(first.text, "Tuesday")
    first.times = [Time(text="Tuesday", start=start, end=end, type="DATE", value="2024-03-05")]
    hostile = Document(
        id=content_id(HOSTILE),
        text=HOSTILE,
        title="<b>Hostile</b> article",
        published="2024-04-01",
        source="hostile.html",
    )
    start, end = _at(HOSTILE, "<script>")
    hostile.quantities = [Quantity(text="<script>", start=start, end=end, value=1.0)]
    return [*docs, hostile]


def build(path: Path) -> Path:
    with Store(path) as store:
        store.add(documents())
        corpus.rebuild(store.db)
    return path
