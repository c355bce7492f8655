"""Compare a claim with one sentence of the reporting, fact by fact, and say why.

A sentence first has to say what the claim is about: the share of the claim's content words it
holds (weighted by how rare each word is in the store; synonyms, word families, opposites and, at half
credit, words of the same event type or of the article's headline and lead count) is its `coverage`.
Then, in this order, the first field that differs decides:

* speaker  — the claim's words are someone else's ("said by X, not Y");
* swap     — who acted and who was acted on are exchanged;
* (a quote of someone else, for a claim about what its speaker said, is context, not evidence)
* scope    — the claim says "all", the report counts a part;
* (the same action by another named actor, or on another thing, is context: two firms can each cut jobs)
* negation — one says it did (or is, or said), the other that it did not, or uses the opposite word;
* modality — the claim says it happened, the report that it is planned or possible;
* date     — the report dates the same action to a time the claim's date does not fall in;
* number   — the report's number of the same thing differs beyond its own approximation.

No field differing, enough coverage, the claim's action, numbers, dates and speaker all found: the
sentence supports the claim.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from spacy.tokens import Doc

from dateline.check.claim import Claim
from dateline.check.evidence import Index, Unit
from dateline.check.lexicon import lexicon, same_name
from dateline.check.reading import Predicate, Reading, Word, add_events, read, shift
from dateline.corpus.entities import name_key
from dateline.corpus.text import fold, words
from dateline.model import Quantity, Quote, Time

Verdict = Literal["supports", "contradicts", "context"]

SUPPORT = 0.6  # coverage a sentence needs to support a claim
CONTRADICT = 0.5  # coverage a sentence needs to contradict it on a field
SPEAKER = 0.75  # share of the claim's words a quote must hold, word for word, to be the claim's words
CONTEXT = 0.25  # below this a sentence says too little about the claim to be shown
APPROXIMATE = 0.1  # relative difference an "about" number allows
MAGNITUDE = 100.0  # figures further apart than this factor measure different things
COUNTED = 0.75  # content coverage at which counts of one thing are compared outside the claim's action

# endings that make one word of a family from another ("compensate" / "compensation")
_DERIVED = frozenset(
    {
        "ion",
        "tion",
        "ation",
        "ment",
        "er",
        "or",
        "age",
        "ing",
        "ed",
        "s",
        "es",
        "al",
        "ance",
        "ence",
        "ity",
        "ee",
    }
    | {"ers", "ors", "ions", "ments", "ings", "y"}
)
_NAME_WORD = re.compile(r"[^\W_]+(?:[.'’-][^\W_]+)*\.?")
_PRONOUNS = frozenset({"he", "she", "they", "it", "we", "i", "you"})


@dataclass
class Fact:
    """The stored fact a verdict rests on: its kind, its id in the document ("quote-3"), its words."""

    kind: str
    id: str
    start: int
    end: int
    text: str


@dataclass
class Comparison:
    """One sentence's verdict on the claim, the field that decides it, and why."""

    unit: Unit
    coverage: float
    verdict: Verdict
    field: str
    reason: str
    fact: Fact | None = None


@dataclass
class Alignment:
    coverage: float
    pairs: dict[int, int]
    """claim token index -> report token index, for the words that say the same."""
    opposed: list[tuple[Word, Word]]
    partial: set[int] = field(default_factory=set)
    """claim token indexes matched by event type only."""
    weights: dict[int, float] = field(default_factory=dict)
    """claim token index -> the word's weight (its rarity in the store)."""
    topical: set[int] = field(default_factory=set)
    """claim token indexes credited because the article's headline has them."""
    content: float = 1.0
    """Coverage of the claim's words other than names: what is said, not only who it is about."""
    direct: float = 1.0
    """The same, by the sentence's own words only (no credit from the headline or lead)."""


@dataclass
class Pair:
    """A claim's predicate and the report's predicate for the same (or the opposite) action."""

    claim: Predicate
    report: Predicate
    opposite: bool = False
    full: bool = True
    """False when the two only share an event type (the ontology), not a meaning."""


Found = tuple[Verdict, str, str, Fact | None]


def related(a: str, b: str) -> bool:
    """Two lemmas of one family ("compensate" / "compensation", "mediate" / "mediator")."""
    if a == b:
        return True
    short, long = sorted((a, b), key=len)
    if len(short) < 4:
        return False
    stems = {short, short[:-1]} if short.endswith("e") else {short}
    return any(long.startswith(stem) and long[len(stem) :] in _DERIVED for stem in stems)


ONTOLOGY = 0.5  # credit for a word of the same event type only ("leave" / "end" a mission: RETREAT)
TOPIC = 0.5  # credit for a claim word the sentence lacks but its article's headline has
CONTENT = 0.5  # share of the claim's words other than names a sentence must say to decide anything


def _matches(claim: Word, other: Word, events: frozenset[int] = frozenset()) -> float:
    """1 for words that say the same, ONTOLOGY for event words of one PLOVER type, else 0.

    `events`: the report's event nouns ("ordered a reduction"), which a claim's verb may match by type.
    """
    if claim.name or other.name:
        return 1.0 if same_name(claim.form, other.form) else 0.0
    lex = lexicon()
    if lex.same(claim.lemma, other.lemma) or related(claim.lemma, other.lemma):
        return 1.0
    verbal = other.pos == "VERB" or other.i in events
    if claim.pos == "VERB" and verbal and lex.event_types(claim.lemma) & lex.event_types(other.lemma):
        return ONTOLOGY
    return 0.0


def align(claim: Reading, report: Reading, index: Index, topic: Iterable[str] = ()) -> Alignment:
    """How much of the claim's content the report's words hold, weighted by rarity in the store.

    A word of `topic` (the article's headline) counts half when the sentence lacks it: the sentence
    is about what its article is about.
    """
    about = list(topic)
    events = frozenset(p.i for p in report.predicates if not p.verb)
    lex = lexicon()
    total = matched = 0.0
    pairs: dict[int, int] = {}
    partial: set[int] = set()
    opposed: list[tuple[Word, Word]] = []
    weights: dict[int, float] = {}
    topical: set[int] = set()
    for word in claim.words:
        weight = index.idf(word.form)
        weights[word.i] = weight
        total += weight
        credit, same = max(
            ((_matches(word, u, events), u) for u in report.words), key=lambda c: c[0], default=(0.0, None)
        )
        if same is not None and credit > 0:
            matched += weight * credit
            pairs[word.i] = same.i
            if credit < 1:
                partial.add(word.i)
            continue
        if any(same_name(word.form, other) or related(word.lemma, other) for other in about):
            matched += weight * TOPIC
            topical.add(word.i)
            continue
        opposite = next((u for u in report.words if lex.opposite(word.lemma, u.lemma)), None)
        if opposite is not None:
            matched += weight
            opposed.append((word, opposite))
    named = [w for w in claim.words if not w.name]
    said = sum(
        weights[w.i]
        * (ONTOLOGY if w.i in partial else 1.0 if w.i in pairs else TOPIC if w.i in topical else 0.0)
        for w in named
    )
    said += sum(weights[w.i] for w, _ in opposed if not w.name)
    plain = sum(weights[w.i] for w in named)
    own = sum(weights[w.i] * (ONTOLOGY if w.i in partial else 1.0) for w in named if w.i in pairs)
    own += sum(weights[w.i] for w, _ in opposed if not w.name)
    return Alignment(
        matched / total if total else 0.0,
        pairs,
        opposed,
        partial,
        weights,
        topical,
        said / plain if plain else 1.0,
        own / plain if plain else 1.0,
    )


def predicate_pairs(claim: Reading, report: Reading, alignment: Alignment) -> list[Pair]:
    """The claim's predicates, each with the report's predicate for the same (or the opposite) action."""
    lex = lexicon()
    light = lex.words["light"]
    by_index = {p.i: p for p in report.predicates}
    out: list[Pair] = []
    for predicate in claim.predicates:
        if predicate.lemma in light:
            # "passengers were on board" / "no passengers were on board": the same verb of the same subject
            subject = predicate.roles.get("subject", ())
            state = next(
                (
                    q
                    for q in report.predicates
                    if q.lemma == predicate.lemma
                    and (not q.roles.get("subject") or _share(subject, q.roles.get("subject", ())))
                ),
                None,
            )
            if state is not None:
                out.append(Pair(predicate, state))
            continue
        aligned = by_index.get(alignment.pairs.get(predicate.i, -1))
        same = next((q for q in report.predicates if lex.same(predicate.lemma, q.lemma)), None) or aligned
        if same is not None:
            full = same is not aligned or predicate.i not in alignment.partial
            out.append(Pair(predicate, same, False, full))
            continue
        opposite = next((q for q in report.predicates if lex.opposite(predicate.lemma, q.lemma)), None)
        if opposite is not None:
            out.append(Pair(predicate, opposite, True))
    return out


def compare(claim: Claim, unit: Unit, parsed: Doc, index: Index) -> Comparison:
    """The verdict of one sentence on the claim, with the field that decides it."""
    report = read(parsed)
    shift(report, unit.start)
    add_events(report, [e for _, e in unit.events], parsed, unit.start)
    topic = _NAME_WORD.findall(fold(f"{unit.document.title or ''} {_lead(unit)}"))
    alignment = align(claim.reading, report, index, topic)
    coverage = alignment.coverage

    def context(field: str, reason: str, fact: Fact | None = None) -> Comparison:
        return Comparison(unit, coverage, "context", field, reason, fact)

    if coverage < CONTEXT:
        return context("content", "says little of what the claim says")
    missing = _missing_names(claim, unit)
    if missing:
        return context("names", f"the article does not name {', '.join(missing)}")
    pairs = predicate_pairs(claim.reading, report, alignment)
    main = _main_pair(claim, pairs)
    decides = coverage >= CONTRADICT and alignment.content >= CONTENT
    found = _speaker(claim, unit, report, pairs, alignment) or _swap(unit, pairs)
    if found is not None and decides:
        return Comparison(unit, coverage, *found)
    # someone else's words, when the claim is about what its speaker said, are no evidence of it
    holder = _holding_quote(unit, report, alignment)
    if claim.speaker and holder is not None and not _is_speaker(claim.speaker, holder[1], unit):
        name = _speaker_named(holder[1]) or "someone else"
        return context("speaker", f"said by {name}", _quote_fact(*holder))
    # "all troops" against a count of them: the group, not the action, is what the sentence must share
    found = _scope(claim, unit)
    if found is not None and coverage >= CONTRADICT:
        return Comparison(unit, coverage, *found)
    actor = _other_actor(unit, pairs)
    if actor is not None:
        return context("actor", actor[0], actor[1])
    for role in ("subject", "object"):
        if main is not None and not _role_named(main, claim.reading, report, role):
            who = " ".join(main.claim.roles.get(role, ()))
            return context("actor", f"not said of {who}", _event_fact(unit, main.report))
    checks: list[Callable[[], Found | None]] = [
        lambda: _cue(claim, unit, report),
        lambda: _negation(unit, pairs, alignment),
        lambda: _modality(claim, unit, parsed, pairs),
        lambda: _date(claim, unit, parsed, report, pairs, alignment),
        lambda: _number(claim, unit, parsed, report, pairs, alignment),
    ]
    for check in checks:
        found = check()
        if found is not None and decides:
            return Comparison(unit, coverage, *found)

    if main is not None and _tense(main.claim.modality) != _tense(main.report.modality):
        reason = f"another occurrence: reported as {main.report.modality} ('{main.report.lemma}')"
        return context("modality", reason, _event_fact(unit, main.report))
    if coverage < SUPPORT or alignment.content < CONTENT:
        return context("content", "related, but says less than the claim")
    action = _main(claim)
    if (
        action is not None
        and main is None
        and (action.i not in alignment.pairs or action.i in alignment.partial)
    ):
        return context("content", "the claim's words, not its action")
    unsaid = _unmatched_values(claim, unit)
    if unsaid:
        return context("content", f"does not give {unsaid}")
    if claim.speaker and not _spoken_by(claim.speaker, unit):
        return context("speaker", f"reported, but not as {claim.speaker}'s words")
    field, reason, fact = _agreement(claim, unit, parsed, pairs)
    return Comparison(unit, coverage, "supports", field, reason, fact)


def _lead(unit: Unit) -> str:
    """The article's first sentence: with the headline, what every sentence of it is about."""
    text = unit.document.text
    end = next((m.end() for m in re.finditer(r"[.!?](?=\s)", text)), len(text))
    return text[: min(end, 400)]


def _holding_quote(unit: Unit, report: Reading, alignment: Alignment) -> tuple[int, Quote] | None:
    """The stored quote that holds most of the words the sentence shares with the claim, if any holds most."""
    starts = {w.i: w.start for w in report.words}
    shared = [starts[u] for u in alignment.pairs.values() if u in starts]
    if not shared or not unit.quotes:
        return None
    best = max(
        unit.quotes, key=lambda item: (sum(1 for s in shared if item[1].start <= s < item[1].end), -item[0])
    )
    held = sum(1 for s in shared if best[1].start <= s < best[1].end)
    return best if held * 2 > len(shared) else None


def _unmatched_values(claim: Claim, unit: Unit) -> str | None:
    """A number or date of the claim that the sentence does not give (it cannot support what it lacks)."""
    for mine in claim.quantities:
        if not any(same_number(mine, q) for _, q in unit.quantities):
            return mine.text
    reported = [t.value for _, t in unit.times if t.value[:1].isdigit()]
    reported += [e.date for _, e in unit.events if e.date and e.date[:1].isdigit()]
    for time in claim.dates:
        if not any(same_date(time.value, value) for value in reported):
            return time.text
    return None


# ---------- the fields ----------


def _share(a: Iterable[str], b: Iterable[str]) -> bool:
    second = list(b)
    return any(same_name(x, y) for x in a for y in second)


def same_person(a: str, b: str) -> bool:
    """Whether two names can be one speaker ("Biden", "Joe Biden", "President Biden")."""
    key_a, key_b = name_key(a, "PERSON"), name_key(b, "PERSON")
    if not key_a or not key_b:
        return False
    if key_a == key_b:
        return True
    shorter, longer = sorted((key_a, key_b), key=len)
    return all(any(same_name(s, w) for w in longer) for s in shorter)


def _named(name: str) -> bool:
    """A speaker given by name, not by a pronoun."""
    return name[:1].isupper() and fold(name) not in _PRONOUNS


def _quote_fact(idx: int, quote: Quote) -> Fact:
    return Fact("quote", f"quote-{idx}", quote.start, quote.end, quote.text)


def _event_fact(unit: Unit, predicate: Predicate) -> Fact | None:
    """The stored event whose trigger is the report's word for the claim's action."""
    for idx, event in unit.events:
        if event.trigger.start <= predicate.start < event.trigger.end:
            return Fact("event", f"event-{idx}", event.start, event.end, event.text)
    return None


def _speaker_named(quote: Quote) -> str | None:
    name = quote.speaker.name if quote.speaker else None
    return name if name and _named(name) else None


def _is_speaker(wanted: str, quote: Quote, unit: Unit) -> bool:
    """Whether a quote is the claimed speaker's, or an unnamed one's ("he said") in an article naming them."""
    name = _speaker_named(quote)
    if name is not None:
        return same_person(name, wanted) or _share(words(name), words(wanted))
    article = set(_NAME_WORD.findall(fold(unit.document.text)))
    return quote.speaker is not None and _share(words(wanted), article)


def _spoken_by(wanted: str, unit: Unit) -> bool:
    """Whether a quote of the sentence is the claimed speaker's."""
    return any(_is_speaker(wanted, quote, unit) for _, quote in unit.quotes)


def _speaker(
    claim: Claim, unit: Unit, report: Reading, pairs: list[Pair], alignment: Alignment
) -> Found | None:
    wanted = claim.speaker
    if wanted is None:
        # "X called the walkout reckless": the one who does a verb of saying is its speaker
        for pair in pairs:
            mine, theirs = pair.claim.roles.get("subject", ()), pair.report.roles.get("subject", ())
            speech = (
                pair.claim.speech and pair.report.speech and not pair.claim.control
            )  # "agreed to buy" acts
            if speech and mine and theirs and not _share(mine, theirs):
                reason = f"said by {' '.join(theirs)}, not {' '.join(mine)}"
                return "contradicts", "speaker", reason, _event_fact(unit, pair.report)
        return None
    if not unit.quotes or _spoken_by(wanted, unit):
        return None
    # the claim's words must be the quote's own, near enough word for word, its action among them
    main = _main_pair(claim, pairs)
    starts = {w.i: w.start for w in report.words}
    weights = {w.i: w for w in claim.reading.words}
    total = sum(alignment.weights.get(i, 0.0) for i in weights) or 1.0
    article = set(_NAME_WORD.findall(fold(unit.document.text)))
    for idx, quote in unit.quotes:
        name = _speaker_named(quote)
        if name is None and quote.speaker is not None and not _share(words(wanted), article):
            name = f"'{quote.speaker.text}' in an article that never names {wanted}"
        if name is None:
            continue
        inside = [
            c
            for c, u in alignment.pairs.items()
            if c not in alignment.partial and quote.start <= starts.get(u, -1) < quote.end
        ]
        held = sum(alignment.weights.get(c, 0.0) for c in [*inside, *alignment.topical]) / total
        action = _main(claim)
        acted = action is None or (
            main is not None and main.full and quote.start <= main.report.start < quote.end
        )
        if held >= SPEAKER and acted:
            return "contradicts", "speaker", f"said by {name}, not {wanted}", _quote_fact(idx, quote)
    return None


def _swap(unit: Unit, pairs: list[Pair]) -> Found | None:
    """Who acts and who is acted on exchanged: the claim's actor is the report's target (and the
    report's actor is another), or the claim's target is the report's actor (and the claim's actor
    is not the report's); or two other roles cross ("chose X over Y" / "chose Y over X")."""
    core = {"subject", "object", "recipient"}
    for pair in pairs:
        if not pair.full:
            continue
        mine, theirs = pair.claim.roles, pair.report.roles
        for role, names in mine.items():
            for other, found in theirs.items():
                if role == other or not _share(names, found) or _share(names, theirs.get(role, ())):
                    continue
                crossed = _share(mine.get(other, ()), theirs.get(role, ()))
                actor_is_target = role == "subject" and not _share(theirs.get("subject", ()), names)
                target_is_actor = other == "subject" and not _share(mine.get("subject", ()), found)
                transitive = any(r in theirs for r in ("object", "recipient")) and not theirs.get(role)
                # "chose X over Y" / "chose Y over X": the claim's object is the report's "over"
                claimed = [w for names_ in mine.values() for w in names_]
                moved = role == "object" and other not in core and _share(theirs.get(role, ()), claimed)
                if crossed or actor_is_target or moved or (target_is_actor and transitive):
                    verb = pair.report.lemma
                    reason = f"reported the other way round: {' '.join(found)} is the {other} of '{verb}', not the {role}"
                    return "contradicts", "swap", reason, _event_fact(unit, pair.report)
    return None


def _negation(unit: Unit, pairs: list[Pair], alignment: Alignment) -> Found | None:
    for pair in pairs:
        p, q = pair.claim, pair.report
        if p.verb and (p.positive != q.positive) != pair.opposite:
            said = f"'{q.lemma}'" if q.positive else f"not '{q.lemma}'"
            return "contradicts", "negation", f"the report says {said}", _event_fact(unit, q)
    for mine, theirs in alignment.opposed:
        if {mine.pos, theirs.pos} & {"VERB", "ADJ", "ADV"}:
            return "contradicts", "negation", f"the report says '{theirs.form}', not '{mine.form}'", None
    return None


def _cue(claim: Claim, unit: Unit, report: Reading) -> Found | None:
    """ "X confirmed that ..." where the report has X deny it, or decline to say it."""
    cue, wanted = claim.cue_predicate, claim.speaker
    if cue is None or wanted is None:
        return None
    lex = lexicon()
    for verb in report.predicates:
        if not verb.speech or not _share(words(wanted), verb.roles.get("subject", ())):
            continue
        opposite = lex.opposite(cue.lemma, verb.lemma)
        if (cue.positive != verb.positive) != opposite:
            said = f"'{verb.lemma}'" if verb.positive else f"not '{verb.lemma}'"
            return "contradicts", "negation", f"the report says {wanted} did {said}", _event_fact(unit, verb)
    return None


def _modality(claim: Claim, unit: Unit, parsed: Doc, pairs: list[Pair]) -> Found | None:
    for pair in pairs:
        p, q = pair.claim, pair.report
        if p.verb and not p.speech and p.modality == "happened" and q.modality in ("planned", "possible"):
            if _elsewhen(claim, unit, parsed, pair):
                continue  # "closed in 2012" and "voted to close from October 2": two closings
            reason = f"reported as {q.modality} ('{q.lemma}'), not as done"
            return "contradicts", "modality", reason, _event_fact(unit, q)
    return None


def _elsewhen(claim: Claim, unit: Unit, parsed: Doc, pair: Pair) -> bool:
    """Whether the claim dates its action at a time the report's dates for it cannot be."""
    mine = _claim_dates(claim, pair.claim)
    reported = _reported_dates(unit, parsed, pair.report) if mine else []
    return bool(reported) and not any(same_date(t.value, v) for t in mine for v, _ in reported)


def same_date(a: str, b: str) -> bool:
    """Whether two ISO dates, each at its own precision, can be the same time."""
    a, b = a[:10], b[:10]
    if "W" in a or "W" in b:
        return a[:4] == b[:4]
    return a.startswith(b) or b.startswith(a)


def _anchor(parsed: Doc, report: Reading, alignment: Alignment, offset: int) -> Predicate | None:
    """The report's predicate over most of the words it shares with the claim (the smallest such)."""
    targets = set(alignment.pairs.values()) | {u.i for _, u in alignment.opposed}

    def weight(predicate: Predicate) -> tuple[int, int]:
        token = parsed.char_span(predicate.start - offset, predicate.end - offset, alignment_mode="expand")
        subtree = list(token.root.subtree) if token is not None and len(token) else []
        return sum(1 for t in subtree if t.i in targets), -len(subtree)

    best = max(report.predicates, key=weight, default=None)
    return best if best is not None and weight(best)[0] > 0 else None


def _governs(parsed: Doc, predicate: Predicate, start: int, end: int, offset: int) -> bool:
    """Whether a time hangs from the predicate without another verb between ("said on Friday" is not "ration")."""
    span = parsed.char_span(start - offset, end - offset, alignment_mode="expand")
    if span is None or not len(span):
        return False
    node = span.root
    while node.head is not node:
        node = node.head
        if node.idx + offset == predicate.start:
            return True
        if node.pos_ in ("VERB", "AUX"):
            return False
    return False


def _reported_dates(unit: Unit, parsed: Doc, predicate: Predicate) -> list[tuple[str, Fact]]:
    out: list[tuple[str, Fact]] = []
    for idx, event in unit.events:
        if (
            event.date
            and event.date[:1].isdigit()
            and event.trigger.start <= predicate.start < event.trigger.end
        ):
            out.append((event.date, Fact("event", f"event-{idx}", event.start, event.end, event.text)))
    for idx, time in unit.times:
        calendar = time.type in ("DATE", "TIME") and time.anchored and time.value[:1].isdigit()
        if calendar and _governs(parsed, predicate, time.start, time.end, unit.start):
            out.append((time.value, Fact("time", f"time-{idx}", time.start, time.end, time.text)))
    return out


def _tense(modality: str) -> str:
    return "done" if modality == "happened" else "ahead"


def _main(claim: Claim) -> Predicate | None:
    """The claim's action: its highest verb that does not only frame another ("plans to"), and is not a
    light verb without a subject of its own ("were on board" has one: passengers)."""
    light = lexicon().words["light"]
    verbs = [p for p in claim.reading.predicates if p.verb]
    fit = [p for p in verbs if not p.control and (p.lemma not in light or p.roles.get("subject"))]
    chosen = fit or [p for p in verbs if p.lemma not in light] or verbs
    return min(chosen, key=lambda p: (p.depth, p.i)) if chosen else None


def _main_pair(claim: Claim, pairs: list[Pair]) -> Pair | None:
    main = _main(claim)
    return next((pair for pair in pairs if pair.claim is main), None)


def _claim_dates(claim: Claim, predicate: Predicate) -> list[Time]:
    """The claim's dates that hang from one of its predicates."""
    if claim.doc is None:
        return []
    return [t for t in claim.dates if _governs(claim.doc, predicate, t.start, t.end, 0)]


def _date(
    claim: Claim, unit: Unit, parsed: Doc, report: Reading, pairs: list[Pair], alignment: Alignment
) -> Found | None:
    if not claim.dates:
        return None
    placed: list[tuple[list[Time], Predicate, Predicate]] = []
    for pair in pairs:
        mine = _claim_dates(claim, pair.claim)
        if mine:
            placed.append((mine, pair.claim, pair.report))
    if not placed:
        # no paired action carries the claim's dates: the report's predicate over most shared words
        anchor = _anchor(parsed, report, alignment, unit.start)
        main = _main(claim)
        if anchor is None or main is None:
            return None
        placed.append((claim.dates, main, anchor))
    for mine, predicate, anchor in placed:
        if _tense(predicate.modality) != _tense(anchor.modality):
            continue  # a plan and a past happening are two events, whatever their dates
        reported = _reported_dates(unit, parsed, anchor)
        for time in mine:
            if reported and not any(same_date(time.value, value) for value, _ in reported):
                value, fact = reported[0]
                return "contradicts", "date", f"reported for {value}, not {time.value} ('{time.text}')", fact
    return None


def _significant(value: float) -> int:
    digits = f"{abs(value):.10g}".split("e")[0].replace(".", "").strip("0")
    return max(1, len(digits))


def comparable(claim: Quantity, report: Quantity) -> bool:
    """Two figures of one measure: within a factor of a hundred (a share price is not a quarterly loss)."""
    a, b = abs(claim.value), abs(report.value)
    return a > 0 and b > 0 and max(a, b) / min(a, b) <= MAGNITUDE


def same_number(claim: Quantity, report: Quantity) -> bool:
    """Equal, within the report's own approximation, or the report's number rounded as the claim writes it."""
    a, b = claim.value, report.value
    if report.lower is not None and report.upper is not None and report.lower <= a <= report.upper:
        return True
    if a == b:
        return True
    if (claim.approximate or report.approximate) and abs(a - b) <= APPROXIMATE * max(abs(a), abs(b)):
        return True
    return b != 0 and float(f"{b:.{_significant(a)}g}") == a


def _same_unit(claim: Claim, mine: Quantity, theirs: Quantity) -> bool:
    lex = lexicon()
    if mine.unit and theirs.unit:
        return lex.same(mine.unit, theirs.unit) or related(mine.unit, theirs.unit)
    if theirs.unit:
        # "cut troops to 1,000": what is counted is named elsewhere in the claim
        return any(
            lex.same(w.lemma, theirs.unit) or related(w.lemma, theirs.unit) for w in claim.reading.words
        )
    return True


_DAYS = {"D": 1.0, "W": 7.0, "M": 30.4, "Y": 365.25}


def days(value: str) -> float | None:
    """Length of a TIMEX3 duration in days ("P2W" -> 14), or None for other values."""
    if len(value) < 3 or not value.startswith("P") or value[1] == "T" or value[-1] not in _DAYS:
        return None
    try:
        return float(value[1:-1]) * _DAYS[value[-1]]
    except ValueError:
        return None


def _close(mine: Time, length: float, other: Time, other_length: float) -> bool:
    slack = APPROXIMATE if "APPROX" in (mine.mod, other.mod) else 0.0
    return abs(other_length - length) <= slack * max(length, other_length)


def _durations(claim: Claim, unit: Unit) -> Found | None:
    """ "about 15 days" against "about two weeks": lengths compared within the stated approximation."""
    reported = [(i, t, d) for i, t in unit.times if t.type == "DURATION" and (d := days(t.value))]
    for time in claim.times:
        length = days(time.value) if time.type == "DURATION" else None
        if not length or not reported:
            continue
        if not any(_close(time, length, t, d) for _, t, d in reported):
            idx, other, _ = reported[0]
            fact = Fact("time", f"time-{idx}", other.start, other.end, other.text)
            return "contradicts", "number", f"reported as {other.text}, not {time.text}", fact
    return None


def _number(
    claim: Claim, unit: Unit, parsed: Doc, report: Reading, pairs: list[Pair], alignment: Alignment
) -> Found | None:
    """Numbers of the same thing differ; a state ("there are 1,800 troops") is only compared with a
    state, an action ("14 soldiers were killed") with an action."""
    light = lexicon().words["light"]
    main = _main(claim)
    paired = _main_pair(claim, pairs)
    anchor = paired.report if paired else _anchor(parsed, report, alignment, unit.start)
    same_action = paired is not None and paired.full
    same_state = main is not None and main.lemma in light and anchor is not None and anchor.lemma in light
    found = _durations(claim, unit) if same_action or same_state else None
    if found is not None:
        return found
    for mine in claim.quantities:
        # a count of a named thing ("5,000 guests") meets the same count anywhere; a bare number
        # only within the same action or state
        candidates = [
            (i, q)
            for i, q in unit.quantities
            if _same_unit(claim, mine, q)
            and comparable(mine, q)
            and (same_action or same_state or (mine.unit and q.unit and alignment.direct >= COUNTED))
        ]
        if not candidates or any(same_number(mine, q) for _, q in candidates):
            continue
        idx, closest = min(candidates, key=lambda item: (abs(item[1].value - mine.value), item[0]))
        fact = Fact("quantity", f"quantity-{idx}", closest.start, closest.end, closest.text)
        return "contradicts", "number", f"reported as {closest.text}, not {mine.text}", fact
    return None


def _scope(claim: Claim, unit: Unit) -> Found | None:
    """ "all troops" where the report counts some ("about 2,500 troops") or splits them."""
    lex = lexicon()
    counted = [(i, q) for i, q in unit.quantities if q.unit]
    for noun in claim.reading.universal:
        for idx, quantity in counted:
            unit_word = quantity.unit or ""
            part = unit_word == "percent" and quantity.value < 100
            if part or lex.same(noun, unit_word) or related(noun, unit_word):
                fact = Fact("quantity", f"quantity-{idx}", quantity.start, quantity.end, quantity.text)
                return "contradicts", "scope", f"the claim says all; the report counts {quantity.text}", fact
        units = [q.unit for _, q in counted]
        split = [(i, q) for i, q in counted if units.count(q.unit) > 1]
        if split:
            idx, quantity = split[0]
            fact = Fact("quantity", f"quantity-{idx}", quantity.start, quantity.end, quantity.text)
            return (
                "contradicts",
                "scope",
                f"the claim says all; the report splits them ({quantity.text}, ...)",
                fact,
            )
    return None


def _missing_names(claim: Claim, unit: Unit) -> list[str]:
    """Names of the claim's content that the sentence's article never uses: it is about something else."""
    text = fold(f"{unit.document.title or ''} {unit.document.text}")
    present = set(_NAME_WORD.findall(text))
    missing = [
        w.form
        for w in claim.reading.words
        if w.name
        and not any(same_name(w.form, p) for p in present)
        and not re.search(rf"(?<![^\W\d_]){re.escape(w.form)}", text)  # "GB" in "16GB"
    ]
    return list(dict.fromkeys(missing))


def _role_named(main: Pair, claim: Reading, report: Reading, role: str) -> bool:
    """The claim's actor (or target) is the report's, or at least named in the sentence."""
    # an actor is compared by name ("the firm" may be GM); a target by its words
    roles = (
        (main.claim.proper, main.report.proper)
        if role == "subject"
        else (main.claim.roles, main.report.roles)
    )
    mine = tuple(w for w in roles[0].get(role, ()) if any(c.isalpha() for c in w))
    theirs = roles[1].get(role, ())
    if not mine or not theirs or _share(mine, theirs):
        return True
    lex = lexicon()
    if any(lex.same(t, w.lemma) or related(t, w.lemma) for t in theirs for w in claim.words):
        return True  # "the protesters" for "the protesting farmers"
    return any(
        same_name(m, w.form) or lex.same(m, w.lemma) or related(m, w.lemma)
        for m in mine
        for w in report.words
    )


def _other_actor(unit: Unit, pairs: list[Pair]) -> tuple[str, Fact | None] | None:
    """The same action done by someone else, by name ("the firm" may be anyone: it is not a name)."""
    for pair in pairs:
        mine, theirs = pair.claim.proper.get("subject", ()), pair.report.proper.get("subject", ())
        if mine and theirs and not _share(mine, theirs):
            return f"reported of {' '.join(theirs)}, not {' '.join(mine)}", _event_fact(unit, pair.report)
    return None


def _agreement(claim: Claim, unit: Unit, parsed: Doc, pairs: list[Pair]) -> tuple[str, str, Fact | None]:
    """The field that makes a supporting sentence's agreement most specific."""
    if claim.speaker:
        for idx, quote in unit.quotes:
            name = quote.speaker.name if quote.speaker else None
            if name and (same_person(name, claim.speaker) or _share(words(name), words(claim.speaker))):
                return "speaker", f"said by {name}", _quote_fact(idx, quote)
    for mine in claim.quantities:
        for idx, quantity in unit.quantities:
            if _same_unit(claim, mine, quantity) and same_number(mine, quantity):
                return (
                    "number",
                    f"reported as {quantity.text}",
                    Fact("quantity", f"quantity-{idx}", quantity.start, quantity.end, quantity.text),
                )
    for time in claim.dates:
        for pair in pairs:
            for value, fact in _reported_dates(unit, parsed, pair.report):
                if same_date(time.value, value):
                    return "date", f"dated {value}", fact
    for pair in pairs:
        event = _event_fact(unit, pair.report)
        if event is not None:
            return "content", f"the same {pair.report.modality} '{pair.report.lemma}'", event
    return "content", "the same content", None
