"""Doubling an article: CPU seconds of each pipe on an article and on the same article twice as long.

    .venv/bin/python bench/bench_scaling.py [--size 30000] [--rounds 2]

CPU time of every pipe (tests/test_entities_cost.py checks the same by counted calls):
rounds interleaved (short, long, short, long, ...), the least of each; a linear pipe gives a
ratio near 2, one that walks all earlier tokens per token or per candidate 3.5 and more.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.long_article import article, component_seconds  # noqa: E402

from dateline.nlp.pipeline import fact_components, load_pipeline  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=30_000, help="the shorter article's characters")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    nlp = load_pipeline(components=fact_components())
    sizes = (args.size, 2 * args.size)
    best: dict[int, dict[str, float]] = {}
    for _ in range(args.rounds):
        for size in sizes:
            spent = component_seconds(nlp, article(size), rounds=1)
            best[size] = {k: min(v, best.get(size, {}).get(k, v)) for k, v in spent.items()}
    print(f"{'pipe':22s} {sizes[0]:>9} {sizes[1]:>9}  ratio  (CPU s, least of {args.rounds})")
    for name, short in best[sizes[0]].items():
        long = best[sizes[1]][name]
        print(f"{name:22s} {short:9.3f} {long:9.3f}  {long / short:5.2f}")


if __name__ == "__main__":
    main()
