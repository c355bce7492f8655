"""Speed of the `nlp` stage: bare `nlp.pipe` of the base model vs. the full Dateline pipeline.

Run by hand: `.venv/bin/python bench/bench_nlp.py [--processes 2] [--repeat 8]`.  Texts are the
articles in tests/data (and the seed when ../shared is beside the repo), repeated.  Timings
are taken on whatever machine runs it; a shared machine makes them noisy.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import spacy

from dateline.nlp.pipeline import DEFAULT_MODEL, load_pipeline

REPO = Path(__file__).resolve().parents[1]


def texts(repeat: int) -> list[str]:
    files = sorted((REPO / "tests" / "data").glob("*.txt"))
    seed = REPO.parent / "shared" / "seed"
    if seed.is_dir():
        files += sorted(seed.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files] * repeat


def run(nlp: spacy.language.Language, docs: list[str], processes: int) -> float:
    start = time.perf_counter()
    for _ in nlp.pipe(docs, n_process=processes, batch_size=16):
        pass
    return time.perf_counter() - start


def cumulative(docs: list[str], processes: int) -> None:
    """The cost of each fact component: the bare model, then the components added in pipeline order."""
    from dateline.nlp.pipeline import fact_components

    names = fact_components()
    steps = [names[:n] for n in range(len(names) + 1)]
    best: dict[int, float] = {}
    for _ in range(2):  # two rounds, best of each: a shared machine makes single runs noisy
        for n, components in enumerate(steps):
            nlp = load_pipeline(components=components) if components else spacy.load(DEFAULT_MODEL)
            run(nlp, docs[:4], 1)
            best[n] = min(best.get(n, float("inf")), run(nlp, docs, processes))
    print(f"documents: {len(docs)}, processes: {processes}")
    for n, components in enumerate(steps):
        label = f"+ {components[-1]}" if components else "bare model"
        print(f"{label:<28}{best[n]:>9.2f}s  {100 * (best[n] / best[0] - 1):+6.1f}% vs bare")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument(
        "--cumulative", action="store_true", help="Add the fact components one at a time (best of 2 rounds)."
    )
    args = parser.parse_args()
    docs = texts(args.repeat)
    if args.cumulative:
        cumulative(docs, args.processes)
        return
    words = sum(len(t.split()) for t in docs)
    bare = spacy.load(DEFAULT_MODEL)
    full = load_pipeline()
    run(full, docs[:4], 1)  # warm both up: data tables, first allocations
    run(bare, docs[:4], 1)
    bare_s = run(bare, docs, args.processes)
    full_s = run(full, docs, args.processes)
    print(f"documents: {len(docs)}, words: {words}, processes: {args.processes}")
    print(f"{'pipeline':<28}{'seconds':>9}{'words/s':>10}{'docs/s':>9}")
    for name, secs in (("bare nlp.pipe", bare_s), ("dateline nlp (all facts)", full_s)):
        print(f"{name:<28}{secs:>9.2f}{words / secs:>10.0f}{len(docs) / secs:>9.1f}")
    print(f"overhead: {100 * (full_s / bare_s - 1):+.1f}% (full / bare)")


if __name__ == "__main__":
    main()
