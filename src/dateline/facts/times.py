"""The `dateline_times` component: time expressions, normalized against the document's date.

The grammar and vocabulary live in `timetags` and `data/times.json`; this
component adds what the parse knows — the tense and modality of the clause
that governs each expression, which decides whether "Monday" is the last one
or the coming one — and the anchor, `doc._.published`.
"""

from __future__ import annotations

import re
from datetime import date, datetime

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.facts.timetags import FUTURE, PAST, UNKNOWN, Anchor, Candidate, find, tables
from dateline.model import Time

_FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# A clause that holds another's date does not pass it on to the clauses it embeds.
_CLAUSAL = {"ccomp", "xcomp", "advcl", "relcl", "acl", "csubj", "parataxis"}


def anchor_day(published: str | None) -> date | None:
    if not published:
        return None
    try:
        return (
            datetime.fromisoformat(published[:19]).date()
            if "T" in published
            else date.fromisoformat(published[:10])
        )
    except ValueError:
        return None


def _governor(token: Token) -> Token:
    """The verb (or event noun's verb) whose clause a time expression modifies."""
    node = token
    for _ in range(12):
        if node.pos_ in ("VERB", "AUX") or node.head is node:
            break
        node = node.head
    # "said on Monday the military will end ...": a time standing before the
    # subject of a complement clause belongs to the verb that introduces it,
    # whatever the parser attached it to.
    if node.dep_ == "ccomp":
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
        if subjects and token.i < subjects[0].left_edge.i and node.head.i < token.i:
            return node.head
    return node


def tense(verb: Token) -> int:
    """PAST, FUTURE or UNKNOWN for the clause of this verb."""
    future = set(tables()["future_markers"])
    words = [verb, *verb.children]
    head = verb.head
    # "is scheduled to leave", "plans to return": the intent verb above carries the future
    if verb.dep_ == "xcomp" and head.lemma_.lower() in future | {
        "schedule",
        "expect",
        "plan",
        "intend",
        "aim",
    }:
        return FUTURE
    for w in words:
        if w.dep_ in ("aux", "auxpass") and (w.lower_ in future or w.lemma_ in ("will", "shall")):
            return FUTURE
        if w.dep_ in ("aux", "auxpass") and w.lower_ == "going":
            return FUTURE
    if verb.lower_ in ("scheduled", "due", "set", "expected") and any(
        c.dep_ == "xcomp" for c in verb.children
    ):
        return FUTURE
    if verb.tag_ in ("VBD",) or any(w.dep_ == "aux" and w.tag_ == "VBD" for w in words):
        return PAST
    if verb.tag_ == "VBN" and any(w.lemma_ == "have" for w in words):
        return PAST
    return UNKNOWN


def _span(doc: Doc, c: Candidate) -> Span | None:
    return doc.char_span(c.start, c.end, alignment_mode="expand")


@Language.factory("dateline_times", default_config={"use_tense": True})
def make_times(nlp: Language, name: str, use_tense: bool) -> TimeTagger:
    return TimeTagger(use_tense=use_tense)


class TimeTagger:
    def __init__(self, use_tense: bool = True) -> None:
        self.use_tense = use_tense

    def __call__(self, doc: Doc) -> Doc:
        if doc._.facts is None:
            doc._.facts = {}
        day = anchor_day(doc._.published)
        times: list[Time] = []
        governors: dict[int, int] = {}
        story_day: date | None = None  # the narrative reference time: the last full date the text gave
        for c in find(doc.text):
            direction = UNKNOWN
            span = _span(doc, c)
            if span is not None:
                governor = _governor(span.root)
                governors[len(times)] = governor.i
                if c.relative and self.use_tense and day is not None:
                    direction = tense(governor)
            anchor = story_day if c.narrative and story_day is not None else day
            resolved = c.resolve(Anchor(anchor, direction))
            if c.type == "DATE" and resolved.anchored and _FULL_DATE.match(resolved.value):
                story_day = date.fromisoformat(resolved.value)
            times.append(
                Time(
                    text=doc.text[c.start : c.end],
                    start=c.start,
                    end=c.end,
                    type=c.type,  # type: ignore[arg-type]
                    value=resolved.value,
                    mod=resolved.mod,
                    anchored=resolved.anchored,
                )
            )
        doc._.facts["times"] = times
        doc._.facts["time_governors"] = governors
        return doc


def governing_time(doc: Doc, token: Token) -> Time | None:
    """The time expression that dates the clause of `token` (a verb or event noun).

    A time counts when the parse (with the reporting-clause rule of
    `_governor`) makes `token` its governor — "on Monday" in "said on Monday the
    military will …" dates "said", not "end" — or when it sits inside the
    token's own phrase ("the 2003 invasion").  A clause with none takes the
    time of the clause it is conjoined or subordinated to ("and returned in 2014").
    """
    facts = doc._.facts or {}
    times: list[Time] = facts.get("times", [])
    governors: dict[int, int] = facts.get("time_governors", {})
    node: Token | None = token
    for _ in range(4):
        if node is None:
            break
        own = [times[i] for i, g in governors.items() if g == node.i and times[i].type in ("DATE", "TIME")]
        own = own or _inside(node, times) or _antecedent(node, times)
        if own:
            here = node.idx
            return min(own, key=lambda t: abs(t.start - here))
        node = node.head if node.dep_ in ("conj", "advcl", "xcomp") and node.head is not node else None
    return None


def _antecedent(token: Token, times: list[Time]) -> list[Time]:
    """ "in April, when a statement said …": a clause that modifies a time expression happens at that time."""
    dated = [t for t in times if t.type in ("DATE", "TIME")]
    when = [c for c in token.children if c.dep_ == "advmod" and c.lower_ in ("when", "as")]
    if when:
        # the parser often hangs the clause elsewhere: the words before "when" tell
        before = when[0].i - 1
        while before >= 0 and token.doc[before].is_punct:
            before -= 1
        if before >= 0:
            at = token.doc[before].idx
            found = [t for t in dated if t.start <= at < t.end]
            if found:
                return found
    if token.dep_ not in ("relcl", "acl") or token.head is token:
        return []
    head = token.head.idx
    return [t for t in dated if t.start <= head < t.end]


def _inside(token: Token, times: list[Time]) -> list[Time]:
    """Times within the token's own phrase, not within clauses embedded in it."""
    if token.pos_ in ("VERB", "AUX"):
        return []
    spans: list[tuple[int, int]] = []
    stack = [c for c in token.children if c.dep_ not in _CLAUSAL and c.dep_ != "conj"]
    while stack:
        child = stack.pop()
        spans.append((child.idx, child.idx + len(child)))
        stack.extend(c for c in child.children if c.dep_ not in _CLAUSAL)
    return [
        t for t in times if t.type in ("DATE", "TIME") and any(s < t.end and t.start < e for s, e in spans)
    ]
