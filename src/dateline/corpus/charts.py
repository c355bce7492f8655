"""Trends drawn: one line of block characters per series for the terminal, a PNG with matplotlib."""

from __future__ import annotations

from pathlib import Path

from dateline.corpus.queries import Series, Trends
from dateline.errors import DatelineError

_BLOCKS = " ▁▂▃▄▅▆▇█"


def sparkline(counts: list[int], scale: int | None = None) -> str:
    top = scale or max(counts, default=0)
    if top <= 0:
        return _BLOCKS[0] * len(counts)
    # any count above zero shows, however small beside the peak
    return "".join(_BLOCKS[0] if c <= 0 else _BLOCKS[max(1, round(c / top * 8))] for c in counts)


def squeeze(counts: list[int], step: int) -> list[int]:
    """Sums of `step` consecutive buckets, so a long period fits the terminal."""
    return [sum(counts[i : i + step]) for i in range(0, len(counts), step)]


def step_for(buckets: int, columns: int = 60) -> int:
    return max(1, -(-buckets // columns))


def lines(trends: Trends, label_width: int = 28, columns: int = 60) -> list[tuple[str, str, int]]:
    """(label, sparkline, total) rows: articles, then entities, then event types; one character per `step_for` buckets."""
    step = step_for(len(trends.buckets), columns)
    rows = [("articles", sparkline(squeeze(trends.documents, step)), sum(trends.documents))]
    for title, group in (("entity", trends.entities), ("event", trends.event_types)):
        rows += [
            (f"{title}: {s.name}"[:label_width], sparkline(squeeze(s.counts, step)), s.total) for s in group
        ]
    return rows


def png(trends: Trends, path: Path) -> None:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise DatelineError("--png needs matplotlib: install dateline[plot]") from exc
    panels: list[tuple[str, list[Series]]] = [
        ("articles", [Series("articles", trends.documents)]),
        ("entities (articles naming them)", trends.entities),
        ("event types", trends.event_types),
    ]
    figure, axes = plt.subplots(len(panels), 1, figsize=(10, 9), sharex=True)
    x = list(range(len(trends.buckets)))
    for axis, (title, series) in zip(axes, panels, strict=True):
        for s in series:
            axis.plot(x, s.counts, marker="o", markersize=3, label=s.name)
        axis.set_title(title, loc="left", fontsize=10)
        if len(series) > 1:
            axis.legend(fontsize=7, loc="upper left", ncol=2)
    step = max(1, len(x) // 12)
    axes[-1].set_xticks(x[::step], trends.buckets[::step], rotation=45, ha="right", fontsize=8)
    axes[-1].set_xlabel(f"{trends.period} starting")
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
