"""Score the read stage on the Zyte article-extraction benchmark (word 4-gram shingles, macro P/R)."""

from __future__ import annotations

import gzip
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from pathlib import Path

import trafilatura

from dateline.errors import DatelineError
from dateline.eval import Result, Score
from dateline.read.html import STEPS, main_text

BENCHMARK = Path("extraction") / "article-extraction-benchmark"
_TOKEN = re.compile(r"\w+")


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < n:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + n]) for i in range(len(tokens) - n + 1))


def page_scores(predicted: str, gold: str) -> tuple[float | None, float]:
    """Per-page precision (None when the prediction is empty) and recall."""
    pred, true = shingles(predicted), shingles(gold)
    tp = sum((pred & true).values())
    fp = sum(pred.values()) - tp
    fn = sum(true.values()) - tp
    if fp == 0 and fn == 0:
        return 1.0, 1.0
    precision = tp / (tp + fp) if tp + fp else None
    return precision, tp / (tp + fn) if tp + fn else 1.0


def in_heldout(page_id: str) -> bool:
    """A fixed quarter of the pages, by id, that tuning never looks at."""
    return int(page_id[:2], 16) % 4 == 0


def load(root: Path, split: str = "all") -> list[tuple[str, str, str]]:
    base = root / BENCHMARK
    if not base.exists():
        raise DatelineError(f"benchmark not found at {base}")
    gold = json.loads((base / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(gold):
        if in_heldout(page_id) != (split == "heldout") and split != "all":
            continue
        html = gzip.decompress((base / "html" / f"{page_id}.html.gz").read_bytes()).decode("utf-8", "replace")
        pages.append((page_id, html, gold[page_id]["articleBody"] or ""))
    return pages


def score(name: str, extractor: Callable[[str], str], pages: list[tuple[str, str, str]]) -> Score:
    precisions: list[float] = []
    recalls: list[float] = []
    empty = exact = 0
    started = time.perf_counter()
    outputs = [extractor(html) for _, html, _ in pages]
    elapsed = time.perf_counter() - started
    for predicted, (_, _, gold) in zip(outputs, pages, strict=True):
        p, r = page_scores(predicted, gold)
        if p is not None:
            precisions.append(p)
        else:
            empty += 1
        recalls.append(r)
        exact += _TOKEN.findall(predicted) == _TOKEN.findall(gold)
    precision = sum(precisions) / len(precisions) if precisions else 0.0
    recall = sum(recalls) / len(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return Score(
        name,
        precision,
        recall,
        f1,
        extra={
            "accuracy": exact / len(pages) if pages else 0.0,
            "empty": empty,
            "pages/s": len(pages) / elapsed if elapsed else 0.0,
        },
    )


def _trafilatura(favor_precision: bool = False) -> Callable[[str], str]:
    def run(html: str) -> str:
        return trafilatura.extract(html, include_comments=False, favor_precision=favor_precision) or ""

    return run


def evaluate(root: Path, split: str = "all") -> Result:
    if split not in ("all", "tune", "heldout"):
        raise DatelineError(f"unknown split {split!r}: use all, tune or heldout")
    pages = load(root, split)
    system = score("dateline read", main_text, pages)
    baseline = score(f"trafilatura {trafilatura.__version__} default", _trafilatura(), pages)
    precise = score(
        f"trafilatura {trafilatura.__version__} favor_precision", _trafilatura(favor_precision=True), pages
    )
    # what each post-filter step adds, in pipeline order (the last row is the system itself)
    ablation = [
        score(
            f"dateline read, steps: {', '.join(STEPS[:n]) or 'none'}",
            partial(main_text, steps=STEPS[:n]),
            pages,
        )
        for n in range(len(STEPS))
    ]
    return Result(
        area="extraction",
        system=system,
        baseline=baseline,
        others=[
            precise,
            *ablation,
            Score("published best: Zyte AutoExtract (Nov 2019)", 0.984, 0.956, 0.970),
        ],
        details={"pages": len(pages), "split": split},
    )
