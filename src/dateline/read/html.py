"""HTML pages: main text and metadata with trafilatura.

Fast path first: trafilatura's own extraction in its precision mode, which on
the article-extraction benchmark beats its default and its recall mode.  Its
body still carries furniture that the benchmark's gold (and a reader) leaves
out: the headline repeated on top, bylines and reading times, "Read more" and
newsletter pitches, credit lines and comment counters at the end.  The
post-filters below drop those by general rules on the extracted body tree.
Two fallbacks add back what the extractor misses: the later chunks of a body
that the page splits around ads, and embedded posts (tweets) it drops as
link-heavy.  A last step fills what precision mode cut from a body that its recall
mode reads the same way: paragraphs between two kept ones, and article-length
prose just before or after them.  Every step was kept only if it raised F1 on the tuning part of the benchmark
(`dateline eval extraction --split tune`); the figures per step are in
docs/evaluation.md.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Iterable
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import trafilatura
from trafilatura.settings import Document
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from dateline.errors import InputError, describe, third_party

# lxml ships no type stubs: elements of the extracted body tree are typed loosely
Element = Any

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|body|html|head|title|script|table|li|ul|h[1-6]|article|section)\b", re.I
)
_WORD = re.compile(r"\w+")
_BYLINE = re.compile(r"^(?:by|written by|words by|von|por|par|di)\s+\S", re.I)
_DATE_LINE = re.compile(
    r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}[/.]\d{1,2}[/.]\d{2,4}\b|\b\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\b"
    r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b"
    r"|\b\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|^(?:updated|published|posted|last (?:updated|modified))\b",
    re.I,
)

# A paragraph longer than this is article text even if it opens like furniture.
SHORT_WORDS = 40
# Leading lines (headline, byline, date) are this short at most.
LEADING_WORDS = 25
# A later chunk of the article body holds at least this many words.
CHUNK_WORDS = 50
# Embedded social posts are quoted content of the story; the extractor drops many of them as link-heavy.
_EMBEDS = '//blockquote[contains(concat(" ", normalize-space(@class), " "), " twitter-tweet ")]'
# How many paragraphs before an embedded post are searched for its place in the body.
EMBED_LOOKBACK = 5
# An embedded post already in the body is recognised by this many opening words.
EMBED_KEY_WORDS = 8
# Titles shorter than this are too generic to be matched inside a paragraph.
MIN_TITLE_CHARS = 15

# Post-filter steps in the order they were added and measured (the evaluation's rows are
# cumulative in this order); `main_text(steps=...)` runs a subset.  They run additions first,
# so that what is added back passes the same removals.
STEPS = ("leading", "boilerplate", "continuation", "embeds", "fill")
# A line this share upper-case (of at least SHOUT_LETTERS letters) is a promo or a related link, not prose.
SHOUT_SHARE = 0.8
SHOUT_LETTERS = 10
_SENTENCE_END = tuple('.!?"\u201d\u2019)')


def looks_like_html(text: str) -> bool:
    head = text[:5000]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 5


@dataclass
class HtmlArticle:
    text: str
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    language: str | None = None
    warnings: list[str] = field(default_factory=list)


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    raw = (
        resources.files("dateline.read").joinpath("data", "html_boilerplate.txt").read_text(encoding="utf-8")
    )
    return tuple(
        re.compile(line.strip(), re.I)
        for line in raw.splitlines()
        if line.strip() and not line.startswith("#")
    )


def _text(element: Element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _n_words(text: str) -> int:
    return len(_WORD.findall(text))


def is_boilerplate(text: str) -> bool:
    """A short paragraph with the shape of page furniture (data/html_boilerplate.txt)."""
    text = text.strip()
    return _n_words(text) <= SHORT_WORDS and any(p.search(text) for p in _patterns())


def _title_candidates(tree: Any) -> list[str]:
    """What the page says its headline is: <title>, social-card titles, <h1>s."""
    found = [
        *tree.xpath("//head/title//text()"),
        *tree.xpath("//meta[@property='og:title' or @name='twitter:title' or @name='title']/@content"),
        *(_text(h) for h in tree.xpath("//h1")),
    ]
    return [n for n in (_norm(str(t)) for t in found) if n]


def is_headline(text: str, titles: Iterable[str]) -> bool:
    """The paragraph repeats the page title (titles often carry the site name too: 'Headline | Site')."""
    norm = _norm(text)
    if not norm:
        return False
    return any(norm == t or (len(norm) >= MIN_TITLE_CHARS and norm in t) for t in titles)


def _is_leading_furniture(element: Element, text: str, titles: list[str], first: bool) -> bool:
    # a heading on top is the headline or a kicker; one further down may be a pull quote
    if (element.tag == "head" and first) or is_headline(text, titles):
        return True
    if _n_words(text) > LEADING_WORDS:
        return False
    return bool(_BYLINE.match(text) or _DATE_LINE.search(text) or is_boilerplate(text))


def _drop(element: Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _drop_leading(body: Element, titles: list[str]) -> None:
    """Headline, kicker, byline and date lines above the first paragraph of the story."""
    first = True
    while len(body) and _is_leading_furniture(body[0], _text(body[0]), titles, first):
        _drop(body[0])
        first = False


def _drop_where(body: Element, test: Callable[[str], bool]) -> None:
    for element in list(body):
        if test(_text(element)):
            _drop(element)


def continuation(tree: Any, body: Element) -> list[str]:
    """Paragraphs of later chunks of an article body that the page split around ads.

    Some layouts cut the body into sibling containers of the same class under
    one parent grid; the extractor keeps the first.  The chunks after it are
    found from the container that holds the last extracted paragraph.
    """
    paragraphs = [p for p in body.iter("p") if _n_words(_text(p)) >= 8]
    if not paragraphs:
        return []
    last = _norm(_text(paragraphs[-1]))
    box = next((p.getparent() for p in tree.iter("p") if _norm(_text(p)) == last), None)
    if box is None or not box.get("class") or box.getparent() is None:
        return []
    grid = box.getparent().getparent()
    if grid is None:
        return []
    chunks: list[str] = []
    after = False
    for other in grid.iter(box.tag):
        if other is box:
            after = True
        elif after and other.get("class") == box.get("class") and other.getparent().getparent() is grid:
            texts = [t for t in (_text(p) for p in other.iter("p")) if t]
            if sum(map(_n_words, texts)) >= CHUNK_WORDS:
                chunks.extend(texts)
    return chunks


def _post_paragraphs(quote: Element) -> list[str]:
    """An embedded post as its paragraphs, then its attribution line ("— Name (@handle) date")."""
    paragraphs = [t for t in (_text(p) for p in quote.iter("p")) if t]
    rest = deepcopy(quote)
    for p in list(rest.iter("p")):
        # the attribution is often the tail of the post's paragraph: keep the tail, empty the rest
        p.text = None
        for child in list(p):
            p.remove(child)
    attribution = _text(rest)
    return [*paragraphs, attribution] if attribution else paragraphs


def restore_embeds(tree: Any, body: Element) -> None:
    """Put back embedded posts the extractor left out, after the paragraph that precedes them on the page."""
    kept = _norm(_text(body))
    anchors = {_norm(_text(e)): e for e in body if _n_words(_text(e)) >= 3}
    for quote in tree.xpath(_EMBEDS):
        paragraphs = _post_paragraphs(quote)
        # links inside the post may be missing from the extracted copy: compare its opening words only
        if not paragraphs or " ".join(_norm(paragraphs[0]).split()[:EMBED_KEY_WORDS]) in kept:
            continue
        # embeds sit in wrappers of their own: the nearest paragraphs before them in the page, not siblings
        nearest = reversed(quote.xpath("preceding::p")[-EMBED_LOOKBACK:])
        before = next((p for p in nearest if _norm(_text(p)) in anchors), None)
        if before is None:
            continue
        key = _norm(_text(before))
        for text in paragraphs:
            paragraph = body.makeelement("p")
            paragraph.text = text
            anchors[key].addnext(paragraph)
            # several posts after one paragraph keep their page order
            anchors[key] = paragraph


def is_shouting(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= SHOUT_LETTERS and sum(c.isupper() for c in letters) > SHOUT_SHARE * len(letters)


def _is_prose(text: str) -> bool:
    return _n_words(text) > SHORT_WORDS and text.rstrip().endswith(_SENTENCE_END)


def fill_gaps(precise: list[str], fuller: list[str]) -> list[str]:
    """The precise paragraphs, with what a fuller reading of the same body adds back.

    Precision mode drops subheads and short paragraphs inside the story along
    with the furniture around it.  Only when the fuller reading holds every
    precise paragraph (the same body, not another block of the page) are its
    extra paragraphs taken: those between two precise ones unless they shout
    (promos in capitals), and those before or after only when they are prose
    of article length.
    """
    kept = {_norm(p) for p in precise}
    if not kept or not kept <= {_norm(p) for p in fuller}:
        return precise
    inside = [i for i, p in enumerate(fuller) if _norm(p) in kept]
    first, last = inside[0], inside[-1]
    filled = []
    for i, paragraph in enumerate(fuller):
        if _norm(paragraph) in kept:
            filled.append(paragraph)
        elif is_boilerplate(paragraph) or is_shouting(paragraph):
            continue
        elif first < i < last or _is_prose(paragraph):
            filled.append(paragraph)
    return filled


def _filter(tree: Any, body: Element, steps: Collection[str]) -> None:
    if "continuation" in steps:
        for text in continuation(tree, body):
            paragraph = body.makeelement("p")
            paragraph.text = text
            body.append(paragraph)
    if "embeds" in steps:
        restore_embeds(tree, body)
    if "leading" in steps:
        _drop_leading(body, _title_candidates(tree))
    if "boilerplate" in steps:
        _drop_where(body, is_boilerplate)


def _body_lines(tree: Any, url: str | None, steps: Collection[str], *, precise: bool) -> list[str]:
    document = trafilatura.bare_extraction(
        tree,
        url=url,
        include_comments=False,
        favor_precision=precise,
        favor_recall=not precise,
        # "txt" takes the same path as trafilatura.extract; the text is rendered below
        output_format="txt",
    )
    if not isinstance(document, Document) or document.body is None:
        return []
    _filter(tree, document.body, steps)
    return [line for line in xmltotxt(document.body, False).split("\n") if line.strip()]


def _extract(tree: Any, url: str | None, steps: Collection[str]) -> str:
    lines = _body_lines(tree, url, steps, precise=True)
    if lines and "fill" in steps:
        lines = fill_gaps(lines, _body_lines(tree, url, steps, precise=False))
    return unicodedata.normalize("NFC", "\n".join(lines)).strip()


def main_text(html: str, url: str | None = None, *, steps: Collection[str] = STEPS) -> str:
    """The article body of a page as paragraphs separated by newlines ('' when none is found).

    `steps` names the post-filters to run (all by default); the evaluation uses
    subsets of them to measure what each adds.
    """
    tree = load_html(html)
    if tree is None:
        return ""
    return _extract(tree, url, steps)


def read_html(html: str, url: str | None = None) -> HtmlArticle:
    with third_party("reading the HTML page"):
        tree = load_html(html)
        text = _extract(tree, url, STEPS) if tree is not None else ""
    if not text.strip():
        raise InputError("no article text found in the HTML page")
    try:
        # only structured metadata is trusted for the date: one guessed from the page's text is worse than none
        with third_party("reading the page's metadata (title, date, authors)"):
            meta = trafilatura.extract_metadata(tree, default_url=url, extensive=False)
    except InputError as exc:
        # malformed markup that trips the metadata step (lxml asserts on some trees) costs the metadata only
        return HtmlArticle(text=text, url=url, warnings=[describe(exc)])
    if meta is None:
        return HtmlArticle(text=text, url=url)
    authors = [a.strip() for a in re.split(r";|,|\band\b", meta.author or "") if a.strip()]
    return HtmlArticle(
        text=text,
        title=meta.title,
        published=meta.date,
        publisher=meta.sitename,
        authors=authors,
        url=meta.url or url,
    )
