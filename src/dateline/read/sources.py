"""An HTML page's metadata with its evidence: every value a page gives, where it gives it.

`collect` reads the parsed page once for what it says about its date, authors,
title and site: schema.org JSON-LD, <meta> tags, microdata, <time> elements,
author elements, the URL.  `dateline.read.metadata` then keeps the
best value of each field and records the others as alternatives.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from dateline.model import DateKind, MetadataSource
from dateline.read.dates import PageDate, date_in_url, parse_date
from dateline.read.names import is_byline, opens_byline

# lxml ships no type stubs
Element = Any


@dataclass(frozen=True)
class Candidate:
    """One value the page gives for a field (a date, an author string, a title, a site name)."""

    value: str
    source: MetadataSource
    key: str | None = None
    kind: DateKind = "published"
    date: PageDate | None = None
    shown: PageDate | None = None  # dates of <time> elements: the date their visible text shows

    @property
    def label(self) -> str:
        return f"{self.source}:{self.key}" if self.key else self.source


@dataclass
class PageFacts:
    """Everything the page says about its metadata, in the order found (most specific sources first)."""

    dates: list[Candidate] = field(default_factory=list)
    authors: list[Candidate] = field(default_factory=list)
    organizations: list[Candidate] = field(default_factory=list)
    titles: list[Candidate] = field(default_factory=list)
    sites: list[Candidate] = field(default_factory=list)
    url: str | None = None


# ---- what each metadata key means -----------------------------------------------------------

_PUBLISHED_KEYS = frozenset(
    {
        "article:published_time", "og:published_time", "og:article:published_time", "article:published",
        "article.published", "datepublished", "datecreated", "pubdate", "publishdate", "publish-date",
        "publish_date", "published_time", "published-date", "date", "dc.date", "dc.date.issued",
        "dc.date.created", "dc:date", "dcterms.date", "dcterms.issued", "dcterms.created",
        "sailthru.date", "parsely-pub-date", "citation_publication_date", "citation_date",
        "citation_online_date", "originalpublicationdate", "article_date_original", "bt:pubdate",
        "cxenseparse:recs:publishtime", "release_date", "displaydate", "dc.date.published",
    }
)  # fmt: skip
_MODIFIED_KEYS = frozenset(
    {
        "article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "article.updated",
        "lastmod", "last-modified", "modified", "revised", "dc.date.modified", "updated_time",
        "cxenseparse:esp-modified_time", "article:updated_time",
    }
)  # fmt: skip
_AUTHOR_KEYS = frozenset(
    {
        "author", "article:author", "dc.creator", "dc:creator", "dcterms.creator", "parsely-author",
        "sailthru.author", "byl", "citation_author", "cxenseparse:author", "authors", "article.author",
        "shareaholic:article_author_name", "cxenseparse:esp-author-id",
    }
)  # fmt: skip
_TITLE_KEYS = (
    "og:title",
    "twitter:title",
    "dc.title",
    "dcterms.title",
    "parsely-title",
    "sailthru.title",
    "headline",
    "title",
)
_SITE_KEYS = (
    "og:site_name",
    "application-name",
    "publisher",
    "dc.publisher",
    "dcterms.publisher",
    "twitter:site",
)
# schema.org types of the article itself, before pages, sites and the rest
_ARTICLE_TYPES = re.compile(r"article|posting|report|review|recipe|story|creativework|release", re.I)
_PAGE_TYPES = re.compile(r"webpage|itempage|collectionpage|aboutpage", re.I)
_ORGANIZATION_TYPES = re.compile(r"organi[sz]ation|corporation|newsmedia|ngo|brand|company", re.I)
_URL_LIKE = re.compile(r"^(?:https?:)?//|^www\.|\.(?:com|net|org)/", re.I)
# web.archive.org/web/20080731095558/http://www.example.de/...: the archived page's own address
_ARCHIVED = re.compile(r"^(?:https?://)?web\.archive\.org/web/[^/]+/(.+)$", re.I)
_JSON_CONTROL = re.compile(r"[\x00-\x1f]")
_BYLINE_CLASS = re.compile(r"(?:^|[\s_-])(?:author|byline|autor|auteur|autore|writer)(?:[\s_-]|name|$)", re.I)
_NOT_BYLINE_CLASS = re.compile(
    r"avatar|bio|desc|image|img|photo|pic|about|box|social|follow|comment|more|testimonial|quote|review", re.I
)
# An author element longer than this is a bio, not a byline.
BYLINE_WORDS = 12
# The date shown under the headline is searched among this many elements after it, up to the first paragraph
# of prose (a <p> of more than HEADER_PROSE_WORDS words), in element texts of at most HEADER_DATE_WORDS words.
HEADER_ELEMENTS = 60
HEADER_PROSE_WORDS = 25
HEADER_DATE_WORDS = 8
# Only the first few <time> elements and author elements: later ones belong to teasers and comments.
FIRST_ELEMENTS = 6


def _words(text: str) -> list[str]:
    return text.split()


def _text(element: Element) -> str:
    return " ".join(" ".join(element.itertext()).split())


def _add_date(facts: PageFacts, text: Any, source: MetadataSource, key: str, kind: DateKind) -> None:
    if not isinstance(text, str):
        return
    found = parse_date(text)
    if found is not None:
        facts.dates.append(Candidate(found.value, source, key, kind, found))


# ---- JSON-LD --------------------------------------------------------------------------------


def _string(value: Any) -> str | None:
    """A JSON-LD string value, with the HTML entities some sites leave in it ("&quot;") resolved."""
    return " ".join(html.unescape(value).split()) if isinstance(value, str) else None


def _json_objects(raw: str) -> list[Any]:
    try:
        return [json.loads(raw)]
    except ValueError:
        pass
    try:
        # raw line breaks inside strings are the commonest fault of hand-made JSON-LD
        return [json.loads(_JSON_CONTROL.sub(" ", raw))]
    except ValueError:
        return []


def _nodes(data: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    """The typed objects of a JSON-LD block: top level, inside @graph and lists, and their mainEntity."""
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data:
            yield from _nodes(item, depth + 1)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), dict | list):
                yield from _nodes(data[key], depth + 1)


def _types(node: dict[str, Any]) -> str:
    kind = node.get("@type", "")
    return " ".join(str(k) for k in kind) if isinstance(kind, list) else str(kind)


def _names(value: Any) -> Iterator[tuple[str, bool]]:
    """Names in an author or publisher value, each with whether it is typed as an organisation."""
    if isinstance(value, str):
        yield html.unescape(value), False
    elif isinstance(value, list):
        for item in value:
            yield from _names(item)
    elif isinstance(value, dict):
        name = value.get("name")
        if isinstance(name, list):
            name = " ".join(str(n) for n in name)
        if isinstance(name, str):
            yield html.unescape(name), bool(_ORGANIZATION_TYPES.search(_types(value)))
        elif isinstance(value.get("givenName"), str) and isinstance(value.get("familyName"), str):
            yield f"{value['givenName']} {value['familyName']}", False


def _read_json_ld(tree: Any, facts: PageFacts) -> None:
    nodes: list[dict[str, Any]] = []
    for script in tree.iter("script"):
        if "ld+json" in (script.get("type") or "").lower() and script.text:
            for data in _json_objects(script.text):
                nodes.extend(_nodes(data))
    # the article's own object first, then pages, then anything else
    ranked = sorted(
        nodes,
        key=lambda n: 0 if _ARTICLE_TYPES.search(_types(n)) else 1 if _PAGE_TYPES.search(_types(n)) else 2,
    )
    for node in ranked:
        types = _types(node)
        if _ORGANIZATION_TYPES.search(types) or re.search(r"person|imageobject|videoobject", types, re.I):
            continue
        is_site = re.search(r"website", types, re.I) is not None
        for key, kind in (
            ("datePublished", "published"),
            ("dateCreated", "published"),
            ("dateModified", "modified"),
        ):
            if not is_site:
                _add_date(facts, node.get(key), "json-ld", key, kind)  # type: ignore[arg-type]
        if is_site:
            if site := _string(node.get("name")):
                facts.sites.append(Candidate(site, "json-ld", "WebSite.name"))
            continue
        headline = _string(node.get("headline"))
        if headline and (_ARTICLE_TYPES.search(types) or not facts.titles):
            facts.titles.append(Candidate(headline, "json-ld", "headline"))
        for name, is_organization in _names(node.get("author")):
            target = facts.organizations if is_organization else facts.authors
            target.append(Candidate(name, "json-ld", "author"))
        for name, _ in _names(node.get("publisher")):
            facts.sites.append(Candidate(name, "json-ld", "publisher"))


# ---- meta tags and microdata ----------------------------------------------------------------


def _read_meta(tree: Any, facts: PageFacts) -> None:
    titles: dict[str, Candidate] = {}
    sites: dict[str, Candidate] = {}
    for meta in tree.iter("meta"):
        itemprop = meta.get("itemprop")
        key = (meta.get("property") or meta.get("name") or itemprop or "").strip().lower()
        content = (meta.get("content") or "").strip()
        if not key or not content:
            continue
        source: MetadataSource = "microdata" if itemprop and key == itemprop.strip().lower() else "meta"
        if key in _PUBLISHED_KEYS:
            _add_date(facts, content, source, key, "published")
        elif key in _MODIFIED_KEYS:
            _add_date(facts, content, source, key, "modified")
        elif key in _AUTHOR_KEYS and not _URL_LIKE.search(content):
            facts.authors.append(Candidate(content, source, key))
        elif key in _TITLE_KEYS:
            titles.setdefault(key, Candidate(content, source, key))
        elif key in _SITE_KEYS and not content.startswith("@"):
            sites.setdefault(key, Candidate(content, source, key))
    facts.titles.extend(titles[k] for k in _TITLE_KEYS if k in titles)
    facts.sites.extend(sites[k] for k in _SITE_KEYS if k in sites)


def _read_microdata(element: Element, facts: PageFacts) -> None:
    """What an element's itemprop says: a date, an author, a headline (meta elements are read with the tags)."""
    prop = element.get("itemprop", "").strip()
    if prop in ("datePublished", "dateModified", "dateCreated"):
        kind: DateKind = "modified" if prop == "dateModified" else "published"
        value = element.get("datetime") or element.get("content") or _text(element)
        _add_date(facts, value, "microdata", prop, kind)
    elif prop == "author" and len(facts.authors) < 2 * FIRST_ELEMENTS:
        names = element.xpath(".//*[@itemprop='name']")
        text = (names[0].get("content") or _text(names[0])) if names else _text(element)
        if text and len(_words(text)) <= BYLINE_WORDS:
            facts.authors.append(Candidate(text, "microdata", "author"))
    elif prop == "headline" and element.tag in ("h1", "h2"):
        facts.titles.append(Candidate(_text(element), "microdata", "headline"))


# ---- visible elements -----------------------------------------------------------------------


def _read_time_elements(tree: Any, facts: PageFacts) -> None:
    for element in list(tree.iter("time"))[:FIRST_ELEMENTS]:
        stamp = element.get("datetime") or element.get("content")
        found = parse_date(stamp) if stamp else None
        text = _text(element)
        shown = parse_date(text) if text else None
        stamped = found is not None
        found = found or shown  # no machine-readable stamp: only the words it shows
        if found is None:
            continue
        marks = " ".join(
            filter(None, (element.get("class"), element.get("itemprop"), _text_of_parent_class(element)))
        )
        kind: DateKind = "modified" if re.search(r"updat|modif", marks, re.I) else "published"
        key = "pubdate" if element.get("pubdate") is not None else element.get("itemprop") or None
        if not stamped:
            key = "text"
        facts.dates.append(Candidate(found.value, "time", key, kind, found, shown))


def _text_of_parent_class(element: Element) -> str | None:
    parent = element.getparent()
    return parent.get("class") if parent is not None else None


def _read_header_zone(tree: Any, facts: PageFacts) -> None:
    """The first date and byline shown under the headline, before the article's text starts.

    "15.12.2022", "3 May 2022", "von Jane Doe": what a reader sees as the
    article's date and author, in whatever markup the site uses.
    """
    headlines = list(tree.iter("h1"))[:1]
    if not headlines:
        return
    date_found = byline_found = False
    for element in headlines[0].xpath(f"following::*[position() <= {HEADER_ELEMENTS}]"):
        if element.tag in ("script", "style", "noscript"):
            continue
        if element.tag == "p" and len(_words(_text(element))) > HEADER_PROSE_WORDS:
            return
        text = (element.text or "").strip()
        if not date_found and text and len(_words(text)) <= HEADER_DATE_WORDS:
            found = parse_date(text)
            if found is not None:
                facts.dates.append(
                    Candidate(found.value, "text-header", "under h1", "published", found, found)
                )
                date_found = True
        # a byline opens with its lead word ("von", "By", "Autor:"), in the element's own text
        if not byline_found and text and len(_words(text)) <= BYLINE_WORDS and opens_byline(text):
            full = _text(element)
            if is_byline(full):
                facts.authors.append(Candidate(full, "text-header", "under h1"))
                byline_found = True
        if date_found and byline_found:
            return


def _read_elements(tree: Any, facts: PageFacts) -> None:
    """One walk over the page's elements for microdata and author elements.

    Author elements are rel=author links and elements whose class names an
    author or byline; only the first FIRST_ELEMENTS of them are kept.
    """
    found = 0
    for element in tree.iter():
        if element.get("itemprop") is not None and element.tag != "meta":
            _read_microdata(element, facts)
        if found >= FIRST_ELEMENTS:
            continue
        cls = element.get("class") or ""
        is_link = element.get("rel") == "author"
        if not (is_link or "uthor" in cls or "yline" in cls or "utor" in cls or "writer" in cls):
            continue
        if element.tag in ("script", "style", "img", "meta", "link", "body", "article", "section", "main"):
            continue
        if not is_link and (not _BYLINE_CLASS.search(cls) or _NOT_BYLINE_CLASS.search(cls)):
            continue
        text = _text(element)
        if not text or len(_words(text)) > BYLINE_WORDS:
            continue
        key = "rel=author" if is_link else f"class={cls.strip()[:40]}"
        facts.authors.append(Candidate(text, "byline", key))
        found += 1


def _read_titles(tree: Any, facts: PageFacts) -> None:
    for element in tree.iter("title"):
        # the document's own <title>, not one inside an <svg>
        if element.getparent() is not None and element.getparent().tag == "head":
            text = _text(element)
            if text:
                facts.titles.append(Candidate(text, "title"))
            break
    for element in list(tree.iter("h1"))[:3]:
        text = _text(element)
        if text:
            facts.titles.append(Candidate(text, "h1"))


def site_of(url: str | None) -> str | None:
    """The site's domain without its "www." ("heizung.de"); of an archived copy, the archived site's."""
    if not url:
        return None
    archived = _ARCHIVED.match(url)
    if archived:
        url = archived.group(1)
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.") or None


def collect(tree: Any, url: str | None = None) -> PageFacts:
    """Every date, author, title and site name the page gives, with where it gives it."""
    if url is None:
        canonical = next(
            (link.get("href") for link in tree.iter("link") if link.get("rel") == "canonical"), None
        )
        url = canonical or None
    facts = PageFacts(url=url)
    _read_json_ld(tree, facts)
    _read_meta(tree, facts)
    _read_elements(tree, facts)
    _read_time_elements(tree, facts)
    _read_header_zone(tree, facts)
    in_url = date_in_url(url)
    if in_url is not None:
        facts.dates.append(Candidate(in_url.value, "url", None, "published", in_url))
    _read_titles(tree, facts)
    return facts
