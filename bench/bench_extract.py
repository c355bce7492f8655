"""Speed and memory of the read stage (`dateline.extract(..., facts=False)`) beside plain trafilatura.

Two corpora: the 181 pages of the article-extraction benchmark (HTML, from
../shared/data) and 500 synthetic plain-text page dumps made from the
repository's own examples with varied chrome.  Each (corpus, extractor) pair
runs in its own subprocess so that its peak resident memory (ru_maxrss) is its
own; a second pass under tracemalloc gives the peak of Python allocations.

    .venv/bin/python bench/bench_extract.py

Timings are wall-clock on whatever else the machine is doing; compare the
ratio printed for the same run rather than absolute figures across runs.
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"
DUMP_SOURCES = [REPO / "examples" / "article.txt", *sorted((REPO / "tests" / "data").glob("*.txt"))]
N_DUMPS = 500
EXTRACTORS = ("dateline", "trafilatura")

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
    if corpus == "dumps":
        return synthetic_dumps()
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

    return lambda page: trafilatura.extract(page, include_comments=False)


def child(corpus: str, name: str) -> None:
    pages = load_corpus(corpus)
    run = extractor(name)
    run(pages[0])  # imports and caches loaded before the clock starts
    started = time.perf_counter()
    for page in pages:
        run(page)
    elapsed = time.perf_counter() - started
    maxrss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    base, _ = tracemalloc.get_traced_memory()
    for page in pages:
        run(page)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        json.dumps(
            {
                "pages": len(pages),
                "seconds": elapsed,
                "pages_per_s": len(pages) / elapsed,
                "maxrss_mb": maxrss_mb,
                "traced_peak_mb": (peak - base) / 2**20,
            }
        )
    )


def measure(corpus: str, name: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", corpus, name],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
    )
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> int:
    corpora = ["dumps"]
    if (SHARED_DATA / "extraction").is_dir():
        corpora.insert(0, "html")
    else:
        print(f"skipping the HTML pages: {SHARED_DATA / 'extraction'} not found")
    print(f"{'corpus':8} {'extractor':12} {'pages':>6} {'pages/s':>9} {'maxrss MB':>10} {'traced MB':>10}")
    for corpus in corpora:
        rows = {name: measure(corpus, name) for name in EXTRACTORS}
        for name, row in rows.items():
            print(
                f"{corpus:8} {name:12} {row['pages']:>6} {row['pages_per_s']:>9.1f}"
                f" {row['maxrss_mb']:>10.1f} {row['traced_peak_mb']:>10.1f}"
            )
        ratio = rows["dateline"]["pages_per_s"] / rows["trafilatura"]["pages_per_s"]
        print(f"{corpus:8} speed ratio dateline / trafilatura.extract: {ratio:.2f}")
    return 0


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        sys.exit(main())
