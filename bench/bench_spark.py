"""Docs/s of the whole flow on N synthetic articles: one process, one process with 2 workers, Spark local[2].

    .venv/bin/python bench/bench_spark.py --n 2000 [--modes single,workers,spark] [--keep DIR]

Each mode runs the command a user would, in a subprocess, end to end (start-up, model
load, JVM, writing the store or the Parquet folders):

- single:  `dateline ingest DIR --db X`            (DuckDB)
- workers: `dateline ingest DIR --db X -j 2`       (spaCy with 2 worker processes)
- spark:   `dateline spark DIR OUT --master local[2]`  (Parquet)

The articles are made from templates (half HTML pages, half plain-text page dumps), every
one different, about 350 words, the length of a short news story.  Timings are wall-clock on
whatever machine runs this; the figures in docs/scaling.md say which.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PLACES = ["Port Veltra", "Dunmere", "Hollin Quay", "Bramford", "Ashcombe", "Kelby", "Marsh Eyot", "Tarrow"]
PEOPLE = ["Helena Marsh", "Ruth Ellery", "Anita Rao", "Tom Ashdown", "Laura Brandt", "Ade Okoro", "Wen Li"]
BODIES = [
    "the harbor authority",
    "the city council",
    "the health board",
    "the transport agency",
    "the ministry",
]
THINGS = ["bridge", "ferry service", "clinic", "library", "rail line", "power station", "school", "market"]
ACTIONS = ["close", "repair", "expand", "sell", "rebuild", "inspect", "merge", "relocate"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "March", "April", "June", "August", "October", "December"]

SENTENCES = [
    "{Body} said on {day} it would {action} the {thing} in {place} by the end of {month}.",
    '"We cannot wait any longer," said {person}, who leads {body}. "People here deserve better."',
    "The work is expected to cost about {money} million and to take {n} weeks, according to a report seen by reporters.",
    "{person} told a news conference that {n} staff would move to a temporary site on the edge of {place}.",
    "Residents said they had been warned {n} times since {month} that the {thing} was no longer safe.",
    "Shares of {Place} Holdings fell {pct}% on {day} after {body} announced the plan.",
    "A spokesperson for {body} declined to say whether the {thing} would reopen before {month}.",
    "Last year {n2} people used the {thing} every day, up from {n} in {year}.",
    "Critics, including {person}, said the decision to {action} the {thing} was taken without consultation.",
    "{Body} plans to publish a full timetable on {day}, {n} days before the work begins.",
]


def article(rng: random.Random, k: int) -> tuple[str, list[str]]:
    slots = {
        "place": rng.choice(PLACES),
        "person": rng.choice(PEOPLE),
        "body": rng.choice(BODIES),
        "thing": rng.choice(THINGS),
        "action": rng.choice(ACTIONS),
        "day": rng.choice(DAYS),
        "month": rng.choice(MONTHS),
        "money": f"{rng.uniform(1, 90):.1f}",
        "n": str(rng.randint(2, 60)),
        "n2": f"{rng.randint(1000, 90000):,}",
        "pct": str(rng.randint(2, 30)),
        "year": str(rng.randint(2005, 2023)),
    }
    slots |= {"Body": slots["body"].capitalize(), "Place": slots["place"]}
    title = f"{slots['Body']} to {slots['action']} {slots['place']} {slots['thing']} (report {k})"
    paragraphs = []
    for _ in range(8):
        picked = rng.sample(SENTENCES, 3)
        paragraphs.append(" ".join(s.format(**slots) for s in picked))
    # the article number makes every text, hence every id, distinct
    paragraphs.append(f"This is report number {k} on the {slots['thing']} in {slots['place']}.")
    return title, paragraphs


def as_html(title: str, paragraphs: list[str], date: str) -> str:
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    return (
        f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>{title} | The Ledger</title>'
        f'<meta property="og:title" content="{title}"><meta property="og:site_name" content="The Ledger">'
        f'<meta property="article:published_time" content="{date}T08:00:00Z"></head><body>'
        f'<nav><a href="/">Home</a> <a href="/news">News</a></nav><main><article><h1>{title}</h1>\n'
        f"{body}\n</article></main><footer>© The Ledger</footer></body></html>\n"
    )


def as_dump(title: str, paragraphs: list[str], date: str) -> str:
    return "\n".join(["NEWS", "Sign in", title, f"Last updated: {date} 09:00", "The Ledger", ""]) + (
        "\n\n".join(paragraphs) + "\n\nTrending now\nOil prices climb\n"
    )


def generate(root: Path, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    for k in range(n):
        title, paragraphs = article(rng, k)
        date = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        folder = root / f"{k // 1000:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        if k % 2:
            (folder / f"{k:06d}.html").write_text(as_html(title, paragraphs, date), encoding="utf-8")
        else:
            (folder / f"{k:06d}.txt").write_text(as_dump(title, paragraphs, date), encoding="utf-8")


TICKS = os.sysconf("SC_CLK_TCK")


def _processes() -> dict[int, tuple[int, float]]:
    """pid → (parent pid, CPU seconds used so far), for every process now running."""
    found = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                # fields after the command name, which may hold spaces, closed by the last ')'
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            found[int(entry.name)] = (int(stat[1]), (int(stat[11]) + int(stat[12])) / TICKS)
    return found


class TreeCpu:
    """CPU seconds of a process and all its descendants (JVM, Python workers), sampled from /proc.

    On a machine shared with other work, wall time says little; the CPU the run itself used
    does not depend on who else is running.  A process that ends between two samples loses at
    most one interval of CPU: the ones that matter here live for the whole run.
    """

    def __init__(self, root: int, interval: float = 0.25) -> None:
        self.root, self.interval = root, interval
        self.used: dict[int, float] = {}
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def _sample(self) -> None:
        while not self.done.wait(self.interval):
            table = _processes()
            tree = {self.root}
            for _ in range(8):  # depth: driver → JVM → daemon → workers, with room to spare
                tree |= {pid for pid, (parent, _) in table.items() if parent in tree}
            for pid in tree & table.keys():
                self.used[pid] = max(self.used.get(pid, 0.0), table[pid][1])

    def stop(self) -> float:
        self.done.set()
        self.thread.join()
        return sum(self.used.values())


def timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and CPU seconds of the command."""
    start = time.perf_counter()
    child = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    cpu = TreeCpu(child.pid)
    _, stderr = child.communicate()
    elapsed = time.perf_counter() - start
    used = cpu.stop()
    if child.returncode != 0:
        sys.exit(f"failed: {' '.join(command)}\n{stderr[-3000:]}")
    return elapsed, used


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--modes", default="single,workers,spark")
    parser.add_argument("--keep", type=Path, help="Write the corpus here (reused if present).")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dateline-bench-"))
    corpus = args.keep or work / "corpus"
    if not corpus.exists() or not any(corpus.iterdir()):
        generate(corpus, args.n)
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in corpus.rglob("*.*"))
    cli = [sys.executable, "-m", "dateline"]
    commands = {
        "single": [*cli, "ingest", str(corpus), "--db", str(work / "single.duckdb")],
        "workers": [*cli, "ingest", str(corpus), "--db", str(work / "workers.duckdb"), "-j", "2"],
        "spark": [
            *cli,
            "spark",
            str(corpus),
            str(work / "out"),
            "--master",
            "local[2]",
            "--conf",
            "spark.ui.enabled=false",
            "--conf",
            "spark.ui.showConsoleProgress=false",
        ],
    }
    results: dict[str, dict[str, float]] = {}
    for mode in args.modes.split(","):
        seconds, cpu = timed(commands[mode])
        results[mode] = {
            "seconds": round(seconds, 1),
            "docs_per_s": round(args.n / seconds, 2),
            "cpu_seconds": round(cpu, 1),
            "cpu_ms_per_doc": round(1000 * cpu / args.n, 1),
        }
        print(f"{mode:8s} {json.dumps(results[mode])}", file=sys.stderr, flush=True)
    overhead = {}
    for base in ("single", "workers"):
        if "spark" in results and base in results:
            overhead[f"vs_{base}"] = {
                "wall": round(results["spark"]["seconds"] / results[base]["seconds"] - 1, 3),
                "cpu": round(results["spark"]["cpu_seconds"] / results[base]["cpu_seconds"] - 1, 3),
            }
    load = os.getloadavg()[0]
    print(
        json.dumps(
            {
                "n": args.n,
                "words": words,
                "load_1min_after": load,
                "results": results,
                "spark_overhead": overhead,
            },
            indent=2,
        )
    )
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
