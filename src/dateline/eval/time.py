"""Score the times component with the TempEval-3 Task A measures.

Gold: TempEval-3 platinum (test) or TBAQ-cleaned (train, for development), and
MEANTIME's time expressions.  TempEval-3 carries no licence: it is read from
``../shared/data`` at evaluation time and nothing derived from it ships.

Measures (UzZaman et al. 2013, §4.1): strict span match (same span) and relaxed
span match (overlap) precision/recall/F1; attributes are compared on relaxed
matches only, attribute F1 = F1 of "matched and attribute equal", attribute
accuracy = attribute F1 / relaxed F1.  Value F1 is the ranking measure.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.errors import DatelineError
from dateline.eval import Result, Score, analyzed, prf
from dateline.model import Document

TE3 = Path("time") / "tempeval3"
SPLITS = {
    "test": [TE3 / "Evaluation" / "te3-platinum"],
    "train": [TE3 / "Training" / "TBAQ-cleaned" / "TimeBank", TE3 / "Training" / "TBAQ-cleaned" / "AQUAINT"],
}
MEANTIME = Path("meantime") / "meantime_newsreader_english_oct15" / "intra-doc_annotation"

_TAG = re.compile(r"<(/?)(\w+)([^>]*?)(/?)>")
_ATTR = re.compile(r'(\w+)="([^"]*)"')


@dataclass(frozen=True)
class Timex:
    start: int
    end: int
    type: str
    value: str


@dataclass
class GoldDoc:
    id: str
    dct: str | None
    text: str
    timexes: list[Timex] = field(default_factory=list)


def parse_tml(raw: str, name: str) -> GoldDoc:
    """Strip the inline tags of a TimeML <TEXT>, keeping each TIMEX3's character offsets."""
    docid = re.search(r"<DOCID>(.*?)</DOCID>", raw, re.S)
    dct = re.search(r"<DCT>.*?value=\"([^\"]+)\".*?</DCT>", raw, re.S)
    body = re.search(r"<TEXT>(.*)</TEXT>", raw, re.S)
    if body is None:
        raise DatelineError(f"{name}: no <TEXT>")
    parts: list[str] = []
    length = 0
    open_timex: tuple[int, dict[str, str]] | None = None
    timexes: list[Timex] = []
    pos = 0
    source = body.group(1)
    for match in _TAG.finditer(source):
        chunk = html.unescape(source[pos : match.start()])
        parts.append(chunk)
        length += len(chunk)
        pos = match.end()
        closing, tag, attrs = match.group(1), match.group(2), match.group(3)
        if tag != "TIMEX3":
            continue
        if not closing:
            open_timex = (length, dict(_ATTR.findall(attrs)))
        elif open_timex is not None:
            begin, attributes = open_timex
            timexes.append(Timex(begin, length, attributes.get("type", ""), attributes.get("value", "")))
            open_timex = None
    parts.append(html.unescape(source[pos:]))
    return GoldDoc(
        docid.group(1).strip() if docid else name,
        dct.group(1)[:19] if dct else None,
        "".join(parts),
        timexes,
    )


def load_te3(root: Path, split: str) -> list[GoldDoc]:
    folders = [root / folder for folder in SPLITS[split]]
    missing = [str(f) for f in folders if not f.is_dir()]
    if missing:
        raise DatelineError(f"TempEval-3 data not found at {', '.join(missing)}")
    return [
        parse_tml(path.read_text(encoding="utf-8"), path.name)
        for folder in folders
        for path in sorted(folder.glob("*.tml"))
    ]


# MEANTIME gives tokens only: rebuild ordinary text ("February 24, 1955", not "February 24 , 1955")
_NO_SPACE_BEFORE = {
    ",",
    ".",
    ":",
    ";",
    "!",
    "?",
    ")",
    "'s",
    "n't",
    "%",
    "'",
    "''",
    "'re",
    "'ve",
    "'ll",
    "'d",
    "'m",
}
_NO_SPACE_AFTER = {"(", "$", "``", "£", "€"}


def parse_meantime(path: Path) -> GoldDoc:
    """Rebuild text from MEANTIME tokens and map TIMEX3 token spans to character offsets.

    The annotated part is the title, the date line and the first sentences: text and gold are cut
    after the last annotated sentence so that precision is not penalised beyond it.
    """
    tree = ET.parse(path)
    root = tree.getroot()
    offsets: dict[str, tuple[int, int]] = {}
    sentence_of: dict[str, int] = {}
    parts: list[str] = []
    length = 0
    previous_sentence = -1
    date_line: list[str] = []
    for token in root.iter("token"):
        word = token.text or ""
        sentence = int(token.get("sentence", "0"))
        if sentence == 1:
            # the date line is the document creation time, given to the system as `published`
            date_line.append(word)
            continue
        if parts:
            if sentence != previous_sentence and sentence <= 2:
                sep = "\n\n"
            elif word in _NO_SPACE_BEFORE or parts[-1] in _NO_SPACE_AFTER:
                sep = ""
            else:
                sep = " "
            parts.append(sep)
            length += len(sep)
        previous_sentence = sentence
        offsets[token.get("t_id", "")] = (length, length + len(word))
        sentence_of[token.get("t_id", "")] = sentence
        parts.append(word)
        length += len(word)
    text = "".join(parts)
    dct: str | None = None
    timexes: list[Timex] = []
    last_sentence = 5
    markables = root.find("Markables")
    for timex in markables.iter("TIMEX3") if markables is not None else []:
        anchors = [a.get("t_id", "") for a in timex.iter("token_anchor")]
        if not anchors:
            continue
        if timex.get("functionInDocument") == "CREATION_TIME":
            dct = timex.get("value")
            continue
        spans = [offsets[a] for a in anchors if a in offsets]
        if not spans:
            continue
        timexes.append(
            Timex(
                min(s for s, _ in spans),
                max(e for _, e in spans),
                timex.get("type", ""),
                timex.get("value", ""),
            )
        )
    if dct is None:
        # two files lack a CREATION_TIME timex; their date line is sentence 1
        found = re.search(r"(\w+) (\d{1,2}) , (\d{4})", " ".join(date_line))
        if found:
            months = "january february march april may june july august september october november december"
            month = months.split().index(found.group(1).lower()) + 1
            dct = f"{found.group(3)}-{month:02d}-{int(found.group(2)):02d}"
    cut = max((e for t, (_, e) in offsets.items() if sentence_of[t] <= last_sentence), default=len(text))
    return GoldDoc(root.get("doc_name", path.stem), dct, text[:cut], [t for t in timexes if t.end <= cut])


def load_meantime(root: Path) -> list[GoldDoc]:
    base = root / MEANTIME
    if not base.is_dir():
        raise DatelineError(f"MEANTIME data not found at {base}")
    return [parse_meantime(path) for path in sorted(base.glob("*/*.xml"))]


@dataclass
class Tally:
    """Counts of the TempEval-3 Task A measures over a set of documents."""

    gold: int = 0
    system: int = 0
    strict: int = 0
    relaxed: int = 0
    type_ok: int = 0
    value_ok: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, doc: GoldDoc, predicted: Sequence[Timex]) -> None:
        self.gold += len(doc.timexes)
        self.system += len(predicted)
        gold_spans = {(g.start, g.end) for g in doc.timexes}
        self.strict += sum((p.start, p.end) in gold_spans for p in predicted)
        used: set[int] = set()
        for p in predicted:
            match = next(
                (
                    i
                    for i, g in enumerate(doc.timexes)
                    if i not in used and p.start < g.end and g.start < p.end
                ),
                None,
            )
            if match is None:
                self.errors.append(f"{doc.id}\tFP\t{doc.text[p.start : p.end]!r}\t{p.type}\t{p.value}")
                continue
            used.add(match)
            g = doc.timexes[match]
            self.relaxed += 1
            self.type_ok += p.type == g.type
            self.value_ok += p.value == g.value
            if p.value != g.value:
                self.errors.append(
                    f"{doc.id}\tVALUE\t{doc.text[p.start : p.end]!r}/{doc.text[g.start : g.end]!r}"
                    f"\t{p.type}:{p.value}\tgold {g.type}:{g.value}\tdct {doc.dct}"
                )
        for i, g in enumerate(doc.timexes):
            if i not in used:
                self.errors.append(f"{doc.id}\tFN\t{doc.text[g.start : g.end]!r}\t{g.type}\t{g.value}")

    def score(self, name: str) -> Score:
        figures = self.breakdown()
        value_p, value_r, value_f = prf(self.value_ok, self.system - self.value_ok, self.gold - self.value_ok)
        return Score(
            name,
            value_p,
            value_r,
            value_f,
            extra={
                "strict F1": figures["strict F1"],
                "relaxed F1": figures["relaxed F1"],
                "type acc": figures["type acc"],
                "found/gold": f"{self.system}/{self.gold}",
            },
        )

    def breakdown(self) -> dict[str, Any]:
        """The remaining TE-3 figures, for the JSON details."""
        strict = prf(self.strict, self.system - self.strict, self.gold - self.strict)
        relaxed = prf(self.relaxed, self.system - self.relaxed, self.gold - self.relaxed)
        typed = prf(self.type_ok, self.system - self.type_ok, self.gold - self.type_ok)
        return {
            "strict P": strict[0],
            "strict R": strict[1],
            "strict F1": strict[2],
            "relaxed P": relaxed[0],
            "relaxed R": relaxed[1],
            "relaxed F1": relaxed[2],
            "type F1": typed[2],
            "type acc": self.type_ok / self.relaxed if self.relaxed else 0.0,
            "value acc": self.value_ok / self.relaxed if self.relaxed else 0.0,
            "gold": self.gold,
            "found": self.system,
        }


def tag(docs: Iterable[GoldDoc]) -> list[list[Timex]]:
    """Run Dateline's times component over gold documents, the creation time given as `published`."""
    from dateline.nlp.pipeline import analyze, fact_components, load_pipeline

    # only the times component: the others are not scored here (listing them registers the factories)
    component = "dateline_times"
    if component not in fact_components():
        raise DatelineError(f"{component} is not registered")
    nlp = load_pipeline(components=(component,))
    documents = [Document(id=d.id, text=d.text, published=d.dct) for d in docs]
    return [
        [Timex(t.start, t.end, t.type, t.value) for t in doc.times]
        for doc in map(analyzed, analyze(documents, nlp=nlp))
    ]


def _score(docs: list[GoldDoc], predictions: list[list[Timex]]) -> Tally:
    tally = Tally()
    for doc, predicted in zip(docs, predictions, strict=True):
        tally.add(doc, predicted)
    return tally


def _baseline(docs: list[GoldDoc]) -> list[list[Timex]]:
    """spaCy's own DATE/TIME entities, values left unnormalized: what the base model gives for free."""
    from dateline.nlp.pipeline import load_pipeline

    nlp = load_pipeline(components=())
    out = []
    for doc in nlp.pipe(d.text for d in docs):
        out.append(
            [
                Timex(e.start_char, e.end_char, e.label_, e.text)
                for e in doc.ents
                if e.label_ in ("DATE", "TIME")
            ]
        )
    return out


PUBLISHED = [
    # UzZaman et al. (2013), Table 3, TempEval-3 platinum: value F1, relaxed F1, strict F1
    ("HeidelTime-t (published, TE-3 best)", 0.7761, 0.9030, 0.8134),
    ("HeidelTime 1.2 (published)", 0.7212, 0.8699, 0.7807),
    ("SUTime (published)", 0.6738, 0.9032, 0.7957),
]


def evaluate(root: Path, split: str = "test") -> Result:
    """TempEval-3 Task A on platinum (`test`) or TBAQ-cleaned (`train`); MEANTIME alongside."""
    # the project's split names: the held-out set is platinum, the tuning set TBAQ-cleaned
    split = {"all": "test", "heldout": "test", "tune": "train"}.get(split, split)
    if split not in SPLITS:
        raise DatelineError(
            f"unknown split {split!r}: use test/heldout (TE-3 platinum) or train/tune (TBAQ-cleaned)"
        )
    docs = load_te3(root, split)
    system = _score(docs, tag(docs))
    baseline_name = "spaCy DATE/TIME entities (unnormalized)"
    baseline = _score(docs, _baseline(docs)).score(baseline_name)
    others = [
        Score(name, 0.0, 0.0, value, extra={"relaxed F1": relaxed, "strict F1": strict})
        for name, value, relaxed, strict in PUBLISHED
    ]
    details: dict[str, Any] = {"split": split, "documents": len(docs)}
    try:
        meantime = load_meantime(root)
    except DatelineError as exc:
        details["meantime"] = str(exc)
    else:
        score = _score(meantime, tag(meantime)).score("dateline times on MEANTIME")
        others.insert(0, score)
        details["meantime_value_f1"] = score.f1
    details |= system.breakdown()
    details["mismatches"] = system.errors if split == "train" else len(system.errors)
    return Result(
        area="time",
        system=system.score("dateline times"),
        baseline=baseline,
        others=others,
        details=details,
        notes=[
            "precision/recall/F1 are value P/R/F1, the TE-3 ranking measure; published rows: value F1 only (P/R shown as 0)",
        ],
    )
