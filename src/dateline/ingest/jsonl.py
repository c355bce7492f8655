"""JSON Lines of articles, `{"url", "html" | "text", "published", "title"?}`, read line by line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

from dateline.ingest.sources import DEFAULT_MAX_BYTES, Failure, RawInput, without_surrogates

KEYS = ("html", "text")


def looks_like_article_line(line: bytes) -> bool:
    try:
        value = json.loads(line)
    except ValueError:
        return False
    return isinstance(value, dict) and any(isinstance(value.get(k), str) for k in KEYS)


def iter_jsonl(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput | Failure]:
    with path.open("rb") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = f"{path}#line-{number}"
            if len(line) > max_bytes:
                yield Failure(where, f"line is too large for one article (> {max_bytes} bytes)")
                continue
            try:
                value = json.loads(line)
            except ValueError as exc:
                yield Failure(where, f"not JSON: {exc}")
                continue
            if not isinstance(value, dict):
                yield Failure(where, "not a JSON object")
                continue
            page = value.get("html")
            if not isinstance(page, str):
                text = value.get("text")
                if not isinstance(text, str):
                    yield Failure(where, 'no "html" or "text" field')
                    continue
                title = value.get("title")
                # a page dump's first line is read as its headline
                page = f"{title}\n\n{text}" if isinstance(title, str) and title else text
            url, published = value.get("url"), value.get("published")
            yield RawInput(
                source=where,
                data=without_surrogates(page).encode("utf-8"),
                url=without_surrogates(url) if isinstance(url, str) else None,
                published=without_surrogates(published) if isinstance(published, str) else None,
            )
