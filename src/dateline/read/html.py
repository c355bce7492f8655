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
from collections.abc import Callable, Collection, Iterable, Iterator
from copy import deepcopy
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import Any

import trafilatura
from trafilatura.baseline import baseline
from trafilatura.settings import Document
from trafilatura.utils import load_html
from trafilatura.xml import xmltotxt

from dateline.errors import InputError, describe, third_party
from dateline.model import Metadata
from dateline.read.metadata import read_metadata
from dateline.read.names import is_byline
from dateline.read.text import is_prose

# lxml ships no type stubs: elements of the extracted body tree are typed loosely
Element = Any

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
# Bylines are looked for among this many first and last lines of the text.
EDGE_LINES = 3
# A page reads as an article when its prose (not furniture) has at least this many words.
MIN_ARTICLE_WORDS = 25
# Titles shorter than this are too generic to be matched inside a paragraph.
MIN_TITLE_CHARS = 15

# Post-filter steps in the order they were added and measured (the evaluation's rows are
# cumulative in this order); `main_text(steps=...)` runs a subset.  They run additions first,
# so that what is added back passes the same removals.
STEPS = ("leading", "boilerplate", "continuation", "embeds", "fill")
# A line this share upper-case (of at least SHOUT_LETTERS letters) is a promo or a related link, not prose.
SHOUT_SHARE = 0.8
SHOUT_LETTERS = 10
# Block elements whose text is a paragraph of a reading.
_BLOCKS = ("p", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre")
# The fill step reads the block holding the precise paragraphs and this many levels of elements around it.
FILL_MARGIN = 0
# The fill step takes short lines between kept paragraphs (subheads) only in runs shorter than this.
FILL_RUN = 3
# A precise reading of fewer paragraphs may have missed the main block (it found a notice or a caption):
# the fill step then reads the whole page again instead of the block around them.
FILL_BLOCK_LINES = 3
_SENTENCE_END = tuple('.!?"\u201d\u2019)')
# Elements whose class says they hold a picture's caption or a promotion of another story.
_CAPTION_OR_PROMO = re.compile(r"caption|promo", re.I)


@dataclass
class HtmlArticle:
    text: str
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None
    metadata: Metadata = field(default_factory=Metadata)
    warnings: list[str] = field(default_factory=list)


@cache
def _patterns(name: str = "html_boilerplate.txt") -> re.Pattern[str]:
    """The file's expressions as one alternation: one search a paragraph instead of one per line."""
    raw = resources.files("dateline.read").joinpath("data", name).read_text(encoding="utf-8")
    lines = [line.strip() for line in raw.splitlines() if line.strip() and not line.startswith("#")]
    return re.compile("|".join(f"(?:{line})" for line in lines), re.I)


def _text(element: Element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _norm(text: str) -> str:
    return " ".join(_WORD.findall(text.casefold()))


def _n_words(text: str) -> int:
    return len(_WORD.findall(text))


def is_boilerplate(text: str) -> bool:
    """A short paragraph with the shape of page furniture (data/html_boilerplate.txt)."""
    text = text.strip()
    return _n_words(text) <= SHORT_WORDS and _patterns().search(text) is not None


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
    if is_headline(text, titles):
        return True
    if _n_words(text) > LEADING_WORDS:
        return False
    # a standfirst is a sentence: kept even when it comes first as a heading or mentions a date
    standfirst = is_prose(text) and not _BYLINE.match(text)
    # a heading on top is the headline or a kicker; one further down may be a pull quote
    if element.tag == "head" and first:
        return not standfirst
    return bool(_BYLINE.match(text) or (_DATE_LINE.search(text) and not standfirst) or is_boilerplate(text))


def _drop(element: Element) -> None:
    parent = element.getparent()
    if parent is not None:
        parent.remove(element)


def _drop_leading(body: Element, titles: list[str]) -> list[str]:
    """Headline, kicker, byline and date lines above the first paragraph of the story (returned, in order)."""
    first = True
    dropped = []
    while len(body) and _is_leading_furniture(body[0], text := _text(body[0]), titles, first):
        dropped.append(text)
        _drop(body[0])
        first = False
    return dropped


def _drop_where(body: Element, test: Callable[[str], bool]) -> None:
    for element in list(body):
        if test(_text(element)):
            _drop(element)


@dataclass
class PageIndex:
    """What the post-filters look up in the page, found once for all readings of it."""

    tree: Any
    paragraphs: list[tuple[Element, str]]  # block elements with their normalized text, in page order
    titles: list[str]
    embeds: list[Element]

    @classmethod
    def of(cls, tree: Any) -> PageIndex:
        return cls(
            tree,
            [(e, " ".join(_WORD.findall(" ".join(e.itertext()).casefold()))) for e in tree.iter(*_BLOCKS)],
            _title_candidates(tree),
            tree.xpath(_EMBEDS),
        )


def continuation(tree: Any, body: Element, index: PageIndex | None = None) -> list[str]:
    """Paragraphs of later chunks of an article body that the page split around ads.

    Some layouts cut the body into sibling containers of the same class under
    one parent grid; the extractor keeps the first.  The chunks after it are
    found from the container that holds the last extracted paragraph.
    """
    paragraphs = [p for p in body.iter("p") if _n_words(_text(p)) >= 8]
    if not paragraphs:
        return []
    last = _norm(_text(paragraphs[-1]))
    found = index.paragraphs if index is not None else ((p, _norm(_text(p))) for p in tree.iter("p"))
    box = next((p.getparent() for p, norm in found if p.tag == "p" and norm == last), None)
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


def restore_embeds(tree: Any, body: Element, index: PageIndex | None = None) -> None:
    """Put back embedded posts the extractor left out, after the paragraph that precedes them on the page."""
    quotes = index.embeds if index is not None else tree.xpath(_EMBEDS)
    if not quotes:
        return
    kept = _norm(_text(body))
    anchors = {_norm(_text(e)): e for e in body if _n_words(_text(e)) >= 3}
    for quote in quotes:
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


def _is_pointer(text: str) -> bool:
    """A short line that points to other stories or coverage (data/pointers.txt)."""
    return _n_words(text) <= LEADING_WORDS and _patterns("pointers.txt").search(text) is not None


def _is_date_stamp(text: str) -> bool:
    return _n_words(text) <= LEADING_WORDS and bool(_DATE_LINE.search(text))


def captions_and_promos(tree: Any) -> set[str]:
    """The normalized texts of the page's elements whose class names a caption or a promo."""
    return {
        _norm(_text(e)) for e in tree.xpath("//*[@class]") if _CAPTION_OR_PROMO.search(e.get("class", ""))
    }


def fill_gaps(precise: list[str], fuller: list[str], furniture: Collection[str] = ()) -> list[str]:
    """The precise paragraphs, with what a fuller reading of the same body adds back.

    Precision mode drops subheads and short paragraphs inside the story along
    with the furniture around it.  Only when the fuller reading holds every
    precise paragraph (the same body, not another block of the page) are its
    extra paragraphs taken: those between two precise ones, and those before
    or after only when they are prose of article length.  Never taken: promos
    in capitals, short date-stamped lines, pointers to related stories or
    coverage, and runs of FILL_RUN or more short lines in a row (a list of
    links, not subheads), and the `furniture` lines (normalized texts of
    captions and promos, `captions_and_promos`).
    """
    kept = {_norm(p) for p in precise}
    if not kept or not kept <= {_norm(p) for p in fuller}:
        return precise
    inside = [i for i, p in enumerate(fuller) if _norm(p) in kept]
    first, last = inside[0], inside[-1]
    filled: list[str] = []
    run: list[str] = []  # short lines added in a row, taken only if the run stays short

    def end_run() -> None:
        if len(run) < FILL_RUN:
            filled.extend(run)
        run.clear()

    for i, paragraph in enumerate(fuller):
        if _norm(paragraph) in kept:
            end_run()
            filled.append(paragraph)
        elif (
            _norm(paragraph) in furniture
            or is_boilerplate(paragraph)
            or is_shouting(paragraph)
            or _is_date_stamp(paragraph)
            or _is_pointer(paragraph)
        ):
            continue
        elif first < i < last and _n_words(paragraph) <= LEADING_WORDS and not _is_prose(paragraph):
            run.append(paragraph)
        elif first < i < last or _is_prose(paragraph):
            end_run()
            filled.append(paragraph)
    end_run()
    return filled


def _filter(index: PageIndex, body: Element, steps: Collection[str]) -> list[str]:
    """Run the post-filter steps on an extracted body; returns the lines dropped from its top."""
    header: list[str] = []
    if "continuation" in steps:
        for text in continuation(index.tree, body, index):
            paragraph = body.makeelement("p")
            paragraph.text = text
            body.append(paragraph)
    if "embeds" in steps:
        restore_embeds(index.tree, body, index)
    if "leading" in steps:
        header = _drop_leading(body, index.titles)
    if "boilerplate" in steps:
        _drop_where(body, is_boilerplate)
    return header


@dataclass
class Reading:
    """One reading of a page's body: its lines, and the short lines dropped from above it."""

    lines: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)


def _reading(
    index: PageIndex,
    url: str | None,
    steps: Collection[str],
    *,
    precise: bool,
    fast: bool = False,
    part: Any = None,
) -> Reading:
    """One reading by trafilatura (of `part` of the page, if given), with the post-filters run on its body."""
    document = trafilatura.bare_extraction(
        index.tree if part is None else part,
        url=url,
        fast=fast,
        include_comments=False,
        favor_precision=precise,
        favor_recall=not precise,
        # "txt" takes the same path as trafilatura.extract; the text is rendered below
        output_format="txt",
    )
    if not isinstance(document, Document) or document.body is None:
        return Reading()
    header = _filter(index, document.body, steps)
    return Reading([line for line in xmltotxt(document.body, False).split("\n") if line.strip()], header)


def body_block(index: PageIndex, lines: list[str]) -> Any:
    """The page's element that holds the paragraphs of a reading (and FILL_MARGIN levels around them), if any.

    The lowest common ancestor of the page's block elements whose text is a
    line of the reading; None when fewer than two lines are found or when it
    is the whole page.
    """
    kept = {_norm(line) for line in lines}
    matched = [e for e, norm in index.paragraphs if norm in kept]
    if len(matched) < 2:
        return None
    chain = [matched[0], *matched[0].iterancestors()]
    depth = {id(e): i for i, e in enumerate(chain)}
    lowest = 0
    for element in matched[1:]:
        for ancestor in (element, *element.iterancestors()):
            if id(ancestor) in depth:
                lowest = max(lowest, depth[id(ancestor)])
                break
    block = chain[min(lowest + FILL_MARGIN, len(chain) - 1)]
    if block.tag in ("body", "html") or block.getparent() is None:
        return None
    return block


def _fuller(index: PageIndex, url: str | None, steps: Collection[str], precise: list[str]) -> list[str]:
    """The recall reading of the block that holds the precise paragraphs (none if no such block is found).

    Reading only that block costs a fraction of reading the page again, and the
    fill step takes nothing from outside it anyway.  A precise reading of fewer
    than FILL_BLOCK_LINES paragraphs is no sign of the page's main block: the
    whole page is read.
    """
    if len(precise) < FILL_BLOCK_LINES:
        return _reading(index, url, steps, precise=False).lines
    block = body_block(index, precise)
    if block is None:
        # the precise lines are not the page's paragraphs (lists, loose text): nothing to fill them from
        return precise
    part = index.tree.makeelement("html")
    part.append(index.tree.makeelement("body"))
    # the block is lent to the small page and put back after: trafilatura reads a copy of what it is given
    parent, at = block.getparent(), block.getparent().index(block)
    part[0].append(block)
    try:
        return _reading(index, url, steps, precise=False, fast=True, part=part).lines
    finally:
        parent.insert(at, block)


def _extract(tree: Any, url: str | None, steps: Collection[str]) -> Reading:
    index = PageIndex.of(tree)
    reading = _reading(index, url, steps, precise=True)
    if reading.lines and "fill" in steps:
        fuller = _fuller(index, url, steps, reading.lines)
        if fuller != reading.lines:
            reading.lines = fill_gaps(reading.lines, fuller, captions_and_promos(tree))
    return reading


def _joined(lines: list[str]) -> str:
    return unicodedata.normalize("NFC", "\n".join(lines)).strip()


def main_text(html: str, url: str | None = None, *, steps: Collection[str] = STEPS) -> str:
    """The article body of a page as paragraphs separated by newlines ('' when none is found).

    `steps` names the post-filters to run (all by default); the evaluation uses
    subsets of them to measure what each adds.
    """
    tree = load_html(html)
    if tree is None:
        return ""
    return _joined(_extract(tree, url, steps).lines)


def reads_as_article(lines: list[str]) -> bool:
    """Whether some lines read as an article: enough words of prose that is not page furniture.

    A login wall, a list of links or a gallery of captions has none; a short
    news brief has a few sentences.
    """
    words = 0
    for line in lines:
        if is_prose(line) and not is_boilerplate(line):
            words += _n_words(line)
            if words >= MIN_ARTICLE_WORDS:
                return True
    return False


def _fallbacks(tree: Any, url: str | None) -> Iterator[Reading]:
    """Readings tried in turn when the precise one finds no article: recall mode, then trafilatura's baseline."""
    yield _reading(PageIndex.of(tree), url, STEPS, precise=False)
    # baseline() reads paragraphs and the whole text of the page without the extractor's rules
    _, text, _ = baseline(tree)  # baseline() reads a copy of an element it is given
    yield Reading([line for line in text.split("\n") if line.strip()])


def read_html(html: str, url: str | None = None) -> HtmlArticle:
    with third_party("reading the HTML page"):
        tree = load_html(html)
    if tree is None:
        raise InputError("no article text found in the HTML page: it holds no HTML elements")
    with third_party("reading the HTML page"):
        reading = _extract(tree, url, STEPS)
        if not reads_as_article(reading.lines):
            reading = next((r for r in _fallbacks(tree, url) if reads_as_article(r.lines)), reading)
    if not reads_as_article(reading.lines):
        raise InputError("no article text found in the HTML page: nothing on it reads as prose")
    header = [line for line in reading.header if _n_words(line) <= LEADING_WORDS]
    # bylines above the text, or among its first and last lines ("von Jane Doe", "Autor: Jane Doe")
    edges = [*header, *reading.lines[:EDGE_LINES], *reading.lines[-EDGE_LINES:]]
    try:
        with third_party("reading the page's metadata (title, date, authors)"):
            meta = read_metadata(
                tree, url, header_lines=header, header_bylines=[e for e in edges if is_byline(e)]
            )
    except InputError as exc:
        # malformed markup that trips the metadata step (lxml asserts on some trees) costs the metadata only
        return HtmlArticle(text=_joined(reading.lines), url=url, warnings=[describe(exc)])
    return HtmlArticle(
        text=_joined(reading.lines),
        title=meta.title,
        published=meta.published,
        publisher=meta.publisher,
        authors=meta.authors,
        url=meta.url,
        metadata=meta.evidence,
    )
