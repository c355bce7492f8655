"""`dateline check`: what the stored reporting says about a claim, with its words.

The claim is read with the article pipeline (`claim`), the sentences that may bear on it are found
with the store's full-text index and corpus entities (`evidence`), and each is compared with the
claim field by field (`compare`).  The answer is a verdict with every sentence it rests on: its
words, article, date and offsets, the field that decides and why.  Word tables live in `data/`.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from dateline.check.claim import NLP_LOCK, Claim, read_claim
from dateline.check.compare import CONTEXT, Comparison, Fact, Verdict
from dateline.check.compare import compare as compare_sentence
from dateline.check.evidence import Unit, candidates, index_for
from dateline.corpus.connect import Database, connection

Label = Literal["supported", "contradicted", "not_enough_info"]
LABELS: tuple[Label, ...] = ("supported", "contradicted", "not_enough_info")
MARGIN = 0.1  # a contradiction decides unless a support covers this much more of the claim


@dataclass
class Evidence:
    """One sentence of the reporting and what it says about the claim."""

    verdict: Verdict
    field: str
    """The field that decides: speaker, swap, negation, modality, date, number, scope, actor, content."""
    reason: str
    coverage: float
    """Share of the claim's content (weighted by rarity) that the sentence says."""
    document_id: str
    title: str | None
    published: str | None
    date: str | None
    """When the fact happened or was said, where the article says; else the article's date."""
    source: str | None
    url: str | None
    start: int
    end: int
    text: str
    """The sentence: `document.text[start:end]`."""
    fact: Fact | None = None
    """The stored quote, event, quantity or time the verdict rests on."""


@dataclass
class Result:
    """The answer to `dateline check`: a verdict, why, and the evidence."""

    claim: str
    as_of: str
    verdict: Label
    reason: str
    reading: dict[str, Any]
    evidence: list[Evidence] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def check(
    db: Database,
    text: str,
    as_of: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 10,
) -> Result:
    """Check a claim against the stored articles (published between `since` and `until`)."""
    claim = read_claim(text, as_of)
    con = connection(db)
    index = index_for(con, [*claim.query(), *(w.form for w in claim.reading.words)])
    units = candidates(con, claim, index, since, until, limit=max(2 * limit, 16))
    comparisons = [
        compare_sentence(claim, unit, parsed, index)
        for unit, parsed in zip(units, _parse(units), strict=True)
    ]
    label, reason = decide(comparisons)
    shown = sorted(
        (c for c in comparisons if c.coverage >= CONTEXT),
        key=lambda c: (c.verdict == "context", -c.coverage, c.unit.document.id, c.unit.start),
    )[:limit]
    return Result(text, claim.as_of, label, reason, describe(claim), [_evidence(c) for c in shown])


def decide(comparisons: list[Comparison]) -> tuple[Label, str]:
    """The claim's label from its sentences: the best contradiction, unless a clearly better support."""
    supports = [c for c in comparisons if c.verdict == "supports"]
    contradicts = [c for c in comparisons if c.verdict == "contradicts"]
    best_support = max(supports, key=lambda c: c.coverage, default=None)
    best_contradiction = max(contradicts, key=lambda c: c.coverage, default=None)
    if best_contradiction is not None and (
        best_support is None or best_contradiction.coverage + MARGIN >= best_support.coverage
    ):
        return "contradicted", f"{best_contradiction.field}: {best_contradiction.reason}"
    if best_support is not None:
        return "supported", f"{best_support.field}: {best_support.reason}"
    return "not_enough_info", "no stored sentence says what the claim says"


def _parse(units: list[Unit]) -> list[Any]:
    from dateline.facts import COMPONENTS
    from dateline.nlp import load_pipeline

    nlp = load_pipeline()
    with NLP_LOCK:
        return list(nlp.pipe([u.text for u in units], disable=["ner", *COMPONENTS]))


def _evidence(comparison: Comparison) -> Evidence:
    unit = comparison.unit
    document = unit.document
    return Evidence(
        verdict=comparison.verdict,
        field=comparison.field,
        reason=comparison.reason,
        coverage=round(comparison.coverage, 3),
        document_id=document.id,
        title=document.title,
        published=document.published,
        date=_date_of(unit, comparison.fact) or (document.published or "")[:10] or None,
        source=document.source,
        url=document.url,
        start=unit.start,
        end=unit.end,
        text=unit.text,
        fact=comparison.fact,
    )


def _date_of(unit: Unit, fact: Fact | None) -> str | None:
    """The fact's own date; else the date its sentence was said on, when the sentence is a dated quote."""
    if fact is not None:
        number = int(fact.id.rsplit("-", 1)[1])
        if fact.kind == "quote" and unit.document.quotes[number].date:
            return unit.document.quotes[number].date
        if fact.kind == "event" and unit.document.events[number].date:
            return unit.document.events[number].date
    return next((q.date for _, q in unit.quotes if q.date), None)


def describe(claim: Claim) -> dict[str, Any]:
    """How Dateline read the claim: what the comparison works on."""
    return {
        "speaker": claim.speaker,
        "cue": claim.cue,
        "content": claim.quote.text if claim.quote else claim.text,
        "events": [
            {
                "action": e.action,
                "modality": e.modality,
                "actor": e.actor.name if e.actor else None,
                "target": e.target.name if e.target else None,
                "date": e.date,
            }
            for e in claim.events
        ],
        "times": [{"text": t.text, "value": t.value, "mod": t.mod} for t in claim.times],
        "quantities": [
            {"text": q.text, "value": q.value, "unit": q.unit, "approximate": q.approximate}
            for q in claim.quantities
        ],
        "predicates": [
            {"lemma": p.lemma, "positive": p.positive, "modality": p.modality, "roles": p.roles}
            for p in claim.reading.predicates
        ],
        "all": claim.reading.universal,
    }


__all__ = ["LABELS", "Evidence", "Label", "Result", "check", "decide", "read_claim"]
