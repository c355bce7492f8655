"""Cost of the quotes component beside bare spaCy, and how it grows with an article's length.

Run by hand: `.venv/bin/python bench/bench_quotes.py [--rounds 5] [--repeat 10]`.

Part 1, in one process, rounds interleaved, CPU time of this process: the bare model, the model
with the stages quotes reads (entities, times), and the same with quotes; each round parses the
same texts (tests/data articles and the seed when ../shared is beside the repo, repeated).  The
figures are per-round ratios against the bare model, median and spread.

Part 2: `find_quotes` alone on one long article made of the same texts, at about 50,000 and
100,000 characters, parsed once; the least CPU time of several runs each, interleaved.  A linear
component costs about twice as much on the doubled article.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from dateline.facts.quotes import find_quotes
from dateline.model import Document
from dateline.nlp.pipeline import DEFAULT_MODEL, _prepare, load_pipeline

REPO = Path(__file__).resolve().parents[1]


def texts() -> list[str]:
    files = sorted((REPO / "tests" / "data").glob("*.txt"))
    seed = REPO.parent / "shared" / "seed"
    if seed.is_dir():
        files += sorted(seed.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files]


def parse_all(nlp: Language, docs: list[str]) -> float:
    started = time.process_time()
    for document in docs:
        nlp(_prepare(nlp, Document(id="b", text=document, published="2024-01-01")))
    return time.process_time() - started


def component_cost(rounds: int, repeat: int) -> None:
    docs = texts() * repeat
    pipelines = {
        "bare en_core_web_sm": spacy.load(DEFAULT_MODEL),
        "+ entities, times": load_pipeline(components=("dateline_entities", "dateline_times")),
        "+ entities, times, quotes": load_pipeline(
            components=("dateline_entities", "dateline_times", "dateline_quotes")
        ),
    }
    for nlp in pipelines.values():  # warm up: first calls load lookups and tables
        parse_all(nlp, docs[:3])
    seconds: dict[str, list[float]] = {name: [] for name in pipelines}
    reads = pipelines["+ entities, times"]
    parsed = [reads(_prepare(reads, Document(id="b", text=d, published="2024-01-01"))) for d in docs]
    alone: list[float] = []
    for _ in range(rounds):
        for name, nlp in pipelines.items():
            seconds[name].append(parse_all(nlp, docs))
        started = time.process_time()
        for doc in parsed:
            find_quotes(doc)
        alone.append(time.process_time() - started)
    words = sum(len(d.split()) for d in docs)
    print(f"part 1: {len(docs)} documents, {words} words, {rounds} interleaved rounds, CPU seconds")
    bare = seconds["bare en_core_web_sm"]
    for name, values in seconds.items():
        ratios = [v / b for v, b in zip(values, bare, strict=True)]
        print(
            f"  {name:<28} median {statistics.median(values):7.2f} s"
            f"  vs bare: median {100 * (statistics.median(ratios) - 1):+6.1f} %"
            f"  (spread {100 * (min(ratios) - 1):+.1f} … {100 * (max(ratios) - 1):+.1f} %)"
        )
    shares = [a / b for a, b in zip(alone, bare, strict=True)]
    print(
        f"  find_quotes alone on the parsed documents: median {statistics.median(alone):.2f} s,"
        f" {100 * statistics.median(shares):.1f} % of the bare parse"
        f" (spread {100 * min(shares):.1f} … {100 * max(shares):.1f} %)"
    )


def long_doc(nlp: Language, size: int) -> Doc:
    base = "\n\n".join(texts())
    text = (base * (size // len(base) + 1))[:size]
    text = text[: text.rfind("\n\n")]
    nlp.max_length = max(nlp.max_length, len(text) + 1)
    return nlp(_prepare(nlp, Document(id="long", text=text, published="2024-01-01")))


def scaling(runs: int) -> None:
    nlp = load_pipeline(components=("dateline_entities", "dateline_times"))
    docs = {size: long_doc(nlp, size) for size in (50_000, 100_000)}
    best = dict.fromkeys(docs, float("inf"))
    for _ in range(runs):
        for size, doc in docs.items():
            started = time.process_time()
            find_quotes(doc)
            best[size] = min(best[size], time.process_time() - started)
    print(f"part 2: find_quotes alone, least CPU time of {runs} interleaved runs")
    for size, doc in docs.items():
        print(f"  {len(doc.text):>7} characters, {len(doc):>6} tokens: {best[size]:.3f} s")
    print(f"  ratio (about 2 for a linear component): {best[100_000] / best[50_000]:.2f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    component_cost(args.rounds, args.repeat)
    scaling(args.runs)


if __name__ == "__main__":
    main()
