"""Speed of `dateline check` on a large store, beside the BM25-top-sentence baseline in the same run.

Builds (once) a store of N synthetic articles from `gen_corpus.py`, then checks claims made from its
own sentences (restated, with a number changed, and unrelated), in interleaved rounds: each round
times `check` and the baseline (read the claim, rank sentences, keep the top one) on every claim.
Reports the median CPU and wall time per claim, their spread, and the median ratio, plus one cold
run of the command line (process start and model load included).

    nice -n 10 .venv/bin/python bench/bench_check.py --n 10000 --work /tmp/bench-check [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
SEED = 7


def build_store(n: int, work: Path) -> Path:
    """The store of N generated articles (ingested with facts and corpus steps), reused if present."""
    work.mkdir(parents=True, exist_ok=True)
    db = work / f"check{n}.duckdb"
    if db.exists():
        return db
    corpus = work / f"c{n}.jsonl"
    if not corpus.exists():
        subprocess.run(
            [sys.executable, str(HERE / "gen_corpus.py"), str(n), str(corpus), "--seed", "1"],
            check=True,
            capture_output=True,
        )
    partial = db.with_suffix(".partial.duckdb")
    partial.unlink(missing_ok=True)
    dateline = Path(sys.executable).with_name("dateline")
    started = time.perf_counter()
    subprocess.run([str(dateline), "ingest", str(corpus), "--db", str(partial)], check=True)
    print(f"ingested {n} articles in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    partial.rename(db)
    return db


def claims_from(db: Path, count: int) -> list[str]:
    """Claims made from stored sentences: a third restated, a third with a number changed, a third unrelated."""
    from dateline.check.evidence import sentences
    from dateline.store import Store

    rng = random.Random(SEED)
    with Store(db, read_only=True) as store:
        rows = store.db.execute(
            "SELECT text FROM documents WHERE duplicate_of IS NULL ORDER BY id LIMIT 400"
        ).fetchall()
    pool = [
        text[s:e]
        for (text,) in rows
        for s, e in sentences(text)
        if 8 <= len(text[s:e].split()) <= 30 and '"' not in text[s:e] and "“" not in text[s:e]
    ]
    rng.shuffle(pool)
    restated = pool[: count // 3]
    with_number = [s for s in pool[count // 3 :] if re.search(r"\b\d+\b", s)][: count // 3]
    changed = [re.sub(r"\b(\d+)\b", lambda m: str(int(m.group(1)) * 3 + 1), s, count=1) for s in with_number]
    unrelated = [
        "The central bank raised interest rates by half a point on Thursday.",
        "A new species of frog was found in the rainforest last month.",
        "The football club sold its stadium to a property developer.",
        "Astronomers said the comet will pass close to Earth in 2031.",
        "The orchestra cancelled its winter tour after the conductor fell ill.",
    ]
    return restated + changed + unrelated[: max(1, count - len(restated) - len(changed))]


def timed(fn: Callable[[], Any]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def run(db: Path, claims: list[str], rounds: int, as_of: str) -> dict[str, Any]:
    from dateline.check import check
    from dateline.check.claim import read_claim
    from dateline.check.evidence import candidates, index_for
    from dateline.store import Store

    def baseline(store: Store, text: str) -> None:
        claim = read_claim(text, as_of)
        candidates(store, claim, index_for(store.db, claim.query()), limit=1)

    times: dict[str, dict[str, list[float]]] = {
        name: {"cpu": [], "wall": []} for name in ("check", "baseline")
    }
    verdicts: dict[str, int] = {}
    with Store(db, read_only=True) as store:
        check(store, claims[0], as_of=as_of)  # load the model and warm the caches
        for _ in range(rounds):
            for text in claims:
                for name in (
                    ("check", "baseline") if len(times["check"]["cpu"]) % 2 == 0 else ("baseline", "check")
                ):
                    if name == "check":
                        result: list[Any] = []
                        cpu, wall = timed(
                            partial(lambda t, out: out.append(check(store, t, as_of=as_of)), text, result)
                        )
                        verdicts[result[0].verdict] = verdicts.get(result[0].verdict, 0) + 1
                    else:
                        cpu, wall = timed(partial(baseline, store, text))
                    times[name]["cpu"].append(cpu * 1000)
                    times[name]["wall"].append(wall * 1000)
    ratios = [c / b for c, b in zip(times["check"]["cpu"], times["baseline"]["cpu"], strict=True) if b > 0]
    out: dict[str, Any] = {"claims": len(claims), "rounds": rounds, "verdicts": verdicts}
    for name, series in times.items():
        for kind, values in series.items():
            q = statistics.quantiles(values, n=4)
            out[f"{name}_{kind}_ms"] = {
                "median": round(statistics.median(values), 1),
                "p25": round(q[0], 1),
                "p75": round(q[2], 1),
                "max": round(max(values), 1),
            }
    q = statistics.quantiles(ratios, n=4)
    out["cpu_ratio_check_over_baseline"] = {
        "median": round(statistics.median(ratios), 2),
        "p25": round(q[0], 2),
        "p75": round(q[2], 2),
    }
    return out


def cold_cli(db: Path, claim: str, as_of: str) -> float:
    dateline = Path(sys.executable).with_name("dateline")
    started = time.perf_counter()
    subprocess.run(
        [str(dateline), "check", claim, "--db", str(db), "--as-of", as_of, "--json"],
        check=True,
        capture_output=True,
    )
    return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--work", type=Path, default=Path("/tmp/bench-check"))
    parser.add_argument("--claims", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--as-of", default="2024-06-30")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    db = build_store(args.n, args.work)
    claims = claims_from(db, args.claims)
    result = {"n": args.n, **run(db, claims, args.rounds, args.as_of)}
    result["cli_cold_s"] = cold_cli(db, claims[0], args.as_of)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
