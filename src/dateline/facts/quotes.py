"""Quotes: who said what, direct ("…," Biden said) and reported (Biden said the U.S. will …).

An attribution has a source (the speaker), a cue (the words that report the saying) and a
content.  The grammar over the dependency parse, general rather than sentence by sentence:

* verb cues (`data/quote_cues.tsv`) with the content their frame allows: a clause ("said the
  plan failed", also before the cue or around it: "The plan, she said, failed"), a to-infinitive
  ("urged Congress to act", "promised to resign"), an object and the rest of the verb phrase
  ("announced a ban on …", "criticized X for Y"), the object of a preposition ("called for …");
* noun cues (`data/quote_nouns.tsv`): "Trump's claim that …", "her promise to …"; adjective
  cues after "be" (`data/quote_adjectives.tsv`): "are afraid that …", "has been critical of …";
* "according to X", "in X's words", a document opening a clause ("In the poll, Clinton led …"),
  a transcript turn ("PENCE: …") or a headline "X: …";
* quotation marks next to a cue ("…," Biden said / Biden said: "…"), a quote split by its
  cue, and a paragraph in quotation marks with no cue of its own that continues the quote before.

Conventions of `Quote`:
* `text`/`start`/`end` is the content.  A direct quote's content is what stands between the
  quotation marks, without the marks; a quote that runs over several paragraphs (each reopened
  with a mark, as newspapers do) is one quote, and its text keeps the inner reopening marks.
  Reported content is the clause or phrase, without its complementizer ("that"), its final full
  stop, and the writer's own additions at its end (", which …", "– a shift from …", the speaker's
  next action: "… and blamed the delay on …").  A content interrupted by its cue ("We cannot
  …," she said. "This plan …") gives one Quote per piece, with the same speaker and cue.
* `kind` is direct (the content is all quoted words), mixed (reported content holding quoted
  words) or indirect; `attribution` says whether words (speech) or a state of mind (belief:
  "thinks", "wants", "plans") are ascribed.  Beliefs are found by default: PolNeAR (PARC) counts
  them as attributions, and a reader of "Trump believes X" is told whose view X is; they carry
  their own attribution and their cue ("believes that …") so no view shows them as words said,
  and `beliefs=False` leaves them out.
* Not quotes: a negated or hypothetical saying ("did not say whether …", "declined to comment",
  "if he says …").
* `speaker` is resolved by `dateline.facts.speakers`; None when no speaker stands in the text.
* `date` is the time governing the cue (`date_source` "governing-time"), else the date of the
  same speaker's dated statement when the article reports only one occasion for that speaker
  ("same-occasion"), else null.  The publication date is never used.

Every lookup (quotation marks, attributed words, times, speakers' mentions and roles) is indexed
once per document, so the cost grows with the article's length, not its square.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import import_module, resources
from typing import Any

from spacy.language import Language
from spacy.tokens import Doc, Span, Token

from dateline.facts.speakers import Resolver, speaker_pronouns
from dateline.model import Quote, quote_display
from dateline.model import Span as TextSpan

OPENERS = "“„«"
CLOSERS = "”»"
STRAIGHT = '"'
# typewriter quotation marks of older wire copy: ''…'' and ``…''
DOUBLED_OPEN = "``"
DOUBLED = "''"
# a straight mark opens when it follows one of these (or starts the text)
OPEN_CONTEXT = set(" \t\n\xa0([{—–-/")
SUBJECT_DEPS = ("nsubj",)
# dependents of a cue verb that carry a mixed quote's content
OBJECT_DEPS = ("dobj", "prep", "dative", "oprd", "xcomp", "attr", "ccomp", "advcl", "npadvmod")
# how far (in tokens) a cue may stand from the quotation mark it introduces or closes
CUE_WINDOW = 8
DASHES = ("–", "—", "--", "―")
# “…” ― Sonya Herridge: a quotation signed with a dash and a name ending the line
BYLINE = re.compile(r"[ \t]*([―—–]|--)[ \t]*([A-Z][\w.’'-]*(?:[ \t]+[A-Z][\w.’'-]*){0,4})[ \t]*(?=\n|$)")
# PENCE: Well, look, … — a transcript turn or a headline: a short name, a colon, what was said
TURN = re.compile(r"^[\"“]?([A-Z][\w.’'-]*(?:[ \t]+[A-Za-z][\w.’'-]*){0,5}):[ \t]+(\S[^\n]*)", re.M)
# "did not say", "declined to comment", "if he says": sayings that did not happen
NEGATING_HEADS = ("decline", "refuse", "fail", "hesitate", "neglect")
CONDITIONS = ("if", "unless", "whether")
# a gerund after these prepositions is its head verb's subject's act ("responded by promising …");
# after "for" or "of" it is the object's ("criticized him for saying …")
SUBJECT_PREPOSITIONS = ("by", "after", "before", "while", "since", "upon", "without")
SPEECH_CLASSES = ("speech", "report", "stance")


@dataclass(frozen=True)
class CueWord:
    """One row of a cue table: what the word ascribes and which content it takes."""

    lemma: str
    klass: str
    frames: frozenset[str]

    @property
    def attribution(self) -> str:
        return "belief" if self.klass == "belief" else "speech"


DEFAULT_FRAMES = {"speech": "clause", "report": "clause", "belief": "clause to", "stance": "np"}


def _rows(name: str) -> Iterator[list[str]]:
    raw = resources.files("dateline.facts").joinpath("data").joinpath(name).read_text("utf-8")
    for line in raw.splitlines():
        if line.strip() and not line.startswith("#"):
            yield [part.strip() for part in line.split("\t")]


def _table(name: str) -> dict[str, CueWord]:
    words: dict[str, CueWord] = {}
    for lemma, klass, *rest in _rows(name):
        frames = (rest[0] if rest else DEFAULT_FRAMES.get(klass, "clause")).split()
        words.setdefault(lemma, CueWord(lemma, klass, frozenset(frames)))
    return words


@cache
def cue_words() -> dict[str, CueWord]:
    """Verb cues by lemma."""
    return _table("quote_cues.tsv")


@cache
def cue_nouns() -> dict[str, CueWord]:
    """Noun cues by lemma ("claim", "promise", "view")."""
    return _table("quote_nouns.tsv")


@cache
def cue_adjectives() -> dict[str, CueWord]:
    """Adjective cues after "be" ("afraid", "determined", "critical")."""
    return _table("quote_adjectives.tsv")


@cache
def cue_lexicon() -> dict[str, str]:
    """Verb cues: lemma -> class (speech, report, belief, stance)."""
    return {lemma: word.klass for lemma, word in cue_words().items()}


@dataclass
class Marked:
    """A stretch between quotation marks: `start`/`end` exclude the marks."""

    start: int
    end: int
    claimed: bool = False


def _mark_width(text: str, i: int) -> int:
    """1 for a quotation mark at `i`, 2 for a doubled typewriter mark, 0 for anything else."""
    pair = text[i : i + 2]
    if pair in (DOUBLED, DOUBLED_OPEN):
        return 2
    return 1 if text[i] in OPENERS or text[i] in CLOSERS or text[i] == STRAIGHT else 0


_MARK_OR_BREAK = re.compile(r"``|''|[\n" + re.escape(OPENERS + CLOSERS + STRAIGHT) + "]")


def quoted_stretches(text: str) -> list[Marked]:
    """Pair quotation marks, straight, curly and doubled (''…''); a quote left open at a
    paragraph's end continues when the next paragraph opens with a mark, and is dropped otherwise."""
    found: list[Marked] = []
    open_at: int | None = None
    skip_to = -1
    for match in _MARK_OR_BREAK.finditer(text):
        i = match.start()
        if i < skip_to:
            continue
        ch = text[i]
        width = match.end() - i if ch != "\n" else 0
        if ch == "\n":
            if open_at is None:
                continue
            j = i
            while j < len(text) and text[j] in " \n\t":
                j += 1
            if j < len(text) and _mark_width(text, j) and text[j] not in CLOSERS:
                skip_to = j + _mark_width(text, j)  # the same quote goes on in the next paragraph
                continue
            open_at = None
        elif open_at is None and (
            ch in OPENERS
            or match.group() == DOUBLED_OPEN
            # a straight mark, or a curly closer typed by mistake, opens when it starts a word
            or i == 0
            or text[i - 1] in OPEN_CONTEXT
        ):
            open_at = i + width
        elif open_at is not None and ch not in OPENERS and match.group() != DOUBLED_OPEN:
            if i > open_at:
                found.append(Marked(open_at, i))
            open_at = None
    return found


@dataclass
class Found:
    kind: str
    pieces: list[tuple[int, int]]
    cue: list[Token]
    speaker: Span | None
    attribution: str = "speech"
    frame: str = "clause"
    continues: Found | None = None  # a cueless paragraph: the quote it continues


class QuoteFinder:
    def __init__(self, doc: Doc, classes: frozenset[str], nested: bool = True):
        self.doc = doc
        self.nested = nested
        self.classes = classes
        self.words = {lemma: w for lemma, w in cue_words().items() if w.klass in classes}
        self.nouns = {lemma: w for lemma, w in cue_nouns().items() if w.klass in classes}
        self.adjectives = {lemma: w for lemma, w in cue_adjectives().items() if w.klass in classes}
        self.text = doc.text  # a Doc rebuilds its text on every access
        self.marked = quoted_stretches(self.text)
        self._marked_starts = [m.start for m in self.marked]
        self.paragraph_start = paragraph_starts(doc)
        self.taken_tokens = bytearray(len(doc))  # tokens of content already attributed
        self._token_starts = [t.idx for t in doc]
        self.found: list[Found] = []
        self.next_actions: dict[int, Token] = {}  # a speaker's next act (conj verb) -> the cue before it

    # -- helpers ------------------------------------------------------------------------------
    def cue_of(self, token: Token) -> CueWord | None:
        if token.pos_ not in ("VERB", "AUX") and not token.tag_.startswith("VB"):
            return None
        for lemma in _lemmas(token):
            if lemma in self.words:
                return self.words[lemma]
        return None

    def cue_class(self, token: Token) -> str | None:
        word = self.cue_of(token)
        return word.klass if word else None

    def in_marked(self, char: int) -> Marked | None:
        k = bisect_right(self._marked_starts, char) - 1
        if k >= 0 and self.marked[k].start <= char < self.marked[k].end:
            return self.marked[k]
        return None

    def token_at(self, char: int) -> int:
        """Index of the token holding (or starting after) a character offset."""
        return max(0, bisect_right(self._token_starts, char) - 1)

    def in_taken(self, char: int) -> bool:
        return bool(self.taken_tokens[self.token_at(char)]) if len(self.doc) else False

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
            # marks too: `with_marks` puts back those of quoted words the content starts or ends with
            while run and (run[0].is_punct or run[0].is_space):
                run = run[1:]
            while run and (run[-1].is_punct or run[-1].is_space):
                run = run[:-1]
            if run:
                pieces.append((run[0].idx, run[-1].idx + len(run[-1])))
        return [p for p in pieces if p[1] > p[0]]

    # -- subject of a cue -----------------------------------------------------------------------
    def subject(self, verb: Token) -> Span | None:
        verb = self.next_actions.get(verb.i, verb)  # "told … that … and blamed …": the teller
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
            elif (
                verb.dep_ == "pcomp"
                and verb.head.lower_ in SUBJECT_PREPOSITIONS
                and verb.head.head.pos_ in ("VERB", "AUX")
            ):
                verb = verb.head.head  # "responded by promising …", "left after saying …": its subject's
            elif verb.dep_ in ("acl", "relcl") and verb.head.pos_ in ("NOUN", "PROPN"):
                # "a statement saying ...", "Smith, who said ..."
                return self.phrase(verb.head) if _speaker_like(verb.head) else None
            else:
                return self.adjacent_subject(verb)
            seen += 1
        return None

    def adjacent_subject(self, verb: Token) -> Span | None:
        """ "…water cuts⏎⏎The National Water Agency said …": when the parser runs a headline into the
        next paragraph, the cue keeps no subject; the noun phrase right before it, in its own
        paragraph, is its speaker."""
        before = verb.i - 1
        if verb.dep_ not in ("parataxis", "ROOT", "dep") or before < 0:
            return None
        token = self.doc[before]
        if self.paragraph_start[before] != self.paragraph_start[verb.i] or not _speaker_like(token):
            return None
        start = before
        while (
            start > self.paragraph_start[verb.i]
            and self.doc[start - 1].dep_ in ("compound", "det", "amod", "poss")
            and not self.doc[start - 1].is_punct
        ):
            start -= 1
        return self.doc[start : before + 1]

    def phrase(self, head: Token) -> Span:
        """The speaker's words: the head's whole noun phrase, appositions and clauses included
        ("Rep. G.K. Butterfield (D-N.C.), head of the Congressional Black Caucus")."""
        left, right = head.left_edge.i, head.right_edge.i
        if head.dep_ in ("nsubj", "pobj", "nsubjpass") or head.dep_ == "ROOT":
            while right > head.i and (self.doc[right].is_punct or self.doc[right].is_space):
                right -= 1
        else:  # the head of a clause ("Smith, who said …"): the noun up to its first comma
            right = head.i
            while right + 1 <= head.right_edge.i and not (
                self.doc[right + 1].is_punct or self.doc[right + 1].dep_ in ("relcl", "acl")
            ):
                right += 1
        left = max(left, self.paragraph_start[head.i], self.paragraph_start[right])
        # "OSLO, June 7 (Dateline) — Norvik Foods Ltd said": a dateline before a dash is not the speaker
        dashes = [t.i for t in self.doc[left:right] if _is_dash(t) and t.i < right]
        if dashes:
            left = dashes[-1] + 1
        while left < right and (self.doc[left].is_punct or self.doc[left].is_space):
            left += 1
        if self.doc[right].tag_ == "POS":
            right -= 1
        return self.doc[left : right + 1]

    # -- the passes ---------------------------------------------------------------------------
    def run(self) -> list[Found]:
        self.turns()  # a turn's words are the speaker's, cues inside them included
        cues = [t for t in self.doc if self.cue_of(t) is not None]
        # outer cues first: a cue inside an attributed content belongs to a nested report
        for verb in sorted(cues, key=_depth):
            if self.in_marked(verb.idx) or (self.taken_tokens[verb.i] and not self.nested):
                continue
            if not self.said(verb):
                continue
            self.from_verb(verb)
        self.from_nouns()
        self.from_adjectives()
        self.according_to()
        for m in self.marked:
            if not m.claimed:
                self.from_adjacent(m)
        for m in self.marked:
            if not m.claimed:
                self.mixed(m)
        self.continuations()
        return sorted(self.found, key=lambda f: f.pieces[0])

    def add(self, found: Found) -> None:
        found.pieces = [p for p in found.pieces if p[1] > p[0]]
        if not found.pieces:
            return
        self.found.append(found)
        for start, end in found.pieces:
            for i in range(self.token_at(start), self.token_at(max(start, end - 1)) + 1):
                self.taken_tokens[i] = 1

    def said(self, verb: Token) -> bool:
        """False for a saying that did not happen: "did not say", "declined to comment", "if he says"."""
        for child in verb.children:
            if (child.dep_ == "neg" or child.lower_ == "never") and not self.in_marked(child.idx):
                return False
            if child.dep_ == "mark" and child.lower_ in CONDITIONS:
                return False
        head = verb.head
        if verb.dep_ == "xcomp" and head.lemma_.lower() in NEGATING_HEADS:
            return False
        return not (verb.dep_ == "xcomp" and any(c.dep_ == "neg" for c in head.children))

    # -- verb cues ----------------------------------------------------------------------------
    def from_verb(self, verb: Token) -> None:
        word = self.cue_of(verb)
        if word is None or verb.dep_ == "amod":
            return
        clause = self.complement(verb)
        if clause is not None:
            infinitive = _is_infinitive(clause)
            if (infinitive and "to" in word.frames) or (not infinitive and "clause" in word.frames):
                self.from_complement(verb, clause, word, "to" if infinitive else "clause")
                return
        if "clause" in word.frames:
            host = self.parenthetical_host(verb)
            if host is not None:
                self.from_host(verb, host, word)
                return
        if (
            any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)
            and verb.head.lemma_.lower() not in self.words
        ):
            return  # "returned to support the Iraqi forces": a purpose, not a saying
        for frame in sorted(word.frames - {"clause"}):
            if self.phrase_content(verb, word, frame) is not None:
                return

    def complement(self, verb: Token) -> Token | None:
        for child in verb.children:
            if child.dep_ in ("ccomp", "xcomp") and child.pos_ in ("VERB", "AUX"):
                if child.dep_ == "xcomp" and not _is_infinitive(child):
                    continue
                # the parser sometimes runs a sentence across a paragraph break; a cue never does
                same = self.paragraph_start[child.i] == self.paragraph_start[verb.i]
                return child if same else None
        # "told the Associated Press ahead of the visit that there is ...": the parser often hangs a
        # that-clause on a nearby noun; it still completes the speech verb
        for token in verb.subtree:
            if token.dep_ == "mark" and token.lower_ == "that" and token.head.dep_ in ("acl", "advcl"):
                clause = token.head
                if clause.i > verb.i and token.head.head.lemma_.lower() not in cue_nouns():
                    return clause
        return None

    def parenthetical_host(self, verb: Token) -> Token | None:
        """ "The museum, he said, would …": a cue the parser hangs inside the clause it reports, or
        one it makes the head of that clause ("These employees, Stumpf explained, were well paid")."""
        if not any(c.dep_ in SUBJECT_DEPS for c in verb.children):
            return None
        host: Token | None = None
        if verb.dep_ == "parataxis":
            host = verb.head
        else:
            for child in verb.children:
                if (
                    child.i > verb.i
                    and child.dep_ in ("parataxis", "conj", "ccomp", "advcl")
                    and any(c.dep_ in ("nsubj", "nsubjpass") and c.i < verb.i for c in child.children)
                ):
                    host = child
                    break
        if host is None or host.pos_ not in ("VERB", "AUX"):
            return None
        return host if self.paragraph_start[host.i] == self.paragraph_start[verb.i] else None

    def from_host(self, verb: Token, host: Token, word: CueWord) -> None:
        if host.head.i == verb.i:  # the cue heads the clause: its own words are the speaker and cue
            own = {t.i for c in verb.children if c.i != host.i for t in c.subtree} | {verb.i}
            tokens = [t for t in host.subtree if t.i not in own]
            tokens += [t for c in host.children if c.dep_ in ("nsubj", "nsubjpass") for t in c.subtree]
            tokens = sorted({t.i: t for t in tokens}.values(), key=lambda t: t.i)
        else:
            own = {t.i for t in verb.subtree}
            tokens = [t for t in host.subtree if t.i not in own]
        self.report(verb, tokens, word, "clause", speaker=self.subject(verb))

    def from_complement(self, verb: Token, clause: Token, word: CueWord, frame: str) -> None:
        tokens = [t for t in clause.subtree if t.dep_ != "mark" or t.head.i != clause.i or t.lower_ != "that"]
        tokens = _without_leading_time(tokens, clause)
        if frame == "to":  # "urged Congress to act": the object belongs to the content
            objects = [c for c in verb.children if c.dep_ in ("dobj", "dative") and verb.i < c.i < clause.i]
            tokens = [t for c in objects for t in c.subtree] + tokens
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
            self.add(Found("direct", pieces, self.cue_tokens(verb), speaker, word.attribution, frame))
            return
        if word.klass == "belief" and speaker is None:
            return
        if clause.i < verb.i:
            # "Clinton's van was …, but the Secret Service …, another source said": the whole
            # stretch before the cue clause is what was said, not only the clause the parser linked;
            # the cue's own adjuncts ("During his years in office, …", "But …") are not
            first = min(t.i for t in tokens)
            start = max(verb.sent.start, self.paragraph_start[first])
            adjuncts = {
                t.i
                for c in verb.children
                if c.i < first and c.dep_ in ("prep", "advmod", "npadvmod", "cc", "intj", "advcl", "punct")
                for t in c.subtree
            }
            tokens = _without_opening([*(t for t in self.doc[start:first] if t.i not in adjuncts), *tokens])
        self.report(verb, tokens, word, frame, speaker)

    def report(
        self, verb: Token, tokens: list[Token], word: CueWord, frame: str, speaker: Span | None
    ) -> Found | None:
        """Reported content: cut the writer's additions, then mark it indirect or mixed."""
        paragraph = self.paragraph_start[verb.i]
        tokens = [t for t in tokens if self.paragraph_start[t.i] == paragraph]
        return self.emit(verb, tokens, self.cue_tokens(verb, frame), speaker, word, frame)

    def own_words(self, verb: Token, tokens: list[Token]) -> list[Token]:
        """The reported words without what the writer adds after them: a trailing non-restrictive
        clause or apposition (", which …", "– a shift from …", ", contradicting …") and the
        speaker's next action ("… had not received it and blamed the delay on …")."""
        if not tokens:
            return tokens
        keep = {t.i for t in tokens}
        roots = {t.i for t in tokens if t.head.i not in keep or t.head.i == t.i}
        last = max(keep)
        cut = last + 1
        for t in tokens:
            if t.i >= cut or t.i == min(keep):
                continue
            before = self.doc[t.left_edge.i - 1] if t.left_edge.i > 0 else None
            trailing = t.right_edge.i >= last - 1
            if trailing and before is not None and before.i in keep and _writer_addition(t, before):
                cut = min(cut, before.i)
            elif (
                t.dep_ == "conj"
                and t.head.i in roots
                and t.tag_ in ("VBD", "VBZ", "VBP")
                and _next_action(t, verb, self.cue_of(t))
            ):
                self.next_actions[t.i] = verb
                start = t.i
                for c in t.head.children:
                    if c.dep_ == "cc" and t.head.i < c.i < t.i:
                        start = c.i
                cut = min(cut, start)
        return _without_asides([t for t in tokens if t.i < cut])

    def claim_marks(self, words: list[Token]) -> str:
        """Mixed when reported words hold quoted ones (those quotations are then taken), else indirect."""
        holders = [m for t in words if (m := self.in_marked(t.idx)) is not None]
        for m in holders:
            m.claimed = True
        return "mixed" if holders else "indirect"

    def with_marks(self, start: int, end: int) -> tuple[int, int]:
        """Quoted words stay whole: a reported content that ends inside a quotation goes on to its
        closing mark (… called them “deplorables.” keeps the mark and the full stop inside it), and
        one that starts with quoted words starts at their opening mark."""
        closing = self.in_marked(max(start, end - 1))
        if closing is not None and closing.end >= end and closing.start >= start:
            end = closing.end + _mark_width(self.text, closing.end) if closing.end < len(self.text) else end
        opening = self.in_marked(start)
        if opening is not None and opening.start == start and start > 0:
            width = 2 if self.text[start - 2 : start] in (DOUBLED, DOUBLED_OPEN) else 1
            start -= width
        return start, end

    def cue_tokens(self, verb: Token, frame: str = "clause") -> list[Token]:
        """The cue's words: the verb with the auxiliaries and adverbs right before it ("has said",
        "also said"), its particle ("pointed out") and, for a prepositional frame, the preposition."""
        doc = self.doc
        first = verb.i
        while (
            first > 0 and doc[first - 1].head.i == verb.i and doc[first - 1].dep_ in ("aux", "advmod", "neg")
        ):
            if doc[first - 1].lower_ in ("to",):
                break
            first -= 1
        last = verb.i
        if last + 1 < len(doc) and doc[last + 1].dep_ == "prt" and doc[last + 1].head.i == verb.i:
            last += 1
        if frame not in ("clause", "to", "np", "pred"):
            following = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == frame and c.i > last]
            if last + 1 < len(doc) and doc[last + 1].lower_ == frame:
                last += 1
            elif following and following[0].i - last <= 4:
                last = following[0].i  # "spoke out Tuesday about"
        return list(doc[first : last + 1])

    def phrase_content(self, verb: Token, word: CueWord, frame: str) -> Found | None:
        """Content that is a phrase: an object with its complements ("announced a ban on …",
        "criticized X for Y", "called them “deplorables”"), or what follows the verb's preposition
        ("called for X", "warned of X").  The verb's own adjuncts (when and where it was said, its
        next action, another saying) are not content."""
        doc = self.doc
        after = verb.i + 1
        if after < len(doc) and doc[after].dep_ == "prt" and doc[after].head.i == verb.i:
            after += 1
        children = [c for c in verb.children if c.i > verb.i and self.content_child(c)]
        if frame in ("np", "pred"):
            objects = [c for c in children if c.dep_ in ("dobj", "dative")]
            if not objects or (objects[0].lower_ in speaker_pronouns() and frame == "np"):
                return None
            if frame == "pred" and not any(c.dep_ in ("oprd", "ccomp", "xcomp") for c in children):
                return None
            first = objects[0].left_edge.i
            tokens = [t for c in children if c.i >= objects[0].i for t in c.subtree]
        elif frame == "to":
            return None  # infinitives come through `complement`
        else:
            # the preposition right after the verb, or one of its own after a time or adverb
            # ("spoke out Tuesday about …")
            if after >= len(doc) or doc[after].lower_ != frame:
                later = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == frame and c.i > verb.i]
                if not later or any(
                    doc[i].dep_ not in ("npadvmod", "advmod", "prt") and doc[i].head.i == verb.i
                    for i in range(after, later[0].i)
                ):
                    return None
                after = later[0].i
            first = after + 1
            marker = doc[after]
            # the preposition is the verb's ("called for X") or marks the clause after it
            # ("called for compensation to be clawed back")
            tokens = [t for t in marker.subtree if t.i > after] if marker.head.i == verb.i else []
            tokens += [t for c in children if c.i > after and c.i != marker.i for t in c.subtree]
            if marker.head.i != verb.i:
                tokens = [t for t in marker.head.subtree if t.i != marker.i and t.i > after] + tokens
        paragraph = self.paragraph_start[verb.i]
        tokens = sorted(
            {t.i: t for t in tokens if t.i >= first and self.paragraph_start[t.i] == paragraph}.values(),
            key=lambda t: t.i,
        )
        if not tokens or self.paragraph_start[tokens[0].i] != self.paragraph_start[verb.i]:
            return None
        speaker = self.subject(verb)
        if speaker is None:
            return None
        return self.emit(verb, tokens, self.cue_tokens(verb, frame), speaker, word, frame)

    def content_child(self, child: Token) -> bool:
        """Whether a dependent after a cue verb belongs to a phrase content: objects and their
        complements do; the verb's next action, another saying, and when, where or in which
        medium it was said ("in an interview last week", "when he ran in 2008") do not."""
        if child.dep_ in ("conj", "cc", "punct", "advcl", "npadvmod", "parataxis", "nsubj", "agent", "mark"):
            return False
        if child.dep_ == "prep":
            objects = [c for c in child.children if c.dep_ == "pobj"]
            if child.lower_ in OCCASION_PREPOSITIONS and objects:
                head = objects[0]
                return not (head.ent_type_ in ("DATE", "TIME") or head.lemma_.lower() in occasions())
        return True

    def split_continuation(self, first: Marked, verb: Token) -> list[tuple[int, int]]:
        """ "We cannot …," she said. "This plan …": quotes right after the cue go with it, when
        all that stands between is the cue's own clause (its speaker, however long the
        apposition, and adjuncts), not another statement or another cue."""
        pieces: list[tuple[int, int]] = []
        last_end = first.end
        own = {t.i for t in verb.subtree}
        k = bisect_right(self._marked_starts, first.start)
        for m in self.marked[k:]:
            if m.claimed:
                continue
            gap = self.text[last_end + 1 : m.start - 1]
            cue_between = last_end <= verb.idx < m.start
            if "\n" in gap or not cue_between or not self.only_cue(last_end + 1, m.start - 1, own, verb):
                break
            m.claimed = True
            pieces.append((m.start, m.end))
            last_end = m.end
        return pieces

    def only_cue(self, start: int, end: int, own: set[int], verb: Token) -> bool:
        """The words between two halves of a split quote belong to the cue's clause alone."""
        for i in range(self.token_at(start), len(self.doc)):
            t = self.doc[i]
            if t.idx >= end:
                break
            if t.idx < start or t.is_punct or t.is_space:
                continue
            if t.i not in own or (t.i != verb.i and self.cue_of(t) is not None and t.dep_ != "relcl"):
                return False
        return True

    # -- noun and adjective cues --------------------------------------------------------------
    def word_content(self, head: Token, word: CueWord, adjacent: bool) -> tuple[list[Token], str]:
        """The content a noun or adjective cue takes after it, by its frames: a that-clause, a
        to-infinitive, or a preposition's object; with `adjacent`, right after the word."""
        for child in head.children:
            if child.i < head.i:
                continue
            if child.dep_ in ("acl", "ccomp", "relcl", "xcomp") and child.pos_ in ("VERB", "AUX"):
                marks = [c for c in child.children if c.dep_ == "mark" and c.lower_ == "that"]
                infinitive = _is_infinitive(child)
                starts_right = child.left_edge.i == head.i + 1 or not adjacent
                if infinitive and "to" in word.frames and starts_right:
                    return list(child.subtree), "to"
                that = "that" in word.frames or "clause" in word.frames
                if not infinitive and that and ((marks and marks[0].i == head.i + 1) or not adjacent):
                    drop = {m.i for m in marks}
                    return [t for t in child.subtree if t.i not in drop], "clause"
            elif (
                child.dep_ == "prep"
                and child.lower_ in word.frames
                and (child.i == head.i + 1 or not adjacent)
            ):
                return [t for t in child.subtree if t.i != child.i], child.lower_
        return [], ""

    def emit(
        self,
        head: Token,
        content: list[Token],
        cue: list[Token],
        speaker: Span | None,
        word: CueWord,
        frame: str,
    ) -> Found | None:
        """Add an attribution: the content without the writer's additions, mixed when it holds
        quoted words, with those words' marks."""
        content = self.own_words(head, content)
        words = [t for t in content if not t.is_punct and not t.is_space]
        if not words:
            return None
        kind = self.claim_marks(words)
        pieces = [self.with_marks(*p) for p in self.span_of(content)]
        found = Found(kind, pieces, cue, speaker, word.attribution, frame)
        self.add(found)
        return found

    def from_nouns(self) -> None:
        """ "Trump's claim that …", "made the promise to …", "her criticism of …"."""
        for noun in self.doc:
            if noun.pos_ != "NOUN" or self.taken_tokens[noun.i] or self.in_marked(noun.idx):
                continue
            word = self.nouns.get(noun.lemma_.lower())
            if word is None:
                continue
            content, frame = self.word_content(noun, word, adjacent=True)
            speaker = self.noun_source(noun) if content else None
            if speaker is not None:
                self.emit(noun, content, self.noun_cue(noun), speaker, word, frame)

    def from_adjectives(self) -> None:
        """ "Many Democrats are afraid that …", "she is determined to …", "he has been critical of …"."""
        for adjective in self.doc:
            word = self.adjectives.get(adjective.lower_)
            if word is None or adjective.dep_ != "acomp" or self.taken_tokens[adjective.i]:
                continue
            copula = adjective.head
            if self.in_marked(adjective.idx) or not self.said(copula) or not self.said(adjective):
                continue
            content, frame = self.word_content(adjective, word, adjacent=False)
            speaker = self.subject(copula) if content else None
            if speaker is None:
                continue
            last = adjective.i
            if (
                frame not in ("clause", "to")
                and last + 1 < len(self.doc)
                and self.doc[last + 1].lower_ == frame
            ):
                last += 1
            cue = list(self.doc[self.cue_tokens(copula)[0].i : last + 1])
            self.emit(adjective, content, cue, speaker, word, frame)

    def noun_source(self, noun: Token) -> Span | None:
        for child in noun.children:
            if child.dep_ == "poss" and _speaker_like(child):
                return self.doc[child.left_edge.i : child.i + 1]
            if child.dep_ == "prep" and child.lower_ in ("by", "from"):
                objects = [c for c in child.children if c.dep_ == "pobj" and _speaker_like(c)]
                if objects:
                    return self.phrase(objects[0])
        verb = noun.head
        if noun.dep_ == "dobj" and verb.lemma_.lower() in LIGHT_VERBS:
            return self.subject(verb)
        return None

    def noun_cue(self, noun: Token) -> list[Token]:
        first = noun.i
        while (
            first > 0 and self.doc[first - 1].head.i == noun.i and self.doc[first - 1].dep_ in ("amod", "det")
        ):
            first -= 1
        return list(self.doc[first : noun.i + 1])

    # -- other cues ---------------------------------------------------------------------------
    def according_to(self) -> None:
        for token in self.doc:
            if token.lower_ not in ("according", "in") or token.i + 1 >= len(self.doc):
                continue
            if token.lower_ == "according" and self.doc[token.i + 1].lower_ != "to":
                continue
            if self.in_marked(token.idx) or self.taken_tokens[token.i]:
                continue
            if token.lower_ == "in":
                cue, speaker = self.in_words(token)
                if speaker is None:
                    cue, speaker = self.in_document(token)
                if speaker is None:
                    continue
            else:
                to = self.doc[token.i + 1]
                objects = [c for c in (*to.children, *token.children) if c.dep_ == "pobj"]
                speaker = self.phrase(objects[0]) if objects and _speaker_like(objects[0]) else None
                cue = [token, to]
            host = token.head
            while host.dep_ not in ("ROOT", "ccomp", "conj") and host.head.i != host.i:
                host = host.head
            pp = {t.i for t in token.subtree} | {t.i for c in cue for t in c.subtree}
            # "But according to the poll, …": the writer's connective is not the source's
            pp |= {c.i for c in host.children if c.dep_ == "cc" and c.i < host.i}
            tokens = [t for t in host.subtree if t.i not in pp]
            tokens = self.own_words(host, tokens)
            if not [t for t in tokens if not t.is_punct]:
                continue
            pieces = [self.with_marks(*p) for p in self.span_of(tokens)]
            self.add(self.marked_content(Found("indirect", pieces, cue, speaker)))

    def marked_content(self, found: Found) -> Found:
        """Quoted words in a content are its own ("In her words, “…”"): no other cue claims them; a
        content that is one quotation whole is direct, one holding a quoted fragment is mixed."""
        inside = [
            m
            for s, e in found.pieces
            for m in self.marked[bisect_left(self._marked_starts, s) :]
            if m.end <= e
        ]
        for m in inside:
            m.claimed = True
        if len(inside) == 1 and len(found.pieces) == 1:
            start, end = found.pieces[0]
            if (
                self.text[start:end].strip(OPENERS + CLOSERS + STRAIGHT + "`'")
                == self.text[inside[0].start : inside[0].end]
            ):
                found.kind, found.pieces = "direct", [(inside[0].start, inside[0].end)]
                return found
        if any(self.in_marked(s) for s, _ in found.pieces) or inside:
            found.kind = "mixed"
        return found

    def in_words(self, token: Token) -> tuple[list[Token], Span | None]:
        """ "In her words, …" / "in the words of the judge": the words' owner is the speaker."""
        objects = [c for c in token.children if c.dep_ == "pobj" and c.lower_ == "words"]
        if not objects:
            return [], None
        words = objects[0]
        for child in words.children:
            if child.dep_ == "poss" and _speaker_like(child):
                return [token, *words.lefts, words], self.doc[child.left_edge.i : child.i + 1]
            if child.dep_ == "prep" and child.lower_ == "of":
                owners = [c for c in child.children if c.dep_ == "pobj" and _speaker_like(c)]
                if owners:
                    return [token, *words.lefts, words, child], self.phrase(owners[0])
        return [], None

    def in_document(self, token: Token) -> tuple[list[Token], Span | None]:
        """ "In the latest Post poll, Clinton led by 5 points": a document opening a clause that has
        no cue of its own says the clause."""
        from dateline.facts.speakers import speaker_words

        objects = [c for c in token.children if c.dep_ == "pobj"]
        host = token.head
        if not objects or token.dep_ != "prep" or host.pos_ not in ("VERB", "AUX") or token.i > host.i:
            return [], None
        document = objects[0]
        if speaker_words().get(document.lemma_.lower()) != "document" or self.cue_of(host) is not None:
            return [], None
        if any(c.dep_ in ("nsubj", "nsubjpass") and c.i < token.i for c in host.children):
            return [], None  # the pp comes after the subject: "Clinton led in the poll"
        return [token], self.phrase(document)

    def turns(self) -> None:
        """ "PENCE: Well, look, …" — a transcript turn; "Poll: Clinton and Trump in dead heat" —
        a headline that gives its speaker before a colon (a name or a speaker word, not "Note:")."""
        for match in TURN.finditer(self.text):
            name = self.doc.char_span(match.start(1), match.end(1))
            if name is None or self.in_taken(match.start(2)):
                continue
            if name.text.lower() in headings():
                continue
            transcript = name.text.isupper() and len(name) <= 3
            if not transcript and (not _names_speaker(name) or len(match.group(2).split()) < 3):
                continue
            colon = self.doc.char_span(match.end(1), match.end(1) + 1)
            start, end = match.start(2), match.end(2)
            while end > start and self.text[end - 1] in " .!":
                end -= 1
            for m in self.marked[bisect_left(self._marked_starts, start) :]:
                if m.start >= end:
                    break
                m.claimed = True
            direct = transcript or (
                self.in_marked(start + 1) is not None and self.text[start] in OPENERS + STRAIGHT
            )
            pieces = [(start, match.end(2))] if transcript else [(start, end)]
            self.add(Found("direct" if direct else "indirect", pieces, list(colon) if colon else [], name))

    def from_adjacent(self, m: Marked) -> None:
        """A quotation whose cue the parser did not link: "…," Biden said / Biden said: "…"."""
        doc = self.doc
        span = doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None or len([t for t in span if not t.is_punct]) < 3:
            return
        byline = BYLINE.match(self.text, m.end + 1)
        if byline:
            name = doc.char_span(byline.start(2), byline.end(2), alignment_mode="contract")
            if name is not None and len(name) and all(_speaker_like(t) or t.is_punct for t in name):
                m.claimed = True
                dash = doc.char_span(byline.start(1), byline.end(1), alignment_mode="expand")
                self.add(Found("direct", [(m.start, m.end)], list(dash) if dash else [], name))
                return
        after = [t for t in doc[span.end : span.end + CUE_WINDOW] if t.idx >= m.end + 1]
        for t in after:
            if "\n" in t.text or (t.is_punct and t.text in ".!?" and t.i > span.end + 1) or _is_mark(t.text):
                break
            if self.cue_class(t) in SPEECH_CLASSES and not self.taken_tokens[t.i] and self.said(t):
                if self.complement(t) is not None:
                    break  # "“…” The firm said that it would hire": that cue has its own content
                self.claim(m, t)
                return
        before = list(doc[max(0, span.start - CUE_WINDOW) : span.start])
        lead = [t for t in before if t.idx < m.start - 1]
        if lead and (lead[-1].text in (":", ",") or lead[-1].lower_ == "that" or self.cue_class(lead[-1])):
            for t in reversed(lead):
                if "\n" in t.text or t.text in ".!?" or _is_mark(t.text):
                    break
                if self.cue_class(t) in SPEECH_CLASSES and self.said(t):
                    self.claim(m, t)
                    return

    def claim(self, m: Marked, verb: Token) -> None:
        m.claimed = True
        speaker = self.subject(verb)
        pieces = [(m.start, m.end), *self.split_continuation(m, verb)]
        word = self.cue_of(verb)
        self.add(
            Found("direct", pieces, self.cue_tokens(verb), speaker, word.attribution if word else "speech")
        )

    def mixed(self, m: Marked) -> None:
        """Quoted words inside a stance or speech verb's object: blamed the closure on "armed groups"."""
        span = self.doc.char_span(m.start, m.end, alignment_mode="expand")
        if span is None:
            return
        verb = span.root
        while verb.head.i != verb.i and not (self.cue_class(verb) and verb.idx < m.start):
            verb = verb.head
        if not self.cue_class(verb) or verb.idx >= m.start or self.in_taken(m.start) or not self.said(verb):
            return
        speaker = self.subject(verb)
        if speaker is None:
            return
        parts = [c for c in verb.children if c.dep_ in OBJECT_DEPS and c.i > verb.i]
        tokens = [t for c in parts for t in c.subtree]
        if not any(t.idx >= m.start and t.idx < m.end for t in tokens):
            return
        m.claimed = True
        pieces = self.span_of(self.own_words(verb, tokens))
        whole = [self.with_marks(pieces[0][0], pieces[-1][1])] if pieces else [(m.start, m.end)]
        self.add(Found("mixed", whole, self.cue_tokens(verb), speaker, frame="np"))

    def continuations(self) -> None:
        """A paragraph that is one quotation with no cue of its own, right after a paragraph
        whose attribution is a direct quote ending it, goes on with that quote's speaker."""
        last_in_paragraph: dict[int, Found] = {}
        for f in self.found:
            paragraph = self.paragraph_start[self.token_at(f.pieces[-1][0])]
            current = last_in_paragraph.get(paragraph)
            if current is None or f.pieces[-1][0] > current.pieces[-1][0]:
                last_in_paragraph[paragraph] = f
        for m in self.marked:
            if m.claimed:
                continue
            first = self.token_at(m.start)
            paragraph = self.paragraph_start[first]
            if paragraph == 0 or self.doc[paragraph].idx < m.start - 2:
                continue  # the quotation does not open its paragraph
            rest = self.text[m.end : self._paragraph_end(m.end)]
            if rest.strip(" .,!?\"'”’\xa0"):
                continue  # words after the quotation (a cue, another sentence)
            previous = self.paragraph_start[paragraph - 1]
            before = last_in_paragraph.get(previous)
            if before is None or before.kind != "direct" or not self.ends_paragraph(before, previous):
                continue
            m.claimed = True
            found = Found("direct", [(m.start, m.end)], before.cue, before.speaker, before.attribution)
            found.continues = before
            self.add(found)
            last_in_paragraph[paragraph] = found

    def ends_paragraph(self, found: Found, paragraph: int) -> bool:
        """Whether a quote is the last thing its paragraph says: nothing follows it but its cue's
        own clause ("…," the mayor said on Friday.)."""
        end = self._paragraph_end(self.doc[paragraph].idx)
        last = found.pieces[-1][1]
        verbs = [t for t in found.cue if t.pos_ in ("VERB", "AUX")]
        if not verbs:
            return not self.text[last:end].strip(" .,!?\"'”’\xa0")
        verb = verbs[-1]
        return self.only_cue(last, end, {t.i for t in verb.subtree}, verb)

    def _paragraph_end(self, char: int) -> int:
        end = self.text.find("\n", char)
        return len(self.text) if end < 0 else end


OCCASION_PREPOSITIONS = ("in", "on", "at", "during", "while", "after", "before", "since", "through", "over")


@cache
def occasions() -> frozenset[str]:
    """Nouns for the occasion or medium of a saying ("in an interview", "during a speech")."""
    return frozenset(row[0] for row in _rows("quote_occasions.tsv"))


@cache
def headings() -> frozenset[str]:
    """Words that head a line with a colon without being a speaker ("CORRECTION:", "Source:")."""
    return frozenset(row[0].lower() for row in _rows("quote_headings.tsv"))


LIGHT_VERBS = (
    "make",
    "issue",
    "offer",
    "give",
    "express",
    "voice",
    "repeat",
    "renew",
    "reiterate",
    "deliver",
)


def _is_infinitive(clause: Token) -> bool:
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in clause.children) and not any(
        c.dep_ in ("nsubj", "nsubjpass") and c.tag_ not in ("NN", "NNS", "NNP", "NNPS", "PRP")
        for c in clause.children
    )


def _beside(token: Token, verb_i: int) -> bool:
    """Words of the verb's own frame that are not content: its auxiliaries, negation, adverbs
    right before the object, and an adjunct participle that reports another saying."""
    return (
        token.head.i == verb_i
        and token.dep_ in ("aux", "auxpass", "neg", "prt", "cc", "punct")
        and not _is_mark(token.text)
    )


def _writer_addition(token: Token, before: Token) -> bool:
    """A trailing piece the writer adds to reported words: ", which …", ", a …" (apposition),
    ", contradicting …" (a participle), or a dash and a noun phrase."""
    if before.text in DASHES or before.text == "-":
        return token.pos_ in ("NOUN", "PROPN") or token.dep_ in ("appos", "npadvmod", "dep")
    if before.text != ",":
        return False
    if token.dep_ == "relcl":
        return any(
            c.tag_ in ("WDT", "WP", "WP$") and c.lower_ != "that" for c in token.subtree if c.i < token.i
        )
    if token.dep_ == "appos":
        return True
    return token.dep_ in ("acl", "advcl") and token.tag_ in ("VBG", "VBN") and token.left_edge.i == token.i


def _lemmas(token: Token) -> Iterator[str]:
    """The token's lemma, then its own form without a regular ending: the lemmatizer now and then
    gets a verb wrong ("hopes" -> "hop")."""
    yield token.lemma_.lower()
    word = token.lower_
    yield word
    for ending, base in (
        ("ies", "y"),
        ("es", ""),
        ("s", ""),
        ("ied", "y"),
        ("ed", "e"),
        ("ed", ""),
        ("ing", "e"),
        ("ing", ""),
    ):
        if word.endswith(ending) and len(word) > len(ending) + 2:
            yield word[: -len(ending)] + base


def _is_dash(token: Token) -> bool:
    return token.text in DASHES or (
        token.text == "-"
        and token.whitespace_ != ""
        and token.i > 0
        and token.doc[token.i - 1].whitespace_ != ""
    )


def _without_asides(tokens: list[Token]) -> list[Token]:
    """Reported words without the writer's aside between dashes ("the top 1 percent -- those
    earning more than $750,000 -- would pay"), or after a last dash when a noun phrase follows
    ("… intelligence-sharing – a shift from …"); a clause after a dash stays ("— but ditched …")."""
    dashes = [n for n, t in enumerate(tokens) if n and _is_dash(t) and not _is_mark(t.text)]
    if not dashes:
        return tokens
    first = dashes[0]
    if len(dashes) > 1:
        second = dashes[1]
        return tokens[:first] + tokens[second + 1 :] if second > first + 1 else tokens
    after = tokens[first + 1] if first + 1 < len(tokens) else None
    if (
        after is not None
        and after.pos_ in ("DET", "NOUN", "PROPN", "ADJ", "NUM")
        and after.head.pos_ in ("NOUN", "PROPN")
    ):
        return tokens[:first]
    if (
        after is not None
        and after.pos_ in ("DET", "NOUN", "PROPN")
        and after.dep_ in ("npadvmod", "appos", "det")
    ):
        return tokens[:first]
    return tokens


def _next_action(conj: Token, cue: Token, conj_cue: CueWord | None) -> bool:
    """ "told reporters that the ministry had not … and blamed the delay on …": a coordinated cue
    verb with no subject of its own is the speaker's next act, not part of what was said ("said
    Costa had taken the money and hid it" keeps both verbs: neither is a cue)."""
    if any(c.dep_ in ("nsubj", "nsubjpass", "expl", "aux", "auxpass") for c in conj.children):
        return False  # its own subject or auxiliary ("… but would eventually add $84 billion")
    if conj.head.i == cue.i or conj.tag_ not in ("VBD", "VBZ"):
        return False
    return conj_cue is not None and conj_cue.klass in SPEECH_CLASSES


def _names_speaker(name: Span) -> bool:
    """A headline's speaker before a colon: a person, organisation or group, or a speaker word."""
    from dateline.facts.speakers import speaker_words

    root = name.root
    if root.ent_type_ in ("PERSON", "ORG", "NORP", "GPE"):
        return True
    return root.pos_ in ("NOUN", "PROPN") and root.lower_ in speaker_words()


def _trim_direct(text: str, start: int, end: int) -> tuple[int, int]:
    """Direct content without the surrounding blanks and the comma that hands over to the cue."""
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    while start < end and text[start].isspace():
        start += 1
    return start, end


def _is_mark(text: str) -> bool:
    return text in (STRAIGHT, *OPENERS, *CLOSERS, DOUBLED, DOUBLED_OPEN)


def _without_opening(tokens: list[Token]) -> list[Token]:
    """Reported words before their cue, without the writer's opening: a connective ("But", "And")
    or a phrase set off by a comma ("During his years in office, …", "As for complexity, …")."""
    while tokens and (tokens[0].dep_ == "cc" or tokens[0].is_punct):
        tokens = tokens[1:]
    if not tokens:
        return tokens
    first = tokens[0]
    if first.dep_ in ("prep", "advmod", "advcl", "npadvmod") and first.head.i in {t.i for t in tokens}:
        end = first.right_edge.i
        after = [t for t in tokens if t.i > end]
        if after and after[0].text == "," and after[0].i == end + 1:
            return [t for t in after[1:]]
    return tokens


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
    if token.dep_ == "expl" or not re.fullmatch(r"[^\W\d_]+(?:[.'’-][^\W\d_]+)*\.?", token.text):
        return False  # a word, possibly with an apostrophe or hyphen: O'Neill, al-Kadhimi
    if _partitive(token):
        return True
    if token.pos_ not in ("NOUN", "PROPN", "PRON"):
        return False
    if token.ent_type_ in (
        "DATE",
        "TIME",
        "CARDINAL",
        "PERCENT",
        "MONEY",
        "QUANTITY",
        "ORDINAL",
        "LOC",
        "FAC",
    ):
        return False
    if token.tag_ in ("WP", "WDT"):
        return False
    return token.pos_ != "PRON" or token.lower_ in speaker_pronouns()


def _partitive(token: Token) -> bool:
    """ "one of the family's attorneys", "some of the residents": a quantity of speakers."""
    return token.pos_ in ("NUM", "DET", "ADJ") and any(
        c.dep_ == "prep" and c.lower_ == "of" for c in token.children
    )


def _governing_times(doc: Doc) -> Callable[[Token], Any] | None:
    """The time governing a token, from the times component's index of this Doc (built once: asking
    for every quote stays linear); None where the times component is not there."""
    try:
        module = import_module("dateline.facts.times")
    except ImportError:
        return None
    index = getattr(module, "GoverningTimes", None)
    return None if index is None else index(doc).of


def find_quotes(doc: Doc, beliefs: bool = True, nested: bool = True) -> list[Quote]:
    """Quotes of a parsed doc.  `beliefs`: also report mental states (X thinks that …), marked
    `attribution="belief"`; `nested`: also report an attribution inside another's reported content."""
    classes = frozenset(
        {"speech", "report", "stance", "belief"} if beliefs else {"speech", "report", "stance"}
    )
    finder = QuoteFinder(doc, classes, nested)
    found = _once(finder.run())
    excluded = [p for f in found for p in f.pieces]
    resolver = Resolver.for_doc(doc, excluded)
    governing = _governing_times(doc)
    text = finder.text
    times = sorted((doc._.facts or {}).get("times") or [], key=lambda t: t.start)
    time_starts = [t.start for t in times]
    quotes: list[Quote] = []
    dated: dict[int, tuple[str | None, str | None]] = {}
    speakers: dict[int, Any] = {}
    for f in found:
        source = f.continues or f
        if id(source) not in speakers:
            speakers[id(source)] = resolver.resolve(source.speaker) if source.speaker is not None else None
        if id(source) not in dated:
            time = governing(source.cue[-1]) if governing is not None and source.cue else None
            time = time or (_when_time(doc, source.cue[-1], times, time_starts) if source.cue else None)
            value = getattr(time, "value", None) if getattr(time, "anchored", False) else None
            dated[id(source)] = (value, "governing-time" if value else None)
    _same_occasion(found, speakers, dated)
    for f in found:
        source = f.continues or f
        cue = _cue_span(finder.text, f.cue)
        date, date_source = dated[id(source)]
        for piece in f.pieces:
            start, end = _trim_direct(text, *piece) if f.kind == "direct" else piece
            quotes.append(
                Quote(
                    kind=f.kind,  # type: ignore[arg-type]
                    text=text[start:end],
                    start=start,
                    end=end,
                    speaker=speakers[id(source)],
                    cue=cue,
                    date=date,
                    date_source=date_source,  # type: ignore[arg-type]
                    attribution=f.attribution,  # type: ignore[arg-type]
                    display=quote_display(
                        f.kind,
                        _sentence_case(doc, finder, f.kind, start, end),
                        cue.text if cue else None,
                        f.frame,
                    ),
                )
            )
    return quotes


def _once(found: list[Found]) -> list[Found]:
    """One quote once: drop an attribution whose content lies inside another of the same speaker's
    words (or, with no speaker, of the same cue): the same report found twice."""
    groups: dict[object, list[Found]] = {}
    for f in found:
        key: object = (
            f.speaker.text.lower() if f.speaker is not None else ("cue", f.cue[0].i if f.cue else -1)
        )
        groups.setdefault(key, []).append(f)
    dropped: set[int] = set()
    for group in groups.values():
        group.sort(key=lambda f: (f.pieces[0][0], -f.pieces[-1][1]))
        reach = -1
        for f in group:
            if f.pieces[-1][1] <= reach:
                dropped.add(id(f))
            reach = max(reach, f.pieces[-1][1])
    return [f for f in found if id(f) not in dropped]


def _same_occasion(
    found: list[Found], speakers: dict[int, Any], dated: dict[int, tuple[str | None, str | None]]
) -> None:
    """ "Biden said on Monday …" then "…," Biden said during a meeting: when the article dates a
    speaker's statements on one day only, that speaker's other past-tense sayings in it share it."""
    by_speaker: dict[str, set[str]] = {}
    for f in found:
        reference = speakers.get(id(f))
        value, _ = dated.get(id(f), (None, None))
        if reference is not None and value:
            by_speaker.setdefault(reference.entity or reference.name, set()).add(value)
    for f in found:
        if f.continues is not None or dated[id(f)][0] or not f.cue:
            continue
        reference = speakers.get(id(f))
        if reference is None:
            continue
        values = by_speaker.get(reference.entity or reference.name, set())
        verb = next((t for t in reversed(f.cue) if t.pos_ in ("VERB", "AUX")), None)
        if len(values) == 1 and verb is not None and verb.tag_ == "VBD" and not _has_aux(verb):
            dated[id(f)] = (next(iter(values)), "same-occasion")


def _when_time(doc: Doc, verb: Token, times: list[Any], starts: list[int]) -> Any:
    """ "announced in April, when a joint statement said …": a cue in a when-clause right after a
    date happens at that date (the parser often hangs the clause elsewhere)."""
    if not any(c.dep_ == "advmod" and c.lower_ == "when" and c.i == verb.left_edge.i for c in verb.children):
        return None
    before = verb.left_edge.i - 1
    while before >= 0 and doc[before].is_punct:
        before -= 1
    if before < 0:
        return None
    char = doc[before].idx
    k = bisect_right(starts, char) - 1
    if k >= 0 and times[k].start <= char < times[k].end and times[k].type in ("DATE", "TIME"):
        return times[k]
    return None


def _sentence_case(doc: Doc, finder: QuoteFinder, kind: str, start: int, end: int) -> str:
    """Reported words as they read after a cue: a sentence's capital goes unless it starts a name
    ("Customers should return …" -> "said that customers should return …")."""
    text = finder.text[start:end]
    if kind == "direct":
        return text  # verbatim
    first = doc[finder.token_at(start)] if len(doc) else None
    if (
        first is None
        or first.idx != start
        or first.pos_ == "PROPN"
        or first.text == "I"
        or first.text.isupper()
    ):
        return text
    return text[:1].lower() + text[1:]


def _has_aux(verb: Token) -> bool:
    return any(c.dep_ in ("aux", "auxpass") for c in verb.children)


def _cue_span(text: str, tokens: list[Token]) -> TextSpan | None:
    if not tokens:
        return None
    first, last = tokens[0], tokens[-1]
    start, end = first.idx, last.idx + len(last)
    return TextSpan(start=start, end=end, text=text[start:end])


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


@Language.factory("dateline_quotes", default_config={"beliefs": True, "nested": True})
def make_quotes(nlp: Language, name: str, beliefs: bool, nested: bool) -> Callable[[Doc], Doc]:
    def component(doc: Doc) -> Doc:
        if doc._.facts is None:
            doc._.facts = {}
        doc._.facts["quotes"] = find_quotes(doc, beliefs=beliefs, nested=nested)
        return doc

    return component
