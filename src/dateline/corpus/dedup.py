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

import duckdb
import numpy as np
from datasketch import MinHash
from datasketch.lsh import _optimal_param

from dateline.corpus.text import words

SHINGLE = 5
NUM_PERM = 128
# Wire copies differ by a headline, a dateline, a trimmed last paragraph: well above 0.7
# on 5-word shingles, while two reports of one event written apart share far less.
THRESHOLD = 0.7

DDL = (
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS duplicate_of VARCHAR",
    "ALTER TABLE documents ADD COLUMN IF NOT EXISTS similarity DOUBLE",
    "CREATE TABLE IF NOT EXISTS minhash (document_id VARCHAR PRIMARY KEY, signature BLOB)",
    "CREATE TABLE IF NOT EXISTS lsh_bands (band UTINYINT, key UBIGINT, document_id VARCHAR)",
)


@functools.cache
def _bands() -> tuple[int, int]:
    b, r = _optimal_param(THRESHOLD, NUM_PERM, 0.5, 0.5)
    return int(b), int(r)


@functools.cache
def _template() -> MinHash:
    return MinHash(num_perm=NUM_PERM)


def signature(text: str) -> np.ndarray:
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


def index_batch(con: duckdb.DuckDBPyConnection, ids: Sequence[str], texts: Sequence[str]) -> list[Verdict]:
    """Find each new document's canonical near-copy, if any, and add its bands; inside the caller's transaction."""
    sigs = [signature(t) for t in texts]
    keys = [band_keys(s) for s in sigs]
    b = _bands()[0]
    flat_band = [i for _ in ids for i in range(b)]
    flat_key = [k for ks in keys for k in ks]
    flat_doc = [d for d in ids for _ in range(b)]
    stored: dict[str, list[str]] = {}
    rows = con.execute(
        """SELECT DISTINCT n.doc, l.document_id
           FROM (SELECT unnest(?) AS band, unnest(?) AS key, unnest(?) AS doc) n
           JOIN lsh_bands l ON l.band = n.band AND l.key = n.key""",
        [flat_band, flat_key, flat_doc],
    ).fetchall()
    for new, old in rows:
        stored.setdefault(new, []).append(old)
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
        best: tuple[float, str] | None = None
        for other in sorted(candidates):
            if other in known:
                score = similarity(sig, known[other][0])
                if score >= THRESHOLD and (best is None or score > best[0]):
                    best = (score, known[other][1])
        verdict = Verdict(doc, best[1] if best else None, round(best[0], 4) if best else None)
        verdicts.append(verdict)
        known[doc] = (sig, verdict.duplicate_of or doc)
        for band, key in enumerate(ks):
            seen.setdefault((band, key), []).append(doc)
    con.execute("INSERT INTO minhash SELECT unnest(?), unnest(?)", [list(ids), [s.tobytes() for s in sigs]])
    con.execute(
        "INSERT INTO lsh_bands SELECT unnest(?), unnest(?), unnest(?)", [flat_band, flat_key, flat_doc]
    )
    return verdicts
