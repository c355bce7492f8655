"""Paragraph-level clean-up after main-text extraction.

Extractors keep some furniture inside the article block: "Read more:" links,
newsletter pitches, social prompts.  They have recognisable wording, kept as a
pattern table in `data/promo.txt`; only short paragraphs are dropped, since a
long one that mentions a newsletter is more likely reporting than furniture.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

# Furniture is a line or two; reporting that happens to match a pattern runs longer.
MAX_WORDS = 45
_WORD = re.compile(r"\w+")


@cache
def _patterns() -> tuple[re.Pattern[str], ...]:
    raw = resources.files("dateline.read").joinpath("data").joinpath("promo.txt").read_text(encoding="utf-8")
    return tuple(
        re.compile(line.strip(), re.IGNORECASE)
        for line in raw.splitlines()
        if line.strip() and not line.startswith("#")
    )


def is_furniture(paragraph: str) -> bool:
    text = paragraph.strip()
    if len(_WORD.findall(text)) > MAX_WORDS:
        return False
    return any(p.search(text) for p in _patterns())


def _words(text: str) -> str:
    return " ".join(_WORD.findall(text)).lower()


def clean_paragraphs(paragraphs: list[str], title: str | None = None) -> list[str]:
    """Drop a leading copy of the headline and furniture paragraphs."""
    kept = [p for p in paragraphs if p.strip()]
    # the headline belongs in `title`, not at the top of the body
    if title and kept and _words(kept[0]) == _words(title):
        kept = kept[1:]
    return [p for p in kept if not is_furniture(p)]
