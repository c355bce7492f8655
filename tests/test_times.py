"""Times: tagging and normalization against the article's date, anchoring, governing time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from dateline.facts.times import governing_time
from dateline.model import Document, Time
from dateline.nlp.pipeline import analyze_one, load_pipeline
from tests.conftest import DATA, dateline


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def times_of(nlp: Language, text: str, published: str | None) -> list[Time]:
    return analyze_one(Document(id="t", text=text, published=published), nlp=nlp).times


def value_of(nlp: Language, text: str, phrase: str, published: str | None = "2019-03-14") -> Time:
    found = [t for t in times_of(nlp, text, published) if t.text == phrase]
    assert found, f"{phrase!r} not tagged in {text!r}: {times_of(nlp, text, published)}"
    return found[0]


def test_offsets_are_the_expression_words(nlp: Language) -> None:
    text = (DATA / "times_harbour.txt").read_text(encoding="utf-8")
    times = times_of(nlp, text, "2019-03-14")
    assert times
    for time in times:
        assert text[time.start : time.end] == time.text


# 2019-03-14 is a Thursday
@pytest.mark.parametrize(
    ("text", "phrase", "value"),
    [
        ("The mayor entered the town on Wednesday.", "Wednesday", "2019-03-13"),
        ("The mayor will enter the town on Wednesday.", "Wednesday", "2019-03-20"),
        ("The ferry is scheduled to leave on Saturday.", "Saturday", "2019-03-16"),
        ("The ferry left on Saturday.", "Saturday", "2019-03-09"),
        ("The ferry is leaving on Saturday.", "Saturday", "2019-03-16"),
        ("He said Thursday that he was tired.", "Thursday", "2019-03-14"),
    ],
)
def test_weekday_direction_follows_tense(nlp: Language, text: str, phrase: str, value: str) -> None:
    time = value_of(nlp, text, phrase)
    assert (time.type, time.value, time.anchored) == ("DATE", value, True)
    assert time.anchor == "2019-03-14"


@pytest.mark.parametrize(
    ("text", "phrase", "kind", "value", "mod"),
    [
        ("Inspectors came two weeks ago.", "two weeks ago", "DATE", "2019-W09", None),
        ("Three years ago the pier was rebuilt.", "Three years ago", "DATE", "2016", None),
        ("A review is planned for next week.", "next week", "DATE", "2019-W12", None),
        ("It should pay for itself by the end of 2026.", "the end of 2026", "DATE", "2026", "END"),
        ("Sales fell last October.", "last October", "DATE", "2018-10", None),
        ("The plan was agreed on Nov. 3.", "Nov. 3", "DATE", "2018-11-03", None),
        ("Talks resume in the first quarter.", "the first quarter", "DATE", "2019-Q1", None),
        ("It happened in the 1990s.", "the 1990s", "DATE", "199X", None),
        ("The pier was closed for five days.", "five days", "DURATION", "P5D", None),
        ("The firm has run it for eight years.", "eight years", "DURATION", "P8Y", None),
        ("The journey takes 90 minutes.", "90 minutes", "DURATION", "PT90M", None),
        ("It has waited more than a decade.", "more than a decade", "DURATION", "P10Y", "MORE_THAN"),
        ("The board meets every year.", "every year", "SET", "P1Y", None),
        ("The market opens every Monday.", "every Monday", "SET", "XXXX-WXX-1", None),
        ("Ferries run twelve sailings a day.", "a day", "SET", "P1D", None),
        ("The vote closes at 12:21 today.", "12:21 today", "TIME", "2019-03-14T12:21", None),
        ("The blast came at 3 p.m. on Tuesday.", "3 p.m. on Tuesday", "TIME", "2019-03-12T15:00", None),
        ("Protesters gathered on Monday morning.", "Monday morning", "TIME", "2019-03-11TMO", None),
        ("The crowd dispersed last night.", "last night", "TIME", "2019-03-13TNI", None),
        ("Prices are high now.", "now", "DATE", "PRESENT_REF", None),
    ],
)
def test_normalization(
    nlp: Language, text: str, phrase: str, kind: str, value: str | None, mod: str | None
) -> None:
    if value is None:
        pytest.skip("fractional spoken amounts are not parsed yet")
    time = value_of(nlp, text, phrase)
    assert (time.type, time.value, time.mod) == (kind, value, mod)


def test_not_times(nlp: Language) -> None:
    text = "May we go? A 6-year-old boy and 2,500 troops watched the daily newspaper's 2011 people count."
    tagged = {t.text for t in times_of(nlp, text, "2019-03-14")}
    assert "May" not in tagged
    assert not any("6-year" in t for t in tagged)
    assert "daily" not in tagged


def test_undated_document_keeps_relative_values_unresolved(nlp: Language) -> None:
    text = "The mayor said on Tuesday that the pier, built in 2016, had closed last year and two weeks ago."
    by_text = {t.text: t for t in times_of(nlp, text, None)}
    assert (by_text["Tuesday"].value, by_text["Tuesday"].anchored) == ("XXXX-WXX-2", False)
    assert (by_text["last year"].value, by_text["last year"].anchored) == ("XXXX", False)
    assert by_text["two weeks ago"].value == "XXXX-WXX"
    assert (by_text["2016"].value, by_text["2016"].anchored) == ("2016", True)


def test_narrative_reference_time(nlp: Language) -> None:
    text = (DATA / "times_flood.txt").read_text(encoding="utf-8")
    by_text = {t.text: t for t in times_of(nlp, text, "2020-01-10")}
    assert by_text["3 June 2015"].value == "2015-06-03"
    # anaphoric expressions move from the narrative's own dates, not from the article's
    assert (by_text["Two days later"].value, by_text["Two days later"].anchor) == ("2015-06-05", "2015-06-03")
    assert by_text["the following week"].value == "2015-W24"
    assert by_text["the autumn of 2015"].value == "2015-FA"
    assert by_text["a year later"].value == "2019"
    # deictic ones still use the article's date
    assert by_text["next month"].value == "2020-02"
    assert by_text["10:15 on Friday"].value == "2020-01-10T10:15"


HARBOUR = {
    "Tuesday": ("DATE", "2019-03-12"),
    "Saturday": ("DATE", "2019-03-16"),
    "2016": ("DATE", "2016"),
    "three years": ("DURATION", "P3Y"),
    "Last October": ("DATE", "2018-10"),
    "6:30 a.m.": ("TIME", "2019-03-16T06:30"),
    "every day": ("SET", "P1D"),
    "Two weeks ago": ("DATE", "2019-W09"),
    "the end of April": ("DATE", "2019-04"),
    "Wednesday morning": ("TIME", "2019-03-13TMO"),
    "the end of 2026": ("DATE", "2026"),
    "next week": ("DATE", "2019-W12"),
    "March last year": ("DATE", "2018-03"),
    "five days": ("DURATION", "P5D"),
    "eight years": ("DURATION", "P8Y"),
}


def test_article_with_other_dates(nlp: Language) -> None:
    text = (DATA / "times_harbour.txt").read_text(encoding="utf-8")
    found = {t.text: (t.type, t.value) for t in times_of(nlp, text, "2019-03-14")}
    for phrase, expected in HARBOUR.items():
        assert found.get(phrase) == expected, phrase


def _parsed(nlp: Language, text: str, published: str) -> Doc:
    doc = nlp.make_doc(text)
    doc._.published = published
    doc._.facts = {}
    return nlp(doc)


def test_governing_time(nlp: Language) -> None:
    doc = _parsed(
        nlp,
        "The mayor, who entered the town on Wednesday, said the ferry is scheduled to leave on Saturday. "
        "Officials said Friday that the bridge would reopen. The attack on Monday killed four people.",
        "2019-03-14",
    )
    verbs = {t.text: t for t in doc if t.pos_ in ("VERB", "NOUN")}

    def governed(word: str) -> str | None:
        time = governing_time(doc, verbs[word])
        return time.value if time else None

    assert governed("entered") == "2019-03-13"
    assert governed("leave") == "2019-03-16"
    # the relative clause's time is not the main clause's
    assert governed("scheduled") is None
    assert governed("Officials") is None
    # planned under a past report: no date inherited
    assert governed("reopen") is None
    assert governed("attack") == "2019-03-11"


def test_governing_time_inherits_into_reported_clause(nlp: Language) -> None:
    doc = _parsed(nlp, "Police said on Tuesday that the suspect fled.", "2019-03-14")
    fled = next(t for t in doc if t.text == "fled")
    time = governing_time(doc, fled)
    assert time is not None and time.value == "2019-03-12"


def test_seed_times(seed: Path, nlp: Language) -> None:
    import dateline

    document = dateline.extract(seed, facts=False)
    assert (document.published or "").startswith("2021-07-27")
    found = {(t.text, t.value) for t in analyze_one(document, nlp=nlp).times}
    by_text: dict[str, set[str]] = {}
    for text, value in found:
        by_text.setdefault(text, set()).add(value)
    assert by_text["Monday"] == {"2021-07-26"}
    assert by_text["April"] == {"2021-04"}
    assert by_text["January last year"] == {"2020-01"}
    assert by_text["last year"] == {"2020"}
    assert by_text["the end of the year"] <= {"2021", "2021-12"}
    assert by_text["2011"] == {"2011"} and by_text["2014"] == {"2014"}
    assert by_text["eight years"] == {"P8Y"}
    assert "01:41" not in by_text  # the video player's running time


def test_eval_time_json(shared: Path) -> None:
    result = dateline("eval", "time", "--json", "--data", str(shared / "data"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["area"] == "time"
    for key in ("precision", "recall", "f1", "baseline", "others", "details"):
        assert key in data
    assert data["details"]["gold"] == 138
    assert 0.5 < data["f1"] <= 1.0
    assert data["f1"] > data["baseline"]["f1"]
    assert "strict F1" in data["details"] and "relaxed F1" in data["details"]
    assert "meantime_value_f1" in data["details"]


def test_times_survive_two_processes(nlp: Language) -> None:
    from dateline.nlp.pipeline import analyze

    texts = [(DATA / name).read_text(encoding="utf-8") for name in ("times_harbour.txt", "times_flood.txt")]

    def documents() -> list[Document]:
        return [Document(id=str(i), text=t, published="2019-03-14") for i, t in enumerate(texts)]

    single = [d.times for d in analyze(documents(), nlp=nlp)]
    double = [d.times for d in analyze(documents(), nlp=nlp, n_process=2, batch_size=1)]
    assert single == double
    assert all(isinstance(t, Time) for times in double for t in times)


def test_impossible_dates_and_empty_text(nlp: Language) -> None:
    text = "On Feb. 30 and on 2013-02-30 the clocks read 25:61. Feb. 29 was a leap day."
    tagged = {t.text: t.value for t in times_of(nlp, text, "2024-03-05")}
    assert "Feb. 30" not in tagged and "2013-02-30" not in tagged and "25:61" not in tagged
    assert tagged["Feb. 29"] == "2024-02-29"
    assert times_of(nlp, "", "2024-03-05") == []


@pytest.mark.parametrize(
    ("phrase", "value", "mod"),
    [("the 90s", "199X", None), ("the late 80s", "198X", "END"), ("the early 1990s", "199X", "START")],
)
def test_decades(nlp: Language, phrase: str, value: str, mod: str | None) -> None:
    time = value_of(nlp, f"Prices rose in {phrase}.", phrase)
    assert (time.value, time.mod) == (value, mod)
