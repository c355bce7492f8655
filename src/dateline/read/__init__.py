"""The `read` stage: raw input to a clean article with its metadata, as a Document."""

from __future__ import annotations

import re

import py3langid

from dateline.errors import InputError
from dateline.ingest import RawInput
from dateline.ingest.sources import without_surrogates
from dateline.model import Document, Evidence, FieldEvidence, Metadata, MetadataSource, Paragraph, content_id
from dateline.read.decode import decode
from dateline.read.metadata import MAX_ALTERNATIVES, confidence
from dateline.read.sniff import looks_like_html
from dateline.read.text import PageDump, read_page_dump

__all__ = ["read", "read_text"]

_SPACES = re.compile(r"[ \t\u00a0\u2009\u200a\u202f]+")


def _clean(paragraph: str) -> str:
    return _SPACES.sub(" ", paragraph).strip()


# Language identification reads this many characters: plenty for an article's language, at a fifth of the cost.
LANGUAGE_SAMPLE = 1000


def detect_language(text: str) -> str | None:
    sample = text[:LANGUAGE_SAMPLE]
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
    metadata: Metadata | None = None,
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
        metadata=metadata or Metadata(),
        paragraphs=spans,
    )


def read_text(text: str, source: str | None = None, url: str | None = None) -> Document:
    """Read decoded input: an HTML page or a plain-text page dump."""
    if looks_like_html(text):
        from dateline.read.html import read_html  # trafilatura: loaded for web pages only

        article = read_html(text, url=url)
        document = assemble(
            article.text.split("\n"),
            source=source,
            title=article.title,
            published=article.published,
            publisher=article.publisher,
            authors=article.authors,
            url=article.url,
            metadata=article.metadata,
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
        metadata=header_evidence(page),
    )


def header_evidence(page: PageDump) -> Metadata:
    """A page dump's metadata all comes from the lines above its text."""

    def evidence(field_name: str, value: object) -> FieldEvidence | None:
        if not value:
            return None
        return FieldEvidence("text-header", None, confidence(field_name, "text-header", False))

    return Metadata(
        published=evidence("date", page.published),
        published_kind="published" if page.published else None,
        authors=evidence("authors", page.authors),
        title=evidence("title", page.title),
        publisher=evidence("publisher", page.publisher),
    )


def read(raw: RawInput, published: str | None = None) -> Document:
    """Read one raw input; `published` (or the input's own) overrides a date found in the page."""
    # a file name may not be valid UTF-8 (Python keeps its bytes as lone surrogates): it could not be written out
    source, url = without_surrogates(raw.source), raw.url and without_surrogates(raw.url)
    document = read_text(decode(raw.data), source=source, url=url)
    given = published or raw.published
    if given:
        _set_date(document, given, "input")
    elif document.published is None and raw.crawled:
        _set_date(document, raw.crawled, "crawl")
    return document


def _set_date(document: Document, value: str, source: MetadataSource) -> None:
    """A date from outside the page: the page's own, if it gave one, is kept as the alternative."""
    own = document.metadata.published
    alternatives = []
    if own is not None and document.published and document.published != value:
        alternatives = [Evidence(document.published, own.source, own.key), *own.alternatives]
    document.published = value
    document.metadata.published = FieldEvidence(
        source, None, confidence("date", source, False), alternatives=alternatives[:MAX_ALTERNATIVES]
    )
    document.metadata.published_kind = "published"
