"""Inputs as raw bytes with where they came from.

Each input yields either a `RawInput` or a `Failure`, so that one bad file
never stops the others.  A file is dispatched by its content, not its name:
WARC (plain or gzipped), RSS/Atom feeds and JSON Lines of articles are read
as streams of many articles; anything else is one article.
"""

from __future__ import annotations

import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from dateline.errors import InputError

# A news article is at most a few hundred kB of HTML; far larger inputs are
# archives or dumps that belong to a streaming source, not to one article.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


@dataclass
class RawInput:
    source: str
    data: bytes
    url: str | None = None
    published: str | None = None
    # a date the container gives (crawl date, feed item date), used when the page has none
    crawled: str | None = None


@dataclass
class Failure:
    source: str
    message: str


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """Text with lone UTF-16 surrogates (from JSON escapes like "\\ud800") replaced by U+FFFD.

    They are not characters: no encoding can write them, and an article holding one could be
    neither stored nor served.
    """
    return _SURROGATE.sub("\ufffd", text)


def _human(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def read_source(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    """Read one file, refusing what cannot be an article before reading it all."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputError(f"file is too large for one article ({_human(size)} > {_human(max_bytes)})")
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except PermissionError as exc:
        raise InputError("cannot read file: permission denied") from exc
    except IsADirectoryError as exc:
        raise InputError("is a directory") from exc
    except OSError as exc:
        raise InputError(f"cannot read file: {exc.strerror or exc}") from exc
    if len(data) > max_bytes:
        raise InputError(f"input is too large for one article (> {_human(max_bytes)})")
    return RawInput(source=str(path), data=data)


def _files_under(directory: Path) -> Iterator[Path]:
    for root, dirs, files in os.walk(directory):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield Path(root) / name


def expand(paths: Iterable[str]) -> Iterator[str | Path]:
    """Paths as given, with directories replaced by the files under them."""
    for arg in paths:
        if arg == "-":
            yield arg
            continue
        path = Path(arg)
        if path.is_dir():
            yield from _files_under(path)
        else:
            yield path


# A DOCTYPE may carry an internal subset (`<!DOCTYPE rss [<!ENTITY nbsp "&#160;">]>`): its `>`s are not its end.
DOCTYPE = rb"<!DOCTYPE[^>\[]*(?:\[.*?\]\s*)?>"
_FEED_ROOT = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--.*?-->\s*|" + DOCTYPE + rb"\s*|<\?[^>]*\?>\s*)*"
    rb"<(?:rss|feed|rdf:RDF)[\s>/]",
    re.DOTALL,
)


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, 64)
    except zlib.error:
        return b""


def sniff(path: Path) -> str:
    """What kind of input a file holds: "warc", "warc.gz", "feed", "jsonl" or "article"."""
    with path.open("rb") as handle:
        head = handle.read(8192)
        if head.startswith(b"WARC/"):
            return "warc"
        if head.startswith(b"\x1f\x8b") and _gunzip_head(head).startswith(b"WARC/"):
            return "warc.gz"
        if _FEED_ROOT.match(head):
            return "feed"
        start = len(head) - len(head.lstrip())
        if head[start : start + 1] == b"{":
            from dateline.ingest.jsonl import looks_like_article_line

            handle.seek(start)
            if looks_like_article_line(handle.readline(DEFAULT_MAX_BYTES)):
                return "jsonl"
    return "article"


def iter_file(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput | Failure]:
    """The articles in one file, streamed; a file that cannot be read is one Failure."""
    try:
        kind = sniff(path)
    except PermissionError:
        yield Failure(str(path), "cannot read file: permission denied")
        return
    except IsADirectoryError:
        yield Failure(str(path), "is a directory")
        return
    except OSError as exc:
        yield Failure(str(path), f"cannot read file: {exc.strerror or exc}")
        return
    if kind == "article":
        try:
            yield read_source(path, max_bytes)
        except InputError as exc:
            yield Failure(str(path), str(exc))
        return
        return
    if kind.startswith("warc"):
        from dateline.ingest.warc import iter_warc

        stream = iter_warc(path, gzipped=kind == "warc.gz", max_bytes=max_bytes)
    elif kind == "feed":
        from dateline.ingest.feeds import iter_feed

        stream = iter_feed(path, max_bytes)
    else:
        from dateline.ingest.jsonl import iter_jsonl

        stream = iter_jsonl(path, max_bytes)
    try:
        yield from stream
    except Exception as exc:  # a reader's own bug or an unforeseen format error stops this file only
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        yield Failure(str(path), f"cannot read {kind} file: {first}")


def iter_inputs(paths: Iterable[str], max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[RawInput | Failure]:
    """Every article under the given paths, one at a time: memory stays flat whatever the input size."""
    for item in expand(paths):
        if item == "-":
            data = sys.stdin.buffer.read(max_bytes + 1)
            if len(data) > max_bytes:
                yield Failure("-", f"input is too large for one article (> {_human(max_bytes)})")
            else:
                yield RawInput(source="-", data=data)
            continue
        path = Path(item)
        if not path.exists():
            yield Failure(str(path), "no such file or directory")
            continue
        yield from iter_file(path, max_bytes)
