"""WARC files (plain or gzipped per record), streamed: one `RawInput` per HTML response record.

A corrupt record gives one `Failure` and reading goes on at the next record
boundary; a truncated record (or gzip stream) gives one `Failure` too.
"""

from __future__ import annotations

import io
import logging
import re
import sys
import threading
import types
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

import warcio.archiveiterator
import warcio.bufferedreaders
from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from dateline.ingest.sources import DEFAULT_MAX_BYTES, Failure, RawInput

_GZIP = b"\x1f\x8b\x08"
_WARC = b"WARC/1."
_CHUNK = 1 << 20
_HTML_TYPES = ("text/html", "application/xhtml", "text/plain")


class _Said(io.TextIOBase):
    """What warcio writes to stderr, kept per thread instead: each message becomes one Failure line."""

    def __init__(self) -> None:
        self.local = threading.local()

    def write(self, text: str) -> int:
        self.local.__dict__.setdefault("said", []).append(text)
        return len(text)

    def take(self) -> str:
        said: list[str] = self.local.__dict__.pop("said", [])
        return "".join(said)


class _SysWithoutStderr(types.ModuleType):
    """`sys` as warcio's modules see it: all of it, but their messages go to `_SAID`, not the terminal."""

    def __getattr__(self, name: str) -> object:
        return _SAID if name == "stderr" else getattr(sys, name)


# warcio prints its warnings (a record's length not matching it, a broken gzip member) straight to
# sys.stderr, several lines each; they are reported here as one line per record instead.
_SAID = _Said()
for _module in (warcio.archiveiterator, warcio.bufferedreaders):
    _module.sys = _SysWithoutStderr("sys")
logging.getLogger("warcio").addHandler(logging.NullHandler())  # "Replacing spaces in ..." notes


def _warning(said: str) -> str | None:
    """warcio's message as one line: what it means for the record."""
    if not said.strip():
        return None
    if "not followed by newline" in said:
        return "the record's Content-Length does not match its content (no blank line after it)"
    return f"warcio: {_printable(said.strip())}"


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
    found = 0  # articles and failures reported: a WARC that gives neither says so at the end
    for item in _records(path, gzipped, max_bytes):
        found += 1
        yield item
    if not found:
        yield Failure(str(path), "no HTML pages in this WARC file: no record is an HTML response")


def _records(path: Path, gzipped: bool, max_bytes: int) -> Iterator[RawInput | Failure]:
    with path.open("rb") as handle:
        base = 0
        number = 0
        while True:
            handle.seek(base)
            records = ArchiveIterator(handle, arc2warc=True)
            stream = iter(records)
            # a record's page waits for the next record to be found: only then does warcio say
            # whether the record's length was right
            pending: RawInput | None = None
            try:
                while True:
                    _SAID.take()
                    record = next(stream, None)
                    warning = _warning(_SAID.take())
                    if warning is not None and number:
                        yield Failure(f"{path}#record-{number}", warning)
                    elif pending is not None:
                        yield pending
                    pending = None
                    if record is None:
                        break
                    number += 1
                    where = f"{path}#record-{number}"
                    if record.rec_type is None:
                        yield Failure(
                            where, "not a WARC record: no WARC-Type header (garbage or an empty record)"
                        )
                        continue
                    if record.rec_type != "response":
                        continue
                    headers = record.http_headers
                    if headers is None or not headers.get_statuscode().startswith("2"):
                        continue
                    if not _is_html(headers.get_header("Content-Type")):
                        continue
                    data = record.content_stream().read(max_bytes + 1)
                    if (warning := _warning(_SAID.take())) is not None:
                        yield Failure(where, warning)
                        continue
                    if len(data) > max_bytes:
                        yield Failure(where, f"record is too large for one article (> {max_bytes} bytes)")
                        continue
                    if getattr(record.raw_stream, "limit", 0) > 0:
                        yield Failure(where, "truncated WARC record: fewer bytes than its Content-Length")
                        continue
                    pending = RawInput(
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
                _SAID.take()
                if pending is not None:
                    yield pending  # read whole before the next record turned out corrupt
                number += 1
                failed_at = base + int(getattr(records, "offset", 0) or 0)
                message = _printable(str(exc)) or type(exc).__name__
                yield Failure(f"{path}#record-{number}", f"corrupt WARC record: {message[:120]}")
                following = _resync(handle, failed_at + 1, gzipped)
                if following is None:
                    return
                base = following
