"""Bytes to text: refuse what is not text, decode what is, whatever its encoding."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from dateline.errors import InputError

# Magic numbers of formats people point a news tool at by mistake.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF file"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or Office document)"),
    (b"\x1f\x8b", "gzip-compressed data"),
    (b"RIFF", "a RIFF media file"),
    (b"\x7fELF", "an executable"),
    (b"BZh", "bzip2-compressed data"),
    (b"\xfd7zXZ", "xz-compressed data"),
)

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?([A-Za-z0-9_\-]+)", re.IGNORECASE)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM shows NUL in every other byte of its ASCII letters."""
    sample = data[:4000]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros > 0.4 * half:
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    return None


def decode(data: bytes) -> str:
    """Decode an input's bytes to text, or raise InputError saying why it is not text."""
    if not data.strip():
        raise InputError("empty input")
    for signature, what in _SIGNATURES:
        if data.startswith(signature):
            raise InputError(f"not a text or HTML article: looks like {what}")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace").lstrip("\ufeff")
    text = _utf16_without_bom(data) if b"\x00" in data[:4000] else None
    if text is None:
        text = _decode_8bit(data)
    if not text.strip():
        raise InputError("empty input")
    sample = text[:20000]
    if len(_CONTROL.findall(sample)) > 0.01 * len(sample):
        raise InputError("not a text or HTML article: binary data")
    return text


def _decode_8bit(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    high = sum(b >= 0x80 for b in data[:200_000])
    if high < 0.05 * min(len(data), 200_000):
        # Mostly-ASCII text with a few accented letters or curly quotes is Western:
        # cp1252 is what such pages use (and what HTML5 reads "latin-1" as), while
        # detectors guess among a dozen code pages on so little evidence.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            return data.decode("latin-1")
    best = from_bytes(data[:200_000]).best()
    if best is None:
        raise InputError("not a text or HTML article: binary data")
    return data.decode(best.encoding, errors="replace")
