"""Read a stretch of parsed text into what a claim and a report are compared on.

The same reading is made of the claim and of each sentence that may bear on it: its content words
(lemmas), and for each verb its polarity (negated or not), its modality (done, planned, possible)
and its roles (who acts, on whom, over what).  Polarity and modality come from the syntax around the
verb, with the event extractor's modal, control and negation words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc, Span, Token

from dateline.check.lexicon import Lexicon, lexicon
from dateline.corpus.text import fold, words
from dateline.facts.quotes import cue_lexicon
from dateline.model import Event

Modality = Literal["happened", "planned", "possible"]

CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ"})
# roles of a verb: dependency labels -> role name (a passive subject is what is acted on)
_ROLES = {
    "nsubj": "subject",
    "csubj": "subject",
    "nsubjpass": "object",
    "dobj": "object",
    "dative": "recipient",
    "attr": "object",
    "oprd": "object",
}
_NAME_PARTS = frozenset({"compound", "flat", "poss", "appos", "conj", "amod", "nmod", "nummod"})
_RELATIVE = frozenset({"which", "who", "that", "whom"})
_GENERIC = frozenset({"one", "ones"})  # "no one was arrested": a pronoun in all but tag
_RANK: dict[str, int] = {"happened": 0, "planned": 1, "possible": 2}


@dataclass
class Word:
    """A content word: its lemma, its folded form, and where it stands."""

    i: int
    lemma: str
    form: str
    pos: str
    start: int
    end: int

    @property
    def name(self) -> bool:
        return self.pos == "PROPN"


@dataclass
class Predicate:
    """A verb (or a predicate adjective) with what the syntax around it says about it."""

    i: int
    lemma: str
    positive: bool
    modality: Modality
    start: int
    end: int
    roles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """role (subject, object, recipient, "over", "against", ...) -> the folded words naming it."""
    depth: int = 0
    """How far below its sentence's root it stands (0: the root)."""
    verb: bool = True
    """A verb (or a predicate adjective), not an event noun."""
    proper: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """role -> the proper names in it (who, not what)."""

    @property
    def speech(self) -> bool:
        """A verb of saying or describing: who does it is who said it."""
        return self.lemma in cue_lexicon()

    @property
    def control(self) -> bool:
        """A verb that only frames another ("plans to", "agreed to", "wants to")."""
        return self.lemma in lexicon().control()


@dataclass
class Reading:
    """The comparable parts of one stretch of text."""

    words: list[Word]
    predicates: list[Predicate]
    universal: list[str] = field(default_factory=list)
    """Lemmas of the nouns the text speaks of as a whole ("all troops" -> troop)."""


def lemma(token: Token, with_particle: bool = True) -> str:
    """The token's lemma, folded; a verb with a particle is one lemma where the word tables know it
    ("walk out", "shut down"), since "seat up to 150" is no phrasal verb."""
    base = fold(token.lemma_ or token.text)
    if with_particle and token.pos_ == "VERB":
        particles = [fold(c.text) for c in token.children if c.dep_ == "prt"]
        if particles and lexicon().known(f"{base} {particles[0]}"):
            return f"{base} {particles[0]}"
    return base


def read(tokens: Doc | Span, skip: Iterable[tuple[int, int]] = ()) -> Reading:
    """The reading of a parsed stretch; words inside a `skip` character range (a speaker, a date) are left out."""
    lex = lexicon()
    ranges = list(skip)
    light = lex.words["light"]

    def skipped(token: Token) -> bool:
        return any(s <= token.idx < e for s, e in ranges)

    words = [
        Word(t.i, lemma(t), fold(t.text), "PROPN" if model_number(t) else t.pos_, t.idx, t.idx + len(t.text))
        for t in tokens
        if not skipped(t)
        and (
            model_number(t)
            or (
                t.pos_ in CONTENT_POS
                and not t.is_stop
                and lemma(t) not in light
                and any(c.isalpha() for c in t.text)
            )
        )
    ]
    predicates = [
        _predicate(t, lex)
        for t in tokens
        if (t.pos_ == "VERB" or (t.pos_ == "AUX" and t.dep_ in ("ROOT", "ccomp", "conj", "relcl", "advcl")))
        and not skipped(t)
    ]
    universal = [
        lemma(t.head if t.dep_ in ("det", "predet", "amod") else _of_object(t) or t)
        for t in tokens
        if fold(t.text) in lex.words["universal"] and t.dep_ in ("det", "predet", "amod", "nsubj", "dobj")
    ]
    return Reading(words, predicates, [u for u in universal if u not in lex.words["universal"]])


def shift(reading: Reading, offset: int) -> None:
    """Move a reading's offsets by `offset` (a sentence read alone, placed back in its article)."""
    for word in reading.words:
        word.start += offset
        word.end += offset
    for predicate in reading.predicates:
        predicate.start += offset
        predicate.end += offset


def model_number(token: Token) -> bool:
    """ "the Boeing 717", "the 787": a number that names a thing rather than counting it."""
    if token.pos_ != "NUM" or not token.text.isdigit():
        return False
    after_name = token.head.pos_ == "PROPN" and token.i > token.head.i  # "Boeing 717", not "5 Boeings"
    in_name = token.dep_ == "compound" and token.head.pos_ == "PROPN"
    owned = any(
        c.dep_ in ("compound", "poss") and c.pos_ == "PROPN" for c in token.children
    )  # "Boeing's 787"
    return after_name or in_name or owned or any(c.dep_ == "det" for c in token.children)


def _of_object(token: Token) -> Token | None:
    """ "all of the troops": the noun after "of"."""
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            for noun in prep.children:
                if noun.dep_ == "pobj":
                    return noun
    return None


def _chain(token: Token) -> list[Token]:
    """The verb and the verbs that govern it as their complement ("agreed to [buy]", "expected to [close]")."""
    chain = [token]
    while len(chain) < 6:
        node = chain[-1]
        infinitive = node.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in node.children)
        if node.dep_ in ("xcomp", "acomp") or infinitive:
            chain.append(node.head)
        else:
            break
    return chain


def predicate_at(token: Token) -> Predicate:
    """The reading of one verb."""
    return _predicate(token, lexicon())


def _predicate(token: Token, lex: Lexicon) -> Predicate:
    return Predicate(
        token.i,
        lemma(token),
        _positive(token, lex),
        _modality(token, lex),
        token.idx,
        token.idx + len(token.text),
        _roles(token),
        _depth(token),
        proper=_roles(token, proper=True),
    )


def _depth(token: Token) -> int:
    depth = 0
    while token.head is not token and depth < 50:
        token, depth = token.head, depth + 1
    return depth


def _negative_argument(token: Token, negative: frozenset[str]) -> bool:
    """ "no one was arrested", "No passengers were on board": a negative word on an argument."""
    for child in token.children:
        if child.dep_ in ("nsubj", "nsubjpass", "dobj", "attr"):
            if fold(child.text) in negative:
                return True
            if any(d.dep_ == "det" and fold(d.text) in negative for d in child.children):
                return True
    return False


def _positive(token: Token, lex: Lexicon) -> bool:
    negation = lex.negation()
    control = lex.control()
    flips = 0
    chain = _chain(token)
    for n, node in enumerate(chain):
        if any(c.dep_ == "neg" or (c.dep_ == "advmod" and fold(c.text) in negation) for c in node.children):
            flips += 1
        if n == 0 and _negative_argument(node, lex.words["negative"]):
            flips += 1
        if n > 0 and control.get(lemma(node, with_particle=False)) == "negated":
            flips += 1  # "refused to meet", "declined to say"
    head = chain[-1]
    if head.dep_ == "ccomp" and lemma(head.head) in lex.words.get("denial", frozenset()):
        flips += 1  # "denied that ..."
    return flips % 2 == 0


def _modality(token: Token, lex: Lexicon) -> Modality:
    modal, control, adjective = lex.modal(), lex.control(), lex.adjective()
    doubt = lex.words["doubt"]
    found: Modality = "happened"

    def keep(value: str | None) -> None:
        nonlocal found
        if value in _RANK and _RANK[value] > _RANK[found]:
            found = value  # type: ignore[assignment]

    chain = _chain(token)
    if token.dep_ == "conj" and not any(c.dep_ in ("aux", "auxpass") for c in token.children):
        chain = [*chain, *_chain(token.head)]  # "will cut jobs and close plants": one "will" for both
    for n, node in enumerate(chain):
        for child in node.children:
            word = fold(child.text)
            if child.dep_ in ("aux", "auxpass") and (word in modal or lemma(child) in modal):
                keep(modal.get(word) or modal.get(lemma(child)))
            elif child.dep_ == "mark" and word in doubt:
                keep("possible")  # "examining whether heavy rain had weakened ..."
        if n > 0:
            keep(control.get(lemma(node, with_particle=False)))
            if node.pos_ == "ADJ":
                keep(adjective.get(lemma(node)))
    root = chain[-1]
    if root.dep_ == "ROOT" and any(c.dep_ == "aux" and c.lower_ == "to" for c in root.children):
        keep("planned")  # a headline's "GM to cut 10,000 jobs"
    return found


def _subject(token: Token) -> list[Token]:
    own = [c for c in token.children if c.dep_ in ("nsubj", "csubj")]
    agent = [p for c in token.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
    found = own + agent
    if not found and token.dep_ in ("xcomp", "conj", "advcl") and token.head is not token:
        return _subject(token.head)  # "agreed to buy": the one who agreed buys
    if token.dep_ == "relcl" and any(fold(s.text) in _RELATIVE for s in found):
        return [token.head]  # "Qatar Airways, which chose ..."
    return found


def _roles(token: Token, proper: bool = False) -> dict[str, tuple[str, ...]]:
    roles: dict[str, list[str]] = {}

    def _names(node: Token) -> list[str]:
        return _role_words(node, proper)

    for subject in _subject(token):
        roles.setdefault("subject", []).extend(_names(subject))
    existential = any(c.dep_ == "expl" for c in token.children)  # "there are 2,500 troops"
    for child in token.children:
        role = "subject" if existential and child.dep_ == "attr" else _ROLES.get(child.dep_)
        if role and (role != "subject" or existential):
            roles.setdefault(role, []).extend(_names(child))
        elif child.dep_ == "prep":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    roles.setdefault(fold(child.text), []).extend(_names(obj))
        elif child.dep_ == "agent":
            for obj in child.children:
                if obj.dep_ == "pobj":
                    roles.setdefault("subject", []).extend(_names(obj))
    return {role: tuple(dict.fromkeys(names)) for role, names in roles.items() if names}


def _role_words(token: Token, proper: bool = False) -> list[str]:
    """The words that name an argument: its head and the names, nouns and numbers that build it
    (with `proper`, its proper names only)."""
    kinds = ("PROPN",) if proper else ("PROPN", "NOUN", "NUM")
    out: list[str] = []
    stack = [token]
    while stack:
        node = stack.pop()
        if node.pos_ in kinds and not node.is_stop and node.lower_ not in _GENERIC:
            out.append(fold(node.text))
        stack.extend(c for c in node.children if c.dep_ in _NAME_PARTS)
    return out


def _governing_control(token: Token) -> str | None:
    """The modality a control verb gives the event noun in its object ("promising 40 million euros in
    compensation", "pledged funds for reconstruction"): the noun's nearest verb, if it is a control."""
    node = token
    while node.head is not node and node.dep_ in ("dobj", "pobj", "prep", "conj", "appos", "compound"):
        node = node.head
        if node.pos_ in ("VERB", "AUX"):
            value = lexicon().control().get(lemma(node, with_particle=False))
            return value if value in _RANK else None
    return None


def add_events(reading: Reading, events: Iterable[Event], tokens: Doc | Span, offset: int = 0) -> None:
    """Add the event nouns the event extractor found ("ordered a reduction") as predicates of a reading.

    `offset` is where the parsed text starts in the events' document.  Verbs are read from the syntax
    already; a noun gets the extractor's modality and its actor and target as roles.
    """
    doc = tokens.doc if isinstance(tokens, Span) else tokens
    known = {p.i for p in reading.predicates}
    for event in events:
        span = doc.char_span(
            event.trigger.start - offset, event.trigger.end - offset, alignment_mode="expand"
        )
        if span is None or not len(span):
            continue
        token = span.root
        if token.i in known or token.pos_ in ("VERB", "AUX"):
            continue
        roles = {
            role: tuple(words(ref.name))
            for role, ref in (("subject", event.actor), ("object", event.target))
            if ref is not None and ref.name[:1].isupper()
        }
        proper = {
            role: roles[role]
            for role, ref in (("subject", event.actor), ("object", event.target))
            if ref is not None and ref.entity is not None and role in roles
        }
        modality: Modality = "planned" if event.modality == "planned" else "happened"
        if event.modality == "possible":
            modality = "possible"
        governed = _governing_control(token)
        if governed is not None and _RANK[governed] > _RANK[modality]:
            modality = governed  # type: ignore[assignment]
        reading.predicates.append(
            Predicate(
                token.i,
                fold(event.action),
                event.modality != "negated",
                modality,
                event.trigger.start,
                event.trigger.end,
                {role: names for role, names in roles.items() if names},
                _depth(token),
                verb=False,
                proper={role: names for role, names in proper.items() if names},
            )
        )
        known.add(token.i)
