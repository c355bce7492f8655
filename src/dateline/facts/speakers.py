"""Resolve a speaker's words ("he", "the Iraqi prime minister", "Biden") to who they stand for.

One resolver works from whatever the entities stage left in `doc._.facts["entities"]`; when
there is none (the stage is not in the pipeline) it builds stand-in entities from spaCy's
named entities, grouping people by surname and keeping the title written before a name
("Iraqi Prime Minister Mustafa al-Kadhimi").  Stand-ins have no id, so `Reference.entity`
stays None.  Nothing here guesses: words that match no entity keep their own text as name.

In order, a speaker's words resolve to:
* the entity named at their head ("Biden", "Anne Leroy, the French foreign minister");
* the entity named in apposition to a role ("The French foreign minister, Anne Leroy");
* for a role or kind ("the minister", "the agency", "the company"), the entity the article gave
  that role most recently before: by a title before a name ("Foreign Minister Anne Leroy"), by an
  apposition ("Anne Leroy, the French foreign minister"), or by its own name ("the European
  Maritime Safety Agency"; "Acme Inc." is a company, `data/speaker_org_kinds.tsv`); "his
  counterpart, Anne Leroy" also holds the role of the person named before her;
* for a pronoun, the nearest compatible antecedent (subjects of earlier sentences first).
All lookups are indexed once per document, so resolving every speaker of an article costs
time in proportion to its length.
"""

from __future__ import annotations

from bisect import bisect_right
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
# role nouns that say the holder has the role of someone named before ("his counterpart")
SAME_ROLE = frozenset({"counterpart", "successor", "predecessor"})


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


@cache
def org_kinds() -> dict[str, str]:
    """Words in an organisation's name that say what kind it is: "Inc" -> "company firm"."""
    return _table("speaker_org_kinds.tsv")


@dataclass(frozen=True)
class Role:
    """The article gives `candidate` a role at `at`: its title, an apposition, or its own name."""

    at: int
    candidate: Candidate
    words: frozenset[str]
    kind: str | None = None  # what the role says it is, where the model typed the name otherwise

    @property
    def holder_kind(self) -> str | None:
        return self.kind or self.candidate.kind


class Resolver:
    """Turns a speaker's token span into a `Reference` (name, words, entity id)."""

    def __init__(self, doc: Doc, candidates: Sequence[Candidate], excluded: Sequence[tuple[int, int]] = ()):
        self.doc = doc
        self.candidates = list(candidates)
        self.excluded = sorted(excluded)
        self._excluded_starts = [start for start, _ in self.excluded]
        self.words = speaker_words()
        self.pronouns = speaker_pronouns()
        self.text = doc.text  # a Doc rebuilds its text on every access
        mentions = sorted(
            ((start, end, n) for n, c in enumerate(self.candidates) for start, end in c.mentions),
            key=lambda m: (m[0], -m[1]),
        )
        self._mentions = mentions
        self._mention_starts = [m[0] for m in mentions]
        self._roles: dict[str, list[Role]] | None = None
        self._sentences: list[Span] | None = None
        self._sentence_starts: list[int] = []

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
            own = _own_words(span)
            return Reference(name=own.text, start=span.start_char, end=span.end_char, text=span.text)
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
        head = span.root
        if head.pos_ == "PRON" and len(span) == 1:
            return self._antecedent(head, depth) if depth < 3 else None
        described = self._role_noun(span)
        if described:
            # "the minister": the article's latest minister, even where the entities stage
            # linked the words to an earlier title holder
            return self._by_description(span) or self._mentioned(span)
        return (
            self._mentioned(span)
            or self._in_apposition(span)
            or self._by_description(span)
            or self._by_surname(span)
        )

    def _by_surname(self, span: Span) -> Candidate | None:
        """ "Dahl" or a transcript's "BERG:" where the parser named no one: the person the article
        named before with that last name."""
        head = span.root
        if head.pos_ != "PROPN" and not head.text.isupper():
            return None
        wanted = head.text.lower()
        best: tuple[int, Candidate] | None = None
        for candidate in self.candidates:
            names = candidate.name.lower().split()
            # the small model sometimes types a person's name as an organisation ("Ingrid Dahl")
            if candidate.kind not in ("person", "org") or len(names) < 2 or names[-1] != wanted:
                continue
            before = [s for s, _ in candidate.mentions if s < span.start_char]
            if before and (best is None or max(before) > best[0]):
                best = (max(before), candidate)
        return best[1] if best else None

    def _mentioned(self, span: Span) -> Candidate | None:
        """The candidate with a mention on the span's head word ("Iraqi" in "the Iraqi minister" is not one)."""
        return self._mention_at(span.root.idx)

    def _mention_at(self, char: int) -> Candidate | None:
        k = bisect_right(self._mention_starts, char) - 1
        # mentions may nest (a title inside a longer mention): look back a few
        for start, end, n in reversed(self._mentions[max(0, k - 3) : k + 1]):
            if start <= char < end:
                return self.candidates[n]
        return None

    def _in_apposition(self, span: Span) -> Candidate | None:
        """ "His French counterpart, Anne Leroy": the name in apposition to a role."""
        for child in span.root.children:
            if child.dep_ == "appos" and span.start <= child.i < span.end:
                found = self._mention_at(child.idx)
                if found is not None and found.kind in ("person", "org"):
                    return found
        return None

    def _role_noun(self, span: Span) -> bool:
        head = span.root
        return (
            head.pos_ == "NOUN"
            and head.tag_ not in ("NNS", "NNPS")
            and not head.ent_type_
            and self.words.get(head.lower_) in ("person", "org")
            and not any(c.dep_ == "appos" for c in head.children)
            and any(c.lower_ in ("the", "this", "that") for c in head.children if c.dep_ == "det")
        )

    def _by_description(self, span: Span) -> Candidate | None:
        """ "the Iraqi prime minister" -> the person the article last titled Iraqi Prime Minister;
        "the agency" -> the last X Agency; "the company" -> the last company named before."""
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
        roles = self.roles().get(head.lower_, [])
        k = bisect_right([r.at for r in roles], span.start_char) - 1
        for role in reversed(roles[max(0, k - 50) : k + 1]):
            if role.at < span.start_char and role.holder_kind == kind and wanted <= role.words:
                return role.candidate
        return None

    def roles(self) -> dict[str, list[Role]]:
        """Every role the article gives a candidate, by role word, in text order (built once)."""
        if self._roles is not None:
            return self._roles
        found: list[Role] = []
        kinds = org_kinds()
        for candidate in self.candidates:
            words = candidate.title_words()
            if candidate.kind == "org":
                words |= {
                    k
                    for w in candidate.name.lower().replace(".", "").split()
                    for k in kinds.get(w, "").split()
                }
            for start, _ in candidate.mentions:
                found.append(Role(start, candidate, frozenset(words)))
        for token in self.doc:
            if token.dep_ != "appos":
                continue
            head = token.head
            for name, noun in ((head, token), (token, head)):
                owner = self._mention_at(name.idx)
                if owner is None or self._mention_at(noun.idx) is not None or noun.pos_ != "NOUN":
                    continue
                described = {
                    t.lower_.strip(".")
                    for t in noun.subtree
                    if t.i <= noun.i and t.pos_ in ("NOUN", "PROPN", "ADJ") and t.dep_ != "poss"
                }
                # "His counterpart, Siri Lunde": a person, even where the model typed the name ORG
                kind = "person" if self.words.get(noun.lower_) == "person" else None
                found.append(Role(min(name.idx, noun.idx), owner, frozenset(described), kind))
        found.extend(self._shared_roles(sorted(found, key=lambda r: r.at)))
        index: dict[str, list[Role]] = {}
        for given in sorted(found, key=lambda r: r.at):
            for word in given.words:
                index.setdefault(word, []).append(given)
        self._roles = index
        return index

    def _shared_roles(self, given: list[Role]) -> list[Role]:
        """ "His French counterpart, Anne Leroy" holds the role of the person named before her
        ("German Economy Minister Klaus Brandt"): "the minister" may then mean her."""
        shared = []
        starts = [r.at for r in given]
        for role in given:
            if not role.words & SAME_ROLE or role.holder_kind != "person":
                continue
            before = bisect_right(starts, role.at - 1)
            for other in reversed(given[max(0, before - 50) : before]):
                nouns = {w for w in other.words if w not in SAME_ROLE and self.words.get(w) == "person"}
                if other.candidate is not role.candidate and other.holder_kind == "person" and nouns:
                    shared.append(Role(role.at, role.candidate, role.words | nouns, "person"))
                    break
        return shared

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
        if self._sentences is None:
            self._sentences = list(self.doc.sents)
            self._sentence_starts = [s.start for s in self._sentences]
        sentences = self._sentences
        index = bisect_right(self._sentence_starts, pronoun.i) - 1
        sentence = sentences[index]
        own = [p for p in _phrases(sentence) if p.end <= pronoun.i]
        yield from reversed(own)
        for earlier in reversed(sentences[max(0, index - LOOKBACK_SENTENCES) : index]):
            phrases = list(_phrases(earlier))
            yield from sorted(phrases, key=lambda p: (p.root.dep_ not in ("nsubj", "nsubjpass"), p.start))

    def _is_excluded(self, char: int) -> bool:
        k = bisect_right(self._excluded_starts, char) - 1
        return any(start <= char < end for start, end in self.excluded[max(0, k - 3) : k + 1])


def _own_words(span: Span) -> Span:
    """A speaker's own words without what the writer adds after a comma: "A board member, who
    opposed the deal" is named "A board member"."""
    head = span.root
    end = span.end
    for t in span:
        if t.i > head.i and t.text in (",", "(", "–", "—"):
            end = t.i
            break
        if t.i > head.i and t.dep_ in ("relcl", "acl"):
            end = max(head.i + 1, t.left_edge.i)  # "Some residents who live nearby": "Some residents"
            break
    return span.doc[span.start : end] if end > span.start else span


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
