"""HTML pages: main text and metadata with trafilatura.

Fast path first: trafilatura's own extraction.  The settings and the fallback
were chosen by measurement on the article-extraction benchmark
(`dateline eval extraction`, docs/evaluation.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura
from trafilatura.settings import use_config

from dateline.errors import InputError

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|body|html|head|title|script|table|li|ul|h[1-6]|article|section)\b", re.I
)

# trafilatura reads the page's date from the text unless told not to; a date
# found there is worse than none, so only structured metadata is trusted.
_CONFIG = use_config()
_CONFIG.set("DEFAULT", "EXTRACTION_TIMEOUT", "0")


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


def main_text(html: str, url: str | None = None) -> str:
    """The article body of a page as paragraphs separated by newlines ('' when none is found)."""
    text = trafilatura.extract(
        html, url=url, include_comments=False, include_tables=False, favor_precision=True, config=_CONFIG
    )
    return text or ""


def read_html(html: str, url: str | None = None) -> HtmlArticle:
    text = main_text(html, url)
    if not text.strip():
        raise InputError("no article text found in the HTML page")
    meta = trafilatura.extract_metadata(html, default_url=url)
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
