"""Cost of the times component over the bare spaCy pipeline, side by side in one run.

    .venv/bin/python bench/bench_times.py [--docs 300] [--processes 2]

Documents: the repository's example and test articles, repeated.  Reports
words/s for the bare model and for the model plus `dateline_times`, and the
overhead ratio (issue 6 target: at most 10%).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from dateline.model import Document
from dateline.nlp import analyze, load_pipeline
from dateline.read import read_text

REPO = Path(__file__).resolve().parents[1]


def corpus(n: int) -> list[Document]:
    paths = [REPO / "examples" / "article.txt", *sorted((REPO / "tests" / "data").glob("*.txt"))]
    base = [read_text(p.read_text(encoding="utf-8")) for p in paths]
    return [Document(id=str(i), text=base[i % len(base)].text, published="2021-07-27") for i in range(n)]


def timed(components: tuple[str, ...], docs: list[Document], processes: int) -> float:
    nlp = load_pipeline(components=components)
    list(analyze(docs[:4], nlp=nlp))  # warm up outside the timing
    started = time.perf_counter()
    for _ in analyze(docs, nlp=nlp, n_process=processes, batch_size=32):
        pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--processes", type=int, default=2)
    args = parser.parse_args()
    docs = corpus(args.docs)
    words = sum(len(d.text.split()) for d in docs)
    bare = timed((), docs, args.processes)
    times = timed(("dateline_times",), docs, args.processes)
    print(f"{len(docs)} documents, {words} words, {args.processes} processes")
    print(f"bare spaCy            {words / bare:9.0f} words/s  {len(docs) / bare:7.1f} docs/s")
    print(f"spaCy + times         {words / times:9.0f} words/s  {len(docs) / times:7.1f} docs/s")
    print(f"times overhead: {100 * (times / bare - 1):.1f}%")


if __name__ == "__main__":
    main()
