"""Charts of the corpus: Vega-Lite specifications (one source for the web UI and `--png`), terminal sparklines.

The web UI draws these specifications with the vendored vega-embed; the CLI
renders the same ones to PNG with vl-convert (offline: it bundles Vega).  Each
mark links to what it counts: a trend point to the articles of its period, a
chronology mark to the words of its event or quote (`/articles/ID#fact=event-3`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import quote, urlencode

from dateline.errors import DatelineError

if TYPE_CHECKING:
    from dateline.corpus import QuoteEntry, Series, Source, TimelineEntry, Trends

SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
_BLOCKS = " ▁▂▃▄▅▆▇█"
Spec = dict[str, Any]


# ---------- the terminal ----------


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


# ---------- links ----------


def article_link(source: Source) -> str:
    """The page of a source's article, scrolled to the fact's words: /articles/ID#fact=quote-3."""
    return f"/articles/{quote(source.document_id, safe='')}" + (f"#fact={source.fact}" if source.fact else "")


def period_end(start: str, period: str) -> str:
    """Last day of the day, week or month that starts on `start`."""
    first = date.fromisoformat(start)
    if period == "day":
        return start
    if period == "week":
        return (first + timedelta(days=6)).isoformat()
    following = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return (following - timedelta(days=1)).isoformat()


def articles_link(start: str, period: str, **only: str | None) -> str:
    """The list of stored articles of one period (and naming an entity, or holding an event type)."""
    params = {"from": start, "to": period_end(start, period), **{k: v for k, v in only.items() if v}}
    return "/#/?" + urlencode(params)


# ---------- trends ----------


def _counts(trends: Trends, series: Sequence[Series], field: str, link: str) -> list[dict[str, Any]]:
    rows = []
    for s in series:
        for bucket, count in zip(trends.buckets, s.counts, strict=True):
            rows.append(
                {
                    "period": bucket,
                    field: s.name,
                    "count": count,
                    "href": articles_link(bucket, trends.period, **{link: s.key}),
                }
            )
    return rows


def _series_chart(title: str, rows: list[dict[str, Any]], field: str, x: Spec) -> Spec:
    # a click on a legend entry shows that series alone (shift-click adds one), a second click undoes it;
    # each chart's series have their own field name, so that a legend's clicks select in its chart only
    name = field.replace(" ", "_") + "_shown"
    picked = {
        "name": name,
        "select": {"type": "point", "fields": [field], "toggle": "true"},
        "bind": "legend",
    }
    shown = {"param": name, "empty": True}
    encoding = {
        "x": x,
        "y": {
            "field": "count",
            "type": "quantitative",
            "title": title,
            "axis": {"tickMinStep": 1, "format": "d"},
        },
        "color": {
            "field": field,
            "type": "nominal",
            "title": None,
            "legend": {"orient": "right", "labelLimit": 220},
        },
        "opacity": {"condition": {**shown, "value": 1}, "value": 0.08},
        "tooltip": [
            {"field": field, "title": field},
            {"field": "period", "title": "from"},
            {"field": "count", "title": title},
        ],
        "href": {"field": "href"},
    }
    return {
        "title": {"text": title, "anchor": "start"},
        "data": {"values": rows},
        "width": 760,
        "height": 180,
        "encoding": encoding,
        "layer": [
            {"mark": {"type": "line", "strokeWidth": 2}, "params": [picked]},
            # points only where something was counted: a zero is the line's, not a mark over other lines'
            {
                "mark": {"type": "point", "filled": True, "size": 60, "cursor": "pointer"},
                "transform": [{"filter": "datum.count > 0"}],
            },
        ],
    }


def trends_spec(trends: Trends) -> Spec:
    """Articles, entities and event types per period, as three charts over the same periods."""
    x = {
        "field": "period",
        "type": "ordinal",
        "sort": trends.buckets,
        "title": f"{trends.period} starting (only periods holding articles or dated events)",
        "axis": {"labelAngle": -40, "labelOverlap": True},
    }
    articles = [
        {"period": b, "count": n, "href": articles_link(b, trends.period)}
        for b, n in zip(trends.buckets, trends.documents, strict=True)
    ]
    note = f"; {trends.undated} undated articles in no period" if trends.undated else ""
    charts: list[Spec] = [
        {
            "title": {"text": "articles", "anchor": "start"},
            "data": {"values": articles},
            "width": 760,
            "height": 120,
            "mark": {"type": "bar", "cursor": "pointer", "tooltip": True},
            "encoding": {
                "x": x,
                "y": {
                    "field": "count",
                    "type": "quantitative",
                    "title": "articles",
                    "axis": {"tickMinStep": 1, "format": "d"},
                },
                "tooltip": [{"field": "period", "title": "from"}, {"field": "count", "title": "articles"}],
                "href": {"field": "href"},
            },
        }
    ]
    # a chart of no series is left out (it would be an empty frame), and the title says so
    missing = []
    groups = (
        ("articles naming it", trends.entities, "entity", "entity", "entities"),
        ("events", trends.event_types, "event type", "event_type", "events"),
    )
    for title, series, field, link, plural in groups:
        if series:
            charts.append(_series_chart(title, _counts(trends, series, field, link), field, x))
        else:
            missing.append(f"no {plural}")
    if missing:
        note += "; " + " and ".join(missing) + " found"
    return {
        "$schema": SCHEMA,
        "title": {"text": f"Per {trends.period}{note}", "anchor": "start", "fontSize": 14, "offset": 12},
        "config": {"font": "sans-serif", "view": {"stroke": None}},
        "vconcat": charts,
        "resolve": {"scale": {"color": "independent"}},
    }


# ---------- chronology ----------


def precision_of(value: str | None) -> str | None:
    """How precise an ISO date is: year, month or day."""
    if not value:
        return None
    return {4: "year", 7: "month"}.get(len(value[:10]), "day")


def span_of(value: str, precision: str) -> tuple[str, str]:
    """First and last day a date of that precision covers ("2024-03" → 2024-03-01 .. 2024-03-31)."""
    from dateline.corpus.dates import span

    found = span(value)  # weeks ("2023-W46"), quarters and times too
    if found is not None:
        return found.first.isoformat(), found.last.isoformat()
    if precision == "year":
        return f"{value[:4]}-01-01", f"{value[:4]}-12-31"
    if precision == "month":
        first = f"{value[:7]}-01"
        return first, period_end(first, "month")
    return value[:10], value[:10]


def _event_row(entry: TimelineEntry) -> dict[str, Any] | None:
    if not entry.date:
        return None
    precision = getattr(entry, "precision", None) or precision_of(entry.date) or "day"
    start, end = span_of(entry.date, precision)
    summary = getattr(entry, "summary", None) or " ".join(
        x for x in (entry.actor, entry.action, entry.target) if x
    )
    first = entry.sources[0] if entry.sources else None
    return {
        "lane": entry.type or "event",
        "start": start,
        "end": end,
        "date": entry.date,
        "when": getattr(entry, "when", "") or entry.date,
        "precision": precision,
        "modality": entry.modality,
        "certain": entry.modality in ("happened", "reported"),
        "summary": summary,
        "article": (first.title or first.document_id) if first else None,
        "articles": len(entry.sources),
        "href": article_link(first) if first else None,
    }


def _quote_row(entry: QuoteEntry) -> dict[str, Any] | None:
    if not entry.date:
        return None
    first = entry.sources[0] if entry.sources else None
    return {
        "lane": "said",
        "start": entry.date[:10],
        "end": entry.date[:10],
        "date": entry.date,
        "when": entry.date,
        "precision": "day",
        "modality": "said",
        "certain": True,
        "summary": f"{entry.speaker.name if entry.speaker else 'someone'}: {entry.text}",
        "article": (first.title or first.document_id) if first else None,
        "articles": len(entry.sources),
        "href": article_link(first) if first else None,
    }


def chronology_spec(
    events: Sequence[TimelineEntry], quotes: Sequence[QuoteEntry] = (), title: str = "chronology"
) -> Spec:
    """Events (and quotes) on a time axis: a day is a mark, a month or year a bar over its span;
    planned and possible events are hollow and dashed, what happened is filled; each mark links to its words."""
    rows = [r for r in (*map(_event_row, events), *map(_quote_row, quotes)) if r is not None]
    undated = len(events) + len(quotes) - len(rows)
    tooltip = [
        {"field": "when", "title": "date"},
        {"field": "precision", "title": "precise to the"},
        {"field": "modality", "title": "modality"},
        {"field": "summary", "title": "what"},
        {"field": "article", "title": "in"},
        {"field": "articles", "title": "articles"},
    ]
    modality = {
        "field": "modality",
        "type": "nominal",
        "title": "modality",
        "scale": {
            "domain": ["happened", "reported", "said", "planned", "possible", "negated"],
            "range": ["#2958c7", "#0891b2", "#7c3aed", "#d97706", "#db2777", "#667085"],
        },
    }
    dash = {"condition": {"test": "datum.certain", "value": [1, 0]}, "value": [4, 3]}
    fill = {**modality, "legend": None, "condition": {"test": "!datum.certain", "value": "white"}}
    base = {
        "x": {"field": "start", "type": "temporal", "title": "date", **_time_axis(rows)},
        "y": {"field": "lane", "type": "nominal", "title": None},
        "color": modality,
        "tooltip": tooltip,
        "href": {"field": "href"},
    }
    note = f" ({undated} undated, not drawn)" if undated else ""
    return {
        "$schema": SCHEMA,
        "title": {
            "text": title + note,
            "subtitle": "filled: happened or said · hollow, dashed: planned, possible or negated · "
            "a bar spans a month or year when that is all the date says",
            "anchor": "start",
        },
        "config": {"font": "sans-serif"},
        "width": 760,
        "height": {"step": 36},
        "data": {"values": rows},
        "encoding": base,
        "layer": [
            {
                # drag to pan and wheel to zoom along time (the lanes stay put); double-click resets
                "params": [
                    {"name": "zoom", "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"}
                ],
                "transform": [{"filter": "datum.precision !== 'day'"}],
                "mark": {
                    "type": "bar",
                    "height": 10,
                    "cornerRadius": 3,
                    "strokeWidth": 2,
                    "cursor": "pointer",
                },
                "encoding": {
                    "x2": {"field": "end"},
                    "fill": fill,
                    "stroke": modality,
                    "strokeDash": dash,
                    "color": None,
                },
            },
            {
                "transform": [{"filter": "datum.precision === 'day'"}],
                "mark": {"type": "point", "size": 140, "strokeWidth": 2, "cursor": "pointer", "opacity": 1},
                "encoding": {
                    "fill": fill,
                    "stroke": {**modality, "legend": {"orient": "right", "symbolFillColor": "white"}},
                    "strokeDash": dash,
                    "shape": {
                        "condition": {"test": "datum.lane === 'said'", "value": "square"},
                        "value": "circle",
                    },
                    "color": None,
                },
            },
        ],
    }


def _time_axis(rows: list[dict[str, Any]]) -> Spec:
    """A padded domain and one tick per day, week, month or year, so that short spans read as dates."""
    if not rows:
        return {}
    lo = date.fromisoformat(min(r["start"] for r in rows))
    hi = date.fromisoformat(max(r["end"] for r in rows))
    days = (hi - lo).days
    pad = timedelta(days=max(1, days // 20))
    unit = "day" if days <= 14 else "week" if days <= 120 else "month" if days <= 1000 else "year"
    ends = [lo - pad, hi + pad]
    return {
        "scale": {"domain": [{"year": d.year, "month": d.month, "date": d.day} for d in ends]},
        "axis": {
            "format": "%Y-%m-%d" if unit in ("day", "week") else "%Y-%m",
            "labelAngle": -30,
            "tickCount": unit,
        },
    }


# ---------- PNG ----------


def png(spec: Spec, path: Path, scale: float = 1.5) -> None:
    """Draw a specification into a PNG file, offline (vl-convert bundles Vega and its fonts' fallbacks)."""
    try:
        import vl_convert
    except ImportError as exc:
        raise DatelineError("--png needs vl-convert-python: install dateline[plot]") from exc
    try:
        data = vl_convert.vegalite_to_png(vl_spec=spec, scale=scale)
    except Exception as exc:  # vl-convert raises plain ValueErrors with the renderer's words
        reason = "; ".join(line.strip().rstrip(":") for line in str(exc).splitlines()[:2] if line.strip())
        raise DatelineError(f"cannot draw the chart: {reason}") from exc
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise DatelineError(f"cannot write {path}: {exc.strerror or exc}") from exc
