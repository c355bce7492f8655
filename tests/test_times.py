"""Time expressions: tagging and normalization against the document date."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

import dateline
from dateline.facts.timetags import FUTURE, PAST, UNKNOWN, Anchor, duration, find, weekday_near
from dateline.model import Document
from tests.conftest import DATA
from tests.conftest import dateline as run_cli


def values(doc: Document) -> dict[str, tuple[str, str]]:
    return {t.text: (t.type, t.value) for t in doc.times}


def resolve(
    text: str, day: date | None = date(2021, 7, 27), direction: int = UNKNOWN
) -> list[tuple[str, str, str]]:
    return [(text[c.start : c.end], c.type, c.resolve(Anchor(day, direction)).value) for c in find(text)]


def test_seed_times(seed: Path) -> None:
    doc = dateline.extract(seed)
    found = values(doc)
    assert found["Monday"] == ("DATE", "2021-07-26")
    assert found["April"] == ("DATE", "2021-04")
    assert found["January last year"] == ("DATE", "2020-01")
    assert found["last year"] == ("DATE", "2020")
    assert found["the end of the year"][1] == "2021"
    assert found["2011"] == ("DATE", "2011") and found["2014"] == ("DATE", "2014")
    assert found["eight years"] == ("DURATION", "P8Y")
    assert doc.published == "2021-07-27T12:21"  # "Updated 12:21" lives in the header
    for t in doc.times:
        assert doc.text[t.start : t.end] == t.text


def test_article_with_other_dates() -> None:
    doc = dateline.extract(DATA / "times_harbor.txt")
    found = values(doc)
    assert found["Tuesday"] == ("DATE", "2019-11-12")  # said on Tuesday: the last one (published Thu 14 Nov)
    assert found["next week"] == ("DATE", "2019-W47")
    assert found["September"] == ("DATE", "2019-09")
    assert found["Saturday"] == ("DATE", "2019-11-16")  # scheduled to sail: the coming one
    assert found["five days"] == ("DURATION", "P5D")
    assert found["every day"] == ("SET", "P1D")
    assert found["three weeks"] == ("DURATION", "P3W")
    assert found["last March"] == ("DATE", "2019-03")
    assert found["two years ago"] == ("DATE", "2017")
    assert found["4:30 p.m."][0] == "TIME"
    assert found["last year"] == ("DATE", "2018")
    end = next(t for t in doc.times if t.text == "the end of 2021")
    assert (end.value, end.mod) == ("2021", "END")
    assert "8 percent" not in found


def test_quote_date_hook() -> None:
    from dateline.facts.times import governing_time
    from dateline.nlp import load_pipeline

    nlp = load_pipeline(components=("dateline_times",))
    doc = nlp.make_doc("The minister said on Monday the army will leave the city by the end of the year.")
    doc._.published, doc._.facts = "2021-07-27", {}
    for _, component in nlp.pipeline:
        doc = component(doc)
    said = next(t for t in doc if t.text == "said")
    leave = next(t for t in doc if t.text == "leave")
    assert governing_time(doc, said).value == "2021-07-26"  # type: ignore[union-attr]
    assert governing_time(doc, leave).value == "2021"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("direction", "expected"),
    [(PAST, "2021-07-24"), (FUTURE, "2021-07-31"), (UNKNOWN, "2021-07-24")],
)
def test_weekday_direction(direction: int, expected: str) -> None:
    assert weekday_near(date(2021, 7, 27), 6, direction).isoformat() == expected


def test_shapes() -> None:
    assert resolve("It happened two weeks ago.") == [("two weeks ago", "DATE", "2021-W28")]
    assert resolve("They meet next week.") == [("next week", "DATE", "2021-W31")]
    assert resolve("It opens on Nov. 3.", direction=FUTURE) == [("Nov. 3", "DATE", "2021-11-03")]
    assert resolve("by the end of 2026") == [("the end of 2026", "DATE", "2026")]
    assert resolve("every year") == [("every year", "SET", "P1Y")]
    assert resolve("It lasted five days.") == [("five days", "DURATION", "P5D")]
    assert resolve("a 6-year-old boy") == []
    assert resolve("the third quarter of 2020") == [("the third quarter of 2020", "DATE", "2020-Q3")]
    assert resolve("You may go.") == []


def test_undated_document_stays_unresolved() -> None:
    found = resolve("He left on Monday and returns next week.", day=None)
    assert ("Monday", "DATE", "XXXX-WXX-1") in found
    assert ("next week", "DATE", "XXXX-WXX") in found


def test_durations() -> None:
    assert duration(8, "year") == "P8Y"
    assert duration(2, "decade") == "P20Y"
    assert duration(3, "hour") == "PT3H"
    assert duration(None, "month") == "PXM"
    assert duration(0.5, "year") == "P6M"


def test_eval_time_json(shared: Path) -> None:
    result = run_cli("eval", "time", "--json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"precision", "recall", "f1", "baseline"} <= set(data)
    assert data["baseline"]["name"].startswith("HeidelTime")
    assert data["details"]["gold timexes"] == 138


def test_when_clause_takes_the_time_before_it() -> None:
    from dateline.facts.times import governing_time
    from dateline.nlp import load_pipeline

    nlp = load_pipeline(components=("dateline_times",))
    text = "The plan is a shift from a policy announced in March, when a joint report said the war was over."
    doc = nlp.make_doc(text)
    doc._.published, doc._.facts = "2021-07-27", {}
    for _, component in nlp.pipeline:
        doc = component(doc)
    said = next(t for t in doc if t.text == "said")
    assert governing_time(doc, said).value == "2021-03"  # type: ignore[union-attr]
