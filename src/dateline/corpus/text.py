"""Words, names and shingles: the text normalization every corpus step shares."""

from __future__ import annotations

import functools
import re
import unicodedata
from importlib import resources

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


@functools.cache
def vocabulary(name: str) -> frozenset[str]:
    raw = resources.files("dateline.corpus").joinpath("data", f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(
        line.strip().lower() for line in raw.splitlines() if line.strip() and not line.startswith("#")
    )


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _drop_mark(match: re.Match[str]) -> str:
    return "" if unicodedata.combining(match.group()) else match.group()


def fold(text: str) -> str:
    """Lowercase without accents, so that "Zelenskyy" and "ZELENSKYY", "café" and "cafe" meet."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    # only non-ASCII characters can be combining marks: look at those alone
    return _NON_ASCII.sub(_drop_mark, decomposed).replace("’", "'")


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def terms(text: str) -> list[str]:
    """Words worth indexing: no function words, no single letters."""
    stop = vocabulary("stopwords")
    return [w for w in words(text) if len(w) > 1 and w not in stop]
