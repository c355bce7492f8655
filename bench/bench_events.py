"""Speed of the `dateline_events` component beside bare spaCy, and its growth with article length.

Run by hand: `.venv/bin/python bench/bench_events.py [--rounds 5] [--repeat 4]`.  In one process,
rounds interleaved: CPU time of the bare model's `nlp.pipe` over the texts (tests/data articles and
the seed, repeated), and CPU time of the events component alone over the same texts already carried
through the earlier fact components.  Prints each round's ratio, the median and the spread; then the
component's CPU time on one long article of 50k and 100k characters (min of the rounds) and their ratio.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from dateline.nlp.pipeline import DEFAULT_MODEL, load_pipeline

REPO = Path(__file__).resolve().parents[1]


def texts(repeat: int) -> list[str]:
    files = sorted((REPO / "tests" / "data").glob("*.txt"))
    seed = REPO.parent / "shared" / "seed"
    if seed.is_dir():
        files += sorted(seed.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files] * repeat


def before_events(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc._.published = "2023-05-12"
    doc._.facts = {}
    for name, component in nlp.pipeline:
        if name == "dateline_events":
            break
        doc = component(doc)
    return doc


def cpu(function: object) -> float:
    start = time.process_time()
    function()  # type: ignore[operator]
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=4)
    args = parser.parse_args()
    bare = spacy.load(DEFAULT_MODEL)
    full = load_pipeline()
    events = full.get_pipe("dateline_events")
    docs_text = texts(args.repeat)
    prepared = [before_events(full, t) for t in docs_text]
    ratios, bare_times, event_times = [], [], []
    for _ in range(args.rounds):
        b = cpu(lambda: list(bare.pipe(docs_text, batch_size=16)))
        e = cpu(lambda: [events(d) for d in prepared])
        bare_times.append(b)
        event_times.append(e)
        ratios.append(e / b)
    print(f"documents: {len(docs_text)}, characters: {sum(map(len, docs_text))}, rounds: {args.rounds}")
    print(f"bare nlp.pipe CPU s: median {statistics.median(bare_times):.2f} (min {min(bare_times):.2f})")
    print(f"events component CPU s: median {statistics.median(event_times):.3f} (min {min(event_times):.3f})")
    print(
        f"events / bare: median {100 * statistics.median(ratios):.1f} % "
        f"(spread {100 * min(ratios):.1f}–{100 * max(ratios):.1f} %)"
    )
    article = "\n\n".join(docs_text)
    costs = {}
    for size in (50_000, 100_000):
        doc = before_events(full, (article * (size // len(article) + 1))[:size])
        costs[size] = min(cpu(lambda d=doc: events(d)) for _ in range(args.rounds))
        print(f"one article of {size} characters: events {costs[size]:.3f} CPU s")
    print(f"100k / 50k: {costs[100_000] / costs[50_000]:.2f}")


if __name__ == "__main__":
    main()
