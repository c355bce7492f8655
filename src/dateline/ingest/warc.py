"""WARC files (plain or gzipped per record), streamed: one `RawInput` per HTML response record.

A corrupt record gives one `Failure` and reading goes on at the next record
boundary; a truncated record (or gzip stream) gives one `Failure` too.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from dateline.ingest.sources import DEFAULT_MAX_BYTES, Failure, RawInput

_GZIP = b"\x1f\x8b\x08"
_WARC = b"WARC/1."
_CHUNK = 1 << 20
_HTML_TYPES = ("text/html", "application/xhtml", "text/plain")


def _is_html(content_type: str | None) -> bool:
    return content_type is None or any(t in content_type.lower() for t in _HTML_TYPES)


def _resync(handle: BinaryIO, start: int, gzipped: bool) -> int | None:
    """Offset of the next record boundary after `start`, scanning in chunks, or None at the end."""
    marker = _GZIP if gzipped else b"\n" + _WARC
    at = start
    handle.seek(at)
    tail = b""
    while chunk := handle.read(_CHUNK):
        window = tail + chunk
        found = window.find(marker)
        if found >= 0:
            offset = at - len(tail) + found
            return offset if gzipped else offset + 1
        tail = window[-len(marker) :]
        at += len(chunk)
    return None


def _printable(message: str) -> str:
    # a corrupt record's first line is binary noise: say what it was, not all of it
    head = message.splitlines()[0] if message else ""
    return "".join(c if c.isprintable() else "?" for c in head)[:100]


def _date(value: str | None) -> str | None:
    return value[:10] if value and re.match(r"\d{4}-\d{2}-\d{2}", value) else None


def iter_warc(path: Path, gzipped: bool, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput | Failure]:
    with path.open("rb") as handle:
        base = 0
        number = 0
        while True:
            handle.seek(base)
            records = ArchiveIterator(handle, arc2warc=True)
            try:
                for record in records:
                    number += 1
                    if record.rec_type != "response":
                        continue
                    where = f"{path}#record-{number}"
                    headers = record.http_headers
                    if headers is None or not headers.get_statuscode().startswith("2"):
                        continue
                    if not _is_html(headers.get_header("Content-Type")):
                        continue
                    data = record.content_stream().read(max_bytes + 1)
                    if len(data) > max_bytes:
                        yield Failure(where, f"record is too large for one article (> {max_bytes} bytes)")
                        continue
                    if getattr(record.raw_stream, "limit", 0) > 0:
                        yield Failure(where, "truncated WARC record: fewer bytes than its Content-Length")
                        continue
                    yield RawInput(
                        source=where,
                        data=data,
                        url=record.rec_headers.get_header("WARC-Target-URI"),
                        crawled=_date(record.rec_headers.get_header("WARC-Date")),
                    )
                # warcio ends quietly at a gzip member or record cut short: the bytes left say so
                end = base + int(records.offset or 0)
                size = handle.seek(0, 2)
                if end < size:
                    yield Failure(
                        f"{path}#record-{number + 1}",
                        f"truncated WARC: the last {size - end} bytes hold no complete record",
                    )
                return
            except (ArchiveLoadFailed, OSError, EOFError, ValueError, zlib.error) as exc:
                number += 1
                failed_at = base + int(getattr(records, "offset", 0) or 0)
                message = _printable(str(exc)) or type(exc).__name__
                yield Failure(f"{path}#record-{number}", f"corrupt WARC record: {message[:120]}")
                following = _resync(handle, failed_at + 1, gzipped)
                if following is None:
                    return
                base = following
