"""Corpus scale: ingest throughput, database bytes per document, peak memory, corpus rebuild and search, vs N.

Each ingest runs as its own `dateline ingest` process (peak memory is that
process's maximum resident set, from wait4).  Articles come from
bench/gen_corpus.py with a seed other than the one the story and dedup
settings were tuned on (seed 1, N=2000), so the quality figures are held out.

    python bench/bench_corpus.py --sizes 10000 100000 [--facts-size 500] [--json out.json]

Timings are taken on whatever machine runs this (the project's is a shared 2-core box).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb

HERE = Path(__file__).resolve().parent
SEED = 2
QUERIES = [
    "bridge closure",
    "strike pay talks mediator",
    "river burst banks shelters",
    "takeover shareholders",
    "jury fraud",
]


def generate(n: int, out: Path, fmt: str = "jsonl") -> Path:
    path = out / (f"c{n}.{fmt}" if fmt != "dir" else f"c{n}")
    if not path.exists():
        subprocess.run(
            [
                sys.executable,
                str(HERE / "gen_corpus.py"),
                str(n),
                str(path),
                "--format",
                fmt,
                "--seed",
                str(SEED),
            ],
            check=True,
            capture_output=True,
        )
    return path


def timed(args: list[str]) -> tuple[float, int, int]:
    """Wall seconds, peak RSS in bytes and exit code of one command."""
    start = time.perf_counter()
    process = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - start
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        sys.stderr.write(process.stderr.read().decode() if process.stderr else "")
    return elapsed, usage.ru_maxrss * 1024, process.returncode


def quality(db: Path, truth: Path) -> dict[str, float]:
    """Near-duplicate precision/recall and story pair precision/recall against the generator's truth."""
    gold = {}
    for line in truth.open():
        row = json.loads(line)
        gold.setdefault(row["url"], row)
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute(
            "SELECT d.url, d.duplicate_of, m.story_id FROM documents d "
            "LEFT JOIN story_members m ON m.document_id = coalesce(d.duplicate_of, d.id)"
        ).fetchall()
    copies = [gold[u]["copy_of"] is not None and not u.endswith("?repeat") for u, _, _ in rows]
    flagged = [dup is not None for _, dup, _ in rows]
    tp = sum(c and f for c, f in zip(copies, flagged, strict=True))
    predicted: dict[str, set[int]] = defaultdict(set)
    true: dict[int, set[int]] = defaultdict(set)
    for i, (url, dup, story) in enumerate(rows):
        if dup is None:
            predicted[story].add(i)
            true[gold[url]["story"]].add(i)

    def pairs(groups: dict[Any, set[int]]) -> set[tuple[int, int]]:
        return {p for g in groups.values() for p in itertools.combinations(sorted(g), 2)}

    p, t = pairs(predicted), pairs(true)
    return {
        "dedup_precision": round(tp / max(1, sum(flagged)), 4),
        "dedup_recall": round(tp / max(1, sum(copies)), 4),
        "story_pair_precision": round(len(p & t) / max(1, len(p)), 4),
        "story_pair_recall": round(len(p & t) / max(1, len(t)), 4),
        "stories_found": len(predicted),
        "stories_true": len(true),
    }


def search_latency(db: Path) -> dict[str, float]:
    from dateline.corpus.fulltext import scan, search

    with duckdb.connect(str(db), read_only=True) as con:
        out = {}
        for name, fn in (("bm25_index_ms", search), ("ilike_scan_ms", scan)):
            fn(con, QUERIES[0])  # warm
            times = []
            for q in QUERIES:
                start = time.perf_counter()
                fn(con, q, 10)
                times.append((time.perf_counter() - start) * 1000)
            out[name] = round(statistics.median(times), 1)
        counts = con.execute(
            "SELECT (SELECT count(*) FROM postings), (SELECT count(*) FROM search_docs)"
        ).fetchone()
        out["postings_per_doc"] = round(counts[0] / max(1, counts[1]), 1) if counts else 0.0
    return out


def one(n: int, work: Path, facts: bool, fmt: str = "jsonl") -> dict[str, Any]:
    source = generate(n, work, fmt)
    db = work / f"c{n}-{fmt}-{'facts' if facts else 'nofacts'}.duckdb"
    for leftover in (db, db.with_name(db.name + ".wal")):
        leftover.unlink(missing_ok=True)
    base = [sys.executable, "-m", "dateline"]
    flags = ["--facts"] if facts else ["--no-facts"]
    seconds, peak, code = timed(
        [*base, "ingest", *flags, "--no-corpus", "--batch", "256", "--db", str(db), str(source)]
    )
    rebuild_s, rebuild_peak, _ = timed([*base, "corpus", "rebuild", "--db", str(db)])
    with duckdb.connect(str(db), read_only=True) as con:
        (stored,) = con.execute("SELECT count(*) FROM documents").fetchone() or (0,)
    size = db.stat().st_size + (
        db.with_name(db.name + ".wal").stat().st_size if db.with_name(db.name + ".wal").exists() else 0
    )
    row: dict[str, Any] = {
        "n": n,
        "input": fmt,
        "facts": facts,
        "exit": code,
        "stored": stored,
        "ingest_s": round(seconds, 1),
        "docs_per_s": round(n / seconds, 1),
        "bytes_per_doc": round(size / max(1, stored)),
        "peak_rss_mb": round(peak / 2**20),
        "rebuild_s": round(rebuild_s, 1),
        "rebuild_peak_rss_mb": round(rebuild_peak / 2**20),
    }
    row.update(search_latency(db))
    row.update(quality(db, source.with_name(source.name + ".truth.jsonl")))
    return row


def warc_readers(n: int, work: Path) -> dict[str, float]:
    """Seconds to walk every response record of one gzipped WARC: warcio (used) and fastwarc (if installed)."""
    path = generate(n, work, "warc")
    from dateline.ingest.warc import iter_warc

    out = {}
    start = time.perf_counter()
    count = sum(1 for _ in iter_warc(path, gzipped=True))
    out["warcio_s"] = round(time.perf_counter() - start, 2)
    try:
        from fastwarc import ArchiveIterator, GzipReader, WarcRecordType
    except ImportError:
        return out | {"records": count}
    start = time.perf_counter()
    with path.open("rb") as handle:
        fast = sum(
            1
            for r in ArchiveIterator(GzipReader(handle), record_types=WarcRecordType.response)
            if r.reader.read()
        )
    out["fastwarc_s"] = round(time.perf_counter() - start, 2)
    return out | {"records": count, "fastwarc_records": fast}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument(
        "--facts-size", type=int, default=0, help="Also ingest this many articles with facts on."
    )
    parser.add_argument(
        "--warc-size", type=int, default=0, help="Also time WARC readers on this many records."
    )
    parser.add_argument("--work", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="dateline-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    rows = [one(n, work, facts=False) for n in args.sizes]
    if args.facts_size:
        rows.append(one(args.facts_size, work, facts=True))
    for row in rows:
        print(json.dumps(row))
    report: dict[str, Any] = {"rows": rows}
    plain = [r for r in rows if not r["facts"]]
    if len(plain) >= 2:
        a, b = plain[0], plain[-1]
        factor = b["n"] / a["n"]
        report["growth"] = {
            "n_factor": factor,
            "ingest_time_factor": round(b["ingest_s"] / a["ingest_s"], 2),
            "bytes_per_doc_factor": round(b["bytes_per_doc"] / a["bytes_per_doc"], 2),
            "peak_rss_factor": round(b["peak_rss_mb"] / a["peak_rss_mb"], 2),
            "rebuild_time_factor": round(b["rebuild_s"] / max(0.1, a["rebuild_s"]), 2),
        }
        print(json.dumps(report["growth"]))
    if args.warc_size:
        report["warc"] = warc_readers(args.warc_size, work)
        print(json.dumps(report["warc"]))
    if args.json:
        args.json.write_text(json.dumps(report, indent=2) + "\n")


if __name__ == "__main__":
    main()
