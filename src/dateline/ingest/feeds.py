"""RSS and Atom feeds: one `RawInput` per item, the item's own page where it is a local file."""

from __future__ import annotations

import html
import re
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


def _local_page(link: str | None, folder: Path) -> Path | str | None:
    """The item's page when the link is a relative path to a file inside the feed's own folder.

    A feed is data from elsewhere: it may name any path on this machine.  Only what resolves
    inside the folder the user gave the feed in is read (symbolic links followed before that
    check); a link that points elsewhere on this machine gives the reason it is not followed
    (a string); a web address or nothing gives None.
    """
    if not link:
        return None
    parsed = urlparse(link)
    if parsed.scheme == "file":
        return "a file: link is not followed"
    if parsed.scheme or parsed.netloc or link.startswith("//"):
        return None  # a web address: the item's own text stands for the page
    path = unquote(parsed.path)
    if not path:
        return None
    if path.startswith(("/", "\\")) or Path(path).is_absolute():
        return "an absolute path is not followed"
    try:
        candidate = (folder / path).resolve()
    except (OSError, ValueError):
        return "the link is not a usable path"
    if not candidate.is_relative_to(folder):
        return "the link points outside the feed's folder"
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


_SUBSET = re.compile(rb"(<!DOCTYPE[^>\[]*\[)(.*?)(\]\s*>)", re.DOTALL)


def _tidy_doctype(data: bytes) -> bytes:
    """An internal DTD subset with each declaration on a line of its own, as feedparser expects.

    feedparser keeps the harmless entity declarations of a DTD (a character, or text without
    references) and drops the rest: none is expanded into another, none read from a file.  It
    finds them only at the start of a line; on one line they were cut mid-way and the feed read
    as broken.
    """
    head, rest = data[:8192], data[8192:]
    tidied = _SUBSET.sub(lambda m: m[1] + m[2].replace(b"<!", b"\n<!") + b"\n" + m[3], head, count=1)
    return tidied + rest


def iter_feed(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput | Failure]:
    if path.stat().st_size > MAX_FEED_BYTES:
        yield Failure(str(path), f"feed is too large (> {MAX_FEED_BYTES // 1024 // 1024} MB)")
        return
    parsed = feedparser.parse(
        _tidy_doctype(path.read_bytes()), sanitize_html=False, resolve_relative_uris=False
    )
    if parsed.get("bozo"):
        # feedparser recovers what it can from broken XML: report once, keep the items it found
        problem = parsed.get("bozo_exception")
        first = str(problem).splitlines()[0] if problem else "malformed"
        yield Failure(str(path), f"broken feed XML ({first}); {len(parsed.entries)} items recovered")
    folder = path.absolute().parent.resolve()
    for number, entry in enumerate(parsed.entries, start=1):
        where = f"{path}#item-{number}"
        link = entry.get("link")
        page = _local_page(link, folder)
        published = _date(entry)
        if isinstance(page, Path):
            try:
                raw = read_source(page, max_bytes)
            except Exception as exc:
                yield Failure(where, f"{page}: {exc}")
                continue
            yield RawInput(source=where, data=raw.data, url=link, crawled=published)
            continue
        data = _item_page(entry)
        if data is None:
            refused = f"; its link is not read ({page}: {link})" if isinstance(page, str) else ""
            yield Failure(where, "feed item has no text and no local page" + refused)
            continue
        yield RawInput(source=where, data=data, url=link, crawled=published)
