"""Speed and peak memory of the read stage (facts off), beside plain trafilatura in the same run.

    .venv/bin/python bench/bench_extract.py [--repeat 2] [--dumps 500]

Each mode runs in its own subprocess so that its peak RSS is its own.  HTML:
the 181 benchmark pages in ../shared/data/extraction (skipped when absent).
Plain text: synthetic page dumps built from the repository's own examples.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PAGES = REPO.parent / "shared" / "data" / "extraction" / "article-extraction-benchmark" / "html"
CHROME = [
    "Share",
    "Download",
    "03:12",
    "Advertisement",
    "Most Read",
    "Listen to this article",
    "Trending now",
]


def html_pages() -> list[str]:
    return [
        gzip.decompress(p.read_bytes()).decode("utf-8", "replace") for p in sorted(PAGES.glob("*.html.gz"))
    ]


def text_dumps(n: int) -> list[str]:
    sources = [REPO / "examples" / "article.txt", *sorted((REPO / "tests" / "data").glob("dump_*.txt"))]
    texts = [s.read_text(encoding="utf-8") for s in sources]
    rng = random.Random(0)
    out = []
    for i in range(n):
        lines = texts[i % len(texts)].splitlines()
        at = rng.randrange(len(lines))
        lines[at:at] = ["", rng.choice(CHROME), ""]
        out.append("\n".join(lines) + f"\n\nThe report was number {i} in the series.\n")
    return out


def run_mode(mode: str, repeat: int, dumps: int) -> dict[str, float]:
    inputs = html_pages() if mode.endswith("html") else text_dumps(dumps)
    if mode.startswith("trafilatura"):
        import trafilatura

        def work(page: str) -> object:
            return trafilatura.extract(page, include_comments=False)
    else:
        from dateline.read import read_text

        def work(page: str) -> object:
            return read_text(page)

    work(inputs[0])  # imports and caches outside the timing
    started = time.perf_counter()
    for _ in range(repeat):
        for page in inputs:
            work(page)
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    mb = sum(len(p.encode()) for p in inputs) / 1e6
    return {
        "items": len(inputs) * repeat,
        "seconds": elapsed,
        "per_s": len(inputs) * repeat / elapsed,
        "mb_per_s": mb * repeat / elapsed,
        "peak_rss_mb": peak,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--dumps", type=int, default=500)
    parser.add_argument("--mode")
    args = parser.parse_args()
    if args.mode:
        print(json.dumps(run_mode(args.mode, args.repeat, args.dumps)))
        return
    modes = ["dateline-text", "trafilatura-text"]
    if PAGES.exists():
        modes = ["dateline-html", "trafilatura-html", *modes]
    else:
        print(f"benchmark pages not found at {PAGES}: HTML modes skipped")
    results = {}
    for mode in modes:
        out = subprocess.run(
            [
                sys.executable,
                __file__,
                "--mode",
                mode,
                "--repeat",
                str(args.repeat),
                "--dumps",
                str(args.dumps),
            ],
            capture_output=True,
            text=True,
            check=True,
        )
        results[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    print(f"{'mode':18s} {'items':>6s} {'items/s':>9s} {'MB/s':>7s} {'peak RSS MB':>12s}")
    for mode, r in results.items():
        print(f"{mode:18s} {r['items']:6.0f} {r['per_s']:9.1f} {r['mb_per_s']:7.2f} {r['peak_rss_mb']:12.0f}")
    for kind in ("html", "text"):
        ours, base = results.get(f"dateline-{kind}"), results.get(f"trafilatura-{kind}")
        if ours and base:
            print(
                f"{kind}: dateline / trafilatura speed ratio {ours['per_s'] / base['per_s']:.2f}, "
                f"memory ratio {ours['peak_rss_mb'] / base['peak_rss_mb']:.2f}"
            )


if __name__ == "__main__":
    main()
