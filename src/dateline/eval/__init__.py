"""`dateline eval AREA`: score a stage on public gold data beside a named baseline."""

from __future__ import annotations

import importlib
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from dateline.errors import DatelineError


@dataclass
class Score:
    name: str
    precision: float
    recall: float
    f1: float
    extra: dict[str, Any] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {"name": self.name, "precision": self.precision, "recall": self.recall, "f1": self.f1}


def analyzed(result: Any) -> Any:
    """A document `nlp.analyze` gave back, or its failure raised: an evaluation scores every document or stops."""
    from dateline.ingest import Failure

    if isinstance(result, Failure):
        raise DatelineError(f"{result.source}: {result.message}")
    return result


def prf(tp: float, fp: float, fn: float) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass
class Result:
    area: str
    system: Score
    baseline: Score
    others: list[Score] = field(default_factory=list)  # further rows (more baselines, published figures)
    details: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    # per-field figures of every system, for areas that score several fields (metadata)
    fields: dict[str, dict[str, Any]] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return ({"fields": self.fields} if self.fields else {}) | {
            "area": self.area,
            "system": self.system.name,
            "precision": self.system.precision,
            "recall": self.system.recall,
            "f1": self.system.f1,
            "baseline": self.baseline.to_json(),
            "others": [s.to_json() | s.extra for s in self.others],
            "details": self.details | self.system.extra,
        }


def render(result: Result, console: Console) -> None:
    table = Table(title=f"dateline eval {result.area}")
    table.add_column("system")
    table.add_column("precision", justify="right")
    table.add_column("recall", justify="right")
    table.add_column("F1", justify="right")
    extra_keys = sorted({k for s in [result.system, result.baseline, *result.others] for k in s.extra})
    for key in extra_keys:
        table.add_column(key, justify="right")
    for score in [result.system, result.baseline, *result.others]:
        extras = [_fmt(score.extra.get(key, "")) for key in extra_keys]
        table.add_row(score.name, _fmt(score.precision), _fmt(score.recall), _fmt(score.f1), *extras)
    console.print(table)
    for name, systems in result.fields.items():
        _render_field(name, systems, console)
    for key, value in result.details.items():
        if _table_of_figures(value):
            _render_field(key, value, console)
        else:
            shown = _fmt(value)
            console.print(f"{key}: {shown if len(shown) <= 400 else '(long: see --json)'}")
    for note in result.notes:
        console.print(note)


def _table_of_figures(value: Any) -> bool:
    """A detail that reads as a table: systems (or parts) each with flat figures, nothing nested."""
    return (
        isinstance(value, dict)
        and bool(value)
        and all(
            isinstance(v, dict) and not any(isinstance(x, (dict, list)) for x in v.values())
            for v in value.values()
        )
    )


def _render_field(name: str, systems: dict[str, dict[str, Any]], console: Console) -> None:
    table = Table(title=name)
    table.add_column("system")
    keys = list(dict.fromkeys(k for figures in systems.values() for k in figures))
    for key in keys:
        table.add_column(key, justify="right")
    for system, figures in systems.items():
        table.add_row(system, *(_fmt(figures.get(key, "")) for key in keys))
    console.print(table)


def _fmt(value: Any) -> str:
    if isinstance(value, float) and math.isnan(value):
        return "—"  # a published figure that gives no such number
    return f"{value:.3f}" if isinstance(value, float) else str(value)


def data_root(data: Path | None) -> Path:
    """Gold data lives beside the repository in ../shared/data; never inside it."""
    if data is not None:
        root = data
    else:
        repo = Path(__file__).resolve().parents[3]
        root = repo.parent / "shared" / "data"
        if not root.exists():
            root = Path.cwd().parent / "shared" / "data"
    if not root.exists():
        raise DatelineError(f"gold data not found at {root} (pass --data DIR)")
    return root


# (data, split, **options): options are an area's own (timeline: out)
Evaluator = Callable[..., Result]

# Each area is a module with `evaluate(root: Path, split: str) -> Result`, imported when asked for.
AREA_MODULES = {
    "extraction": "dateline.eval.extraction",
    "entities": "dateline.eval.entities",
    "time": "dateline.eval.time",
    "events": "dateline.eval.events",
    "quotes": "dateline.eval.quotes",
    "timeline": "dateline.eval.timeline",
    "metadata": "dateline.eval.metadata",
}


def _evaluator(module: str) -> Evaluator:
    def run(data: Path | None, split: str, **options: Any) -> Result:
        evaluate: Evaluator = importlib.import_module(module).evaluate
        return evaluate(data_root(data), split, **options)

    return run


AREAS: dict[str, Evaluator] = {area: _evaluator(module) for area, module in AREA_MODULES.items()}


def _check(data: Path | None, split: str) -> Result:
    # a claim set is its own folder (default: the one shipped in the package); only the articles it
    # names in external.tsv come from the gold data beside the repository
    evaluate: Evaluator = importlib.import_module("dateline.eval.check").evaluate
    return evaluate(data, split)


AREAS["check"] = _check
