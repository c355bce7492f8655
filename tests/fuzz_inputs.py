"""Mutated pages and texts for the fuzz tests (`tests/test_fuzz.py`) and the by-hand fuzzer (`bench/fuzz.py`).

A mutation plan is a list of plain numbers, `(operation, where, how long, which token)`, applied
to a seed: Hypothesis draws and shrinks plans, the by-hand fuzzer draws them from a seeded
random generator; both see the same inputs for the same plan.  Seeds are the project's own test
pages and articles (tests/data), never gold data.
"""

from __future__ import annotations

import json
import random
from collections.abc import Sequence
from pathlib import Path
from typing import Any

DATA = Path(__file__).parent / "data"
REGRESSIONS = DATA / "fuzz_regressions.json"

OPERATIONS = ("delete", "duplicate", "insert", "insert_token_run", "truncate", "swap")
Plan = list[tuple[int, float, int, int]]

# Markup that trips parsers: unclosed and misnested tags, foreign content, comments, entities,
# declarations, encodings and bytes that are not text.
HTML_TOKENS: tuple[bytes, ...] = (
    b"<p>", b"</p>", b"<div>", b"</div>", b"<svg>", b"<math>", b"<table><tr><td>", b"</table>",
    b"<h2>", b"<p<h2>>", b"<!--", b"-->", b"<![CDATA[", b"]]>", b"<!DOCTYPE html>", b"<?xml?>",
    b"<script>", b"</script>", b"<style>", b"<template>", b"<noscript>", b"<br/>", b"<html>",
    b"<head>", b"</head>", b"<body>", b"<title>", b"</title>", b"<meta charset='utf-16'>",
    b"<meta property='article:published_time' content='2021-13-45'>", b"<time datetime='0000-00-00'>",
    b"&amp;", b"&#0;", b"&#x110000;", b"&nbsp;", b"&", b"<", b">", b'"', b"'", b"\x00", b"\xff\xfe",
    b"\xef\xbb\xbf", b"\xc3", b"\r", b"\n\n", "\u201c".encode(), "\u2028".encode(), "\u202e".encode(),
    b"<a href='javascript:x'>", b"<img src=x onerror=1>", b"<base href='file:///'>",
)  # fmt: skip

# Text that trips the fact components: quotation marks, dates, numbers, titles, case changes
# that alter lengths, combining and invisible characters, paragraph breaks.
TEXT_TOKENS: tuple[str, ...] = (
    '"', "\u201c", "\u201d", "'", "\u2018", "\u2019", "\n\n", "\n", " said ", " told reporters ",
    "according to ", " on Monday", " last year", " next week", "two days later", "1999", "2021-07-26",
    "12", "3.5", "1,000,000", "%", "$", "\u20ac", " million", "Mr. ", "Dr. ", "U.S. ", "President ",
    "\u2014", "\u2026", "\u200b", "\u202e", "\ufb01", "\u0130", "\u00df", "e\u0301", "\U0001f642", "\t",
    "(", ")", "[", "]", ":", ";", "?", "!", "...", "-", "said \"", "\" said", " he said.", " she said.",
)  # fmt: skip


def html_seeds() -> list[bytes]:
    pages = [DATA / "page_clinic.html", *sorted((DATA / "spark").glob("*.html"))]
    return [p.read_bytes() for p in pages] + [b"<svg><p><p><p<h2>><div"]


def text_seeds() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted(DATA.glob("*.txt"))]


def _mutate(seed: Sequence[Any], plan: Plan, tokens: Sequence[Any], empty: Any) -> Any:
    data = list(seed)
    for operation, where, span, token in plan:
        at = int(where * len(data))
        end = min(len(data), at + span)
        name = OPERATIONS[operation % len(OPERATIONS)]
        piece = list(tokens[token % len(tokens)])
        if name == "delete":
            del data[at:end]
        elif name == "duplicate":
            data[at:at] = data[at:end]
        elif name == "insert":
            data[at:at] = piece
        elif name == "insert_token_run":
            data[at:at] = piece * (1 + span % 40)
        elif name == "truncate":
            del data[at:]
        elif name == "swap" and end > at:
            data[at:end] = data[at:end][::-1]
    return empty.join(data) if isinstance(empty, str) else bytes(data)


def mutate_page(seed: bytes, plan: Plan) -> bytes:
    return bytes(_mutate(seed, plan, HTML_TOKENS, b""))


def mutate_text(seed: str, plan: Plan) -> str:
    return str(_mutate(seed, plan, TEXT_TOKENS, ""))


def random_plan(rng: random.Random, longest: int = 300) -> Plan:
    return [
        (rng.randrange(len(OPERATIONS)), rng.random(), rng.randrange(longest), rng.randrange(1 << 16))
        for _ in range(rng.randint(1, 8))
    ]


def regressions() -> list[dict[str, Any]]:
    """Inputs that once crashed a stage: `{"stage", "found", "cause", "html"|"text"}`."""
    loaded: list[dict[str, Any]] = json.loads(REGRESSIONS.read_text(encoding="utf-8"))
    return loaded


def _spans(value: Any) -> list[Any]:
    """Every object with `start`, `end` and `text` inside a fact (the fact, its spans, references, mentions)."""
    from dataclasses import fields, is_dataclass

    if isinstance(value, list):
        return [s for item in value for s in _spans(item)]
    if not is_dataclass(value) or isinstance(value, type):
        return []
    own = [value] if all(hasattr(value, a) for a in ("start", "end", "text")) else []
    return own + [s for f in fields(value) for s in _spans(getattr(value, f.name))]


def check_offsets(document: Any) -> int:
    """Assert that every fact's offsets hold (`text[start:end]` is its text); returns how many were checked."""
    text = document.text
    checked = 0
    for kind in ("entities", "quotes", "times", "quantities", "events"):
        for span in _spans(getattr(document, kind)):
            assert 0 <= span.start <= span.end <= len(text), (kind, span)
            assert text[span.start : span.end] == span.text, (kind, span)
            checked += 1
    ids = {e.id for e in document.entities}
    for fact in [*document.quotes, *document.events]:
        for span in _spans(fact):
            entity = getattr(span, "entity", None)
            assert entity is None or entity in ids, (fact, entity)
    for event in document.events:
        # a statement's quote is an index into the document's quotes
        assert event.quote is None or 0 <= event.quote < len(document.quotes), event
    for paragraph in document.paragraphs:
        assert 0 <= paragraph.start <= paragraph.end <= len(text)
    assert type(document).from_json(document.to_json()) == document
    return checked
