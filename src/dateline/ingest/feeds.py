"""RSS and Atom feeds: one `RawInput` per item, the item's own page where it is a local file."""

from __future__ import annotations

import html
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import feedparser

from dateline.ingest.sources import DEFAULT_MAX_BYTES, Failure, RawInput, read_source

# feedparser reads a whole feed at once; feeds are small, but refuse what is plainly not one.
MAX_FEED_BYTES = 200 * 1024 * 1024


def _date(entry: Any) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


def _local_page(link: str | None, feed: Path) -> Path | None:
    """The item's page when the feed links to a file on this machine (file:// or a relative path)."""
    if not link:
        return None
    parsed = urlparse(link)
    if parsed.scheme == "file":
        candidate = Path(unquote(parsed.path))
    elif parsed.scheme == "" and not link.startswith("//"):
        candidate = feed.parent / unquote(parsed.path)
    else:
        return None
    return candidate if candidate.is_file() else None


def _item_page(entry: Any) -> bytes | None:
    """The item as an HTML page built from its title and its fullest text."""
    bodies = [c.get("value", "") for c in entry.get("content", [])] + [entry.get("summary", "")]
    body = max(bodies, key=len)
    if not body.strip():
        return None
    title = html.escape(entry.get("title", ""))
    if "<" not in body:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in body.split("\n\n") if p.strip())
    page = f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{body}</article></body></html>"
    return page.encode("utf-8")


def iter_feed(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput | Failure]:
    if path.stat().st_size > MAX_FEED_BYTES:
        yield Failure(str(path), f"feed is too large (> {MAX_FEED_BYTES // 1024 // 1024} MB)")
        return
    parsed = feedparser.parse(path.read_bytes(), sanitize_html=False, resolve_relative_uris=False)
    if parsed.get("bozo"):
        # feedparser recovers what it can from broken XML: report once, keep the items it found
        problem = parsed.get("bozo_exception")
        first = str(problem).splitlines()[0] if problem else "malformed"
        yield Failure(str(path), f"broken feed XML ({first}); {len(parsed.entries)} items recovered")
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{path}#item-{number}"
        link = entry.get("link")
        page = _local_page(link, path)
        published = _date(entry)
        if page is not None:
            try:
                raw = read_source(page, max_bytes)
            except Exception as exc:
                yield Failure(where, f"{page}: {exc}")
                continue
            yield RawInput(source=where, data=raw.data, url=link, crawled=published)
            continue
        data = _item_page(entry)
        if data is None:
            yield Failure(where, "feed item has no text and no local page")
            continue
        yield RawInput(source=where, data=data, url=link, crawled=published)
