"""Score the quotes stage on PolNeAR (political news attribution relations, brat standoff).

The corpus has no licence: it is read straight from its archive in the shared data folder,
for measurement only.  Gold follows PARC: a direct quote's content keeps its quotation marks,
a reported clause keeps its "that", and a split quote is one content in several fragments.
Dateline's quotes are projected onto that convention before scoring (marks and a directly
preceding "that" added back; quotes sharing a cue joined), so the comparison is like for like.
"""

from __future__ import annotations

import bisect
import csv
import io
import re
import tarfile
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

from spacy.tokens import Doc, Token

from dateline.errors import DatelineError
from dateline.eval import Result, Score, prf
from dateline.facts.quotes import (
    CLOSERS,
    DOUBLED,
    DOUBLED_OPEN,
    OPENERS,
    STRAIGHT,
    cue_nouns,
    cue_words,
    iter_pieces,
)
from dateline.model import Document, Quote

ARCHIVE = Path("quotes") / "polnear" / "polnear-v1.0.0-core.tar.gz"
SPLITS = {
    "train": "train",
    "dev": "dev",
    "test": "test",
    "tune": "dev",
    "heldout": "test",
    "all": "test",
    "dev-tune": "dev",
    "dev-heldout": "dev",
}
# issue 16's rules were tuned on the dev articles published before this day and checked on the rest
# (2016-09-26 to 2016-10-07: 34 of the 84 dev articles), which were looked at only in aggregate
DEV_HELDOUT_FROM = "2016-09-26"
ROLES = ("content", "source", "cue")
MARKS = (STRAIGHT, *OPENERS, *CLOSERS)
DOUBLED_MARKS = (DOUBLED, DOUBLED_OPEN)
_TOKEN = re.compile(r"\w+|[^\w\s]")

Fragments = tuple[tuple[int, int], ...]


@dataclass
class Attribution:
    content: Fragments
    source: Fragments
    cue: Fragments

    def role(self, name: str) -> Fragments:
        return getattr(self, name)  # type: ignore[no-any-return]


@dataclass
class Article:
    name: str
    text: str
    gold: list[Attribution] = field(default_factory=list)


def _fragments(offsets: str) -> Fragments:
    pairs = (part.split() for part in offsets.split(";"))
    return tuple(sorted((int(a), int(b)) for a, b in pairs))


def parse_ann(raw: str) -> list[Attribution]:
    """Attribution events of one brat file; references may come before the spans they name."""
    spans: dict[str, Fragments] = {}
    events: list[dict[str, str]] = []
    for line in raw.splitlines():
        if line.startswith("T"):
            parts = line.split("\t")
            if len(parts) < 2:
                continue
            _label, _, offsets = parts[1].partition(" ")
            spans[parts[0]] = _fragments(offsets)
        elif line.startswith("E"):
            _, _, args = line.partition("\t")
            roles: dict[str, str] = {}
            for arg in args.split():
                role, _, ref = arg.partition(":")
                roles[role] = ref if role not in roles else roles[role] + "," + ref
            events.append(roles)
    found = []
    for roles in events:
        content: list[tuple[int, int]] = []
        for key in ("Content", "Content2"):
            for ref in roles.get(key, "").split(","):
                content.extend(spans.get(ref, ()))
        found.append(
            Attribution(
                content=tuple(sorted(content)),
                source=spans.get(roles.get("Source", ""), ()),
                cue=spans.get(roles.get("Cue", ""), ()),
            )
        )
    return found


def load(root: Path, split: str) -> list[Article]:
    archive = root / ARCHIVE
    if not archive.exists():
        raise DatelineError(f"PolNeAR archive not found at {archive}")
    if split not in SPLITS:
        raise DatelineError(
            f"unknown split {split!r}: use train, dev (tune), dev-tune, dev-heldout or test (heldout, all)"
        )
    part = SPLITS[split]
    with tarfile.open(archive) as tar:
        members = {m.name.removeprefix("./"): m for m in tar.getmembers() if m.isfile()}

        def read(name: str) -> str:
            handle = tar.extractfile(members[name])
            assert handle is not None
            return handle.read().decode("utf-8")

        rows = csv.DictReader(io.StringIO(read("data/metadata.tsv")), delimiter="\t")
        articles = []
        for row in rows:
            if row["compartment"] != part:
                continue
            if split == "dev-tune" and row["publication_date"] >= DEV_HELDOUT_FROM:
                continue
            if split == "dev-heldout" and row["publication_date"] < DEV_HELDOUT_FROM:
                continue
            # one gold per article: the first annotator listed (README, "Several annotators")
            annotator = row["annotators"].split("|")[0]
            name = row["filename"]
            ann = f"data/{part}/attributions/{name}_{annotator}.ann"
            if ann not in members:
                continue
            article = Article(name, read(f"data/{part}/text/{name}.txt"))
            article.gold = parse_ann(read(ann))
            articles.append(article)
    return articles


# -- projection onto the gold's convention ------------------------------------------------------


def _with_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A direct quote's content as PolNeAR marks it: from its opening mark to its closing one."""
    s = start
    while s > 0 and text[s - 1].isspace() and text[s - 1] != "\n":
        s -= 1
    if s > 1 and text[s - 2 : s] in DOUBLED_MARKS:
        start = s - 2
    elif s > 0 and text[s - 1] in MARKS:
        start = s - 1
    e = end
    while e < len(text) and (text[e] in ",.!?" or text[e] in " \t\xa0") and e - end < 3:
        e += 1
    if text[e : e + 2] in DOUBLED_MARKS:
        end = e + 2
    elif e < len(text) and text[e] in MARKS:
        end = e + 1
    return start, end


def _with_that(text: str, start: int) -> int:
    head = text[max(0, start - 5) : start]
    return start - 5 if head.lower() == "that " else start


def _paragraphs(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A quote over several paragraphs is one PolNeAR fragment per paragraph."""
    pieces = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        a, b = start + match.start(), start + match.end()
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if b > a:
            pieces.append((a, b))
    return pieces


def _univocal(quotes: list[Quote]) -> list[Quote]:
    """PolNeAR gives each word one role: a report nested inside another's content is not scored
    as its own attribution (Dateline keeps it), so it is left out of the projection."""
    spans = sorted({(q.start, q.end) for q in quotes}, key=lambda p: (p[0], -p[1]))
    outer: list[tuple[int, int]] = []
    for start, end in spans:
        if outer and start >= outer[-1][0] and end <= outer[-1][1]:
            continue
        outer.append((start, end))
    starts = [s for s, _ in outer]
    kept = []
    for q in quotes:
        k = bisect.bisect_right(starts, q.start) - 1
        inside = k >= 0 and outer[k] != (q.start, q.end) and outer[k][0] <= q.start and q.end <= outer[k][1]
        if not inside:
            kept.append(q)
    return kept


def project(text: str, quotes: Iterable[Quote]) -> list[Attribution]:
    found = []
    for group in iter_pieces(_univocal(list(quotes))):
        pieces: list[tuple[int, int]] = []
        for q in group:
            if q.kind == "direct":
                start, end = _with_marks(text, q.start, q.end)
                pieces.extend(_paragraphs(text, start, end))
            else:
                pieces.append((_with_that(text, q.start), q.end))
        first = group[0]
        found.append(
            Attribution(
                content=tuple(sorted(pieces)),
                source=((first.speaker.start, first.speaker.end),) if first.speaker else (),
                cue=((first.cue.start, first.cue.end),) if first.cue else (),
            )
        )
    return found


# -- scoring ------------------------------------------------------------------------------------


def _tokens(text: str, fragments: Fragments) -> set[int]:
    return {m.start() for s, e in fragments for m in _TOKEN.finditer(text, s, e)}


def _has_mark(text: str, fragments: Fragments) -> bool:
    return any(ch in MARKS for s, e in fragments for ch in text[s:e])


@dataclass
class Tally:
    tp: float = 0
    fp: float = 0
    fn: float = 0

    def add(self, gold: set[object], pred: set[object]) -> None:
        self.tp += len(gold & pred)
        self.fp += len(pred - gold)
        self.fn += len(gold - pred)

    def score(self) -> tuple[float, float, float]:
        return prf(self.tp, self.fp, self.fn)


def score(
    name: str,
    articles: list[Article],
    predicted: list[list[Attribution]],
    seconds: float,
    subset: Callable[[str, Attribution], bool] | None = None,
) -> tuple[Score, dict[str, float]]:
    """Exact and token-overlap figures per role; the Score's extra holds the F1s, the dict P and R."""
    exact = {role: Tally() for role in ROLES}
    overlap = {role: Tally() for role in ROLES}
    whole = Tally()
    for article, pred in zip(articles, predicted, strict=True):
        gold = article.gold
        if subset is not None:
            gold = [a for a in gold if subset(article.text, a)]
            pred = [a for a in pred if subset(article.text, a)]
        for role in ROLES:
            g = {a.role(role) for a in gold if a.role(role)}
            p = {a.role(role) for a in pred if a.role(role)}
            exact[role].add(g, p)  # type: ignore[arg-type]
            gt = set().union(*(_tokens(article.text, f) for f in g)) if g else set()
            pt = set().union(*(_tokens(article.text, f) for f in p)) if p else set()
            overlap[role].add(gt, pt)  # type: ignore[arg-type]
        # an attribution is right when its content overlaps the gold's and its source is exact
        hit = sum(
            any(
                _tokens(article.text, a.content) & _tokens(article.text, b.content) and a.source == b.source
                for b in gold
            )
            for a in pred
        )
        matched = sum(
            any(
                _tokens(article.text, a.content) & _tokens(article.text, b.content) and a.source == b.source
                for a in pred
            )
            for b in gold
        )
        whole.tp += hit
        whole.fp += len(pred) - hit
        whole.fn += len(gold) - matched
    precision, recall, f1 = exact["content"].score()
    extra: dict[str, float] = {}
    rates: dict[str, float] = {}  # precision and recall of every figure, for the JSON details
    for role in ROLES:
        for label, tally in (("exact", exact[role]), ("overlap", overlap[role])):
            rp, rr, rf = tally.score()
            rates |= {f"{role} {label} P": rp, f"{role} {label} R": rr}
            extra[f"{role} {label} F1"] = rf
    ap, ar, af = whole.score()
    rates |= {"attribution P": ap, "attribution R": ar}
    extra["attribution F1"] = af
    extra["articles/s"] = len(articles) / seconds if seconds else 0.0
    return Score(name, precision, recall, f1, extra=extra), rates


# -- where the errors are -----------------------------------------------------------------------


def _cue_class(doc: Doc, cue: Fragments) -> str:
    """Which kind of cue a missed attribution had: one in Dateline's tables, one that is not, a colon."""
    if not cue:
        return "missed, no cue"
    text = doc.text
    words = " ".join(text[a:b] for a, b in cue).strip()
    if words.endswith(":") or words == "":
        return "missed, colon or headline"
    span = doc.char_span(cue[0][0], cue[-1][1], alignment_mode="expand")
    known = set(cue_words()) | set(cue_nouns())
    lemmas = {t.lemma_.lower() for t in span} if span is not None else set()
    return "missed, cue in the tables" if lemmas & known else "missed, cue not in the tables"


def error_classes(
    articles: list[Article], predicted: list[list[Attribution]], docs: list[Doc]
) -> dict[str, dict[str, float]]:
    """Content exact errors by class, and how many F1 points fixing each class would add: the
    distance to a target, split by what stands in the way."""
    counts: dict[str, int] = {}
    tp = fp = fn = 0
    for article, pred, doc in zip(articles, predicted, docs, strict=True):
        gold = {a.content for a in article.gold if a.content}
        mine = {a.content for a in pred if a.content}
        tp += len(gold & mine)
        fp += len(mine - gold)
        fn += len(gold - mine)
        cues = {a.content: a.cue for a in article.gold}
        for content in gold - mine:
            tokens = _tokens(article.text, content)
            near = [p for p in mine if _tokens(article.text, p) & tokens]
            if near:
                first, last = near[0][0][0] != content[0][0], near[0][-1][1] != content[-1][1]
                label = (
                    "boundary, both ends"
                    if first and last
                    else "boundary, start"
                    if first
                    else "boundary, end"
                )
            else:
                label = _cue_class(doc, cues[content])
            counts[label] = counts.get(label, 0) + 1
        for content in mine - gold:
            tokens = _tokens(article.text, content)
            if not any(_tokens(article.text, g) & tokens for g in gold):
                counts["false alarm"] = counts.get("false alarm", 0) + 1
    f1 = prf(tp, fp, fn)[2]
    table: dict[str, dict[str, float]] = {}
    for label, n in sorted(counts.items()):
        if label.startswith("boundary"):
            fixed = prf(tp + n, fp - n, fn - n)[2]
        elif label == "false alarm":
            fixed = prf(tp, fp - n, fn)[2]
        else:
            fixed = prf(tp + n, fp, fn - n)[2]
        table[label] = {"count": n, "F1 points if fixed": round(100 * (fixed - f1), 1)}
    return table


def _named_referent(doc: Doc, source: Fragments) -> str | None:
    """The last word of the name a gold source gives its referent: the named person or organisation
    at the head of the source words ("Clinton campaign spokesman Brian Fallon" -> "fallon"), else
    one in apposition to the head ("His counterpart, Anne Leroy" -> "leroy"); None for no name."""
    span = doc.char_span(source[0][0], source[-1][1], alignment_mode="expand")
    if span is None:
        return None
    names = [e for e in span.ents if e.label_ in ("PERSON", "ORG")]
    root = span.root
    named = next((e for e in names if e.start <= root.i < e.end), None)
    if named is None:
        named = next((e for e in names if e.root.dep_ == "appos" and e.root.head.i == root.i), None)
    return named[-1].lower_.strip(".") if named is not None else None


def speaker_figure(articles: list[Article], quotes: list[list[Quote]], docs: list[Doc]) -> dict[str, float]:
    """For gold attributions whose source names someone (a person or organisation named in the
    source words) and that Dateline found (content overlaps), how often `speaker.name` names the
    same referent: the name's last word is one of the words of Dateline's speaker name."""
    named = found = same = 0
    for article, found_quotes, doc in zip(articles, quotes, docs, strict=True):
        kept = _univocal(found_quotes)
        spans = [(_tokens(article.text, ((q.start, q.end),)), q) for q in kept]
        for gold in article.gold:
            if not gold.source or not gold.content:
                continue
            key = _named_referent(doc, gold.source)
            if key is None:
                continue
            named += 1
            tokens = _tokens(article.text, gold.content)
            match = next((q for t, q in spans if t & tokens), None)
            if match is None:
                continue
            found += 1
            if match.speaker is not None and key in _TOKEN.findall(match.speaker.name.lower()):
                same += 1
    return {
        "gold attributions with a named source": named,
        "of them found by dateline": found,
        "speaker names the same referent": same,
        "speaker accuracy (found)": same / found if found else 0.0,
    }


# -- systems ------------------------------------------------------------------------------------


def run_dateline(articles: list[Article]) -> tuple[list[list[Attribution]], list[Doc]]:
    from dateline.nlp import load_pipeline
    from dateline.nlp.pipeline import _prepare

    nlp = load_pipeline()
    docs = [_prepare(nlp, Document(id=a.name, text=a.text)) for a in articles]
    parsed = list(nlp.pipe(docs))
    return [project(d.text, _quotes_of(d)) for d in parsed], parsed


def _quotes_of(doc: Doc) -> list[Quote]:
    return list((doc._.facts or {}).get("quotes", []))


def run_textacy(docs: list[Doc]) -> list[list[Attribution]] | None:
    """textacy's direct-quotation triples over the same parses, when textacy is installed."""
    try:
        from textacy.extract.triples import direct_quotations
    except ImportError:
        return None
    found = []
    for doc in docs:
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # textacy gives up on a document with an odd number of marks
            triples = []
        found.append(
            [
                Attribution(
                    content=((q.content.start_char, q.content.end_char),),
                    source=_token_span(q.speaker),
                    cue=_token_span(q.cue),
                )
                for q in triples
            ]
        )
    return found


def _token_span(tokens: list[Token]) -> Fragments:
    if not tokens:
        return ()
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return ((first.idx, last.idx + len(last)),)


COFENET = Score(
    "published best: CofeNet (BERT+Cofe, sentence-level, exact)",
    0.749,
    0.711,
    0.729,
    extra={"source exact F1": 0.832, "cue exact F1": 0.753},
)


def evaluate(root: Path, split: str = "test") -> Result:
    articles = load(root, split)
    started = time.perf_counter()
    predicted, docs = run_dateline(articles)
    elapsed = time.perf_counter() - started
    system, rates = score("dateline quotes", articles, predicted, elapsed)
    marked, _ = score(
        "dateline quotes, quote-mark subset",
        articles,
        predicted,
        elapsed,
        subset=lambda text, a: _has_mark(text, a.content),
    )
    others = [marked]
    classes = error_classes(articles, predicted, docs)
    speakers = speaker_figure(articles, [_quotes_of(d) for d in docs], docs)
    notes = [
        "gold: first annotator in metadata.tsv per article; document-level character spans; "
        "content = the attribution's content with PolNeAR's conventions (quote marks, 'that')",
    ]
    textacy = run_textacy(docs)
    if textacy is not None:
        version = metadata.version("textacy")
        others.append(score(f"textacy {version} direct_quotations", articles, textacy, elapsed)[0])
        others.append(
            score(
                f"textacy {version}, quote-mark subset",
                articles,
                textacy,
                elapsed,
                subset=lambda text, a: _has_mark(text, a.content),
            )[0]
        )
    else:
        notes.append(
            "textacy is not installed: its baseline row is left out (uv pip install textacy==0.13.0)"
        )
    return Result(
        area="quotes",
        system=system,
        baseline=COFENET,
        others=others,
        details={
            "split": SPLITS[split],
            "articles": len(articles),
            "gold attributions": sum(len(a.gold) for a in articles),
            "predicted attributions": sum(len(p) for p in predicted),
            **rates,
            "errors by class (content exact)": classes,
            "speaker resolution": speakers,
        },
        notes=notes,
    )
