"""Fuzz the read stage and `extract` with facts by hand, counting cases and crash signatures.

    .venv/bin/python bench/fuzz.py --read 20000 --extract 2000 [--seed 1] [--out crashes.json]

Inputs are the project's test pages and articles, mutated as `tests/fuzz_inputs.py` does (the
same operations the Hypothesis tests use).  A crash is any exception that is not a
`DatelineError`, or a fact whose offsets do not hold; its signature is the exception type and
the innermost frame that raised it.  Prints cases, crashes and signatures, with one example
(the mutated input) per signature to add to tests/data/fuzz_regressions.json.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.fuzz_inputs import (  # noqa: E402
    check_offsets,
    html_seeds,
    mutate_page,
    mutate_text,
    random_plan,
    text_seeds,
)

from dateline.errors import DatelineError  # noqa: E402
from dateline.ingest import RawInput  # noqa: E402
from dateline.read import read  # noqa: E402


def signature(exc: BaseException) -> str:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f"{Path(frame.filename).name}:{frame.lineno} {frame.name}" if frame else "?"
    return f"{type(exc).__name__} at {where}"


def run(stage: str, cases: int, rng: random.Random) -> dict[str, Any]:
    import dateline

    pages, texts = html_seeds(), text_seeds()
    found: Counter[str] = Counter()
    examples: dict[str, str] = {}
    refused = 0
    start = time.process_time()
    for _ in range(cases):
        plan = random_plan(rng)
        if stage == "read":
            data = mutate_page(rng.choice(pages), plan)
            shown = data.decode("utf-8", "backslashreplace")
        else:
            shown = mutate_text(rng.choice(texts), plan)
            data = shown.encode("utf-8")
        try:
            if stage == "read":
                read(RawInput("fuzz", data))
            else:
                check_offsets(dateline.extract(data, published="2021-07-27"))
        except DatelineError:
            refused += 1
        except Exception as exc:
            key = signature(exc)
            found[key] += 1
            examples.setdefault(key, shown)
    return {
        "stage": stage,
        "cases": cases,
        "refused with a DatelineError": refused,
        "crashes": sum(found.values()),
        "signatures": [{"signature": k, "cases": n, "example": examples[k]} for k, n in found.most_common()],
        "cpu_seconds": round(time.process_time() - start, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--read", type=int, default=2000, help="read-stage cases (mutated HTML pages)")
    parser.add_argument("--extract", type=int, default=200, help="extract-with-facts cases (mutated texts)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, help="write the summary, with one example per signature, here")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results = [run("read", args.read, rng), run("extract", args.extract, rng)]
    for r in results:
        print(
            f"{r['stage']}: {r['cases']} cases, {r['refused with a DatelineError']} refused with a "
            f"DatelineError, {r['crashes']} crashes, {len(r['signatures'])} signatures, {r['cpu_seconds']} CPU s"
        )
        for s in r["signatures"]:
            print(f"  {s['cases']:>6}  {s['signature']}")
    if args.out:
        args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
