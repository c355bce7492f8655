"""Score the `dateline_entities` component on MEANTIME (English), beside plain spaCy NER.

Gold: named entity mentions (`syntactic_type` NAM or PRE.NAM) in the annotated sentences
(0 .. the document's last annotated sentence), typed by the ENTITY instance they refer to,
and clustered by that instance.  The text is rebuilt from the tokens; scores are on token sets.

* Mentions: typed precision/recall/F1, strict (same tokens) as the headline and relaxed
  (overlap) beside it; per type in `details`.  spaCy types map to MEANTIME's: PERSON->PER,
  ORG->ORG, GPE/LOC/FAC/NORP->LOC, PRODUCT->PRO; others have no MEANTIME type and are dropped.
  A Dateline mention is scored on its proper name (title and role descriptions left out).
* Clustering: B³ within each document over the gold mentions the system found (overlap,
  one-to-one), so that it measures grouping, not detection.
* Baseline: the same model's NER spans from the same parse, grouped by identical text.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

from spacy.tokens import Doc

from dateline.errors import DatelineError
from dateline.eval import Result, Score, prf
from dateline.facts.entities import extract
from dateline.nlp.pipeline import load_pipeline

CORPUS = Path("meantime") / "meantime_newsreader_english_oct15" / "intra-doc_annotation"
TYPE_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "LOC",
    "PRODUCT": "PRO",
}
NAMED = {"NAM", "PRE.NAM"}
_NO_SPACE_BEFORE = {",", ".", ";", ":", "'s", "n't", ")", "%", "?", "!", "'", "''", "'re", "'ve", "'ll", "'d"}
_NO_SPACE_AFTER = {"(", "$", "``", "US$"}

# a mention: (token ids, type, cluster key)
Mention = tuple[frozenset[int], str, str]


@dataclass
class GoldDoc:
    name: str
    text: str
    spans: dict[int, tuple[int, int]]  # token id -> char offsets
    mentions: list[Mention]

    def tokens(self, start: int, end: int) -> frozenset[int]:
        return frozenset(t for t, (s, e) in self.spans.items() if s < end and e > start)


def in_heldout(name: str) -> bool:
    """A fixed quarter of the files, by a hash of the name, that tuning never looks at."""
    return zlib.crc32(name.encode()) % 4 == 0


def read(path: Path) -> GoldDoc:
    root = ET.parse(path).getroot()
    tokens = [(int(t.get("t_id", 0)), int(t.get("sentence", 0)), t.text or "") for t in root.iter("token")]
    markables = root.find("Markables")
    relations = root.find("Relations")
    if markables is None or relations is None:
        raise DatelineError(f"{path}: no Markables/Relations")
    anchored = {int(a.get("t_id", 0)) for m in markables for a in m.iter("token_anchor")}
    sentence_of = {t: s for t, s, _ in tokens}
    last = max((sentence_of[t] for t in anchored if t in sentence_of), default=5)
    text, spans, prev_sentence, prev_token = "", {}, -1, ""
    for t_id, sentence, word in tokens:
        if sentence > last:
            break
        if sentence != prev_sentence and text:
            text += "\n\n" if sentence <= 2 else " "
        elif text and word not in _NO_SPACE_BEFORE and prev_token not in _NO_SPACE_AFTER:
            text += " "
        spans[t_id] = (len(text), len(text) + len(word))
        text += word
        prev_sentence, prev_token = sentence, word
    instances = {m.get("m_id"): m.get("ent_type", "") for m in markables if m.tag == "ENTITY"}
    refers: dict[str, str] = {}
    for rel in relations.iter("REFERS_TO"):
        target = rel.find("target")
        for src in rel.iter("source"):
            if target is not None:
                refers[src.get("m_id", "")] = target.get("m_id", "")
    mentions: list[Mention] = []
    for m in markables.iter("ENTITY_MENTION"):
        ids = frozenset(int(a.get("t_id", 0)) for a in m.iter("token_anchor"))
        instance = refers.get(m.get("m_id", ""))
        if m.get("syntactic_type") in NAMED and ids and ids <= spans.keys() and instance in instances:
            mentions.append((ids, instances[instance], instance or ""))
    return GoldDoc(path.stem, text, spans, mentions)


def load(root: Path, split: str) -> list[GoldDoc]:
    base = root / CORPUS
    if not base.exists():
        raise DatelineError(f"MEANTIME not found at {base}")
    files = sorted(base.glob("*/*.xml"))
    return [read(p) for p in files if split == "all" or in_heldout(p.name) == (split == "heldout")]


def system_mentions(gold: GoldDoc, doc: Doc) -> list[Mention]:
    out: list[Mention] = []
    for entity in extract(doc):
        kind = TYPE_MAP.get(entity.type)
        if kind is None:
            continue
        for m in entity.mentions:
            if m.text.split()[-1].islower():
                continue  # a role description, not a name: MEANTIME's named mentions don't hold it
            # score the proper name alone: "co-founder Steve Jobs" -> "Steve Jobs"
            names = [n for n in (entity.name, *entity.aliases) if m.text.endswith(n) and kind == "PER"]
            start = m.end - len(max(names, key=len)) if names else m.start
            out.append((gold.tokens(start, m.end), kind, entity.id))
    return out


def baseline_mentions(gold: GoldDoc, doc: Doc) -> list[Mention]:
    return [
        (gold.tokens(e.start_char, e.end_char), TYPE_MAP[e.label_], e.text)
        for e in doc.ents
        if e.label_ in TYPE_MAP
    ]


def _match(gold: list[Mention], system: list[Mention], strict: bool, typed: bool) -> list[tuple[int, int]]:
    pairs: list[tuple[int, int]] = []
    used: set[int] = set()
    for gi, (g, gtype, _) in enumerate(gold):
        for si, (s, stype, _) in enumerate(system):
            if si in used or (typed and gtype != stype):
                continue
            if (g == s) if strict else bool(g & s):
                pairs.append((gi, si))
                used.add(si)
                break
    return pairs


def b_cubed(gold: list[Mention], system: list[Mention]) -> tuple[float, float, int]:
    """B³ precision and recall summed over the matched gold mentions, and their count."""
    pairs = _match(gold, system, strict=False, typed=False)
    gkey = {gi: gold[gi][2] for gi, _ in pairs}
    skey = {gi: system[si][2] for gi, si in pairs}
    p_sum = r_sum = 0.0
    for gi in gkey:
        same_gold = {x for x in gkey if gkey[x] == gkey[gi]}
        same_sys = {x for x in skey if skey[x] == skey[gi]}
        both = len(same_gold & same_sys)
        p_sum += both / len(same_sys)
        r_sum += both / len(same_gold)
    return p_sum, r_sum, len(gkey)


@dataclass
class Tally:
    tp: float = 0
    fp: float = 0
    fn: float = 0

    def add(self, gold: list[Mention], system: list[Mention], strict: bool, typed: bool = True) -> None:
        n = len(_match(gold, system, strict, typed))
        self.tp += n
        self.fp += len(system) - n
        self.fn += len(gold) - n

    def f1(self) -> float:
        return prf(self.tp, self.fp, self.fn)[2]


def score(name: str, pairs: list[tuple[list[Mention], list[Mention]]]) -> Score:
    strict, relaxed, untyped = Tally(), Tally(), Tally()
    by_type: dict[str, Tally] = defaultdict(Tally)
    bp = br = 0.0
    n = 0
    for gold, system in pairs:
        strict.add(gold, system, strict=True)
        relaxed.add(gold, system, strict=False)
        untyped.add(gold, system, strict=True, typed=False)
        for kind in {k for _, k, _ in gold} | {k for _, k, _ in system}:
            by_type[kind].add([m for m in gold if m[1] == kind], [m for m in system if m[1] == kind], True)
        p, r, c = b_cubed(gold, system)
        bp, br, n = bp + p, br + r, n + c
    precision, recall, f1 = prf(strict.tp, strict.fp, strict.fn)
    b3p, b3r = (bp / n, br / n) if n else (0.0, 0.0)
    b3f = 2 * b3p * b3r / (b3p + b3r) if b3p + b3r else 0.0
    extra = {
        "relaxed_f1": relaxed.f1(),
        "untyped_f1": untyped.f1(),
        "b3_p": b3p,
        "b3_r": b3r,
        "b3_f1": b3f,
    }
    score = Score(name, precision, recall, f1, extra)
    score.extra_by_type = {  # type: ignore[attr-defined]
        kind: dict(zip(("precision", "recall", "f1"), prf(t.tp, t.fp, t.fn), strict=True))
        for kind, t in sorted(by_type.items())
    }
    return score


def evaluate(root: Path, split: str = "all") -> Result:
    if split not in ("all", "tune", "heldout"):
        raise DatelineError(f"unknown split {split!r}: use all, tune or heldout")
    docs = load(root, split)
    nlp = load_pipeline(components=())
    sys_pairs, base_pairs = [], []
    for gold, doc in zip(docs, nlp.pipe(g.text for g in docs), strict=True):
        sys_pairs.append((gold.mentions, system_mentions(gold, doc)))
        base_pairs.append((gold.mentions, baseline_mentions(gold, doc)))
    system = score("dateline_entities", sys_pairs)
    baseline = score("spacy NER (en_core_web_sm 3.8.0), same-text clusters", base_pairs)
    return Result(
        area="entities",
        system=system,
        baseline=baseline,
        details={
            "documents": len(docs),
            "gold_mentions": sum(len(g) for g, _ in sys_pairs),
            "split": split,
            "baseline_extra": {k: round(v, 4) for k, v in baseline.extra.items()},
            "by_type": system.extra_by_type,  # type: ignore[attr-defined]
            "baseline_by_type": baseline.extra_by_type,  # type: ignore[attr-defined]
        },
        notes=[
            "headline: strict typed mention P/R/F1 on MEANTIME named mentions (NAM, PRE.NAM), "
            "annotated sentences only; b3_*: within-document B³ over matched gold mentions."
        ],
    )
