"""HTML pages: main text and metadata with trafilatura.

One trafilatura pass gives text and metadata; a pattern table then drops the
furniture paragraphs extractors keep.  Settings were chosen by measurement on
the article-extraction benchmark (`dateline eval extraction`, docs/evaluation.md).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import trafilatura

from dateline.read.boilerplate import clean_paragraphs

_HTML_START = re.compile(
    r"^\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title)\b", re.I | re.S
)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|body|html|head|title|script|table|li|ul|h[1-6]|article|section)\b", re.I
)


def looks_like_html(text: str) -> bool:
    head = text[:5000]
    return bool(_HTML_START.match(head)) or len(_TAG.findall(head)) >= 5


@dataclass
class HtmlArticle:
    paragraphs: list[str]
    title: str | None = None
    published: str | None = None
    publisher: str | None = None
    authors: list[str] = field(default_factory=list)
    url: str | None = None


def extract_article(html: str, url: str | None = None) -> HtmlArticle:
    """Main text and metadata of a page in one trafilatura pass, then paragraph clean-up.

    `favor_precision` with the furniture filter scored best on every fold of the
    tuning pages (docs/evaluation.md); a recall fallback did not help there.
    """
    found = trafilatura.bare_extraction(
        html, url=url, include_comments=False, favor_precision=True, with_metadata=True
    )
    if found is None or isinstance(found, dict):  # dict only with as_dict=True
        return HtmlArticle(paragraphs=[], url=url)
    authors = [a.strip() for a in re.split(r";|,|\band\b", found.author or "") if a.strip()]
    return HtmlArticle(
        paragraphs=clean_paragraphs((found.text or "").split("\n"), found.title),
        title=found.title,
        published=found.date,
        publisher=found.sitename,
        authors=authors,
        url=found.url or url,
    )


def main_text(html: str) -> str:
    """The article body as paragraphs separated by newlines ('' when none is found)."""
    return "\n".join(extract_article(html).paragraphs)
