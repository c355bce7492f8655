"""Score event coding on the PLOVER gold-standard records and the PETRARCH2 GSR validation set.

Scoring follows `shared/data/events/README.md` §3: per sentence, the gold is a multiset of
(source, event, target); event-type micro and macro F1, type accuracy of the top coding, actor and
target country/sector match on type-matched pairs, full-triple F1, and false events on no-event
sentences.  PLOVER GSR labels (spec 0.5b1) are mapped to current PLOVER; CAMEO gold is mapped with the
set's own CAMEO2PLOVER table, read at evaluation time.  The PLOVER records are split once by a hash of
their id (`in_heldout`): the tables were tuned on the other half.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.errors import DatelineError
from dateline.eval import Result, Score, prf
from dateline.facts import eventtables as tables

PLOVER = Path("events") / "plover_gsr"
GSR = (
    Path("events")
    / "petrarch2_gsr_validation"
    / "UniversalPetrarch"
    / "data"
    / "text"
    / "PETR2_GSR_validation.xml"
)
# README §2.1: the GSR predates PLOVER v2.0
CURRENT = {"DEMAND": "REQUEST", "DISAPPROVE": "ACCUSE", "FIGHT": "ASSAULT", "INVESTIGATE": "ACCUSE"}


@dataclass
class Actor:
    country: str | None
    sector: str | None = None


@dataclass
class Gold:
    type: str
    sources: list[Actor]
    targets: list[Actor]
    reciprocal: bool = False


@dataclass
class Sentence:
    id: str
    text: str
    gold: list[Gold] = field(default_factory=list)
    cameo: list[str] = field(default_factory=list)  # PETRARCH sets: the gold CAMEO codes


@dataclass
class Coding:
    type: str
    cameo: str | None
    actor: Actor | None
    target: Actor | None


Coder = Callable[[list[str]], list[list[Coding]]]


def in_heldout(record_id: str) -> bool:
    """Half of the PLOVER records, fixed by a hash of the id; the tables were never tuned on them."""
    return int(hashlib.sha256(record_id.encode()).hexdigest(), 16) % 2 == 1


def _actors(value: Any) -> list[Actor]:
    if not isinstance(value, list):
        return []
    return [Actor(a.get("code") or None, a.get("sector") or None) for a in value if isinstance(a, dict)]


def load_plover(root: Path, split: str) -> list[Sentence]:
    path = root / PLOVER / "gold_standard_records" / "PLOVER_GSR_CAMEO.txt"
    if not path.exists():
        raise DatelineError(f"PLOVER gold records not found at {path}")
    records = [r for r in json.loads(path.read_text(encoding="utf-8")) if r.get("event") != "DOCUMENT"]
    sentences: dict[str, Sentence] = {}
    for record in records:
        if split != "all" and in_heldout(record["id"]) != (split == "heldout"):
            continue
        text = " ".join(record["text"].strip().strip("{}").split())
        info = record.get("textInfo")
        markup = info.get("markup", "") if isinstance(info, dict) else str(info or "")
        gold = Gold(
            CURRENT.get(record["event"], record["event"]),
            _actors(record.get("source")),
            _actors(record.get("target")),
            reciprocal="SRC/TAR" in markup,
        )
        sentences.setdefault(text, Sentence(record["id"], text)).gold.append(gold)
    return list(sentences.values())


def cameo_to_plover(root: Path) -> dict[str, str]:
    """CAMEO code -> PLOVER event from the set's CAMEO2PLOVER-2021 table (CC BY-SA; read, not copied)."""
    path = root / PLOVER / "CAMEO2PLOVER-2021.txt"
    table: dict[str, str] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0]
        code, sep, rest = line.partition(":")
        if sep and code.strip().isdigit():
            table.setdefault(code.strip(), rest.split(",")[0].strip())
    return table


def _plover_of(code: str, table: dict[str, str]) -> str | None:
    for n in range(len(code), 1, -1):
        if code[:n] in table:
            return table[code[:n]]
    return None


def _code(code: str) -> Actor:
    code = code.strip()
    return Actor(code[:3] if code[:3] not in ("---", "") else None, code[3:6] or None)


def load_gsr(root: Path, table: dict[str, str]) -> list[Sentence]:
    """The PETRARCH2 GSR file (not strict XML, so read with patterns, as its README advises)."""
    path = root / GSR
    if not path.exists():
        raise DatelineError(f"PETRARCH2 GSR validation file not found at {path}")
    raw = path.read_text(encoding="utf-8", errors="replace")
    sentences = []
    for match in re.finditer(r"<Sentence\s+([^>]*)>(.*?)</Sentence>", raw, re.S):
        attrs, body = match.groups()
        sid = re.search(r"id=[\"']([^\"']+)", attrs)
        text = re.search(r"<Text>(.*?)</Text>", body, re.S)
        if not sid or not text:
            continue
        sentence = Sentence(sid.group(1), " ".join(text.group(1).split()))
        body = re.sub(r"<!--.*?-->", "", body, flags=re.S)
        codings = re.findall(r"<EventCoding\s+([^>]*?)/?>", body)
        if any("error" in c for c in codings):
            continue
        for coding in codings:
            fields = dict(re.findall(r"(\w+)=[\"']([^\"']*)[\"']", coding))
            if "eventcode" not in fields:
                continue
            cameo = fields["eventcode"]
            plover = _plover_of(cameo, table) or "OTHER"
            sentence.cameo.append(cameo)
            sentence.gold.append(
                Gold(plover, [_code(fields.get("sourcecode", ""))], [_code(fields.get("targetcode", ""))])
            )
        if codings:
            sentences.append(sentence)
    return sentences


# --- coders ---------------------------------------------------------------------------------


def _actor(code: str | None) -> Actor | None:
    if not code:
        return None
    country, _, sector = code.partition(" ")
    return Actor(None if country == "---" else country, sector or None)


def dateline_coder() -> Coder:
    from dateline.nlp import load_pipeline

    nlp = load_pipeline()

    def run(texts: list[str]) -> list[list[Coding]]:
        out = []
        for doc in nlp.pipe(texts, batch_size=64):
            coded = doc._.facts.get("event_codings", []) if doc._.facts else []
            out.append(
                [
                    Coding(c["type"], c["cameo"], _actor(c["actor_code"]), _actor(c["target_code"]))
                    for c in coded
                ]
            )
        return out

    return run


def lexicon_coder() -> Coder:
    """Baseline: the first verb whose lemma is a trigger gives the type (no syntax, roles or modality)."""
    from dateline.nlp import load_pipeline

    nlp = load_pipeline(components=())
    lexicon: dict[str, tables.Trigger] = {}
    for (pos, lemma), rows in tables.triggers().items():
        typed = [r for r in rows if r.type in tables.QUAD]
        if pos == "v" and typed:
            lexicon[lemma] = typed[0]

    def run(texts: list[str]) -> list[list[Coding]]:
        out = []
        for doc in nlp.pipe(texts, batch_size=64):
            row = next(
                (lexicon[t.lemma_.lower()] for t in doc if t.pos_ == "VERB" and t.lemma_.lower() in lexicon),
                None,
            )
            out.append([Coding(row.type, row.cameo, None, None)] if row and row.type else [])
        return out

    return run


# --- scoring --------------------------------------------------------------------------------


def _same(predicted: Actor | None, gold: list[Actor], sector: bool) -> bool:
    if predicted is None or predicted.country is None:
        return not any(g.country for g in gold) and (
            not sector or predicted is None or not any(g.sector for g in gold)
        )
    for g in gold:
        if g.country == predicted.country and (
            not sector or g.sector is None or g.sector == predicted.sector
        ):
            return True
    return False


def _roles_match(c: Coding, g: Gold, sector: bool) -> tuple[bool, bool]:
    if g.reciprocal or (not g.targets and len(g.sources) > 1):
        actor = _same(c.actor, g.sources, sector)
        target = c.target is None or _same(c.target, g.sources, sector)
        return actor, target
    return _same(c.actor, g.sources, sector), _same(c.target, g.targets, sector) if g.targets else True


@dataclass
class Tally:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    per_type: Counter[tuple[str, str]] = field(default_factory=Counter)
    top_right: int = 0
    quad_right: int = 0
    scored: int = 0
    pairs: int = 0
    actor_country: int = 0
    actor_full: int = 0
    target_country: int = 0
    triple_country: int = 0
    triple_full: int = 0
    no_event: int = 0
    false_alarm: int = 0
    false_events: int = 0
    cameo_root: Counter[str] = field(default_factory=Counter)


def score(
    name: str, sentences: list[Sentence], predictions: list[list[Coding]], cameo: bool = False
) -> Score:
    t = Tally()
    for sentence, coded in zip(sentences, predictions, strict=True):
        gold_types = Counter(g.type for g in sentence.gold)
        pred_types = Counter(c.type for c in coded)
        if not sentence.gold:
            t.no_event += 1
            t.false_alarm += bool(coded)
            t.false_events += len(coded)
        else:
            t.scored += 1
            top = coded[0].type if coded else None
            t.top_right += top in gold_types
            t.quad_right += tables.quad(top) in {tables.quad(g) for g in gold_types}
        hit = gold_types & pred_types
        t.tp += sum(hit.values())
        t.fp += sum((pred_types - gold_types).values())
        t.fn += sum((gold_types - pred_types).values())
        for label in set(gold_types) | set(pred_types):
            t.per_type[(label, "tp")] += hit[label]
            t.per_type[(label, "fp")] += (pred_types - gold_types)[label]
            t.per_type[(label, "fn")] += (gold_types - pred_types)[label]
        if cameo:
            gold_roots = Counter(code[:2] for code in sentence.cameo)
            pred_roots = Counter((c.cameo or "")[:2] for c in coded)
            t.cameo_root["tp"] += sum((gold_roots & pred_roots).values())
            t.cameo_root["fp"] += sum((pred_roots - gold_roots).values())
            t.cameo_root["fn"] += sum((gold_roots - pred_roots).values())
        unused = list(sentence.gold)
        for c in coded:  # greedy pairing of predictions with gold events of the same type
            g = next((g for g in unused if g.type == c.type), None)
            if g is None:
                continue
            unused.remove(g)
            t.pairs += 1
            actor_c, target_c = _roles_match(c, g, sector=False)
            actor_f, target_f = _roles_match(c, g, sector=True)
            t.actor_country += actor_c
            t.actor_full += actor_f
            t.target_country += target_c
            t.triple_country += actor_c and target_c
            t.triple_full += actor_f and target_f
    p, r, f = prf(t.tp, t.fp, t.fn)
    gold_n, pred_n = t.tp + t.fn, t.tp + t.fp
    labels = sorted(
        {label for label, _ in t.per_type if any(label == g.type for s in sentences for g in s.gold)}
    )
    macro = [prf(t.per_type[(x, "tp")], t.per_type[(x, "fp")], t.per_type[(x, "fn")])[2] for x in labels]
    extra: dict[str, Any] = {
        "n": len(sentences),
        "type_accuracy": t.top_right / t.scored if t.scored else 0.0,
        "macro_f1": sum(macro) / len(macro) if macro else 0.0,
        "quad_accuracy": t.quad_right / t.scored if t.scored else 0.0,
        "actor_country": t.actor_country / t.pairs if t.pairs else 0.0,
        "actor_country_sector": t.actor_full / t.pairs if t.pairs else 0.0,
        "target_country": t.target_country / t.pairs if t.pairs else 0.0,
        "triple_f1_country": _f1(t.triple_country, pred_n, gold_n),
        "triple_f1": _f1(t.triple_full, pred_n, gold_n),
    }
    if t.no_event:
        extra["no_event_sentences"] = t.no_event
        extra["false_alarm_rate"] = t.false_alarm / t.no_event
        extra["false_events"] = t.false_events
    if cameo:
        extra["cameo_root_f1"] = prf(t.cameo_root["tp"], t.cameo_root["fp"], t.cameo_root["fn"])[2]
    return Score(name, p, r, f, extra=extra)


def _f1(tp: int, predicted: int, gold: int) -> float:
    return prf(tp, predicted - tp, gold - tp)[2]


def evaluate(root: Path, split: str = "all") -> Result:
    if split not in ("all", "tune", "heldout"):
        raise DatelineError(f"unknown split {split!r}: use all, tune or heldout")
    plover = load_plover(root, split)
    gsr = load_gsr(root, cameo_to_plover(root))
    system, baseline = dateline_coder(), lexicon_coder()
    texts = [s.text for s in plover]
    gsr_texts = [s.text for s in gsr]
    ours = score("dateline events (PLOVER GSR)", plover, system(texts))
    base = score("verb lexicon (PLOVER GSR)", plover, baseline(texts))
    ours_gsr = score("dateline events (PETRARCH2 GSR)", gsr, system(gsr_texts), cameo=True)
    base_gsr = score("verb lexicon (PETRARCH2 GSR)", gsr, baseline(gsr_texts), cameo=True)
    others = [ours_gsr, base_gsr]
    details: dict[str, Any] = {"split": split, "plover_sentences": len(plover), "gsr_sentences": len(gsr)}
    try:
        from dateline.eval.meantime_events import evaluate_meantime
        from dateline.nlp import load_pipeline

        mentions, mention_baseline = evaluate_meantime(root, split, load_pipeline())
    except DatelineError as exc:  # MEANTIME is optional beside the event-coding sets
        details["meantime"] = str(exc)
    else:
        others += [mentions, mention_baseline]
        details |= {f"meantime_{k}": v for k, v in mentions.extra.items()}
        details |= {"meantime_f1": mentions.f1, "meantime_baseline_f1": mention_baseline.f1}
    return Result(
        area="events",
        system=ours,
        baseline=base,
        others=others,
        details=details,
        notes=[
            "PLOVER GSR labels mapped to PLOVER v2.0 (DEMAND→REQUEST, DISAPPROVE/INVESTIGATE→ACCUSE, FIGHT→ASSAULT);",
            "the split (--split tune|heldout) halves the PLOVER records by sha256(id); the PETRARCH2 set is always whole;",
            "MEANTIME event mentions (rows 3-4, meantime_* details): the split holds out the quarter of the files "
            "that `eval entities` holds out (crc32(name) % 4 == 0).",
        ],
    )
