"""Score the times component on TempEval-3 (Task A: TIMEX3 extraction and normalization).

Measures as defined in the TempEval-3 task paper: strict and relaxed span
P/R/F1; type and value compared on relaxed matches, reported as attribute F1
(match and attribute equal) and accuracy (attribute F1 / relaxed F1).  The
document creation time is given to the system and not scored.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

from dateline.errors import DatelineError
from dateline.eval import Result, Score, prf
from dateline.model import Document, Time

TE3 = Path("time") / "tempeval3"
SPLITS = {
    "platinum": ["Evaluation/te3-platinum"],
    "train": ["Training/TBAQ-cleaned/TimeBank", "Training/TBAQ-cleaned/AQUAINT"],
}
_TAG = re.compile(r"<(/?)(\w+)([^>]*)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')

PUBLISHED = [  # TempEval-3 Table 3 (UzZaman et al. 2013): relaxed F1, P, R, strict F1, value F1
    ("HeidelTime-t (TE-3 best)", 90.30, 93.08, 87.68, 81.34, 77.61),
    ("HeidelTime off the shelf", 90.30, 93.08, 87.68, 81.34, 72.12),
    ("SUTime", 90.32, 89.36, 91.30, 79.57, 67.38),
]


@dataclass
class Gold:
    start: int
    end: int
    type: str
    value: str


@dataclass
class TimeMLDoc:
    name: str
    dct: str
    text: str
    timexes: list[Gold]


def parse_timeml(raw: str, name: str) -> TimeMLDoc:
    dct_match = re.search(r"<DCT>.*?value=\"([^\"]+)\"", raw, re.S)
    if dct_match is None:
        raise DatelineError(f"{name}: no DCT")
    body = re.search(r"<TEXT>(.*?)</TEXT>", raw, re.S)
    if body is None:
        raise DatelineError(f"{name}: no TEXT")
    out: list[str] = []
    at = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[Gold] = []
    inner = body.group(1)
    pos = 0
    for tag in _TAG.finditer(inner):
        piece = html.unescape(inner[pos : tag.start()])
        out.append(piece)
        at += len(piece)
        pos = tag.end()
        closing, kind, attrs = tag.group(1), tag.group(2), tag.group(3)
        if kind != "TIMEX3":
            continue
        if not closing:
            open_timex = (at, dict(_ATTR.findall(attrs)))
        elif open_timex is not None:
            begin, found = open_timex
            timexes.append(Gold(begin, at, found.get("type", ""), found.get("value", "")))
            open_timex = None
    out.append(html.unescape(inner[pos:]))
    return TimeMLDoc(name, dct_match.group(1)[:10], "".join(out), timexes)


def load(root: Path, split: str) -> list[TimeMLDoc]:
    base = root / TE3
    if not base.exists():
        raise DatelineError(f"TempEval-3 data not found at {base}")
    docs = []
    for folder in SPLITS[split]:
        for path in sorted((base / folder).glob("*.tml")):
            docs.append(parse_timeml(path.read_text(encoding="utf-8"), path.name))
    return docs


def load_meantime(root: Path) -> tuple[list[TimeMLDoc], list[tuple[int, int] | None]]:
    """MEANTIME's span-bearing TIMEX3s over the annotated sentences, with each file's creation-time span."""
    import xml.etree.ElementTree as ET

    from dateline.eval.entities import CORPUS, read

    docs: list[TimeMLDoc] = []
    dct_spans: list[tuple[int, int] | None] = []
    for path in sorted((root / CORPUS).glob("*/*.xml")):
        gold = read(path)
        timexes: list[Gold] = []
        dct, dct_span = "", None
        for timex in ET.parse(path).getroot().iter("TIMEX3"):
            ids = [int(a.get("t_id", 0)) for a in timex.iter("token_anchor")]
            if not ids or not all(i in gold.spans for i in ids):
                continue
            span = (min(gold.spans[i][0] for i in ids), max(gold.spans[i][1] for i in ids))
            if timex.get("functionInDocument") == "CREATION_TIME":
                dct, dct_span = timex.get("value", "")[:10], span
            else:
                timexes.append(Gold(span[0], span[1], timex.get("type", ""), timex.get("value", "")))
        docs.append(TimeMLDoc(gold.name, dct, gold.text, timexes))
        dct_spans.append(dct_span)
    return docs, dct_spans


def tag(docs: list[TimeMLDoc]) -> list[list[Time]]:
    from dateline.nlp import analyze, load_pipeline

    nlp = load_pipeline(components=("dateline_times",))
    documents = [Document(id=d.name, text=d.text, published=d.dct or None, language="en") for d in docs]
    return [d.times for d in analyze(documents, nlp=nlp)]


@dataclass
class Counts:
    system: int = 0
    gold: int = 0
    strict: int = 0
    relaxed_sys: int = 0
    relaxed_gold: int = 0
    type_ok: int = 0
    value_ok: int = 0

    def add(self, predicted: list[Time], gold: list[Gold]) -> None:
        self.system += len(predicted)
        self.gold += len(gold)
        gold_left = list(gold)
        for p in predicted:
            overlapping = [g for g in gold_left if g.start < p.end and p.start < g.end]
            if not overlapping:
                continue
            g = min(overlapping, key=lambda g: (g.start != p.start or g.end != p.end, abs(g.start - p.start)))
            gold_left.remove(g)
            self.relaxed_sys += 1
            self.relaxed_gold += 1
            self.strict += g.start == p.start and g.end == p.end
            self.type_ok += g.type == p.type
            self.value_ok += g.value == p.value


def _scores(name: str, counts: Counts) -> Score:
    relaxed = prf(counts.relaxed_sys, counts.system - counts.relaxed_sys, counts.gold - counts.relaxed_gold)
    _, _, strict_f1 = prf(counts.strict, counts.system - counts.strict, counts.gold - counts.strict)
    vp, vr, value_f1 = prf(counts.value_ok, counts.system - counts.value_ok, counts.gold - counts.value_ok)
    _, _, type_f1 = prf(counts.type_ok, counts.system - counts.type_ok, counts.gold - counts.type_ok)
    return Score(
        name,
        vp,
        vr,
        value_f1,
        extra={
            "strict F1": strict_f1,
            "relaxed F1": relaxed[2],
            "type F1": type_f1,
            "type acc": type_f1 / relaxed[2] if relaxed[2] else 0.0,
            "value acc": value_f1 / relaxed[2] if relaxed[2] else 0.0,
        },
    )


def _meantime(root: Path) -> Score | None:
    """The same measures on MEANTIME's annotated sentences (the date line is the creation time, not scored)."""
    if not (root / "meantime").exists():
        return None
    docs, dct_spans = load_meantime(root)
    counts = Counts()
    for doc, dct_span, predicted in zip(docs, dct_spans, tag(docs), strict=True):
        if dct_span is not None:
            predicted = [t for t in predicted if not (t.start < dct_span[1] and dct_span[0] < t.end)]
        counts.add(predicted, doc.timexes)
    return _scores(f"dateline times on MEANTIME ({len(docs)} docs, {counts.gold} timexes)", counts)


def evaluate(root: Path, split: str = "platinum") -> Result:
    if split in ("all", "test", "heldout"):
        split = "platinum"
    if split in ("tune", "dev"):
        split = "train"
    if split not in SPLITS:
        raise DatelineError(f"unknown split {split!r}: use platinum (the test set) or train (TBAQ-cleaned)")
    docs = load(root, split)
    counts = Counts()
    for doc, predicted in zip(docs, tag(docs), strict=True):
        counts.add(predicted, doc.timexes)
    rp, rr, _ = prf(counts.relaxed_sys, counts.system - counts.relaxed_sys, counts.gold - counts.relaxed_gold)
    sp, sr, _ = prf(counts.strict, counts.system - counts.strict, counts.gold - counts.strict)
    system = _scores("dateline times", counts)
    meantime = _meantime(root)
    published = [
        Score(
            name,
            float("nan"),
            float("nan"),
            value / 100,
            extra={"strict F1": strict / 100, "relaxed F1": relaxed / 100},
        )
        for name, relaxed, _, _, strict, value in PUBLISHED
    ]
    return Result(
        area="time",
        system=system,
        baseline=published[0],
        others=[*published[1:], *([meantime] if meantime else [])],
        details={
            "split": f"TempEval-3 {split}",
            "documents": len(docs),
            "gold timexes": counts.gold,
            "system timexes": counts.system,
            "relaxed P": rp,
            "relaxed R": rr,
            "strict P": sp,
            "strict R": sr,
        },
        notes=[
            "f1 is value F1 (TE-3's ranking measure); precision/recall are those of value matches.",
            "Published rows: TE-3 Task A, Table 3 of UzZaman et al. (2013); P/R of value not published (nan).",
        ],
    )
