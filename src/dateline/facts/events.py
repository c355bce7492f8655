"""Events: who did what to whom, when and where, typed with PLOVER and dated — the `dateline_events` component.

An event is an event-denoting predicate: any verb (not a copula, not a participle that modifies a
noun, not a preposition-like "according to") and any event noun (`data/event_nouns.tsv`, generated
from WordNet by `scripts/wordnet_event_nouns.py`, plus `event_words.tsv`), unless it only modifies a
noun ("combat mission").  Light and control verbs ("launched an attack", "made a decision", "plans
to withdraw") hand their subject, auxiliaries and negation to the event they carry; control verbs
that are themselves statements of intent ("plans", "agreed") are events too.  Types: the
hand-written rows of `data/event_triggers.tsv` first, then PETRARCH2's CAMEO verb patterns
(`data/event_patterns.tsv`, converted by `scripts/petrarch_patterns.py`), matched over the verb's own
phrase; only what an actor does is typed, and an event no category fits has a null type.
Roles come from the dependency parse (subject, object, passive agent, possessor, the country
adjective of a noun); pronouns resolve to what they stand for or to nothing.  Modality from
auxiliaries, negation, control and aim verbs, coordination and reported speech; dates from the times
the `times` component found (the time that governs the event in the parse; a time that describes a
thing in its argument is not its date), inherited from governing clauses, or derived from anchors
("eight years after the invasion") and from an earlier dated statement of the same speaker, at the
value's own precision (2011, 2020-01, 2023-W46, 2024-Q1, 2021-07-26).  A statement ("said") carries
the index of the quote it introduces (`Event.quote`); a quote whose cue no event stands on gets one.
Every step is linear in the article's length: times, entity mentions and quotes are indexed by
token once, and look-backs are bounded.

Besides `doc._.facts["events"]` the component leaves `doc._.facts["event_codings"]`: the sentence's
event data in the CAMEO/PLOVER sense (one coding per top-level typed event, stated intentions coded as
verbal events), which `dateline eval events` scores.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Token

from dateline.facts import eventtables as tables
from dateline.facts.eventdates import calendar_value, fallback_times, shift
from dateline.model import Entity, Event, Quote, Reference, Span, Time

SUBJECTS = {"nsubj", "csubj", "expl"}
PASSIVE_SUBJECTS = {"nsubjpass", "csubjpass"}
OBJECTS = {"dobj", "obj"}
TARGET_PREPS = {"against", "with", "on", "upon", "to", "between", "toward", "towards"}
PLACE_PREPS = {"in", "at", "from", "near", "into", "across", "inside", "outside"}
NOUN_TARGET_PREPS = {"of", "on", "against", "with", "between", "to", "into"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
# relations through which an event inherits the date of the clause that governs it; not ccomp: what
# someone says will happen is not dated by the saying
INHERIT = {"conj", "xcomp", "advcl", "acl", "relcl", "pcomp"}
# relations that make a noun phrase part of the name of an actor ("U.S. President Joe Biden")
NAME_PARTS = {"compound", "amod", "poss", "nmod", "flat", "nummod", "case"}
COMPLEMENT_PREPS = {"to", "for", "on"}  # "led to a reduction", "allowed for the removal", "went on strike"
MERGE_PREPS = {"in", "by", "during", "of", "from"}
SAME_TIME = {"immediately", "shortly", "soon", "just", "right"}
QUOTE_MARKS = re.compile(r"\"[^\"\n]+\"|“[^”\n]+”|«[^»\n]+»")


@dataclass
class Found:
    """An event while it is being built: tokens first, model objects at the end."""

    trigger: Token
    row: tables.Trigger
    helpers: list[Token] = field(default_factory=list)  # light/control verbs that hand it their arguments
    outer: Token | None = None  # an event noun merged into this one ("deaths ... in an airstrike")
    actor: Token | None = None
    target: Token | None = None
    place: Token | None = None
    flags: set[str] = field(default_factory=set)
    speaker: Reference | None = None
    date: str | None = None
    date_mod: str | None = None
    derived: bool = False
    carrier: bool = False  # a control verb that is also an event of its own ("plans" in "plans to go")

    @property
    def tokens(self) -> list[Token]:
        return [self.trigger, *self.helpers, *([self.outer] if self.outer is not None else [])]


# --- triggers ---------------------------------------------------------------------------


def _pos(token: Token) -> str | None:
    if token.pos_ == "VERB":
        return "v"
    if token.pos_ in ("NOUN", "PROPN") and token.text[:1].islower():
        return "n"
    if token.pos_ == "NOUN" and token.is_sent_start:  # "Talks are expected next week."
        return "n"
    return None


def _lemma(token: Token) -> str:
    return token.lemma_.lower()


def _children(token: Token, deps: Iterable[str]) -> list[Token]:
    wanted = set(deps)
    return [c for c in token.children if c.dep_ in wanted]


def _objects(token: Token) -> list[Token]:
    found = _children(token, OBJECTS | {"nsubjpass", "dative"})
    if _pos(token) == "n":
        found += _children(token, {"compound", "amod"})
    measures = tables.words().get("measure", {})
    for obj in list(found):  # the head of a shell phrase stands for its compound ("a mediation effort")
        found += _children(obj, {"compound"})
        if _lemma(obj) in measures:  # a partitive: "700 kg of medicine" is medicine
            found += [
                p for of in _children(obj, {"prep"}) if _lemma(of) == "of" for p in _children(of, {"pobj"})
            ]
    return found


def subject(token: Token) -> Token | None:
    """The grammatical subject of a verb, through coordination and control when it has none."""
    seen = 0
    while seen < 8:
        found = _children(token, SUBJECTS - {"expl"})
        if found:
            return found[0]
        if token.dep_ == "relcl" or (token.dep_ == "acl" and token.tag_ == "VBG"):
            return token.head
        if token.dep_ not in ("conj", "xcomp", "advcl") or token.head is token:
            return None
        token = token.head
        seen += 1
    return None


def _sector_is(token: Token, codes: frozenset[str]) -> bool:
    return tables.sector_of([_lemma(t) for t in _phrase(token)]) in codes


def _holds(token: Token, key: str, values: frozenset[str]) -> bool:
    if key == "obj":
        objects = _objects(token)
        if "PER" in values and any(
            o.ent_type_ == "PERSON" or _sector_is(o, frozenset({"GOV"})) for o in objects
        ):
            return True
        return any(_lemma(o) in values for o in objects)
    if key in ("prep", "prt"):
        heads = _children(token, {"prep", "prt", "agent", "dative"})
        if key == "prep":  # "for" heading a for-to clause is parsed as its marker: "pushed for the US to act"
            clauses = _children(token, {"advcl", "ccomp"})
            heads += [m for c in clauses for m in _children(c, {"mark"}) if _lemma(m) == "for"]
        return any(_lemma(c) in values for c in heads)
    if key == "xcomp":
        return any(c.pos_ in ("VERB", "AUX") for c in _children(token, {"xcomp", "ccomp"}))
    if key == "subj":
        verb = token
        while verb.pos_ != "VERB" and verb.head is not verb and verb.dep_ in ("pobj", "prep", "dobj"):
            verb = verb.head  # a noun's subject is its verb's: "workers went on strike"
        subj = subject(verb)
        if subj is None:
            return False
        upper = frozenset(v for v in values if v.isupper())
        return _lemma(subj) in values or (bool(upper) and _sector_is(subj, upper))
    if key == "passive":
        return bool(_children(token, {"nsubjpass", "auxpass"}))
    raise ValueError(f"unknown trigger constraint {key!r} in event_triggers.tsv")


NEVER_EVENTS = {"be"}
VERB_MODIFIER_DEPS = {"amod", "compound", "prep", "mark", "case"}  # a bare copula states, it does not happen

# dependency relations of a participle or gerund that modifies or links rather than happens:
# "the existing plant", "based on", "according to", "including", "a manufacturing plant"
MODIFIER_DEPS = {"amod", "compound", "prep", "case", "det", "nmod", "poss", "npadvmod", "mark"}


def _denotes_event(token: Token, pos: str) -> bool:
    """Whether a word with no typed row still denotes something happening, planned or reported.

    Verbs do, unless they modify a noun or stand for a preposition ("the existing plant",
    "according to"), or are listed as not denoting events; nouns do when WordNet's frequent senses
    are acts, events or processes (`event_nouns.tsv`), unless listed as not events in news."""
    vocab = tables.words()
    lemma = _lemma(token)
    if pos == "v":
        return token.dep_ not in MODIFIER_DEPS and lemma not in vocab.get("not-event", {})
    if lemma in vocab.get("not-event-noun", {}):
        return False
    return lemma in vocab.get("event-noun", {}) or lemma in tables.event_nouns()


CLAUSES = {"ccomp", "xcomp", "advcl", "conj", "parataxis", "relcl", "acl", "csubj", "cc", "punct"}


def _bag(tokens: Iterable[Token]) -> tuple[set[str], set[str]]:
    exact: set[str] = set()
    for token in tokens:
        exact.add(token.lower_)
        exact.add(_lemma(token))
    prefixes = {w[:k] for w in exact for k in range(3, len(w) + 1)}
    return exact, prefixes


ACTOR_LABELS = {"PERSON", "ORG", "GPE", "NORP"}


def _is_actor(token: Token | None) -> bool:
    """Whether a participant can be an actor of event data: a named person, group or country, a
    pronoun (resolved later), or a noun with a sector ("troops", "police", "rebels", "the ministry")."""
    if token is None:
        return False
    if token.pos_ in ("PRON", "PROPN") or token.ent_type_ in ACTOR_LABELS:
        return True
    words = _phrase(token) + _children(token, {"appos", "conj"})
    for of in _children(token, {"prep"}):  # "thousands of dock workers"
        if _lemma(of) == "of":
            words += [w for p in _children(of, {"pobj"}) for w in _phrase(p)]
    if any(t.ent_type_ in ACTOR_LABELS for t in words):  # "the German utility Nordwind"
        return True
    if tables.country_of(" ".join(t.text for t in words)) is not None:
        return True
    return tables.sector_of([_lemma(t) for t in words]) is not None


def _actor_can_act(verb: Token) -> bool:
    """As in PETRARCH, event data codes what actors do: a verb whose subject is neither a named
    person, group or country nor a noun with a sector is no political event ("the train departed"
    is no retreat); a verb with no subject (a passive, an infinitive) may still be one."""
    subj = subject(verb)
    agent = next((o for a in _children(verb, {"agent"}) for o in _children(a, {"pobj"})), None)
    doer = agent if agent is not None else subj
    return doer is None or _is_actor(doer)


def _pattern_row(token: Token) -> tables.Trigger | None:
    """The CAMEO/PLOVER type of a verb from PETRARCH2's verb patterns, matched over the parse: the
    words a pattern puts before the verb are looked for in its subject and what precedes it in its
    clause, those after it in what follows (objects, particles, prepositional phrases)."""
    table = tables.patterns()
    lemma = _lemma(token)
    particles = [_lemma(c) for c in token.children if c.dep_ == "prt"]
    keys = [f"{lemma} {p}" for p in particles if f"{lemma} {p}" in table.verbs]
    keys += [k for k in (lemma,) if k in table.verbs]
    if not keys:
        return None
    # the verb's own phrase: its dependents, without the clauses it governs (what was said, what
    # is planned, what happened next), which are events of their own
    phrase = [token]
    stack = [c for c in token.children if c.dep_ not in CLAUSES]
    while stack:
        child = stack.pop()
        phrase.append(child)
        stack.extend(c for c in child.children if c.dep_ not in CLAUSES)
    phrase = [t for t in phrase if t.dep_ != "compound"]  # "a combat mission" is no combat
    before = [t for t in phrase if t.i < token.i]
    subj = subject(token)
    if not _actor_can_act(token):
        return None
    if subj is not None and subj not in before:
        before += list(subj.subtree)
    left = _bag(before)
    right = _bag(t for t in phrase if t.i > token.i)
    for key in keys:
        extra = [frozenset({w}) for w in key.split()[1:]]  # "take part": part must follow
        for block in table.verbs[key]:
            for pattern in table.blocks.get(block, ()):
                if all(tables.words_match(i, *left) for i in pattern.subject) and all(
                    tables.words_match(i, *right) for i in (*extra, *pattern.object)
                ):
                    if pattern.type is None:
                        return None
                    return tables.Trigger("v", lemma, (), pattern.type, pattern.cameo, pattern.mode)
    return None


class Matcher:
    """Which tokens of a doc are events, and which light verbs defer to which event."""

    def __init__(self, doc: Doc) -> None:
        self.doc = doc
        self.memo: dict[int, tuple[tables.Trigger, Token | None] | None] = {}

    def match(self, token: Token) -> tuple[tables.Trigger, Token | None] | None:
        if token.i not in self.memo:
            self.memo[token.i] = None  # no cycles through a token being matched
            self.memo[token.i] = self._match(token)
        return self.memo[token.i]

    def _match(self, token: Token) -> tuple[tables.Trigger, Token | None] | None:
        pos = _pos(token)
        if pos is None:
            return None
        if pos == "n" and not self._noun_can_be_event(token):
            return None
        if pos == "v" and (token.dep_ in VERB_MODIFIER_DEPS or _lemma(token) in NEVER_EVENTS):
            return None  # "the visiting minister", "given the delay", "according to"; "be" is a copula
        if pos == "v" and _lemma(token) == "go" and any(_is_infinitive_complement(c) for c in token.children):
            return None  # "are going to leave": a future, not a going
        rows = tables.triggers().get((pos, _lemma(token)), ())
        for row in rows:
            if not all(_holds(token, key, values) for key, values in row.when):
                continue
            if row.type != tables.DEFER:
                if row.type is not None and pos == "v" and not _actor_can_act(token):
                    return tables.untyped(pos, _lemma(token)), None
                return row, None
            complement = self._complement(token)
            if complement is not None:
                return row, complement
        carrier = any(row.type == tables.DEFER and not row.when for row in rows)
        if pos == "v" and not carrier:  # no typed row fits: PETRARCH2's CAMEO verb patterns
            coded = _pattern_row(token)
            if coded is not None:
                return coded, None
        if pos == "v" and _lemma(token) in tables.words().get("light", {}):
            # a light verb carries the event its object names: "made a decision", "had an impact"
            event = next((o for o in _children(token, OBJECTS) if self.match(o) is not None), None)
            if event is not None:
                return tables.light(_lemma(token)), event
        if not _denotes_event(token, pos):
            return None
        return tables.untyped(pos, _lemma(token)), None

    def _noun_can_be_event(self, token: Token) -> bool:
        shells = tables.words().get("shell", {})
        modifier = token.dep_ in ("compound", "amod", "nmod") and token.head.pos_ in ("NOUN", "PROPN")
        if modifier and _lemma(token.head) not in shells:
            return False  # a modifier: "combat mission", "war games" name things, not events
        # "a joint statement said": the statement is the saying, which the verb carries
        return not (token.dep_ in SUBJECTS and _lemma(token.head) in tables.words().get("reporting", {}))

    def _complement(self, token: Token) -> Token | None:
        candidates = _objects(token) + _children(token, {"xcomp", "ccomp", "acomp"})
        for prep in _children(token, {"prep"}):
            if _lemma(prep) in COMPLEMENT_PREPS:
                candidates += _children(prep, {"pobj"})
        candidates += _children(token, {"nsubj"})  # "talks began", "fighting continued"
        for candidate in candidates:
            if self.match(candidate) is not None:
                return candidate
        return None


def find(doc: Doc) -> list[Found]:
    matcher = Matcher(doc)
    helpers: dict[int, list[Token]] = {}
    rows: dict[int, tables.Trigger] = {}
    for token in doc:
        matched = matcher.match(token)
        if matched is None:
            continue
        row, complement = matched
        if complement is None:
            rows[token.i] = row
            continue
        while complement is not None:  # follow chains: "plans to launch an attack"
            inner = matcher.match(complement)
            if inner is None or inner[1] is None:
                break
            complement = inner[1]
        if complement is not None:
            helpers.setdefault(complement.i, []).append(token)
    found = _merge(
        [
            Found(doc[i], row, helpers=sorted(helpers.get(i, []), key=lambda t: t.i))
            for i, row in sorted(rows.items())
        ]
    )
    standalone = tables.words().get("standalone", {})
    carriers = [
        Found(helper, tables.untyped("v", _lemma(helper)), carrier=True)
        for event in found
        for helper in event.helpers
        if _lemma(helper) in standalone and helper.pos_ == "VERB"
    ]
    return sorted(found + carriers, key=lambda f: f.trigger.i)


def _merge(found: list[Found]) -> list[Found]:
    """One event for an outcome and its means: "deaths ... in an airstrike", "killed in a bombing"."""
    by_token = {f.trigger.i: f for f in found}
    dropped: set[int] = set()
    for event in found:
        head = event.trigger.head
        if event.trigger.dep_ != "pobj" or _lemma(head) not in MERGE_PREPS:
            continue
        outer = by_token.get(head.head.i)
        if outer is None or outer is event or outer.row.type != event.row.type or outer.outer is not None:
            continue
        if event.row.type is None:  # only an outcome and its means of one type are one event
            continue
        event.outer = outer.trigger
        event.helpers = sorted({*event.helpers, *outer.helpers}, key=lambda t: t.i)
        dropped.add(outer.trigger.i)
    return [f for f in found if f.trigger.i not in dropped]


# --- roles --------------------------------------------------------------------------------


def _phrase(token: Token) -> list[Token]:
    """The words naming a participant: its head noun and the modifiers before it."""
    if token.pos_ == "PRON":
        return [token]
    keep = [token]
    stack = [c for c in token.lefts if c.dep_ in NAME_PARTS]
    while stack:
        child = stack.pop()
        keep.append(child)
        stack.extend(c for c in child.children if c.dep_ in NAME_PARTS | {"punct"} and c.i < token.i)
    keep.extend(c for c in token.rights if c.dep_ in ("flat", "compound"))
    lo, hi = min(t.i for t in keep), max(t.i for t in keep)
    while lo < hi and token.doc[lo].is_punct:
        lo += 1
    return list(token.doc[lo : hi + 1])


def _first_pobj(token: Token, preps: set[str], labels: set[str] | None = None) -> Token | None:
    for prep in _children(token, {"prep", "agent", "dative"}):
        if _lemma(prep) not in preps:
            continue
        for obj in _children(prep, {"pobj"}):
            if obj.ent_type_ in ("DATE", "TIME"):
                continue
            if labels is None or obj.ent_type_ in labels:
                return obj
    return None


def _roles(event: Found, events_at: set[int]) -> None:
    trigger = event.trigger
    if _pos(trigger) == "v":
        agent = next((o for a in _children(trigger, {"agent"}) for o in _children(a, {"pobj"})), None)
        passive = _children(trigger, PASSIVE_SUBJECTS)
        if agent is not None or passive:
            event.actor = agent
            event.target = passive[0] if passive else None
        else:
            event.actor = subject(trigger)
            objects = [o for o in _children(trigger, OBJECTS | {"dative"}) if o.i not in events_at]
            event.target = objects[0] if objects else _first_pobj(trigger, TARGET_PREPS)
    else:
        owners = _children(trigger, {"poss"})
        by = _first_pobj(trigger, {"by"})
        national = [
            c
            for c in trigger.lefts
            if c.dep_ in ("compound", "amod", "nmod")
            and tables.country_of(c.text.removesuffix("-led")) is not None
        ]
        event.actor = owners[0] if owners else by or (national[0] if national else None)
        event.target = _first_pobj(trigger, NOUN_TARGET_PREPS - {"by"})
    for helper in event.helpers:
        if event.actor is None:
            event.actor = subject(helper)
    if event.outer is not None:
        if event.target is None:
            passive = _children(event.outer, PASSIVE_SUBJECTS)
            event.target = _first_pobj(event.outer, NOUN_TARGET_PREPS) or (passive[0] if passive else None)
        if event.actor is None and _pos(event.outer) == "v":
            event.actor = subject(event.outer)
    if event.target is not None and event.target.i == trigger.i:
        event.target = None
    if event.actor is not None and event.actor.i == trigger.i:  # "talks began": not their own actor
        event.actor = None
    for token in event.tokens:
        event.place = event.place or _first_pobj(token, PLACE_PREPS | {"to"}, PLACE_LABELS)
    if event.place is not None and event.target is not None and event.place.i == event.target.i:
        event.place = None


# --- modality -----------------------------------------------------------------------------


def _governors(token: Token, events_at: set[int]) -> list[tuple[Token, bool]]:
    """Words above an event that carry its auxiliaries ("may not lead to a reduction"), each with
    whether the event is their clausal complement ("is ready to help", "plans to")."""
    chain = []
    current = token
    for _ in range(6):
        head = current.head
        if head is current or head.i in events_at:
            break
        complement = _is_infinitive_complement(current)
        if complement or current.dep_ in ("dobj", "pobj", "prep", "attr", "nsubjpass", "acomp"):
            chain.append((head, complement))
            current = head
            continue
        break
    return chain


def _is_infinitive_complement(token: Token) -> bool:
    """ "agreed to withdraw": an xcomp, or a to-infinitive the parser attached as an adverbial clause."""
    if token.dep_ == "xcomp":
        return True
    return token.dep_ == "advcl" and any(c.dep_ == "aux" and c.lower_ == "to" for c in token.children)


def _modality_flags(event: Found, events_at: set[int]) -> None:
    vocab = tables.words()
    modal, control, adjective, modifier = (
        vocab["modal"],
        vocab["control"],
        vocab["adjective"],
        vocab["modifier"],
    )
    carriers = [(t, False) for t in event.tokens] + _governors(event.trigger, events_at)
    for helper in event.helpers:
        carriers += _governors(helper, events_at)
    for token, complement in carriers:
        for child in token.children:
            word = child.text.lower().replace("’", "'")
            if child.dep_ == "neg" or (child.dep_ in ("det", "advmod") and word in vocab["negation"]):
                event.flags.add("negated")
            elif child.dep_ == "aux" and (word in modal or _lemma(child) in modal):
                event.flags.add(modal.get(word) or modal[_lemma(child)])
                if word in vocab["deontic"] or _lemma(child) in vocab["deontic"]:
                    event.flags.add("deontic")
            elif (
                child.dep_ == "amod"
                and token is event.trigger
                and (word in modifier or _lemma(child) in modifier)
            ):
                event.flags.add(modifier.get(word) or modifier[_lemma(child)])
            elif child.dep_ == "advcl" and (
                conditions := [
                    vocab["condition"][_lemma(m)]
                    for m in _children(child, {"mark"})
                    if _lemma(m) in vocab["condition"]
                ]
            ):
                event.flags.add("conditional")
                if "threat" in conditions:
                    event.flags.add("ultimatum")
        if complement and token.i not in events_at:
            if _lemma(token) in control and token.pos_ == "VERB":
                event.flags.add(control[_lemma(token)])
            elif token.pos_ == "ADJ" and _lemma(token) in adjective:
                event.flags.add(adjective[_lemma(token)])
    inner = {t.i for t in event.tokens}
    for helper in event.helpers:
        governs = any(
            (c.dep_ in ("dobj", "ccomp", "nsubjpass") or _is_infinitive_complement(c)) and c.i in inner
            for c in helper.children
        )
        if _lemma(helper) in control and governs:  # "plans an attack", not "went on strike"
            event.flags.add(control[_lemma(helper)])
    head = event.trigger.head
    if _is_infinitive_complement(event.trigger) and head.i in events_at and _lemma(head) in control:
        event.flags.add(control[_lemma(head)])  # "declined to provide", "agreed to withdraw"
    aimed = _aimed_at(event.trigger)
    if aimed and not event.flags & {"planned", "possible", "negated"}:
        event.flags.add(aimed)


def _aimed_at(token: Token) -> str | None:
    """The modality an event noun takes from a verb that asks for or aims at it: "requests a rerun",
    "demand improvements", "called for talks" (planned); "seeks a deal" (possible)."""
    aims = tables.words().get("aim", {})
    head = token.head
    if head.pos_ == "NOUN" and token.dep_ == "acl" and token.tag_ == "VB":
        return aims.get(_lemma(head))  # "the plan to assemble the planes"
    if token.dep_ == "pobj" and _lemma(head) in ("for", "of", "to") and head.head.pos_ == "NOUN":
        return aims.get(_lemma(head.head)) if _pos(token) == "n" else None  # "plans for a new jet"
    if token.dep_ == "pobj" and _lemma(head) == "for":
        head = head.head
    elif token.dep_ not in ("dobj", "obj"):
        return None
    return aims.get(_lemma(head)) if head.pos_ == "VERB" and _pos(token) == "n" else None


def _share_coordinated_modality(events: list[Found]) -> None:
    """ "expected to begin in June and finish by 2026": a bare verb coordinated with a planned or
    possible one shares its modality (it has no auxiliary or tense of its own)."""
    by_token = {e.trigger.i: e for e in events}
    for event in sorted(events, key=lambda e: e.trigger.i):
        trigger = event.trigger
        head = by_token.get(trigger.head.i)
        if trigger.dep_ != "conj" or head is None or trigger.tag_ != "VB":
            continue
        if any(c.dep_ in ("aux", "auxpass") for c in trigger.children):
            continue
        event.flags |= head.flags & {"planned", "possible", "negated"}


def modality(flags: set[str]) -> str:
    if "possible" in flags:
        return "possible"  # "may not lead to": a possibility, negated or not
    if "negated" in flags:
        return "negated"
    if "planned" in flags:
        return "planned"
    return "reported" if "reported" in flags else "happened"


def _reporter(token: Token) -> Token | None:
    """The verb of saying whose content clause holds this word, if any."""
    reporting = tables.words()["reporting"]
    current = token
    passed_ccomp = False
    for _ in range(10):
        head = current.head
        if head is current:
            return None
        passed_ccomp = passed_ccomp or current.dep_ in ("ccomp", "parataxis")
        if passed_ccomp and _lemma(head) in reporting and head.pos_ == "VERB":
            return head
        current = head
    return None


# --- references and codes ----------------------------------------------------------------


NOT_PARTICIPANTS = {"DATE", "TIME", "CARDINAL", "ORDINAL", "PERCENT", "MONEY", "QUANTITY"}
FIRST_PERSON = {"i", "me", "my", "mine", "we", "us", "our", "ours"}
RELATIVE = {"who", "which", "that", "whom", "whose"}
_GROUPS = frozenset({"ORG", "GPE", "NORP"})
THIRD_PERSON = {
    "it": _GROUPS,
    "its": _GROUPS,
    "they": _GROUPS | {"PERSON"},
    "them": _GROUPS | {"PERSON"},
    "their": _GROUPS | {"PERSON"},
    "he": frozenset({"PERSON"}),
    "him": frozenset({"PERSON"}),
    "his": frozenset({"PERSON"}),
    "she": frozenset({"PERSON"}),
    "her": frozenset({"PERSON"}),
}
ANTECEDENT_REACH = 40  # tokens looked back beyond the pronoun's own sentence


class Resolver:
    """Builds References for participants, linked to entities where the entities component found them.

    Mentions and named-entity spans are indexed by token once, so each look-up is constant time
    (a scan of every mention per participant made the component quadratic in the article's length).
    """

    def __init__(self, doc: Doc, entities: list[Entity]) -> None:
        self.doc = doc
        self.text = doc.text  # a Doc rebuilds its text on every access
        self.by_token: dict[int, Entity] = {}
        for entity in entities:
            for mention in entity.mentions:
                span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
                for i in range(span.start, span.end) if span is not None else ():
                    self.by_token.setdefault(i, entity)  # the first entity listed wins, as before
        self.ents = {i: ent for ent in doc.ents for i in range(ent.start, ent.end)}

    def entity(self, token: Token) -> Entity | None:
        return self.by_token.get(token.i)

    def participant(self, token: Token | None, speaker: Token | None) -> Token | None:
        """The word that names a participant: a pronoun is replaced by what it stands for ("its" ->
        "the United States", "we" in a quote -> its speaker, "who" -> the noun it describes), or by
        nothing when that cannot be told; a date or a number is never a participant."""
        if token is None or token.ent_type_ in NOT_PARTICIPANTS:
            return None
        if token.pos_ != "PRON":
            return token
        word = token.lower_
        if word in FIRST_PERSON:
            return speaker if speaker is not None and speaker.pos_ != "PRON" else None
        if word in RELATIVE:
            head = token.head
            return head.head if head.dep_ == "relcl" and head.head.pos_ in ("NOUN", "PROPN") else None
        kinds = THIRD_PERSON.get(word)
        return self._antecedent(token, kinds) if kinds else None

    def _antecedent(self, pronoun: Token, kinds: frozenset[str]) -> Token | None:
        """The nearest named thing of a fitting kind before the pronoun, within its sentence and the
        one before (a bounded look-back keeps the component linear in the article's length)."""
        sentence = pronoun.sent
        floor = max(0, sentence.start - ANTECEDENT_REACH, pronoun.i - 2 * ANTECEDENT_REACH)
        for i in range(pronoun.i - 1, floor - 1, -1):
            candidate = self.doc[i]
            entity = self.by_token.get(i)
            label = entity.type if entity is not None else candidate.ent_type_
            if label in kinds and candidate.dep_ != "compound":
                return candidate
        return None

    def reference(self, token: Token) -> Reference:
        words = _phrase(token)
        start, end = words[0].idx, words[-1].idx + len(words[-1].text)
        text = self.text[start:end]
        entity = self.entity(token)
        if entity is not None:
            return Reference(entity.name, start, end, text, entity.id)
        ent = self.ents.get(token.i)
        name = ent.text if ent is not None and ent.label_ not in ("DATE", "CARDINAL") else text
        return Reference(name, start, end, text)

    def code(self, token: Token | None, speaker: Token | None = None) -> str | None:
        """CAMEO/PLOVER actor code "country sector" ("USA GOV", "IRQ MIL", "--- REB")."""
        if token is None:
            return None
        if token.pos_ == "PRON" and speaker is not None and speaker is not token:
            return self.code(speaker)
        words = _phrase(token)
        text = " ".join(t.text for t in words)
        entity = self.entity(token)
        if entity is not None:
            text = " ".join(x for x in (entity.title, text, *entity.aliases) if x)
        country = tables.country_of(text)
        named = " ".join(t.text.lower() for t in words if t.dep_ != "det")
        # "European Union" is an organisation, not a trade union
        sector = None if named in tables.countries() else tables.sector_of([_lemma(t) for t in words])
        if entity is not None and entity.title and sector is None:
            sector = tables.sector_of(entity.title.lower().split())
        if country is None and sector is None:
            return None
        if sector is None or (country is not None and sector == "GOV" and token.ent_type_ == "GPE"):
            return country
        return f"{country or '---'} {sector}"


# --- dates --------------------------------------------------------------------------------


def _usable(time: Time) -> bool:
    return time.type in ("DATE", "TIME") and calendar_value(time.value) is not None


def _value(time: Time) -> str | None:
    """The time's calendar value at its own precision: a year, a month, a week or a day."""
    return calendar_value(time.value)


def _time_root(doc: Doc, time: Time) -> Token | None:
    span = doc.char_span(time.start, time.end, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


THING_MODIFIERS = {"compound", "nummod", "amod", "nmod", "poss"}


def _attach_times(doc: Doc, events: list[Found], times: list[Time]) -> None:
    owner = {t.i: e for e in events if not e.carrier for t in e.tokens}
    for time in times:
        if not _usable(time):
            continue
        root = _time_root(doc, time)
        if root is None:
            continue
        current, event = root, None
        for _ in range(12):
            if current.i in owner and current is not root:
                event = owner[current.i]
                break
            if current.head is current or current.dep_ in ("ccomp", "parataxis", "acl", "relcl"):
                break  # a time inside what someone said, or inside a relative clause, dates only that
            thing = current.head.pos_ in ("NOUN", "PROPN") and current.head.i not in owner
            if current.dep_ in THING_MODIFIERS and thing:
                break  # "the 1962 span": the time describes a thing, not an event above it
            current = current.head
        if event is None:
            continue
        # "said on Monday the military will end ...": a time before the subject of a that-less
        # complement belongs to the verb of saying, whatever the parser attached it to
        verb = current
        subj = subject(verb) if verb.dep_ == "ccomp" else None
        if subj is not None and verb.head.i in owner and verb.head.i < root.i < subj.i:
            event = owner[verb.head.i]
        if event.date is None:
            event.date, event.date_mod = _value(time), time.mod
    _when_clauses(doc, events, times, owner)


def _when_clauses(doc: Doc, events: list[Found], times: list[Time], owner: dict[int, Found]) -> None:
    """ "in April, when a statement said ...": a when-clause after a time happens at that time."""
    ends = {t.end: t for t in times if _usable(t)}
    for event in events:
        for word in event.trigger.children:
            if _lemma(word) != "when" or event.date is not None:
                continue
            before = word.i - 1
            while before >= 0 and doc[before].is_punct:
                before -= 1
            time = ends.get(doc[before].idx + len(doc[before].text)) if before >= 0 else None
            if time is not None:
                event.date, event.date_mod = _value(time), time.mod


def _offset(anchor: Token) -> tuple[int, str] | None:
    """The distance an anchor states: "eight years after" -> (8, year); "immediately after" -> (0, day)."""
    vocab = tables.words()
    for child in anchor.children:
        if _lemma(child) in SAME_TIME:
            return 0, "day"
        if child.dep_ != "npadvmod":
            continue
        unit_word = _lemma(child)
        for kind in ("year", "month", "day"):
            units = vocab[f"{kind}-unit"]
            if unit_word in units:
                factor = 1 if units[unit_word] == "-" else int(units[unit_word])
                count = next((_number(n) for n in child.children if n.dep_ == "nummod"), 1)
                return (count * factor, kind) if count is not None else None
    return None


_NUMBERS = {
    w: i
    for i, w in enumerate(
        [
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
        ]
    )
}


def _number(token: Token) -> int | None:
    text = token.text.lower().replace(",", "")
    return int(text) if text.isdigit() else _NUMBERS.get(text, {"a": 1, "several": None}.get(text))


def _anchored(events: list[Found]) -> Iterator[tuple[Found, Found, int, tuple[int, str] | None]]:
    """(event, anchor event, direction, offset) for "X ... after/before Y" and "when Y, X"."""
    owner = {t.i: e for e in events if not e.carrier for t in e.tokens}
    anchors = tables.words()["anchor"]
    for event in events:
        for token in event.tokens:
            for word in token.children:
                if _lemma(word) not in anchors:
                    continue
                objects = _children(word, {"pobj", "pcomp"})
                for prep in _children(word, {"prep"}):
                    objects += _children(prep, {"pobj"})
                for obj in objects:
                    other = owner.get(obj.i)
                    if other is not None and other is not event:
                        yield event, other, int(anchors[_lemma(word)]), _offset(word)
            if token.dep_ == "advcl" and token.head.i in owner:  # "X, after Y happened": mark on Y
                for mark in _children(token, {"mark", "advmod"}):
                    if _lemma(mark) in anchors and _lemma(mark) != "when":
                        yield owner[token.head.i], event, int(anchors[_lemma(mark)]), _offset(mark)


def _spread_dates(events: list[Found]) -> None:
    owner = {t.i: e for e in events if not e.carrier for t in e.tokens}
    links = list(_anchored(events))
    for _ in range(4):
        changed = False
        for event, other, direction, offset in links:
            if direction != 0 and offset is None:
                continue  # "after the war" alone says only that it was later
            amount, unit = offset or (0, "day")
            if event.date and not other.date:
                other.date, other.derived = shift(event.date, -direction * amount, unit), True
                changed = True
            elif other.date and not event.date:
                event.date, event.derived = shift(other.date, direction * amount, unit), True
                event.date_mod = other.date_mod if amount == 0 else None
                changed = True
        for event in events:
            trigger = event.trigger
            subject_noun = trigger.dep_ in ("nsubj", "nsubjpass") and _pos(trigger) == "n"
            if event.date or event.flags & {"planned", "possible"}:
                continue
            if trigger.dep_ not in INHERIT and not subject_noun:  # "an inspection last October found"
                continue
            head = owner.get(trigger.head.i)
            if head is not None and head.date and not head.flags & {"planned", "possible"}:
                event.date, event.date_mod, event.derived = head.date, head.date_mod, head.derived
                changed = True
        if not changed:
            break


class GoverningTimes:
    """The times component's `governing_time`, with the times indexed by the word they hang from.

    Same answers as `dateline.facts.times.governing_time` (a time attached to the event's own clause,
    else to the clause that governs it), but each time's span and attachment are worked out once per
    document instead of once per event: asking for every event stays linear in the article's length.
    """

    def __init__(self, doc: Doc, times: list[Time]) -> None:
        module = importlib.import_module("dateline.facts.times")
        self.span_verb = module.span_verb
        self.tense_direction = module.tense_direction
        self.clause_verb = module._clause_verb
        self.inheriting = set(module.INHERITING_DEPS)
        self.verbal: dict[int, list[tuple[Time, int, int]]] = {}  # verb -> times whose clause verb it is
        self.nominal: dict[int, list[tuple[Time, int, int]]] = {}  # noun -> times attached to it
        for time in times:
            if time.type not in ("DATE", "TIME") or time.value.endswith("_REF"):
                continue
            span = doc.char_span(time.start, time.end, alignment_mode="expand")
            if span is None:
                continue
            item = (time, span.start, span.end)
            verb = self.span_verb(span)
            root = span.root
            if root.dep_ in THING_MODIFIERS and root.head.pos_ in ("NOUN", "PROPN"):
                verb = None  # "over the 1962 span": the year of a thing, not of the clause's verb
            if verb is not None:
                self.verbal.setdefault(verb.i, []).append(item)
            root, head = span.root, span.root.head
            owners = {head.head.i} if head.dep_ == "prep" else set()
            if root.dep_ in ("npadvmod", "compound", "nmod", "poss", "amod"):
                owners.add(head.i)
            for i in owners:
                self.nominal.setdefault(i, []).append(item)

    @classmethod
    def available(cls, doc: Doc, times: list[Time]) -> GoverningTimes | None:
        try:  # the times component is optional here: events work without it
            return cls(doc, times)
        except (ImportError, AttributeError):
            return None

    def of(self, token: Token) -> Time | None:
        current: Token | None = token
        for _ in range(6):
            if current is None:
                return None
            table = self.verbal if current.pos_ in ("VERB", "AUX") else self.nominal
            for time, start, end in table.get(current.i, ()):
                if not start <= current.i < end:
                    return time
            if current.dep_ not in self.inheriting or self.tense_direction(current) > 0:
                return None
            current = self.clause_verb(current.head)
        return None


def _governing_times(doc: Doc, events: list[Found], times: list[Time]) -> None:
    """Dates from the time that governs each event the parse left undated."""
    governing = GoverningTimes.available(doc, times)
    if governing is None:
        return
    for event in events:
        if event.date or event.flags & {"planned", "possible"}:
            continue
        time = governing.of(event.trigger)
        if time is not None and _usable(time):
            event.date, event.date_mod = _value(time), time.mod


# --- putting it together ------------------------------------------------------------------


def _quote_spans(
    doc: Doc, quotes: list[Quote], resolver: Resolver
) -> list[tuple[int, int, Reference | None]]:
    if quotes:
        return [(q.start, q.end, q.speaker) for q in quotes]
    spans: list[tuple[int, int, Reference | None]] = []
    for match in QUOTE_MARKS.finditer(doc.text):  # fallback: quotation marks and the nearest speaker
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        speaker = None
        if span is not None:
            sentences = {span[0].sent.start, span[-1].sent.start}
            reporting = tables.words()["reporting"]
            for token in doc[min(sentences) : span[-1].sent.end]:
                if _lemma(token) in reporting and not match.start() <= token.idx < match.end():
                    subj = subject(token)
                    if subj is not None:
                        speaker = resolver.reference(subj)
                        break
        spans.append((match.start(), match.end(), speaker))
    return spans


def _reported(
    events: list[Found], quotes: list[tuple[int, int, Reference | None]], resolver: Resolver
) -> None:
    if not events:
        return
    doc = events[0].trigger.doc
    holder: dict[int, tuple[int, int, Reference | None]] = {}  # token -> the first quote holding it
    for quote in quotes:
        span = doc.char_span(quote[0], quote[1], alignment_mode="expand")
        for i in range(span.start, span.end) if span is not None else ():
            if quote[0] <= doc[i].idx < quote[1]:
                holder.setdefault(i, quote)
    for event in events:
        inside = holder.get(event.trigger.i)
        if inside is not None:
            event.flags.add("reported")
            event.speaker = inside[2]
            continue
        verb = _reporter(event.trigger)
        if verb is not None:
            event.flags.add("reported")
            subj = subject(verb)
            if subj is not None:
                event.speaker = resolver.reference(subj)


def _evidence(event: Found) -> tuple[int, int]:
    doc = event.trigger.doc
    tokens = list(event.tokens)
    for token in event.tokens:
        tokens += [c for c in token.children if c.dep_ in ("aux", "auxpass", "neg", "prt")]
    own = {t.i for t in event.tokens}
    for role in (event.actor, event.target):
        if role is not None and role.head.i in own:  # an inherited subject stays out of the evidence
            tokens += _phrase(role)
    sentence = event.trigger.sent
    tokens = [t for t in tokens if sentence.start <= t.i < sentence.end]
    start = min(t.idx for t in tokens)
    last = max(tokens, key=lambda t: t.idx + len(t.text))
    return start, last.idx + len(last.text) if len(doc) else start


def _action(event: Found) -> str:
    particles = [_lemma(c) for c in event.trigger.children if c.dep_ == "prt"]
    return " ".join([_lemma(event.trigger), *particles])


def extract(doc: Doc) -> tuple[list[Event], list[dict[str, Any]]]:
    facts: dict[str, Any] = doc._.facts if doc._.facts is not None else {}
    found = find(doc)
    events_at = {t.i for e in found for t in e.tokens}
    resolver = Resolver(doc, list(facts.get("entities") or []))
    for event in found:
        _roles(event, events_at)
        _modality_flags(event, events_at)
    _share_coordinated_modality(found)
    _reported(found, _quote_spans(doc, list(facts.get("quotes") or []), resolver), resolver)
    times = list(facts.get("times") or [])
    _attach_times(doc, found, times or fallback_times(doc))
    if times:
        _governing_times(doc, found, times)
    _spread_dates(found)
    speakers = {id(e): _speaker_token(e) for e in found}
    natural = tables.words().get("natural", {})
    for event in found:
        if event.actor is not None and _lemma(event.actor) in natural and event.row.type is not None:
            event.row = tables.untyped(event.row.pos, event.row.lemma)  # a quake kills; nobody attacks
        speaker = speakers[id(event)]
        event.actor = resolver.participant(event.actor, speaker)
        event.target = resolver.participant(event.target, speaker)
        if event.actor is not None and event.target is not None and event.actor.i == event.target.i:
            event.target = None
    _same_statement_dates(found, resolver)
    _spread_dates(found)
    quotes: list[Quote] = list(facts.get("quotes") or [])
    cues = _cue_tokens(doc, quotes)
    text = resolver.text
    events = []
    for event in found:
        start, end = _evidence(event)
        trigger = event.trigger
        events.append(
            Event(
                text=text[start:end],
                start=start,
                end=end,
                trigger=Span(trigger.idx, trigger.idx + len(trigger.text), trigger.text),
                action=_action(event),
                modality=modality(event.flags),  # type: ignore[arg-type]
                type=event.row.type,
                actor=resolver.reference(event.actor) if event.actor is not None else None,
                target=resolver.reference(event.target) if event.target is not None else None,
                place=resolver.reference(event.place) if event.place is not None else None,
                date=event.date,
                date_derived=event.derived,
                date_mod=event.date_mod,
                cameo=event.row.cameo,
                mode=event.row.mode,
                actor_code=resolver.code(event.actor, speakers[id(event)]),
                target_code=resolver.code(event.target, speakers[id(event)]),
                reported_by=event.speaker,
                quote=cues.get(trigger.i),
            )
        )
    coded = codings(found, events)
    linked = {e.quote for e in events}
    events += [_speech_event(doc, q, i) for i, q in enumerate(quotes) if q.cue and i not in linked]
    events.sort(key=lambda e: (e.trigger.start, e.trigger.end))
    return events, coded


def _cue_tokens(doc: Doc, quotes: list[Quote]) -> dict[int, int]:
    """Token -> index of the quote whose cue ("said", "told") it is."""
    out: dict[int, int] = {}
    for index, quote in enumerate(quotes):
        if quote.cue is None:
            continue
        span = doc.char_span(quote.cue.start, quote.cue.end, alignment_mode="expand")
        for i in range(span.start, span.end) if span is not None else ():
            out.setdefault(i, index)
    return out


def _speech_event(doc: Doc, quote: Quote, index: int) -> Event:
    """The statement of a quote whose cue no event stands on ("according to"): so that every
    statement is an event, shown once, with what was said."""
    cue = quote.cue
    assert cue is not None
    span = doc.char_span(cue.start, cue.end, alignment_mode="expand")
    action = span.root.lemma_.lower() if span is not None and len(span) else cue.text.lower()
    return Event(
        text=cue.text,
        start=cue.start,
        end=cue.end,
        trigger=Span(cue.start, cue.end, cue.text),
        action=action,
        type=tables.OTHER,
        actor=quote.speaker,
        date=quote.date,
        cameo="010",
        quote=index,
    )


def _same_statement_dates(events: list[Found], resolver: Resolver) -> None:
    """A news lead dates a statement once ("Biden said on Monday ..."); a later past-tense "said" of
    the same speaker with no time of its own is that statement, so it takes its date (derived)."""
    reporting = tables.words()["reporting"]
    dated: dict[str, tuple[str, str | None]] = {}
    for event in sorted(events, key=lambda e: e.trigger.i):
        trigger = event.trigger
        if _lemma(trigger) not in reporting or trigger.tag_ != "VBD" or event.actor is None:
            continue
        entity = resolver.entity(event.actor)
        if entity is None or event.flags & {"planned", "possible", "negated"}:
            continue
        if event.date and not event.derived:
            dated[entity.id] = (event.date, event.date_mod)
        elif event.date is None and entity.id in dated:
            event.date, event.date_mod = dated[entity.id]
            event.derived = True


def _speaker_token(event: Found) -> Token | None:
    verb = _reporter(event.trigger)
    return subject(verb) if verb is not None else None


# --- event data coding --------------------------------------------------------------------


def _dominated(event: Found, typed: dict[int, Found]) -> bool:
    """Whether a typed event governs this one ("agreed to provide aid": provide is part of agreed)."""
    own = {t.i for t in event.tokens}
    current = event.trigger
    for _ in range(20):
        head = current.head
        if head is current:
            return False
        if current.dep_ != "conj" and head.i not in own and head.i in typed and typed[head.i] is not event:
            return True
        current = head
    return False


def coded_type(event: Found) -> tuple[str, str | None] | None:
    """The PLOVER type (and CAMEO code) of an event as event data, or None when it is not coded."""
    base = event.row.type
    intent = tables.intents().get(base) if base is not None else None
    if base is None or intent is None:
        return None
    planned, negated, intent_cameo = intent
    flags = event.flags
    if "negated" in flags and "possible" not in flags:
        return (negated, "12") if negated else None
    # a plan under "unless", or a conditional plan of conflict, is a threat (CAMEO 13); a conditional
    # plan of cooperation is still an offer (03)
    conflict = "conflict" in (tables.quad(base) or "")
    if "conditional" in flags and flags & {"planned", "possible"} and (conflict or "ultimatum" in flags):
        return "THREATEN", "13"
    if "deontic" in flags and "reported" in flags and base != "REQUEST":
        return "REQUEST", "10"
    if flags & {"planned", "possible"} and planned:
        return planned, intent_cameo
    return base, event.row.cameo


def codings(found: list[Found], events: list[Event]) -> list[dict[str, Any]]:
    typed = {t.i: f for f in found if f.row.type in tables.QUAD for t in f.tokens}
    out: list[tuple[tuple[int, int], dict[str, Any]]] = []
    for event, model in zip(found, events, strict=True):
        if event.row.type not in tables.QUAD or _dominated(event, typed):
            continue
        coded = coded_type(event)
        if coded is None:
            continue
        rank = (sum(1 for _ in event.trigger.ancestors), event.trigger.i)  # the main clause first
        coding = {
            "type": coded[0],
            "cameo": coded[1],
            "actor_code": model.actor_code,
            "target_code": model.target_code,
            "actor": model.actor.text if model.actor else None,
            "target": model.target.text if model.target else None,
            "place": model.place.name if model.place else None,
        }
        out.append((rank, coding))
    return [coding for _, coding in sorted(out, key=lambda item: item[0])]


@Language.factory("dateline_events", default_config={})
def make_events(nlp: Language, name: str) -> EventComponent:
    return EventComponent()


class EventComponent:
    """Writes `doc._.facts["events"]` (and `"event_codings"`) from the parse and the earlier facts."""

    def __call__(self, doc: Doc) -> Doc:
        if doc._.facts is None:
            doc._.facts = {}
        events, coded = extract(doc) if len(doc) else ([], [])
        doc._.facts["events"] = events
        doc._.facts["event_codings"] = coded
        return doc
