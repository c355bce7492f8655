"""How much the times component adds to the `nlp` stage.

Runs `analyze` over a corpus of news texts with the base pipeline alone and with
`dateline_times` added, in 1 and 2 processes, and prints the ratio.  The corpus is
the TempEval-3 and MEANTIME texts from ../shared/data when present (read in place,
never copied), else the project's own test articles repeated.  Timings are taken on
whatever machine runs this; on a shared machine repeat and take the best.

    .venv/bin/python bench/bench_times.py [--repeat 3] [--processes 1 2]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from dateline.model import Document
from dateline.nlp.pipeline import analyze, fact_components, load_pipeline

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"


def corpus() -> list[Document]:
    try:
        from dateline.eval.time import load_meantime, load_te3

        gold = load_te3(SHARED, "test") + load_te3(SHARED, "train")[:80] + load_meantime(SHARED)
        return [Document(id=d.id, text=d.text, published=d.dct) for d in gold]
    except Exception:  # no shared data: fall back to our own articles
        texts = [p.read_text(encoding="utf-8") for p in sorted((REPO / "tests" / "data").glob("times_*.txt"))]
        return [Document(id=f"{i}", text=t, published="2019-03-14") for i, t in enumerate(texts * 100)]


def run(components: tuple[str, ...], documents: list[Document], processes: int, repeat: int) -> float:
    nlp = load_pipeline(components=components)
    list(analyze(documents[:5], nlp=nlp))  # warm up
    best = float("inf")
    for _ in range(repeat):
        copies = [Document(id=d.id, text=d.text, published=d.published) for d in documents]
        started = time.perf_counter()
        for _ in analyze(copies, nlp=nlp, n_process=processes):
            pass
        best = min(best, time.perf_counter() - started)
    return best


def component_alone(documents: list[Document]) -> tuple[float, float]:
    """Seconds of the parse alone and of the times component alone over the parsed Docs."""
    from dateline.facts.times import find_times

    nlp = load_pipeline(components=())
    started = time.perf_counter()
    docs = list(nlp.pipe(d.text for d in documents))
    parse = time.perf_counter() - started
    for doc, document in zip(docs, documents, strict=True):
        doc._.published = document.published
    started = time.perf_counter()
    for doc in docs:
        list(find_times(doc))
    return parse, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--processes", type=int, nargs="+", default=[1, 2])
    args = parser.parse_args()
    assert "dateline_times" in fact_components()
    documents = corpus()
    chars = sum(len(d.text) for d in documents)
    print(f"{len(documents)} documents, {chars:,} characters")
    parse, times = component_alone(documents)
    print(
        f"in one process: parse {parse:.2f}s, times component alone {times:.2f}s (+{times / parse * 100:.1f}%)"
    )
    for processes in args.processes:
        base = run((), documents, processes, args.repeat)
        timed = run(("dateline_times",), documents, processes, args.repeat)
        print(
            f"processes={processes}: base {base:.2f}s, with times {timed:.2f}s, "
            f"ratio {timed / base:.3f} (+{(timed / base - 1) * 100:.1f}%)"
        )


if __name__ == "__main__":
    main()
