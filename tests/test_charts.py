"""The charts' specifications (one source for the UI and --png): what is drawn how, and where marks link."""

from __future__ import annotations

import json
import re

import vl_convert

from dateline.corpus import charts
from dateline.corpus.queries import QuoteEntry, Series, Source, TimelineEntry, Trends
from dateline.model import Reference


def _event(date: str, modality: str, action: str, fact: str) -> TimelineEntry:
    source = Source(
        "d1", "Port article", "2024-03-04", None, "port.txt", fact=fact, start=0, end=10, text="x"
    )
    return TimelineEntry(
        date=date,
        date_from="event",
        action=action,
        text=f"The port will {action}.",
        modality=modality,
        type="movement",
        actor="Port",
        target=None,
        place=None,
        sources=[source],
    )


def test_precision_and_modality_are_drawn_apart() -> None:
    events = [
        _event("2024-03-05", "happened", "close", "event-0"),
        _event("2024-04", "planned", "reopen", "event-1"),
        _event("2025", "possible", "expand", "event-2"),
    ]
    quote = QuoteEntry(
        "2024-03-06",
        Reference("Ana Ruiz", 0, 8, "Ana Ruiz"),
        None,
        "direct",
        "We will reopen.",
        [
            Source(
                "d1",
                "Port article",
                None,
                None,
                None,
                fact="quote-0",
                start=20,
                end=35,
                text="We will reopen.",
            )
        ],
    )
    spec = charts.chronology_spec(events, [quote], title="Port")
    rows = {r["summary"]: r for r in spec["data"]["values"]}
    assert rows["Port close"]["precision"] == "day" and rows["Port close"]["certain"]
    assert (rows["Port reopen"]["start"], rows["Port reopen"]["end"]) == ("2024-04-01", "2024-04-30")
    assert (rows["Port expand"]["start"], rows["Port expand"]["end"]) == ("2025-01-01", "2025-12-31")
    assert not rows["Port reopen"]["certain"] and not rows["Port expand"]["certain"]
    assert rows["Port reopen"]["href"] == "/articles/d1#fact=event-1"
    assert rows["Ana Ruiz: We will reopen."]["href"] == "/articles/d1#fact=quote-0"
    svg = vl_convert.vegalite_to_svg(vl_spec=spec)
    # a month and a year are bars over their span, hollow and dashed: planned and possible
    assert len(re.findall(r'fill="white"', svg)) >= 2
    assert "stroke-dasharray" in svg


def test_undated_entries_are_counted_not_dropped_silently() -> None:
    undated = _event("2024-03-05", "happened", "close", "event-0")
    undated.date = None
    spec = charts.chronology_spec([undated, _event("2024-03-05", "happened", "open", "event-1")], title="T")
    assert len(spec["data"]["values"]) == 1
    assert "(1 undated, not drawn)" in spec["title"]["text"]


def test_a_date_borrowed_from_the_article_says_so_in_the_tooltip() -> None:
    borrowed = _event("2024-03-04", "happened", "close", "event-0")
    borrowed.date_source, borrowed.when = "reported_on", "2024-03-04 (reported on)"
    spec = charts.chronology_spec([borrowed, _event("2024-04", "planned", "reopen", "event-1")], title="T")
    assert [r["when"] for r in spec["data"]["values"]] == ["2024-03-04 (reported on)", "2024-04"]
    tooltips = re.findall(r'"field": "(\w+)", "title": "date"', json.dumps(spec))
    assert tooltips and set(tooltips) == {"when"}


def test_chronology_zooms_and_pans_along_time_only() -> None:
    spec = charts.chronology_spec([_event("2024-03-05", "happened", "close", "event-0")], title="T")
    params = [p for layer in spec["layer"] for p in layer.get("params", [])]
    assert params == [{"name": "zoom", "select": {"type": "interval", "encodings": ["x"]}, "bind": "scales"}]


def test_trend_points_link_to_the_articles_they_count() -> None:
    trends = Trends(
        period="week",
        buckets=["2024-03-04", "2024-04-29"],
        documents=[2, 1],
        entities=[Series("Ana Ruiz (PERSON)", [2, 0], "E1")],
        event_types=[Series("movement", [0, 1], "movement")],
        undated=3,
    )
    spec = charts.trends_spec(trends)
    articles, entities, events = spec["vconcat"]
    assert [r["href"] for r in articles["data"]["values"]] == [
        "/#/?from=2024-03-04&to=2024-03-10",
        "/#/?from=2024-04-29&to=2024-05-05",
    ]
    assert entities["data"]["values"][0]["href"] == "/#/?from=2024-03-04&to=2024-03-10&entity=E1"
    assert events["data"]["values"][1]["href"] == "/#/?from=2024-04-29&to=2024-05-05&event_type=movement"
    assert "3 undated articles in no period" in spec["title"]["text"]
    assert charts.period_end("2024-02-01", "month") == "2024-02-29"
    assert charts.period_end("2024-12-01", "month") == "2024-12-31"
    vl_convert.vegalite_to_svg(vl_spec=spec)  # a valid specification
