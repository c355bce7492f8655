"""Speed of the read stage (`dateline.extract(..., facts=False)`) beside trafilatura, in one process.

The read stage parses a page once and reads its text and metadata from that
parse; its baseline is what a user of trafilatura runs for the same result:
`trafilatura.bare_extraction(html, with_metadata=True)`.  Both run on the same
pages in the same process, in interleaved rounds (round 1: Dateline then
trafilatura on every page; round 2 the other way round; ...), and each is
timed in CPU seconds of this process (`time.process_time`), so that a
neighbour's load on a shared machine does not count against either.  Printed:
pages/s of each per round, the ratio Dateline / trafilatura per round, and
the median ratio with its spread (min–max).

Corpora: the 181 HTML pages of the article-extraction benchmark and the 373
pages of trafilatura's metadata evaluation set (both from ../shared/data),
and 500 synthetic plain-text page dumps made from the repository's own
examples with varied chrome (Dateline only: trafilatura reads HTML).

    .venv/bin/python bench/bench_extract.py [--rounds 5] [--corpus html metadata dumps]

A second mode measures memory: `--memory` runs each (corpus, extractor) pair in
its own subprocess and prints its peak resident memory (ru_maxrss).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DUMP_SOURCES = [REPO / "examples" / "article.txt", *sorted((REPO / "tests" / "data").glob("*.txt"))]
N_DUMPS = 500
CORPORA = ("html", "metadata", "dumps")

# Furniture a copy-paste of a news page carries; mixed into the synthetic dumps.
CHROME_TOP = ["Menu", "Skip to content", "Search", "Sign in", "Subscribe", "World", "Business", "Live"]
CHROME_MID = ["Share", "Tweet", "Advertisement", "01:41", "02:37", "Listen to this article", "Photo: Reuters"]
CHROME_END = [
    "Related",
    "Most Read",
    "Trending now",
    "Storm leaves thousands without power along the coast",
    "Markets close higher as oil prices ease",
    "© 2024 The Daily Example. All rights reserved.",
    "Comments (12)",
]


def synthetic_dumps(n: int = N_DUMPS, seed: int = 0) -> list[str]:
    """Page dumps with the same articles under varied chrome: other lines on top, inside and after."""
    rng = random.Random(seed)
    sources = [path.read_text(encoding="utf-8").splitlines() for path in DUMP_SOURCES]
    dumps = []
    for i in range(n):
        lines: list[str] = []
        for line in sources[i % len(sources)]:
            lines.append(line)
            if not line.strip() and rng.random() < 0.3:
                lines += [rng.choice(CHROME_MID), ""]
        top = rng.sample(CHROME_TOP, rng.randint(0, 4))
        end = rng.sample(CHROME_END, rng.randint(0, len(CHROME_END)))
        dumps.append("\n".join([*top, *lines, *end]) + "\n")
    return dumps


def load_corpus(corpus: str) -> list[str]:
    """The pages of a corpus as decoded text (the same strings go to both extractors)."""
    if corpus == "dumps":
        return synthetic_dumps()
    if corpus == "metadata":
        from dateline.eval.metadata import load as load_metadata

        return [page.html for page in load_metadata(SHARED_DATA)]
    from dateline.eval.extraction import load

    return [html for _, html, _ in load(SHARED_DATA)]


def extractor(name: str) -> Callable[[str], object]:
    if name == "dateline":
        import dateline

        def run(page: str) -> object:
            try:
                return dateline.extract(page.encode("utf-8"), facts=False)
            except dateline.DatelineError:
                return None

        return run
    import trafilatura

    return lambda page: trafilatura.bare_extraction(page, with_metadata=True)


def cpu_seconds(run: Callable[[str], object], pages: list[str]) -> float:
    started = time.process_time()
    for page in pages:
        run(page)
    return time.process_time() - started


def interleaved_round(runs: dict[str, Callable[[str], object]], pages: list[str], r: int) -> dict[str, float]:
    """One round over the pages, each page read by every extractor in turn (the first alternating): CPU seconds each."""
    seconds = dict.fromkeys(runs, 0.0)
    names = list(runs)
    for i, page in enumerate(pages):
        for name in names if (i + r) % 2 == 0 else names[::-1]:
            started = time.process_time()
            runs[name](page)
            seconds[name] += time.process_time() - started
    return seconds


def compare(corpus: str, rounds: int) -> None:
    pages = load_corpus(corpus)
    names = ["dateline"] if corpus == "dumps" else ["dateline", "trafilatura"]
    runs = {name: extractor(name) for name in names}
    # imports, caches and lazily loaded data (dateparser's languages) before the clock
    for page in pages[:20]:
        for run in runs.values():
            run(page)
    rates: dict[str, list[float]] = {name: [] for name in names}
    for r in range(rounds):
        seconds = interleaved_round(runs, pages, r)
        for name in names:
            rates[name].append(len(pages) / seconds[name])
        row = "  ".join(f"{name} {rates[name][-1]:6.1f} pages/s" for name in names)
        print(f"{corpus:8} round {r + 1}: {row}", flush=True)
    if len(names) == 2:
        ratios = [d / t for d, t in zip(rates["dateline"], rates["trafilatura"], strict=True)]
        print(
            f"{corpus:8} {len(pages)} pages, {rounds} rounds: dateline / trafilatura.bare_extraction(with_metadata=True)"
            f" = {statistics.median(ratios):.2f}x median (min {min(ratios):.2f}, max {max(ratios):.2f});"
            f" dateline {statistics.median(rates['dateline']):.1f} pages/s,"
            f" trafilatura {statistics.median(rates['trafilatura']):.1f} pages/s (CPU time)"
        )
    else:
        print(
            f"{corpus:8} {len(pages)} pages: dateline {statistics.median(rates['dateline']):.1f} pages/s (CPU time)"
        )


def child(corpus: str, name: str) -> None:
    pages = load_corpus(corpus)
    run = extractor(name)
    seconds = cpu_seconds(run, pages)
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"pages": len(pages), "pages_per_s": len(pages) / seconds, "maxrss_mb": maxrss_mb}))


def memory(corpora: list[str]) -> None:
    print(f"{'corpus':8} {'extractor':12} {'pages':>6} {'maxrss MB':>10}")
    for corpus in corpora:
        for name in ["dateline"] if corpus == "dumps" else ["dateline", "trafilatura"]:
            done = subprocess.run(
                [sys.executable, __file__, "--child", corpus, name],
                capture_output=True,
                text=True,
                check=True,
                cwd=REPO,
            )
            row = json.loads(done.stdout.strip().splitlines()[-1])
            print(f"{corpus:8} {name:12} {row['pages']:>6} {row['maxrss_mb']:>10.1f}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--corpus", nargs="+", choices=CORPORA, default=list(CORPORA))
    parser.add_argument(
        "--memory", action="store_true", help="peak memory of each extractor, one subprocess each"
    )
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(*args.child)
        return 0
    corpora = [
        c
        for c in args.corpus
        if c == "dumps" or (SHARED_DATA / ("extraction" if c == "html" else c)).is_dir()
    ]
    for missing in sorted(set(args.corpus) - set(corpora)):
        print(f"skipping {missing}: {SHARED_DATA} has no such data")
    if args.memory:
        memory(corpora)
        return 0
    for corpus in corpora:
        compare(corpus, args.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
