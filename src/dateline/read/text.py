"""Plain-text page dumps: a header (title, date, publisher, byline), the article, and chrome.

A copy-paste of a news page keeps its furniture as short lines: button labels,
video timestamps, lists of other headlines.  A line is article text when it has
the shape of prose; the rest is chrome, classified by general features (length,
sentence punctuation, timestamps, a vocabulary of UI words kept in `data/`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

import dateparser

_WORD = re.compile(r"\w+(?:[’'.-]\w+)*")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]」』]*$|[\"”]$")
# Scripts written without spaces: count their characters, two to a word.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_TIMESTAMP = re.compile(r"^\(?\d{1,2}:\d{2}(?::\d{2})?\)?$")
_COUNTER = re.compile(r"\s*[(\[]?\d+[)\]]?$")
_COPYRIGHT = re.compile(r"^(©|\(c\)|copyright\b|all rights reserved)", re.IGNORECASE)
_LABELLED = re.compile(
    r"^(read more|related|see also|also read|watch|listen|photo|image|video|source|credit|file photo)\s*[:|-]",
    re.IGNORECASE,
)
_BYLINE = re.compile(r"^(?:by|written by|reporting by|words by)\s+(.+)$", re.IGNORECASE)
_DATE_LABEL = re.compile(
    r"^(?:last\s+)?(?:updated|published|posted|modified|first published|date)(?:\s+on)?\s*[:|-]?\s*",
    re.IGNORECASE,
)
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DATE_SHAPE = re.compile(
    rf"\b\d{{4}}-\d{{1,2}}-\d{{1,2}}\b|\b\d{{1,2}}[/.]\d{{1,2}}[/.]\d{{2,4}}\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?[\s-]+{_MONTH}[\s,-]+\d{{4}}\b|\b{_MONTH}\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b",
    re.IGNORECASE,
)


@cache
def _vocabulary(name: str) -> frozenset[str]:
    raw = resources.files("dateline.read").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in raw.splitlines() if line.strip() and not line.startswith("#")
    )


def _bare(line: str) -> str:
    return _COUNTER.sub("", line.strip().strip(":|·•-–—»›>").strip()).lower()


def words(line: str) -> list[str]:
    return _WORD.findall(line)


def is_prose(line: str) -> bool:
    """A line that reads as running text: sentence punctuation and enough words, or many words."""
    n = len(words(line)) + len(_UNSPACED.findall(line)) // 2
    return n >= 25 or (n >= 5 and bool(_SENTENCE_END.search(line.strip())))


def is_chrome(line: str) -> bool:
    """Furniture of a page: UI words, timestamps, labels, copyright lines."""
    stripped = line.strip()
    return (
        _bare(stripped) in _vocabulary("chrome.txt")
        or bool(_TIMESTAMP.match(stripped))
        or bool(_COPYRIGHT.match(stripped))
        or bool(_LABELLED.match(stripped))
        or not words(stripped)
    )


def ends_article(line: str) -> bool:
    return _bare(line) in _vocabulary("section_ends.txt")


def parse_date(line: str) -> str | None:
    """An ISO 8601 date or datetime from a dateline such as 'Updated 12:21, 27-Jul-2021'."""
    if len(words(line)) > 12:
        return None
    rest = _DATE_LABEL.sub("", line.strip())
    if not _DATE_SHAPE.search(rest):
        return None
    parsed = dateparser.parse(
        rest,
        languages=["en"],
        settings={"REQUIRE_PARTS": ["day", "month", "year"], "RETURN_AS_TIMEZONE_AWARE": False},
    )
    if parsed is None:
        match = _DATE_SHAPE.search(rest)
        assert match is not None
        parsed = dateparser.parse(match.group(0), languages=["en"])
        if parsed is None:
            return None
        return str(parsed.date().isoformat())
    has_time = re.search(r"\b\d{1,2}:\d{2}\b", rest) is not None
    return str(parsed.isoformat(timespec="minutes") if has_time else parsed.date().isoformat())


@dataclass
class PageDump:
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)


def _blocks(text: str) -> list[list[str]]:
    """Runs of non-blank lines."""
    blocks: list[list[str]] = [[]]
    for line in text.splitlines():
        if line.strip():
            blocks[-1].append(line.strip())
        elif blocks[-1]:
            blocks.append([])
    return [b for b in blocks if b]


def _authors(byline: str) -> list[str]:
    names = re.split(r",\s*|\s+and\s+|\s*&\s*", byline)
    return [n.strip() for n in names if n.strip() and len(words(n)) <= 5]


def read_page_dump(text: str) -> PageDump:
    page = PageDump()
    lines = [line for block in _blocks(text) for line in block]
    first_prose = next((i for i, line in enumerate(lines) if is_prose(line)), len(lines))
    header = lines[:first_prose]
    _parse_header(header, page)

    paragraphs: list[str] = []
    position = -1
    for block in _blocks(text):
        kept: list[str] = []
        for line in block:
            position += 1
            if position < first_prose:
                continue
            if paragraphs and ends_article(line):
                return _done(page, paragraphs, kept)
            if byline := _BYLINE.match(line):
                if not page.authors and len(words(line)) <= 8:
                    page.authors = _authors(byline.group(1))
                continue
            if is_chrome(line) or not is_prose(line):
                if kept:
                    paragraphs.append(" ".join(kept))
                    kept = []
                continue
            kept.append(line)
        if kept:
            paragraphs.append(" ".join(kept))
    return _done(page, paragraphs, [])


def _done(page: PageDump, paragraphs: list[str], kept: list[str]) -> PageDump:
    if kept:
        paragraphs.append(" ".join(kept))
    page.paragraphs = paragraphs
    return page


def _parse_header(header: list[str], page: PageDump) -> None:
    candidates: list[tuple[int, str]] = []
    date_at: int | None = None
    for i, line in enumerate(header):
        if is_chrome(line):
            continue
        if byline := _BYLINE.match(line):
            page.authors = _authors(byline.group(1))
            continue
        if page.published is None and (date := parse_date(line)):
            page.published, date_at = date, i
            continue
        candidates.append((i, line))
    titled = [c for c in candidates if len(words(c[1])) >= 3]
    if titled:
        page.title = max(titled, key=lambda c: len(words(c[1])))[1]
    # The publisher is a short name standing beside the dateline or under the title.
    short = [(i, line) for i, line in candidates if len(words(line)) <= 4 and line != page.title]
    if short:
        anchor = date_at if date_at is not None else 0
        page.publisher = min(short, key=lambda c: abs(c[0] - anchor))[1]
