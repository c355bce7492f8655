"""Find the sentences of the store that may bear on a claim.

Articles are found with the store's full-text index (BM25 over the claim's words and their
synonyms), those naming the claim's corpus entities first ("Biden" finds "Joe Biden"); their
sentences are then ranked by BM25 with the index's own document frequencies.  Each sentence comes
with the stored facts that lie in it: quotes with their speakers, events, quantities, times.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import duckdb

from dateline.check.claim import Claim
from dateline.check.lexicon import lexicon
from dateline.corpus import fulltext
from dateline.corpus.connect import Database, connection
from dateline.corpus.queries import find_entities
from dateline.corpus.text import words
from dateline.model import Document, Event, Quantity, Quote, Time

DOCUMENTS = 24  # articles whose sentences are ranked
HITS = 200  # articles the index is asked for, before entities and dates pick among them
AVERAGE_SENTENCE = 25.0  # words: the length BM25 normalizes a sentence's by
EXPANSION_WEIGHT = 0.5  # a synonym counts half as much as the claim's own word

# a sentence ends at . ! ? (with closing quotes or brackets) before a space and a capital, digit or quote
_END = re.compile(r"[.!?…][\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])|\n+")
_WORD_BEFORE = re.compile(r"([\w.]+)[.!?…]?[\"'”’)\]]*$")


@dataclass
class Unit:
    """A sentence of a stored article, with the facts that lie in it."""

    document: Document
    start: int
    end: int
    score: float
    corpus: dict[str, str] = field(default_factory=dict)
    """entity id in the document -> corpus entity id."""

    @property
    def text(self) -> str:
        return self.document.text[self.start : self.end]

    def _inside(self, start: int, end: int) -> bool:
        return start < self.end and self.start < end

    @property
    def quotes(self) -> list[tuple[int, Quote]]:
        return [(i, q) for i, q in enumerate(self.document.quotes) if self._inside(q.start, q.end)]

    @property
    def events(self) -> list[tuple[int, Event]]:
        return [
            (i, e) for i, e in enumerate(self.document.events) if self._inside(e.trigger.start, e.trigger.end)
        ]

    @property
    def quantities(self) -> list[tuple[int, Quantity]]:
        return [(i, q) for i, q in enumerate(self.document.quantities) if self._inside(q.start, q.end)]

    @property
    def times(self) -> list[tuple[int, Time]]:
        return [(i, t) for i, t in enumerate(self.document.times) if self._inside(t.start, t.end)]


def sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans of a cleaned text; a full stop after an abbreviation or an initial ends none."""
    abbreviations = lexicon().abbreviations
    spans: list[tuple[int, int]] = []
    begin = 0
    for match in _END.finditer(text):
        if match.group(0).startswith("."):
            before = _WORD_BEFORE.search(text, max(0, match.start() - 40), match.end())
            word = before.group(1).lower().rstrip(".") if before else ""
            if word in abbreviations or (len(word) == 1 and word.isalpha()):
                continue
        end = match.end() if not match.group(0).startswith("\n") else match.start()
        _add(spans, text, begin, end)
        begin = match.end()
    _add(spans, text, begin, len(text))
    return spans


def _add(spans: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if stripped:
        lead = len(piece) - len(piece.lstrip())
        spans.append((start + lead, start + lead + len(stripped)))


@dataclass
class Index:
    """Document frequencies of the store's full-text index, for the words of one claim."""

    documents: int
    frequency: dict[str, int]

    def idf(self, word: str) -> float:
        df = self.frequency.get(word, 0)
        return math.log(1 + (self.documents - df + 0.5) / (df + 0.5))


def index_for(con: duckdb.DuckDBPyConnection, wanted: list[str]) -> Index:
    row = con.execute("SELECT count(*) FROM search_docs").fetchone()
    total = int(row[0]) if row else 0
    frequency = dict(
        con.execute(
            "SELECT term, count(*) FROM postings WHERE term IN (SELECT unnest(?)) GROUP BY term", [wanted]
        ).fetchall()
    )
    return Index(max(total, 1), {str(k): int(v) for k, v in frequency.items()})


def candidates(
    db: Database,
    claim: Claim,
    index: Index,
    since: str | None = None,
    until: str | None = None,
    limit: int = 16,
) -> list[Unit]:
    """The `limit` sentences that best match the claim, from the articles that best match it."""
    con = connection(db)
    own = set(words(claim.text))
    query = claim.query()
    weights = {w: index.idf(w) * (1.0 if w in own else EXPANSION_WEIGHT) for w in query}
    hits = fulltext.search(con, " ".join(query), limit=HITS)
    ids = [h.document_id for h in hits if _within(h.published, since, until)]
    ids = _entities_first(con, claim, ids)[:DOCUMENTS]
    if not ids:
        return []
    documents = _documents(con, ids)
    links = _links(con, ids)
    units: list[Unit] = []
    for doc_id in ids:
        document = documents.get(doc_id)
        if document is None:
            continue
        for start, end in sentences(document.text):
            score = _bm25(document.text[start:end], weights)
            if score > 0:
                units.append(Unit(document, start, end, score, links.get(doc_id, {})))
    units.sort(key=lambda u: (-u.score, u.document.id, u.start))
    return units[:limit]


def _within(published: str | None, since: str | None, until: str | None) -> bool:
    day = (published or "")[:10]
    if since and (not day or day < since[:10]):
        return False
    return not (until and (not day or day > until[:10]))


def _entities_first(con: duckdb.DuckDBPyConnection, claim: Claim, ids: list[str]) -> list[str]:
    """Articles linked to more of the claim's corpus entities come first, BM25 order within."""
    names = [e.name for e in claim.entities]
    if claim.speaker:
        names.append(claim.speaker)
    wanted: set[str] = set()
    for name in dict.fromkeys(names):
        wanted |= set(find_entities(con, name))
    if not wanted or not ids:
        return ids
    rows = con.execute(
        """SELECT document_id, count(DISTINCT corpus_entity_id) FROM entity_links
           WHERE document_id IN (SELECT unnest(?)) AND corpus_entity_id IN (SELECT unnest(?))
           GROUP BY document_id""",
        [ids, sorted(wanted)],
    ).fetchall()
    linked = {str(d): int(n) for d, n in rows}
    rank = {d: i for i, d in enumerate(ids)}
    return sorted(ids, key=lambda d: (-linked.get(d, 0), rank[d]))


def _documents(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, Document]:
    rows = con.execute("SELECT id, document FROM documents WHERE id IN (SELECT unnest(?))", [ids]).fetchall()
    return {str(i): Document.from_json(raw) for i, raw in rows}


def _links(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, dict[str, str]]:
    rows = con.execute(
        "SELECT document_id, entity_id, corpus_entity_id FROM entity_links WHERE document_id IN (SELECT unnest(?))",
        [ids],
    ).fetchall()
    out: dict[str, dict[str, str]] = {}
    for doc, entity, corpus_entity in rows:
        out.setdefault(str(doc), {})[str(entity)] = str(corpus_entity)
    return out


def _bm25(text: str, weights: dict[str, float], k1: float = 1.2, b: float = 0.75) -> float:
    found = Counter(w for w in words(text) if w in weights)
    length = len(words(text)) or 1
    norm = k1 * (1 - b + b * length / AVERAGE_SENTENCE)
    return sum(weights[w] * n * (k1 + 1) / (n + norm) for w, n in found.items())
