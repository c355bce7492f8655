"""Cost of long articles, 25,000 to 1,500,000 characters: CPU seconds of `analyze` and of each fact component.

    .venv/bin/python bench/bench_long.py [--sizes 25000,50000,...] [--linear-only-above 200000] [--rounds 2]

Each size runs in a fresh process (its peak memory is its own): `analyze` of one generated
article (tests/long_article.py, the project's own sentences), then the CPU time of each pipe
alone on the same text, the least of `--rounds` runs.  Components still quadratic on this branch
(tests/long_article.py: NOT_YET_LINEAR) are left out above `--linear-only-above` characters,
where they would run for hours; the table says so.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

SIZES = (25_000, 50_000, 100_000, 200_000, 400_000, 800_000, 1_500_000)


def one(size: int, components: tuple[str, ...], rounds: int) -> dict[str, object]:
    from tests.fuzz_inputs import check_offsets
    from tests.long_article import article, component_seconds

    from dateline.model import Document
    from dateline.nlp.pipeline import analyze, load_pipeline

    nlp = load_pipeline(components=components)
    text = article(size)
    start = time.process_time()
    (document,) = analyze([Document(id="long", text=text, published="2021-07-27")], nlp=nlp)
    spent = time.process_time() - start
    assert isinstance(document, Document)
    facts = check_offsets(document)
    per_pipe = component_seconds(nlp, text, rounds=rounds) if rounds else {}
    return {
        "chars": len(text),
        "analyze_cpu_s": round(spent, 2),
        "max_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "facts_checked": facts,
        "pipes": {k: round(v, 3) for k, v in per_pipe.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--linear-only-above", type=int, default=200_000)
    parser.add_argument(
        "--rounds", type=int, default=2, help="runs of each pipe; the least counts (0: analyze only)"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--components", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        components = tuple(c for c in args.components.split(",") if c)
        print(json.dumps(one(args.one, components, args.rounds)))
        return
    from tests.long_article import linear_components

    from dateline.nlp.pipeline import fact_components

    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        components = fact_components() if size <= args.linear_only_above else linear_components()
        found = subprocess.run(
            [
                sys.executable,
                __file__,
                "--one",
                str(size),
                "--components",
                ",".join(components),
                "--rounds",
                str(args.rounds),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        row = json.loads(found.stdout.splitlines()[-1])
        row["components"] = "all" if components == fact_components() else "linear only"
        rows.append(row)
        pipes = row["pipes"]
        print(
            f"{row['chars']:>9} chars  analyze {row['analyze_cpu_s']:>8.1f} CPU s  "
            f"{row['max_rss_mb']:>5} MB  ({row['components']})  "
            + "  ".join(f"{k.removeprefix('dateline_')}={v:.2f}" for k, v in pipes.items()),
            flush=True,
        )
    print(json.dumps(rows))


if __name__ == "__main__":
    main()
