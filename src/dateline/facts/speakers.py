"""Resolve a speaker's words ("he", "the Iraqi prime minister", "Biden") to who they stand for.

One resolver works from whatever the entities stage left in `doc._.facts["entities"]`; when
there is none (the stage is not in the pipeline) it builds stand-in entities from spaCy's
named entities, grouping people by surname and keeping the title written before a name
("Iraqi Prime Minister Mustafa al-Kadhimi").  Stand-ins have no id, so `Reference.entity`
stays None.  Nothing here guesses: words that match no entity keep their own text as name.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span, Token

from dateline.model import Entity, Reference

# How an entity type or a speaker word can be referred to by a pronoun.
KIND_OF_TYPE = {
    "PERSON": "person",
    "ORG": "org",
    "NORP": "group",
    "GPE": "org",
    "LOC": "org",
}
# pronoun class -> the kinds of antecedent it may take
COMPATIBLE = {
    "person": {"person"},
    "plural": {"group", "org"},
    "thing": {"org", "document"},
}
TITLE_DEPS = {"compound", "amod", "nmod"}
LOOKBACK_SENTENCES = 5


@cache
def _table(name: str) -> dict[str, str]:
    raw = resources.files("dateline.facts").joinpath("data").joinpath(name).read_text(encoding="utf-8")
    rows = (line.split("\t") for line in raw.splitlines() if line.strip() and not line.startswith("#"))
    return {key.strip().lower(): value.strip() for key, value in rows}


def speaker_words() -> dict[str, str]:
    return _table("speaker_words.tsv")


def speaker_pronouns() -> dict[str, str]:
    return _table("speaker_pronouns.tsv")


@dataclass
class Candidate:
    """An entity a speaker may stand for: a real `Entity`, or a stand-in built from the parse."""

    name: str
    kind: str | None
    id: str | None = None
    title: str | None = None
    mentions: list[tuple[int, int]] = field(default_factory=list)

    def title_words(self) -> set[str]:
        return {w.lower().strip(".") for w in f"{self.title or ''} {self.name}".split()}


def from_entities(entities: Iterable[Entity]) -> list[Candidate]:
    return [
        Candidate(
            name=e.name,
            kind=KIND_OF_TYPE.get(e.type),
            id=e.id,
            title=e.title,
            mentions=[(m.start, m.end) for m in e.mentions],
        )
        for e in entities
    ]


def _title_before(ent: Span) -> str | None:
    """Title words written just before a name in the same phrase: "U.S. President" Joe Biden."""
    doc = ent.doc
    i = ent.start - 1
    words: list[Token] = []
    while i >= 0:
        t = doc[i]
        inside = ent.start <= t.head.i < ent.end or any(t.head.i == w.i for w in words)
        if t.dep_ not in TITLE_DEPS or not inside or t.is_punct:
            break
        words.insert(0, t)
        i -= 1
    return " ".join(t.text for t in words) if words else None


def from_parse(doc: Doc) -> list[Candidate]:
    """Stand-in entities from spaCy's named entities: people grouped by surname, others by name."""
    groups: dict[tuple[str, str], Candidate] = {}
    for ent in doc.ents:
        kind = KIND_OF_TYPE.get(ent.label_)
        if kind is None:
            continue
        words = [t for t in ent if not t.is_punct and t.lower_ not in ("the", "'s")]
        if not words:
            continue
        key = (ent.label_, words[-1].lower_ if ent.label_ == "PERSON" else " ".join(w.lower_ for w in words))
        name = " ".join(w.text for w in words) if ent.label_ != "PERSON" else _name_text(ent)
        candidate = groups.setdefault(key, Candidate(name=name, kind=kind))
        if len(name) > len(candidate.name):
            candidate.name = name
        candidate.title = candidate.title or _title_before(ent)
        candidate.mentions.append((ent.start_char, ent.end_char))
    return list(groups.values())


def _name_text(ent: Span) -> str:
    start = 1 if ent[0].lower_ == "the" else 0
    end = len(ent) - (1 if ent[-1].tag_ == "POS" else 0)
    return ent[start:end].text if end > start else ent.text


class Resolver:
    """Turns a speaker's token span into a `Reference` (name, words, entity id)."""

    def __init__(self, doc: Doc, candidates: Sequence[Candidate], excluded: Sequence[tuple[int, int]] = ()):
        self.doc = doc
        self.candidates = list(candidates)
        # each character of a mention -> the first candidate mentioned there: a lookup, not a scan
        self.mentioned_at: dict[int, Candidate] = {}
        for candidate in self.candidates:
            for start, end in candidate.mentions:
                for char in range(start, end):
                    self.mentioned_at.setdefault(char, candidate)
        self.excluded = sorted(excluded)
        self.words = speaker_words()
        self.pronouns = speaker_pronouns()

    @classmethod
    def for_doc(cls, doc: Doc, excluded: Sequence[tuple[int, int]] = ()) -> Resolver:
        facts = doc._.facts or {}
        entities = facts.get("entities")
        candidates = from_entities(entities) if entities else from_parse(doc)
        return cls(doc, candidates, excluded)

    # -- public -------------------------------------------------------------------------------
    def resolve(self, span: Span) -> Reference:
        candidate = self._candidate_of(span, depth=0)
        if candidate is None:
            return Reference(name=span.text, start=span.start_char, end=span.end_char, text=span.text)
        return Reference(
            name=candidate.name,
            start=span.start_char,
            end=span.end_char,
            text=span.text,
            entity=candidate.id,
        )

    def kind_of(self, span: Span) -> str | None:
        """person / group / org / document, or None when the words say nothing about it."""
        candidate = self._mentioned(span)
        if candidate is not None:
            return candidate.kind
        head = span.root
        if head.pos_ == "PRON":
            return None
        if head.ent_type_ in KIND_OF_TYPE:
            return KIND_OF_TYPE[head.ent_type_]
        kind = self.words.get(head.lower_) or self.words.get(head.lemma_.lower())
        if kind == "person" and head.tag_ in ("NNS", "NNPS"):
            return "group"
        return kind

    # -- steps --------------------------------------------------------------------------------
    def _candidate_of(self, span: Span, depth: int) -> Candidate | None:
        mentioned = self._mentioned(span)
        if mentioned is not None:
            return mentioned
        head = span.root
        if head.pos_ == "PRON" and len(span) == 1:
            return self._antecedent(head, depth) if depth < 3 else None
        return self._by_description(span)

    def _mentioned(self, span: Span) -> Candidate | None:
        """The candidate with a mention on the span's head word ("Iraqi" in "the Iraqi minister" is not one)."""
        return self.mentioned_at.get(span.root.idx)

    def _by_description(self, span: Span) -> Candidate | None:
        """ "the Iraqi prime minister" -> the person titled Iraqi Prime Minister; "the agency" -> the X Agency."""
        head = span.root
        kind = self.kind_of(span)
        if kind not in ("person", "org") or head.tag_ in ("NNS", "NNPS") or head.pos_ == "PROPN":
            return None
        if head.ent_type_ and head.ent_type_ != "NORP":
            return None
        wanted = {
            t.lower_.strip(".")
            for t in span
            if t.i <= head.i and not t.is_punct and t.pos_ in ("NOUN", "PROPN", "ADJ") and t.dep_ != "poss"
        }
        best: tuple[int, Candidate] | None = None
        for candidate in self.candidates:
            if candidate.kind != kind:
                continue
            have = (
                candidate.title_words() if kind == "person" else {w.lower() for w in candidate.name.split()}
            )
            if not wanted <= have:
                continue
            before = [s for s, _ in candidate.mentions if s < span.start_char]
            if not before:
                continue
            if best is None or max(before) > best[0]:
                best = (max(before), candidate)
        return best[1] if best else None

    def _antecedent(self, pronoun: Token, depth: int) -> Candidate | None:
        wants = COMPATIBLE.get(self.pronouns.get(pronoun.lower_, ""), set())
        if not wants:
            return None
        for phrase in self._preceding_phrases(pronoun):
            if self._is_excluded(phrase.start_char):
                continue
            if phrase.root.pos_ == "PRON":
                if self.pronouns.get(phrase.root.lower_) != self.pronouns.get(pronoun.lower_):
                    continue
                found = self._candidate_of(phrase, depth + 1)
                if found is not None:
                    return found
                continue
            kind = self.kind_of(phrase)
            if kind in wants:
                return self._candidate_of(phrase, depth + 1) or Candidate(name=phrase.text, kind=kind)
        return None

    def _preceding_phrases(self, pronoun: Token) -> Iterable[Span]:
        """Noun phrases before the pronoun: its own sentence nearest first, then earlier sentences,
        each with its subjects first (the usual antecedent of a speaker pronoun) and then left to right."""
        sentence = pronoun.sent
        own = [p for p in _phrases(sentence) if p.end <= pronoun.i]
        yield from reversed(own)
        sentences = list(self.doc.sents)
        index = next(i for i, s in enumerate(sentences) if s.start == sentence.start)
        for earlier in reversed(sentences[max(0, index - LOOKBACK_SENTENCES) : index]):
            phrases = list(_phrases(earlier))
            yield from sorted(phrases, key=lambda p: (p.root.dep_ not in ("nsubj", "nsubjpass"), p.start))

    def _is_excluded(self, char: int) -> bool:
        return any(start <= char < end for start, end in self.excluded)


def _phrases(sentence: Span) -> Iterable[Span]:
    """Noun phrases of a sentence as (possibly nested-free) spans, skipping possessive pronouns."""
    doc = sentence.doc
    for token in sentence:
        if token.pos_ not in ("NOUN", "PROPN", "PRON") or token.dep_ in ("compound", "poss", "expl"):
            continue
        if token.tag_ in ("PRP$", "WP", "WDT", "EX"):
            continue
        left = token.i
        while (
            left > sentence.start
            and doc[left - 1].head.i == token.i
            and doc[left - 1].dep_
            in (
                "det",
                "amod",
                "compound",
                "nummod",
                "poss",
                "nmod",
            )
        ):
            left -= 1
        while left > sentence.start and doc[left - 1].dep_ == "compound" and doc[left - 1].head.i >= left:
            left -= 1
        yield doc[left : token.i + 1]
