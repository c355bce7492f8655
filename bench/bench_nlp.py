"""Cost of the `nlp` stage: bare `nlp.pipe` of the base model vs. the Dateline pipeline (fact components).

    .venv/bin/python bench/bench_nlp.py [--rounds 5] [--repeat 8] [--processes 1] [--cumulative]
        [--texts DIR]

Each run is a fresh subprocess that loads its pipeline, warms it up on a few texts, then
times `nlp.pipe` over all of them: CPU seconds (its own and its worker processes'), wall
seconds, and its peak RSS.  Rounds are interleaved — every round runs every pipeline once,
in a rotated order — and each round's ratio to the bare model is taken within the round, so
a busy machine weighs on both sides alike; the report gives the median and the spread
(min–max) of those ratios.  `--cumulative` adds the fact components one at a time, in
pipeline order, to give the cost of each.  Texts: the articles in tests/data (and the seed
when ../shared is beside the repo), `--repeat` times; or the `.txt` files of `--texts DIR`.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def texts(repeat: int, folder: Path | None) -> list[str]:
    if folder is not None:
        files = sorted(folder.rglob("*.txt"))
    else:
        files = sorted((REPO / "tests" / "data").glob("*.txt"))
        seed = REPO.parent / "shared" / "seed"
        if seed.is_dir():
            files += sorted(seed.glob("*.txt"))
    return [f.read_text(encoding="utf-8") for f in files] * repeat


def worker(components: int, docs: list[str], processes: int) -> dict[str, float]:
    """One timed run (in its own process): the base model plus the first `components` fact components."""
    import spacy

    from dateline.nlp.pipeline import DEFAULT_MODEL, fact_components, load_pipeline

    names = fact_components()[:components]
    nlp = load_pipeline(components=names) if names else spacy.load(DEFAULT_MODEL)
    for _ in nlp.pipe(docs[:4]):  # warm up: data tables, first allocations
        pass
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu, wall = time.process_time(), time.perf_counter()
    for _ in nlp.pipe(docs, n_process=processes, batch_size=32):
        pass
    wall = time.perf_counter() - wall
    cpu = time.process_time() - cpu
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, after.ru_maxrss)
    return {"cpu": cpu, "wall": wall, "rss_mb": peak / 1024}


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=8)
    parser.add_argument("--processes", type=int, default=1)
    parser.add_argument("--texts", type=Path, help="A folder of .txt articles instead of the test articles.")
    parser.add_argument("--cumulative", action="store_true", help="Add the fact components one at a time.")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)  # one timed run, in a subprocess
    args = parser.parse_args()
    docs = texts(args.repeat, args.texts)
    if args.worker is not None:
        print(json.dumps(worker(args.worker, docs, args.processes)))
        return

    from dateline.nlp.pipeline import fact_components

    names = fact_components()
    steps = list(range(len(names) + 1)) if args.cumulative else [0, len(names)]
    label = {n: f"+ {names[n - 1]}" if n else "bare model" for n in steps}
    if not args.cumulative:
        label[len(names)] = "dateline nlp (all facts)"
    runs: dict[int, list[dict[str, float]]] = {n: [] for n in steps}
    command = [sys.executable, __file__, "--repeat", str(args.repeat), "--processes", str(args.processes)]
    if args.texts:
        command += ["--texts", str(args.texts)]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    for r in range(args.rounds):
        for n in steps[r % len(steps) :] + steps[: r % len(steps)]:
            done = subprocess.run([*command, "--worker", str(n)], capture_output=True, text=True, env=env)
            if done.returncode != 0:
                sys.exit(done.stderr[-3000:])
            runs[n].append(json.loads(done.stdout.splitlines()[-1]))
            got = runs[n][-1]
            print(
                f"round {r + 1} {label[n]:<28} cpu {got['cpu']:7.2f}s wall {got['wall']:7.2f}s "
                f"rss {got['rss_mb']:5.0f}MB load {os.getloadavg()[0]:.1f}",
                file=sys.stderr,
                flush=True,
            )
    words = sum(len(t.split()) for t in docs)
    print(f"documents: {len(docs)}, words: {words}, processes: {args.processes}, rounds: {args.rounds}")
    print(
        f"{'pipeline':<28}{'CPU s median':>13}{'wall s median':>15}{'RSS MB':>8}  CPU vs bare, median (min–max)"
    )
    bare = runs[0]
    for n in steps:
        cpu = [x["cpu"] / b["cpu"] - 1 for x, b in zip(runs[n], bare, strict=True)]
        print(
            f"{label[n]:<28}{statistics.median(x['cpu'] for x in runs[n]):>13.2f}"
            f"{statistics.median(x['wall'] for x in runs[n]):>15.2f}"
            f"{statistics.median(x['rss_mb'] for x in runs[n]):>8.0f}  {spread([100 * c for c in cpu])} %"
        )


if __name__ == "__main__":
    main()
