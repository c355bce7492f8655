"""The `read` stage: raw input to a clean article with its metadata, as a Document."""

from __future__ import annotations

import re

import py3langid

from dateline.errors import InputError
from dateline.ingest import RawInput
from dateline.ingest.sources import without_surrogates
from dateline.model import Document, Paragraph, content_id
from dateline.read.decode import decode
from dateline.read.html import looks_like_html, read_html
from dateline.read.text import is_prose, read_page_dump

__all__ = ["read", "read_text"]

_SPACES = re.compile(r"[ \t\u00a0\u2009\u200a\u202f]+")


def _clean(paragraph: str) -> str:
    return _SPACES.sub(" ", paragraph).strip()


def detect_language(text: str) -> str | None:
    sample = text[:5000]
    if len(sample.split()) < 3:
        return None
    language, _ = py3langid.classify(sample)
    return str(language)


def assemble(
    paragraphs: list[str],
    *,
    source: str | None,
    title: str | None = None,
    published: str | None = None,
    publisher: str | None = None,
    authors: list[str] | None = None,
    url: str | None = None,
) -> Document:
    """A Document whose text is its paragraphs separated by blank lines, with their offsets."""
    kept = [p for p in (_clean(p) for p in paragraphs) if p]
    if not kept:
        raise InputError("no article text found")
    spans: list[Paragraph] = []
    at = 0
    for p in kept:
        spans.append(Paragraph(start=at, end=at + len(p)))
        at += len(p) + 2
    text = "\n\n".join(kept)
    return Document(
        id=content_id(text),
        text=text,
        source=source,
        title=_clean(title) if title else None,
        published=published,
        publisher=publisher,
        authors=authors or [],
        language=detect_language(text),
        url=url,
        paragraphs=spans,
    )


def read_text(text: str, source: str | None = None, url: str | None = None) -> Document:
    """Read decoded input: an HTML page or a plain-text page dump."""
    if looks_like_html(text):
        article = read_html(text, url=url)
        paragraphs = article.text.split("\n")
        if not any(is_prose(p) for p in paragraphs):
            raise InputError("no article text found in the HTML page: nothing on it reads as prose")
        document = assemble(
            paragraphs,
            source=source,
            title=article.title,
            published=article.published,
            publisher=article.publisher,
            authors=article.authors,
            url=article.url,
        )
        document.warnings.extend(article.warnings)
        return document
    page = read_page_dump(text)
    if not page.paragraphs:
        raise InputError("no article text found: no line reads as prose")
    return assemble(
        page.paragraphs,
        source=source,
        title=page.title,
        published=page.published,
        publisher=page.publisher,
        authors=page.authors,
        url=url,
    )


def read(raw: RawInput, published: str | None = None) -> Document:
    """Read one raw input; `published` (or the input's own) overrides a date found in the page."""
    # a file name may not be valid UTF-8 (Python keeps its bytes as lone surrogates): it could not be written out
    source, url = without_surrogates(raw.source), raw.url and without_surrogates(raw.url)
    document = read_text(decode(raw.data), source=source, url=url)
    if published or raw.published:
        document.published = published or raw.published
    elif document.published is None and raw.crawled:
        document.published = raw.crawled
    return document
