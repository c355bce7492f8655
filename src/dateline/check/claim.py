"""Read a claim with the same pipeline as an article: speaker and cue, events, times, quantities."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date

from spacy.tokens import Doc

from dateline.check.lexicon import lexicon
from dateline.check.reading import Predicate, Reading, add_events, model_number, predicate_at, read
from dateline.corpus.text import terms
from dateline.model import Entity, Event, Quantity, Quote, Time

# one spaCy pipeline per process; its components keep state per call, so calls take turns
NLP_LOCK = threading.RLock()


@dataclass
class Claim:
    """A claim as Dateline reads it."""

    text: str
    as_of: str
    quote: Quote | None
    """The claim's attribution, when it says who said what: its speaker, cue and content."""
    reading: Reading
    """The content's words and predicates (the quoted content for an attributed claim)."""
    quantities: list[Quantity] = field(default_factory=list)
    times: list[Time] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    entities: list[Entity] = field(default_factory=list)
    doc: Doc | None = None
    cue_predicate: Predicate | None = None
    """The verb that reports the claim's speech ("confirmed", "denied"), read like any predicate."""

    @property
    def speaker(self) -> str | None:
        return self.quote.speaker.name if self.quote and self.quote.speaker else None

    @property
    def cue(self) -> str | None:
        return self.quote.cue.text if self.quote and self.quote.cue else None

    @property
    def dates(self) -> list[Time]:
        """The calendar dates it gives (not durations, not "now", not "today" as "nowadays")."""
        present = lexicon().words["present"]
        return [
            t
            for t in self.times
            if t.type == "DATE" and t.anchored and t.value[:1].isdigit() and t.text.lower() not in present
        ]

    def query(self) -> list[str]:
        """Words to look for in the store: the claim's own, and the synonyms of its content words."""
        lex = lexicon()
        wanted = terms(self.text)
        for word in self.reading.words:
            for synonym in sorted(lex.expansions(word.lemma)):
                wanted.extend(inflections(synonym))
        return list(dict.fromkeys(wanted))


def inflections(lemma: str) -> list[str]:
    """A lemma's regular forms, for an index of words as written ("vote" -> votes, voted, voting)."""
    if " " in lemma:
        return terms(lemma)
    stem = lemma[:-1] if lemma.endswith("e") else lemma
    forms = [lemma, lemma + "s", stem + "ed", stem + "ing"]
    if lemma.endswith("y"):
        forms += [lemma[:-1] + "ies", lemma[:-1] + "ied"]
    return terms(" ".join(forms))


def read_claim(text: str, as_of: str | None = None) -> Claim:
    """Run the Dateline pipeline over the claim, as if it were an article published on `as_of`."""
    from dateline.nlp import load_pipeline

    as_of = as_of or date.today().isoformat()
    nlp = load_pipeline()
    with NLP_LOCK:
        doc = nlp.make_doc(text)
        doc._.published = as_of
        doc._.facts = {}
        doc = nlp(doc)
    facts = doc._.facts or {}
    quotes: list[Quote] = [q for q in facts.get("quotes", []) if q.speaker is not None]
    quote = quotes[0] if quotes else None
    times: list[Time] = list(facts.get("times", []))
    skip = [(t.start, t.end) for t in times]
    events: list[Event] = list(facts.get("events", []))
    span = doc.char_span(quote.start, quote.end, alignment_mode="expand") if quote is not None else None
    tokens = span if span is not None else doc[:]
    reading = read(tokens, skip)
    add_events(reading, [e for e in events if tokens.start_char <= e.trigger.start < tokens.end_char], doc)
    return Claim(
        text=text,
        as_of=as_of,
        quote=quote,
        reading=reading,
        quantities=[q for q in facts.get("quantities", []) if not _is_name(doc, q)],
        times=times,
        events=events,
        entities=list(facts.get("entities", [])),
        doc=doc,
        cue_predicate=_cue(doc, quote),
    )


def _cue(doc: Doc, quote: Quote | None) -> Predicate | None:
    if quote is None or quote.cue is None:
        return None
    span = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
    return predicate_at(span.root) if span is not None and len(span) else None


def _is_name(doc: Doc, quantity: Quantity) -> bool:
    """ "The 787", "a 737": a number with a determiner and nothing counted is a model's name."""
    span = doc.char_span(quantity.start, quantity.end, alignment_mode="expand")
    if quantity.unit is not None or span is None or not len(span):
        return False
    return model_number(span.root)
