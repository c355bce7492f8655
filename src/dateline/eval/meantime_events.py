"""Score event mentions, their modality and their dates on MEANTIME (English Wikinews, CC BY 4.0).

Gold (`shared/data/meantime/README.md` §5): the EVENT_MENTIONs with a span in the annotated
sentences (title, date line, first body sentences).  A system event matches a gold mention when its
trigger overlaps the mention's tokens (one to one, in text order); precision, recall and F1 count
mentions.  The date line is the document creation time and is given to the system as `published`.

* Modality, on matched events, from MEANTIME's factuality: polarity NEG → negated; certainty
  POSSIBLE/PROBABLE → possible; time FUTURE → planned; otherwise happened.  Dateline's "reported"
  (a claim of the source) counts as happened: MEANTIME does not mark attribution on the mention.
* Dates, on matched events that a TLINK (IS_INCLUDED, SIMULTANEOUS, DURING) ties to a calendar
  TIMEX3 other than the creation time: the event's date must equal the timex value at its precision.
  Events tied that way to the creation time are scored apart (date equal to the creation date).
* Baseline, from the same parse: every verb and every noun ending in -tion/-sion/-ment is an event.
* Split: the same fixed quarter of the files as `dateline eval entities` (crc32 of the name) is held
  out; rules were tuned on the other three quarters.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from spacy.language import Language

from dateline.errors import DatelineError
from dateline.eval import Score, prf
from dateline.eval.entities import CORPUS, in_heldout
from dateline.eval.entities import read as read_tokens
from dateline.eval.time import parse_meantime
from dateline.facts.eventdates import calendar_value
from dateline.model import Event

DATE_LINKS = {"IS_INCLUDED", "SIMULTANEOUS", "DURING"}
NOMINAL_SUFFIXES = ("tion", "sion", "ment")


@dataclass
class GoldEvent:
    tokens: frozenset[int]
    modality: str | None
    date: str | None = None
    dct_date: bool = False


@dataclass
class GoldDoc:
    name: str
    text: str
    published: str | None
    spans: dict[int, tuple[int, int]]
    events: list[GoldEvent] = field(default_factory=list)

    def tokens(self, start: int, end: int) -> frozenset[int]:
        return frozenset(t for t, (s, e) in self.spans.items() if s < end and e > start)


def gold_modality(mention: ET.Element) -> str | None:
    certainty, polarity, time = (mention.get(k) or "" for k in ("certainty", "polarity", "time"))
    if not (certainty or polarity or time):
        return None
    if polarity == "NEG":
        return "negated"
    if certainty in ("POSSIBLE", "PROBABLE"):
        return "possible"
    if time == "FUTURE":
        return "planned"
    return "happened"


def read(path: Path) -> GoldDoc:
    tokens = read_tokens(path)  # text rebuilt from the tokens, cut after the last annotated sentence
    dct = parse_meantime(path).dct
    root = ET.parse(path).getroot()
    markables = root.find("Markables")
    relations = root.find("Relations")
    if markables is None or relations is None:
        raise DatelineError(f"{path}: no Markables/Relations")
    timexes = {
        m.get("m_id", ""): (m.get("value"), m.get("functionInDocument") == "CREATION_TIME")
        for m in markables.iter("TIMEX3")
        if m.get("type") in ("DATE", "TIME")
    }
    dated: dict[str, tuple[str, bool]] = {}
    for link in relations.iter("TLINK"):
        if link.get("reltype") not in DATE_LINKS:
            continue
        source, target = link.find("source"), link.find("target")
        if source is None or target is None:
            continue
        timex = timexes.get(target.get("m_id", ""))
        value = calendar_value(timex[0]) if timex is not None else None
        if timex is not None and value is not None:  # "2009-06-01T12:00Z" is scored as its day
            dated.setdefault(source.get("m_id", ""), (value, timex[1]))
    gold = GoldDoc(path.stem, tokens.text, (dct or "")[:10] or None, tokens.spans)
    for mention in markables.iter("EVENT_MENTION"):
        ids = frozenset(int(a.get("t_id", 0)) for a in mention.iter("token_anchor"))
        if not ids or not ids <= tokens.spans.keys():
            continue
        date = dated.get(mention.get("m_id", ""))
        gold.events.append(
            GoldEvent(
                ids,
                gold_modality(mention),
                date[0] if date else None,
                date[1] if date else False,
            )
        )
    gold.events.sort(key=lambda e: min(e.tokens))
    return gold


def load(root: Path, split: str) -> list[GoldDoc]:
    base = root / CORPUS
    if not base.is_dir():
        raise DatelineError(f"MEANTIME not found at {base}")
    files = sorted(base.glob("*/*.xml"))
    return [read(p) for p in files if split == "all" or in_heldout(p.name) == (split == "heldout")]


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    modality_right: int = 0
    modality_scored: int = 0
    date_right: int = 0
    date_scored: int = 0
    dct_right: int = 0
    dct_scored: int = 0

    def add(self, gold: GoldDoc, found: Iterable[tuple[frozenset[int], Event | None]]) -> None:
        unused = list(gold.events)
        for tokens, event in found:
            if not tokens:
                continue
            match = next((g for g in unused if g.tokens & tokens), None)
            if match is None:
                self.fp += 1
                continue
            unused.remove(match)
            self.tp += 1
            if event is None:
                continue
            if match.modality is not None:
                self.modality_scored += 1
                said = "happened" if event.modality == "reported" else event.modality
                self.modality_right += said == match.modality
            if match.date is not None and not match.dct_date:
                self.date_scored += 1
                self.date_right += (event.date or "") == match.date
            elif match.date is not None:
                self.dct_scored += 1
                self.dct_right += (event.date or "") == match.date
        self.fn += len(unused)

    def score(self, name: str, with_facts: bool) -> Score:
        p, r, f = prf(self.tp, self.fp, self.fn)
        extra: dict[str, float | int] = {"n_gold": self.tp + self.fn, "n_found": self.tp + self.fp}
        if with_facts:
            extra["modality_accuracy"] = (
                self.modality_right / self.modality_scored if self.modality_scored else 0.0
            )
            extra["modality_n"] = self.modality_scored
            extra["date_accuracy"] = self.date_right / self.date_scored if self.date_scored else 0.0
            extra["date_n"] = self.date_scored
            extra["dct_date_accuracy"] = self.dct_right / self.dct_scored if self.dct_scored else 0.0
            extra["dct_date_n"] = self.dct_scored
        return Score(name, p, r, f, extra=extra)


def baseline_tokens(doc_tokens: Iterable[tuple[str, str, int, int]]) -> list[tuple[int, int]]:
    """Every verb, and every noun ending in -tion/-sion/-ment: (start, end) of each."""
    return [
        (start, end)
        for pos, text, start, end in doc_tokens
        if pos == "VERB" or (pos == "NOUN" and text.lower().rstrip("s").endswith(NOMINAL_SUFFIXES))
    ]


def evaluate_meantime(root: Path, split: str, nlp: Language) -> tuple[Score, Score]:
    """(Dateline, baseline) scores on the MEANTIME event mentions of one split, from one parse."""
    golds = load(root, split)
    ours, base = Tally(), Tally()
    docs = []
    for gold in golds:
        doc = nlp.make_doc(gold.text)
        doc._.published = gold.published
        doc._.facts = {}
        docs.append(doc)
    for gold, doc in zip(golds, nlp.pipe(docs), strict=True):
        events: list[Event] = doc._.facts.get("events", [])
        ours.add(gold, ((gold.tokens(e.trigger.start, e.trigger.end), e) for e in events))
        spans = baseline_tokens((t.pos_, t.text, t.idx, t.idx + len(t.text)) for t in doc)
        base.add(gold, ((gold.tokens(s, e), None) for s, e in spans))
    return (
        ours.score("dateline events (MEANTIME mentions)", with_facts=True),
        base.score("every verb and -tion/-sion/-ment noun (MEANTIME)", with_facts=False),
    )
