"""Score entity timelines across articles: SemEval-2015 Task 4 "TimeLine", Track A (raw texts in).

For each corpus folder (`../shared/data/timeline/README.md` gives the layout): the CAT articles are
read as articles (`eval/cat.py`: title = sentence 0, document date = the date line), analysed by the
normal nlp stage into a fresh store, the corpus is rebuilt, and each target entity's timeline is
built by `dateline.corpus.timeline(store, entity=NAME)` — the code behind `dateline timeline
--entity`.  Each entry becomes one line of the task's format: its mentions (the trigger word of each
source, DOCID-SENTENCE-WORD), its date as the task writes it (2008-03-XX) and an ORDER shared by
entries with the same date.  An entry dated only by its article ("reported_on") is written at that
date and ordered with the rest (`--reported` could leave such entries unordered at 0; measured
choice in docs/evaluation.md).  Scores are temporal awareness (`eval/awareness.py`), micro-averaged
over the targets of a corpus; `f1` is the mean over the test corpora (the trial set counts only
when it is the only corpus).

Besides the score: cross-document event coreference is measured on the gold's own lines (two
mentions from different articles on one gold line are the same event), over the mentions both
sides hold.
"""

from __future__ import annotations

import tempfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from dateline.corpus import dates
from dateline.errors import DatelineError
from dateline.eval import Result, Score, analyzed
from dateline.eval.awareness import Counts, Line, format_timeline, parse_timeline, score
from dateline.eval.cat import Article, article, read_cat

TASK = Path("timeline") / "semeval2015_task4"
BEST_TRACK_A = 0.0785  # the task paper's abstract: best of 13 Track A runs
BEST_TRACK_B = 0.2536  # Navarro-Colorado and Saquete: best with the gold events given
_ARTICLE_FOLDERS = ("corpus_trackA_CAT", "Corpus-trial-data_task4")
_OUTSIDE = ("BEFORE", "AFTER", "ON_OR_BEFORE", "ON_OR_AFTER")
_GOLD_FOLDERS = ("TimeLines_Gold_Standard", "TimeLines_trial_data_task4_v1.2")


@dataclass
class TaskCorpus:
    """One corpus in the task's layout: its articles, its gold timelines and its target entities."""

    name: str
    articles: Path
    gold: Path
    targets: list[str]

    @property
    def trial(self) -> bool:
        return self.articles.name.startswith("Corpus-trial")


@dataclass
class CorpusScore:
    corpus: str
    counts: Counts
    per_target: dict[str, Counts]
    coreference: dict[str, int] = field(default_factory=dict)


def _gold_file(corpus: TaskCorpus, target: str) -> Path | None:
    named = corpus.gold / (target.lower().replace(" ", "_") + ".txt")
    if named.exists():
        return named
    for path in sorted(corpus.gold.glob("*.txt")):
        first = path.read_text(encoding="utf-8", errors="replace").partition("\n")[0].strip()
        if first.lower() == target.lower():
            return path
    return None


def _targets(folder: Path, gold: Path) -> list[str]:
    listed = sorted(folder.glob("list_target_entities*.txt"))
    if listed:
        raw = listed[0].read_text(encoding="utf-8", errors="replace")
        return [line.strip() for line in raw.splitlines() if line.strip()]
    # the trial set lists none: its gold files name their entity on the first line
    return [
        p.read_text(encoding="utf-8", errors="replace").partition("\n")[0].strip()
        for p in sorted(gold.glob("*.txt"))
    ]


def discover(root: Path, depth: int = 4) -> list[TaskCorpus]:
    """Every folder under `root` (itself included) holding task articles and gold timelines."""
    found: list[TaskCorpus] = []
    folders = [root]
    for _ in range(depth + 1):
        following: list[Path] = []
        for folder in folders:
            articles = next((folder / a for a in _ARTICLE_FOLDERS if (folder / a).is_dir()), None)
            gold = next((folder / g for g in _GOLD_FOLDERS if (folder / g).is_dir()), None)
            if articles is not None and gold is not None:
                name = "trial" if articles.name.startswith("Corpus-trial") else folder.name
                found.append(TaskCorpus(name, articles, gold, _targets(folder, gold)))
            following += sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
        folders = following
    return found


def read_articles(folder: Path) -> list[Article]:
    paths = sorted(p for p in folder.iterdir() if p.suffix == ".xml")
    if not paths:
        raise DatelineError(f"no CAT articles (*.xml) in {folder}")
    return [article(read_cat(p), source=p.name) for p in paths]


def _task_date(value: str | None) -> str:
    found = dates.span(value)
    if found is None:
        return "XXXX-XX-XX"
    if found.precision == "year":
        return f"{found.first.year:04d}-XX-XX"
    if found.precision in ("month", "week") and (found.first.year, found.first.month) == (
        found.last.year,
        found.last.month,
    ):
        return f"{found.first.year:04d}-{found.first.month:02d}-XX"
    if found.precision in ("month", "week"):
        return f"{found.first.year:04d}-XX-XX"
    return found.first.isoformat()


def _particle(action: str) -> str | None:
    """The particle of a phrasal verb's action ("show off" -> "off"), which the task joins to the verb."""
    words = action.split()
    return words[-1] if len(words) == 2 and words[-1].isalpha() else None


def task_lines(entries: Iterable[Any], articles: dict[str, Article], reported: str = "ordered") -> list[Line]:
    """Timeline entries in the task's format: one line an entry, an ORDER per distinct date.

    `reported`: "ordered" writes entries dated by their article at that date and orders them;
    "unordered" puts them at ORDER 0 with no date.
    """
    lines: list[Line] = []
    seen: set[str] = set()
    order, last = 0, None
    for entry in entries:
        mentions: list[str] = []
        for source in entry.sources:
            art = articles.get(source.document_id)
            if art is None or not source.fact or not source.fact.startswith("event-"):
                continue
            event = art.document.events[int(source.fact.split("-", 1)[1])]
            mention = art.event_id(event.trigger.start, event.trigger.end, _particle(event.action))
            if mention and mention not in seen:
                seen.add(mention)
                mentions.append(mention)
        if not mentions:
            continue
        # an entry placed only before or after a date is ordered, but not in that date
        outside = entry.date_mod in _OUTSIDE
        written = "XXXX-XX-XX" if outside else _task_date(entry.date)
        if entry.date is None or (entry.date_source == "reported_on" and reported == "unordered"):
            lines.append(Line(0, "XXXX-XX-XX", mentions))
            continue
        key = (entry.date, entry.date_mod)
        if key != last:
            order, last = order + 1, key
        lines.append(Line(order, written, mentions))
    return sorted(lines, key=lambda ln: ln.order)


def _coreference_pairs(lines: Iterable[Line]) -> set[tuple[str, str]]:
    pairs: set[tuple[str, str]] = set()
    for line in lines:
        for i, a in enumerate(line.events):
            for b in line.events[i + 1 :]:
                if a.split("-", 1)[0] != b.split("-", 1)[0]:
                    pairs.add((min(a, b), max(a, b)))
    return pairs


def coreference_counts(gold: list[Line], system: list[Line]) -> dict[str, int]:
    """Cross-document pairs on one line, over the mentions both timelines hold."""
    both = {e for ln in gold for e in ln.events} & {e for ln in system for e in ln.events}
    gold_pairs = {p for p in _coreference_pairs(gold) if p[0] in both and p[1] in both}
    system_pairs = {p for p in _coreference_pairs(system) if p[0] in both and p[1] in both}
    return {
        "gold_pairs": len(gold_pairs),
        "system_pairs": len(system_pairs),
        "matched_pairs": len(gold_pairs & system_pairs),
    }


def build_store(articles: list[Article], path: Path) -> Any:
    """A fresh store holding the analysed articles, its corpus rebuilt: the normal ingest path."""
    from dateline import corpus
    from dateline.nlp import analyze, load_pipeline
    from dateline.store import Store

    analysed = [analyzed(r) for r in analyze([a.document for a in articles], nlp=load_pipeline())]
    for art, document in zip(articles, analysed, strict=True):
        art.document = document
    store = Store(path)
    store.add(analysed)
    corpus.rebuild(store.db)
    return store


def score_corpus(task: TaskCorpus, out: Path | None, reported: str = "ordered") -> CorpusScore:
    from dateline import corpus

    articles = read_articles(task.articles)
    by_id = {a.document.id: a for a in articles}
    total = Counts()
    per_target: dict[str, Counts] = {}
    coref: dict[str, int] = defaultdict(int)
    with tempfile.TemporaryDirectory(prefix="dateline-timeline-") as tmp:
        store = build_store(articles, Path(tmp) / "corpus.duckdb")
        by_id = {a.document.id: a for a in articles}
        try:
            for target in task.targets:
                gold_path = _gold_file(task, target)
                gold = parse_timeline(gold_path.read_text(encoding="utf-8"))[1] if gold_path else []
                system = task_lines(corpus.timeline(store, entity=target), by_id, reported)
                if out is not None:
                    folder = out / task.name
                    folder.mkdir(parents=True, exist_ok=True)
                    name = gold_path.name if gold_path else target.lower().replace(" ", "_") + ".txt"
                    (folder / name).write_text(format_timeline(target, system), encoding="utf-8")
                counts = score(gold, system)
                per_target[target] = counts
                total = total + counts
                for k, v in coreference_counts(gold, system).items():
                    coref[k] += v
        finally:
            store.close()
    return CorpusScore(task.name, total, per_target, dict(coref))


def _corpus_json(s: CorpusScore) -> dict[str, Any]:
    c = s.coreference
    return {
        "precision": s.counts.precision,
        "recall": s.counts.recall,
        "f1": s.counts.f1,
        "targets": {
            t: {"precision": v.precision, "recall": v.recall, "f1": v.f1} for t, v in s.per_target.items()
        },
        "coreference": {
            **c,
            "precision": c["matched_pairs"] / c["system_pairs"] if c.get("system_pairs") else 0.0,
            "recall": c["matched_pairs"] / c["gold_pairs"] if c.get("gold_pairs") else 0.0,
        },
    }


def _pairs(counts: dict[str, int]) -> str:
    return f"{counts.get('matched_pairs', 0)}/{counts.get('system_pairs', 0)}/{counts.get('gold_pairs', 0)}"


def _mean(values: list[float]) -> float:
    return sum(values) / len(values)


class Published(Score):
    """A published figure: only its F1 is known."""

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "precision": None, "recall": None, "f1": self.f1}


def evaluate(root: Path, split: str = "all", out: Path | None = None, reported: str = "ordered") -> Result:
    if split not in ("all", "tune", "heldout"):
        raise DatelineError(f"unknown split {split!r}: use all, tune (the trial set) or heldout")
    base = root / TASK if (root / TASK).is_dir() else root
    corpora = discover(base)
    if split == "tune":
        corpora = [c for c in corpora if c.trial]
    elif split == "heldout":
        corpora = [c for c in corpora if not c.trial]
    if not corpora:
        raise DatelineError(
            f"no SemEval-2015 Task 4 corpus under {base} (a folder with corpus_trackA_CAT/ and "
            "TimeLines_Gold_Standard/ and list_target_entities_*.txt)"
        )
    scores = [score_corpus(c, out, reported) for c in corpora]
    counted = [s for s, c in zip(scores, corpora, strict=True) if not c.trial] or scores
    system = Score(
        "dateline timeline --entity (Track A)",
        _mean([s.counts.precision for s in counted]),
        _mean([s.counts.recall for s in counted]),
        _mean([s.counts.f1 for s in counted]),
    )
    nan = float("nan")
    return Result(
        area="timeline",
        system=system,
        baseline=Published("best SemEval-2015 Track A run (published)", nan, nan, BEST_TRACK_A),
        others=[
            *(
                Score(
                    f"corpus {s.corpus}",
                    s.counts.precision,
                    s.counts.recall,
                    s.counts.f1,
                    extra={"coref pairs right/ours/gold": _pairs(s.coreference)},
                )
                for s in scores
            ),
            Published("best Track B run, gold events given (published)", nan, nan, BEST_TRACK_B),
        ],
        details={
            "split": split,
            "mean_over": [s.corpus for s in counted],
            "reported_on": reported,
            "corpora": {s.corpus: _corpus_json(s) for s in scores},
        },
        notes=[
            "temporal awareness over the relations each timeline implies (eval/awareness.py), micro-averaged"
            " over target entities; f1 is the mean over the corpora in mean_over.",
            "SemEval-2015 Task 4 data: CC BY 3.0, (c) 2015 FBK, VUA, EHU (Minard et al. 2015).",
        ],
    )
