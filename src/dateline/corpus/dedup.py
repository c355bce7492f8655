"""Near-duplicate detection at ingest: MinHash over word shingles, LSH bands kept in DuckDB.

A document whose estimated Jaccard similarity to a stored one reaches
`THRESHOLD` is stored and marked `duplicate_of` that document's canonical
member (the first of its cluster to be stored), so copies of one wire story
form one cluster and their facts are counted once.  The bands live in the
database, so the index costs no memory and survives restarts.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb
import numpy as np

from dateline.corpus.text import words
from dateline.model import Document
from dateline.store import Maintainer, insert

if TYPE_CHECKING:
    from datasketch import MinHash

SHINGLE = 5
NUM_PERM = 128
# Wire copies differ by a headline, a dateline, a trimmed last paragraph: well above 0.7
# on 5-word shingles, while two reports of one event written apart share far less.
THRESHOLD = 0.7
# The stored documents a new one is compared with, at most: those sharing the most LSH bands
# with it (then by id).  Templated text (press releases, a generator's corpus) collides in
# bands far more than news does; without a bound each article would be compared with a
# share of the whole store.
MAX_CANDIDATES = 256

DDL = (
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS duplicate_of VARCHAR",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS similarity DOUBLE",
    "CREATE TABLE IF NOT EXISTS minhash (document_id VARCHAR PRIMARY KEY, signature BLOB)",
    "CREATE TABLE IF NOT EXISTS lsh_bands (band UTINYINT, key UBIGINT, document_id VARCHAR)",
)


@functools.cache
def _bands() -> tuple[int, int]:
    from datasketch.lsh import _optimal_param  # datasketch imports scipy: only when dedup runs

    b, r = _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)
    return int(b), int(r)


@functools.cache
def _template() -> MinHash:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM)


def signature(text: str) -> np.ndarray:
    from datasketch import MinHash

    tokens = words(text)
    grams = [" ".join(tokens[i : i + SHINGLE]).encode() for i in range(max(1, len(tokens) - SHINGLE + 1))]
    minhash = MinHash(num_perm=NUM_PERM, permutations=_template().permutations, scheme=_template().scheme)
    minhash.update_batch(grams)
    return np.asarray(minhash.hashvalues, dtype=np.uint32)


def band_keys(sig: np.ndarray) -> list[int]:
    b, r = _bands()
    return [
        int.from_bytes(hashlib.blake2b(sig[i * r : (i + 1) * r].tobytes(), digest_size=8).digest(), "little")
        for i in range(b)
    ]


def similarity(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.mean(a == b))


@dataclass
class Verdict:
    document_id: str
    duplicate_of: str | None
    similarity: float | None


def _stored_candidates(
    con: duckdb.DuckDBPyConnection, ids: Sequence[str], keys: list[list[int]]
) -> dict[str, list[str]]:
    """For each new document, the stored ones sharing an LSH band with it: most shared bands first."""
    import pyarrow as pa

    b = _bands()[0]
    probe = pa.table(
        {
            "band": pa.array([i for _ in ids for i in range(b)], pa.uint8()),
            "key": pa.array([k for ks in keys for k in ks], pa.uint64()),
            "doc": pa.array([d for d in ids for _ in range(b)], pa.string()),
        }
    )
    con.register("_dateline_probe", probe)
    try:
        rows = con.execute(
            """SELECT n.doc, l.document_id
               FROM _dateline_probe n JOIN lsh_bands l ON l.band = n.band AND l.key = n.key
               GROUP BY n.doc, l.document_id
               QUALIFY row_number() OVER (PARTITION BY n.doc ORDER BY count(*) DESC, l.document_id) <= ?""",
            [MAX_CANDIDATES],
        ).fetchall()
    finally:
        con.unregister("_dateline_probe")
    stored: dict[str, list[str]] = {}
    for new, old in rows:
        stored.setdefault(new, []).append(old)
    return stored


def index_batch(con: duckdb.DuckDBPyConnection, ids: Sequence[str], texts: Sequence[str]) -> list[Verdict]:
    """Find each new document's canonical near-copy, if any, and add its bands; inside the caller's transaction."""
    import pyarrow as pa

    sigs = [signature(t) for t in texts]
    keys = [band_keys(s) for s in sigs]
    stored = _stored_candidates(con, ids, keys)
    known: dict[str, tuple[np.ndarray, str]] = {}
    wanted = sorted({old for olds in stored.values() for old in olds})
    if wanted:
        for doc, blob, dup in con.execute(
            """SELECT m.document_id, m.signature, d.duplicate_of FROM minhash m
               JOIN documents d ON d.id = m.document_id WHERE m.document_id IN (SELECT unnest(?))""",
            [wanted],
        ).fetchall():
            known[doc] = (np.frombuffer(blob, dtype=np.uint32), dup or doc)
    verdicts: list[Verdict] = []
    seen: dict[tuple[int, int], list[str]] = {}
    for doc, sig, ks in zip(ids, sigs, keys, strict=True):
        candidates = set(stored.get(doc, []))
        for band, key in enumerate(ks):
            candidates.update(seen.get((band, key), []))
        ordered = sorted(c for c in candidates if c in known)
        best: tuple[float, str] | None = None
        if ordered:
            # every candidate at once; the first (by id) of the most similar wins
            scores = np.mean(np.stack([known[c][0] for c in ordered]) == sig, axis=1)
            top = int(np.argmax(scores))
            if scores[top] >= THRESHOLD:
                best = (float(scores[top]), known[ordered[top]][1])
        verdict = Verdict(doc, best[1] if best else None, round(best[0], 4) if best else None)
        verdicts.append(verdict)
        known[doc] = (sig, verdict.duplicate_of or doc)
        for band, key in enumerate(ks):
            seen.setdefault((band, key), []).append(doc)
    b = _bands()[0]
    insert(
        con,
        "minhash",
        pa.table({"document_id": pa.array(ids, pa.string()), "signature": [s.tobytes() for s in sigs]}),
    )
    insert(
        con,
        "lsh_bands",
        pa.table(
            {
                "band": pa.array([i for _ in ids for i in range(b)], pa.uint8()),
                "key": pa.array([k for ks in keys for k in ks], pa.uint64()),
                "document_id": pa.array([d for d in ids for _ in range(b)], pa.string()),
            }
        ),
    )
    return verdicts


def _add(con: duckdb.DuckDBPyConnection, documents: Sequence[Document]) -> None:
    """Flag the batch's near-copies of stored (or earlier) documents and index their bands."""
    import pyarrow as pa

    verdicts = [
        v for v in index_batch(con, [d.id for d in documents], [d.text for d in documents]) if v.duplicate_of
    ]
    if not verdicts:
        return
    flags = pa.table(
        {
            "id": pa.array([v.document_id for v in verdicts], pa.string()),
            "duplicate_of": pa.array([v.duplicate_of for v in verdicts], pa.string()),
            "similarity": pa.array([v.similarity for v in verdicts], pa.float64()),
        }
    )
    con.register("_dateline_flags", flags)
    try:
        con.execute(
            """UPDATE documents SET duplicate_of = f.duplicate_of, similarity = f.similarity
               FROM _dateline_flags f WHERE documents.id = f.id"""
        )
    finally:
        con.unregister("_dateline_flags")


INDEX = Maintainer("near-duplicates", DDL, _add)
