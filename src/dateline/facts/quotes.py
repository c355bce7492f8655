"""Quotes: who said what, direct ("…," Biden said) and reported (Biden said the U.S. will …).

Conventions of `Quote`:
* `text`/`start`/`end` is the content.  A direct quote's content is what stands between the
  quotation marks, without the marks; a quote that runs over several paragraphs (each reopened
  with a mark, as newspapers do) is one quote, and its text keeps the inner reopening marks.
  Reported content is the clause, without its complementizer ("that") and final full stop.
  A content interrupted by its cue ("We cannot …," she said. "This plan …") gives one Quote per
  piece, with the same speaker and cue.
* `kind` is direct (the content is all quoted words), mixed (a reported clause holding quoted
  words) or indirect.
* `speaker` is resolved by `dateline.facts.speakers`; None when no speaker stands in the text.
* `date` is the time governing the cue, from the times stage when it is installed.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import import_module, resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.facts.speakers import Resolver, speaker_pronouns
from dateline.model import Quote
from dateline.model import Span as TextSpan

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
# a straight mark opens when it follows one of these (or starts the text)
OPEN_CONTEXT = set(" \t\n([{—–-/")
SUBJECT_DEPS = ("nsubj",)
COMPLEMENT_DEPS = ("ccomp",)
# dependents of a cue verb that carry a mixed quote's content
OBJECT_DEPS = ("dobj", "prep", "dative", "oprd", "xcomp", "attr", "ccomp", "advcl", "npadvmod")
# how far (in tokens) a cue may stand from the quotation mark it introduces or closes
CUE_WINDOW = 8
SPLIT_GAP = 80
# “…” ― Sonya Herridge: a quotation signed with a dash and a name ending the line
BYLINE = re.compile(r"[ \t]*([―—–]|--)[ \t]*([A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){0,4})[ \t]*(?=\n|$)")
# PENCE: Well, look, … — a transcript turn: a name, a colon, and what was said, to the paragraph's end
TURN = re.compile(r"^([A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){0,3}):[ \t]+(\S[^\n]*)", re.M)


@cache
def cue_lexicon() -> dict[str, str]:
    raw = resources.files("dateline.facts").joinpath("data").joinpath("quote_cues.tsv").read_text("utf-8")
    rows = (line.split("\t") for line in raw.splitlines() if line.strip() and not line.startswith("#"))
    return {lemma.strip(): kind.strip() for lemma, kind in rows}


@dataclass
class Marked:
    """A stretch between quotation marks: `start`/`end` exclude the marks."""

    start: int
    end: int
    claimed: bool = False


def quoted_stretches(text: str) -> list[Marked]:
    """Pair quotation marks, straight and curly; a quote left open at a paragraph's end continues
    when the next paragraph opens with a mark, and is dropped otherwise."""
    found: list[Marked] = []
    open_at: int | None = None
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\n" and open_at is not None:
            j = i
            while j < len(text) and text[j] in " \n\t":
                j += 1
            if j < len(text) and (text[j] in OPENERS or text[j] == STRAIGHT):
                i = j + 1  # the same quote goes on in the next paragraph
                continue
            open_at = None
        elif ch in OPENERS or (
            # a straight mark, or a curly closer typed by mistake, opens when it starts a word
            ch in (STRAIGHT, *CLOSERS) and open_at is None and (i == 0 or text[i - 1] in OPEN_CONTEXT)
        ):
            open_at = i + 1
        elif (ch in CLOSERS or ch == STRAIGHT) and open_at is not None:
            if i > open_at:
                found.append(Marked(open_at, i))
            open_at = None
        i += 1
    return found


@dataclass
class Found:
    kind: str
    pieces: list[tuple[int, int]]
    cue: Token | list[Token] | None
    speaker: Span | None


class QuoteFinder:
    def __init__(self, doc: Doc, classes: frozenset[str], nested: bool = True):
        self.doc = doc
        self.nested = nested
        self.lexicon = {
            lemma: kind for lemma, kind in cue_lexicon().items() if kind in classes or kind == "stance"
        }
        self.text = doc.text  # a Doc rebuilds its text on every access
        self.marked = quoted_stretches(self.text)
        self.marked_starts = [m.start for m in self.marked]  # in order, apart: a lookup is a bisection
        self.paragraph_start = paragraph_starts(doc)
        self.found: list[Found] = []
        # content already attributed (cues inside are not outer cues): a flag per character of the text
        self.taken = bytearray(len(self.text))

    # -- helpers ------------------------------------------------------------------------------
    def cue_class(self, token: Token) -> str | None:
        if token.pos_ not in ("VERB", "AUX") and not (token.pos_ == "NOUN" and token.tag_ == "VBG"):
            return None
        return self.lexicon.get(token.lemma_.lower())

    def in_marked(self, char: int) -> Marked | None:
        at = bisect_right(self.marked_starts, char) - 1
        return self.marked[at] if at >= 0 and char < self.marked[at].end else None

    def in_taken(self, char: int) -> bool:
        return 0 <= char < len(self.taken) and self.taken[char] == 1

    def span_of(self, tokens: Iterable[Token]) -> list[tuple[int, int]]:
        """Contiguous char pieces covered by tokens, each trimmed of edge punctuation."""
        ordered = sorted(tokens, key=lambda t: t.i)
        runs: list[list[Token]] = []
        for t in ordered:
            if runs and t.i == runs[-1][-1].i + 1:
                runs[-1].append(t)
            else:
                runs.append([t])
        pieces = []
        for run in runs:
            while run and (run[0].is_punct or run[0].is_space) and not _is_mark(run[0].text):
                run = run[1:]
            while run and (run[-1].is_punct or run[-1].is_space) and not _is_mark(run[-1].text):
                run = run[:-1]
            if run:
                pieces.append((run[0].idx, run[-1].idx + len(run[-1])))
        return [p for p in pieces if p[1] > p[0]]

    # -- subject of a cue -----------------------------------------------------------------------
    def subject(self, verb: Token) -> Span | None:
        seen = 0
        while seen < 4:
            for child in verb.children:
                if child.dep_ in SUBJECT_DEPS:
                    return self.phrase(child) if _speaker_like(child) else None
                if child.dep_ == "agent":
                    objects = [c for c in child.children if c.dep_ == "pobj"]
                    return self.phrase(objects[0]) if objects and _speaker_like(objects[0]) else None
            if (
                verb.dep_ in ("conj", "xcomp", "advcl")
                and verb.head.i != verb.i
                and verb.head.pos_ in ("VERB", "AUX")
            ):
                verb = verb.head  # "... and added": the subject of the first verb
            elif verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
                return self.phrase(verb.head)  # "a statement saying ...", "Smith, who said ..."
            else:
                return None
            seen += 1
        return None

    def phrase(self, head: Token) -> Span:
        """The speaker's words: the head's phrase up to its first comma (appositions, clauses)."""
        tokens = [t for t in head.subtree]
        left = head.i
        while left > tokens[0].i and not (self.doc[left - 1].is_punct or self.doc[left - 1].is_space):
            left -= 1
        right = head.i
        while (
            right < tokens[-1].i
            and not (self.doc[right + 1].is_punct or self.doc[right + 1].is_space)
            and self.doc[right + 1].dep_
            not in (
                "relcl",
                "acl",
            )
        ):
            right += 1
        if self.doc[right].dep_ == "prep" or self.doc[right].tag_ == "POS":
            right -= 1
        return self.doc[left : right + 1]

    # -- the passes ---------------------------------------------------------------------------
    def run(self) -> list[Found]:
        cues = [t for t in self.doc if self.cue_class(t) in ("speech", "report", "belief")]
        # outer cues first: a cue inside an attributed content belongs to a nested report
        for verb in sorted(cues, key=_depth):
            if self.in_marked(verb.idx) or (self.in_taken(verb.idx) and not self.nested):
                continue
            self.from_complement(verb)
        self.according_to()
        self.turns()
        for m in self.marked:
            if not m.claimed:
                self.from_adjacent(m)
        for m in self.marked:
            if not m.claimed:
                self.mixed(m)
        return sorted(self.found, key=lambda f: f.pieces[0])

    def add(self, found: Found) -> None:
        self.found.append(found)
        for start, end in found.pieces:
            start, end = max(start, 0), min(end, len(self.taken))
            self.taken[start:end] = b"\x01" * max(end - start, 0)

    def complement(self, verb: Token) -> Token | None:
        for child in verb.children:
            if child.dep_ in COMPLEMENT_DEPS and child.pos_ in ("VERB", "AUX"):
                # the parser sometimes runs a sentence across a paragraph break; a cue never does
                same = self.paragraph_start[child.i] == self.paragraph_start[verb.i]
                return child if same else None
        # "told the Associated Press ahead of the visit that there is ...": the parser often hangs a
        # that-clause on a nearby noun; it still completes the speech verb
        for token in verb.subtree:
            if token.dep_ == "mark" and token.lower_ == "that" and token.head.dep_ in ("acl", "advcl"):
                clause = token.head
                if clause.i > verb.i and not any(c.dep_ in ("nsubj",) and c.i < token.i for c in [clause]):
                    return clause
        return None

    def from_complement(self, verb: Token) -> None:
        clause = self.complement(verb)
        if clause is None or verb.dep_ == "amod":
            return
        tokens = [t for t in clause.subtree if t.dep_ != "mark" or t.head.i != clause.i]
        tokens = _without_leading_time(tokens, clause)
        words = [t for t in tokens if not t.is_punct and not t.is_space]
        if not words:
            return
        speaker = self.subject(verb)
        if speaker is not None and any(speaker.start <= t.i < speaker.end for t in words):
            speaker = None
        holders = {id(self.in_marked(t.idx)) for t in words}
        marked = self.in_marked(words[0].idx)
        if marked is not None and len(holders) == 1 and not self.in_marked(verb.idx):
            marked.claimed = True
            pieces = [(marked.start, marked.end)]
            pieces += self.split_continuation(marked, verb)
            self.add(Found("direct", pieces, verb, speaker))
            return
        if self.cue_class(verb) == "belief" and speaker is None:
            return
        if clause.i < verb.i:
            # "Clinton's van was …, but the Secret Service …, another source said": the whole
            # stretch before the cue clause is what was said, not only the clause the parser linked
            first = min(t.i for t in tokens)
            start = max(verb.sent.start, self.paragraph_start[first])
            tokens = [*self.doc[start:first], *tokens]
        kind = "indirect"
        pieces = self.span_of(tokens)
        within = {id(m): m for t in words if (m := self.in_marked(t.idx)) is not None}
        for m in sorted(within.values(), key=lambda m: m.start):
            m.claimed = True
            kind = "mixed"
            # the quoted words close after the clause's last word: “… unhinged, even for him.”
            if pieces and m.start < pieces[-1][1] <= m.end:
                pieces[-1] = (pieces[-1][0], m.end + 1)
        self.add(Found(kind, pieces, verb, speaker))

    def split_continuation(self, first: Marked, verb: Token) -> list[tuple[int, int]]:
        """ "We cannot …," she said. "This plan …": quotes right after the cue go with it."""
        pieces: list[tuple[int, int]] = []
        last_end = first.end
        for m in self.marked:
            if m.claimed or m.start <= first.start:
                continue
            gap = self.text[last_end + 1 : m.start - 1]
            cue_between = last_end <= verb.idx < m.start
            if "\n" in gap or len(gap) > SPLIT_GAP or not cue_between or not _only_cue(gap):
                break
            m.claimed = True
            pieces.append((m.start, m.end))
            last_end = m.end
        return pieces

    def according_to(self) -> None:
        for token in self.doc:
            if (
                token.lower_ != "according"
                or token.i + 1 >= len(self.doc)
                or self.doc[token.i + 1].lower_ != "to"
            ):
                continue
            if self.in_marked(token.idx) or self.in_taken(token.idx):
                continue
            to = self.doc[token.i + 1]
            objects = [c for c in (*to.children, *token.children) if c.dep_ == "pobj"]
            speaker = self.phrase(objects[0]) if objects and _speaker_like(objects[0]) else None
            host = token.head
            while host.dep_ not in ("ROOT", "ccomp", "conj") and host.head.i != host.i:
                host = host.head
            pp = set(token.subtree) | set(to.subtree)
            tokens = [t for t in host.subtree if t not in pp]
            if not [t for t in tokens if not t.is_punct]:
                continue
            pieces = self.span_of(tokens)
            kind = "mixed" if any(self.in_marked(s) for s, _ in pieces) else "indirect"
            self.add(Found(kind, pieces, [token, to], speaker))

    def turns(self) -> None:
        """Interview transcripts: "PENCE: Well, look, …" (a person's name, not a heading like "Note:")."""
        for match in TURN.finditer(self.text):
            name = self.doc.char_span(match.start(1), match.end(1))
            if name is None or self.in_taken(match.start(2)):
                continue
            if not (name.text.isupper() or all(t.ent_type_ == "PERSON" for t in name)):
                continue
            colon = self.doc.char_span(match.end(1), match.end(1) + 1)
            end = match.end(2)
            for m in self.marked:
                if match.start(2) <= m.start < end:
                    m.claimed = True
            self.add(Found("direct", [(match.start(2), end)], list(colon) if colon else None, name))

    def from_adjacent(self, m: Marked) -> None:
        """A quotation whose cue the parser did not link: "…," Biden said / Biden said: "…"."""
        doc = self.doc
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len([t for t in span if not t.is_punct]) < 3:
            return
        byline = BYLINE.match(doc.text, m.end + 1)
        if byline:
            name = doc.char_span(byline.start(2), byline.end(2), alignment_mode="contract")
            if name is not None and len(name) and all(_speaker_like(t) or t.is_punct for t in name):
                m.claimed = True
                dash = doc.char_span(byline.start(1), byline.end(1), alignment_mode="expand")
                self.add(Found("direct", [(m.start, m.end)], list(dash) if dash else None, name))
                return
        after = [t for t in doc[span.end : span.end + CUE_WINDOW] if t.idx >= m.end + 1]
        for t in after:
            if "\n" in t.text or (t.is_punct and t.text in ".!?" and t.i > span.end + 1) or _is_mark(t.text):
                break
            if self.cue_class(t) == "speech" and not self.in_taken(t.idx):
                self.claim(m, t)
                return
        before = list(doc[max(0, span.start - CUE_WINDOW) : span.start])
        lead = [t for t in before if t.idx < m.start - 1]
        if lead and (lead[-1].text in (":", ",") or lead[-1].lower_ == "that" or self.cue_class(lead[-1])):
            for t in reversed(lead):
                if "\n" in t.text or t.text in ".!?" or _is_mark(t.text):
                    break
                if self.cue_class(t) == "speech":
                    self.claim(m, t)
                    return

    def claim(self, m: Marked, verb: Token) -> None:
        m.claimed = True
        speaker = self.subject(verb)
        pieces = [(m.start, m.end), *self.split_continuation(m, verb)]
        self.add(Found("direct", pieces, verb, speaker))

    def mixed(self, m: Marked) -> None:
        """Quoted words inside a stance or speech verb's object: blamed the closure on "armed groups"."""
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return
        verb = span.root
        while verb.head.i != verb.i and not (self.cue_class(verb) and verb.idx < m.start):
            verb = verb.head
        if not self.cue_class(verb) or verb.idx >= m.start or self.in_taken(m.start):
            return
        speaker = self.subject(verb)
        if speaker is None:
            return
        parts = [c for c in verb.children if c.dep_ in OBJECT_DEPS and c.i > verb.i]
        tokens = [t for c in parts for t in c.subtree]
        if not any(t.idx >= m.start and t.idx < m.end for t in tokens):
            return
        m.claimed = True
        pieces = self.span_of(tokens)
        self.add(
            Found("mixed", [(pieces[0][0], pieces[-1][1])] if pieces else [(m.start, m.end)], verb, speaker)
        )


def _trim_direct(text: str, start: int, end: int) -> tuple[int, int]:
    """Direct content without the surrounding blanks and the comma that hands over to the cue."""
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _is_mark(text: str) -> bool:
    return text in (STRAIGHT, *OPENERS, *CLOSERS, "''", "``")


def _only_cue(gap: str) -> bool:
    """The text between two halves of a split quote is a short cue clause: `, she said. `"""
    return len(re.findall(r"\w+", gap)) <= 8


def _without_leading_time(tokens: list[Token], clause: Token) -> list[Token]:
    """ "said on Monday the U.S. military will …": the parser may hang the cue's own time on the
    clause; a time phrase before the clause's subject belongs to the cue."""
    subjects = [c.i for c in clause.children if c.dep_ in ("nsubj", "nsubjpass", "expl")]
    if not tokens or not subjects:
        return tokens
    first = tokens[0]
    if first.dep_ == "prep" and first.head.i == clause.i and first.i < subjects[0]:
        times = [t for t in first.subtree if t.ent_type_ in ("DATE", "TIME")]
        if times:
            drop = set(first.subtree)
            return [t for t in tokens if t not in drop]
    return tokens


def paragraph_starts(doc: Doc) -> list[int]:
    """For each token, the first token of its paragraph (one pass: `doc.text` is rebuilt on every access)."""
    starts: list[int] = []
    for token in doc:
        previous = doc[token.i - 1] if token.i else None
        new = previous is None or "\n" in previous.text_with_ws
        starts.append(token.i if new else starts[-1])
    return starts


def _depth(token: Token) -> int:
    depth = 0
    while token.head.i != token.i:
        token = token.head
        depth += 1
    return depth


def _speaker_like(token: Token) -> bool:
    if token.pos_ not in ("NOUN", "PROPN", "PRON") or token.dep_ == "expl" or not token.is_alpha:
        return False
    if token.ent_type_ in ("DATE", "TIME", "CARDINAL", "PERCENT", "MONEY", "QUANTITY", "ORDINAL"):
        return False
    return token.pos_ != "PRON" or token.lower_ in speaker_pronouns()


def _governing_times(doc: Doc) -> Callable[[Token], Any] | None:
    """The time governing a token, from the times component's index of this Doc (built once: asking
    for every quote stays linear); None where the times component is not there."""
    try:
        module = import_module("dateline.facts.times")
    except ImportError:
        return None
    index = getattr(module, "GoverningTimes", None)
    return None if index is None else index(doc).of


def find_quotes(doc: Doc, beliefs: bool = False, nested: bool = True) -> list[Quote]:
    """Quotes of a parsed doc.  `beliefs`: also report mental states (X thinks that …);
    `nested`: also report an attribution inside another's reported content."""
    classes = frozenset({"speech", "report", "belief"} if beliefs else {"speech", "report"})
    finder = QuoteFinder(doc, classes, nested)
    found = finder.run()
    excluded = [p for f in found for p in f.pieces]
    resolver = Resolver.for_doc(doc, excluded)
    governing = _governing_times(doc) if found else None
    text = doc.text  # a Doc rebuilds its text on every access
    quotes: list[Quote] = []
    for f in found:
        cue_tokens = f.cue if isinstance(f.cue, list) else [f.cue] if f.cue is not None else []
        cue = _cue_span(doc, cue_tokens)
        speaker = resolver.resolve(f.speaker) if f.speaker is not None else None
        date = None
        if governing is not None and cue_tokens:
            time = governing(cue_tokens[0])
            date = getattr(time, "value", None)
        for piece in f.pieces:
            start, end = _trim_direct(text, *piece) if f.kind == "direct" else piece
            quotes.append(
                Quote(
                    kind=f.kind,  # type: ignore[arg-type]
                    text=text[start:end],
                    start=start,
                    end=end,
                    speaker=speaker,
                    cue=cue,
                    date=date,
                )
            )
    return quotes


def _cue_span(doc: Doc, tokens: list[Token]) -> TextSpan | None:
    if not tokens:
        return None
    particles = [c for c in tokens[-1].children if c.dep_ == "prt" and c.i == tokens[-1].i + 1]
    last = particles[0] if particles else tokens[-1]
    start, end = tokens[0].idx, last.idx + len(last)
    return TextSpan(start=start, end=end, text=str(doc[tokens[0].i : last.i + 1]))


def iter_pieces(quotes: Iterable[Quote]) -> Iterator[tuple[Quote, ...]]:
    """Quotes that share a cue form one attribution (a split quote): group them."""
    group: list[Quote] = []
    for q in quotes:
        if group and q.cue is not None and group[-1].cue == q.cue:
            group.append(q)
            continue
        if group:
            yield tuple(group)
        group = [q]
    if group:
        yield tuple(group)


@Language.factory("dateline_quotes", default_config={"beliefs": False, "nested": True})
def make_quotes(nlp: Language, name: str, beliefs: bool, nested: bool) -> Callable[[Doc], Doc]:
    def component(doc: Doc) -> Doc:
        if doc._.facts is None:
            doc._.facts = {}
        doc._.facts["quotes"] = find_quotes(doc, beliefs=beliefs, nested=nested)
        return doc

    return component
