"""Full-text search: an inverted index kept in DuckDB tables and ranked by BM25 in SQL.

DuckDB 2.0 ships no `fts` extension and nothing may be downloaded at run time
(the registry's `duckdb-extension-fts` is built for DuckDB 1.5 and refuses to
load), so the index is two plain tables written at ingest in the same
transaction as the documents.  Near-duplicates are not indexed: a search
finds the canonical copy, and its copies are listed with it.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import duckdb

from dateline.corpus.connect import Database, connection
from dateline.corpus.text import fold, terms

K1 = 1.2
B = 0.75

DDL = (
    "CREATE SEQUENCE IF NOT EXISTS search_key START 1",
    """CREATE TABLE IF NOT EXISTS search_docs (
        key INTEGER PRIMARY KEY DEFAULT nextval('search_key'), document_id VARCHAR UNIQUE, length INTEGER)""",
    "CREATE TABLE IF NOT EXISTS postings (term VARCHAR, key INTEGER, tf USMALLINT)",
)


def index_batch(con: duckdb.DuckDBPyConnection, ids: Sequence[str], texts: Sequence[str]) -> None:
    """Add documents to the index; inside the caller's transaction."""
    counts = [Counter(terms(t)) for t in texts]
    keys = dict(
        con.execute(
            "INSERT INTO search_docs (document_id, length) SELECT unnest(?), unnest(?) RETURNING document_id, key",
            [list(ids), [sum(c.values()) for c in counts]],
        ).fetchall()
    )
    con.execute(
        "INSERT INTO postings SELECT unnest(?), unnest(?), unnest(?)",
        [
            [t for c in counts for t in c],
            [keys[d] for d, c in zip(ids, counts, strict=True) for _ in c],
            [min(n, 65535) for c in counts for n in c.values()],
        ],
    )


@dataclass
class Hit:
    document_id: str
    score: float
    matched: int
    title: str | None
    published: str | None
    url: str | None
    source: str | None
    snippet: str
    duplicates: list[str] = field(default_factory=list)
    start: int | None = None  # offsets in the document's text of the first word searched for
    end: int | None = None


def _first_match(text: str, wanted: list[str]) -> tuple[int, int] | None:
    """Where in `text` the first of the words stands, as offsets into `text` itself (not its folded form)."""
    folded = fold(text)
    found = [m.span() for w in wanted if (m := re.search(rf"\b{re.escape(w)}\b", folded))]
    if not found:
        return None
    start, end = min(found)
    if len(folded) == len(text):
        return start, end
    # folding dropped accents or widened letters: map folded positions back character by character
    back: list[int] = []
    for i, char in enumerate(text):
        back.extend([i] * len(fold(char)))
    back.append(len(text))
    return back[start], back[min(end, len(back) - 1) - 1] + 1 if end > start else back[end]


def _snippet(text: str, at: int, width: int = 160) -> str:
    start = max(0, at - width // 3)
    piece = " ".join(text[start : start + width].split())
    return ("…" if start else "") + piece + ("…" if start + width < len(text) else "")


def search(db: Database, query: str, limit: int = 10) -> list[Hit]:
    """Documents ranked by BM25, those matching every query word first."""
    con = connection(db)
    wanted = list(dict.fromkeys(terms(query)))
    if not wanted:
        return []
    rows = con.execute(
        f"""WITH q AS (SELECT unnest(?) AS term),
           n AS (SELECT count(*) AS n, avg(length) AS avgdl FROM search_docs),
           df AS (SELECT term, count(*) AS df FROM postings WHERE term IN (SELECT term FROM q) GROUP BY term),
           scored AS (
             SELECT p.key, count(*) AS matched,
                    sum(ln(1 + (n.n - df.df + 0.5) / (df.df + 0.5))
                        * p.tf * {K1 + 1} / (p.tf + {K1} * (1 - {B} + {B} * s.length / n.avgdl))) AS score
             FROM postings p JOIN df USING (term) JOIN search_docs s USING (key), n
             WHERE p.term IN (SELECT term FROM q)
             GROUP BY p.key ORDER BY matched DESC, score DESC LIMIT ?)
           SELECT d.id, scored.score, scored.matched, d.title, d.published, d.url, d.source, d.text,
                  (SELECT list(c.id ORDER BY c.id) FROM documents c WHERE c.duplicate_of = d.id)
           FROM scored JOIN search_docs s USING (key) JOIN documents d ON d.id = s.document_id
           ORDER BY scored.matched DESC, scored.score DESC, d.id""",
        [wanted, limit],
    ).fetchall()
    hits = []
    for doc, score, matched, title, published, url, source, text, dups in rows:
        where = _first_match(text, wanted)
        hits.append(
            Hit(
                doc,
                round(float(score), 4),
                int(matched),
                title,
                published,
                url,
                source,
                _snippet(text, where[0] if where else 0),
                dups or [],
                *(where or (None, None)),
            )
        )
    return hits


def scan(db: Database, query: str, limit: int = 10) -> list[str]:
    """The baseline the index is measured against: every word as a case-insensitive substring, no ranking."""
    con = connection(db)
    wanted = list(dict.fromkeys(terms(query)))
    clauses = " AND ".join("text ILIKE ?" for _ in wanted) or "true"
    rows = con.execute(
        f"SELECT id FROM documents WHERE duplicate_of IS NULL AND {clauses} ORDER BY id LIMIT ?",
        [*(f"%{w}%" for w in wanted), limit],
    ).fetchall()
    return [r[0] for r in rows]
