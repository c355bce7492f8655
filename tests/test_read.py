"""The read stage on page dumps and HTML pages with chrome of several kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

import dateline
from dateline.read.text import is_chrome, is_prose, parse_date
from tests.conftest import DATA, REPO

CHROME_WORDS = ("Download", "Search Trends", "01:41", "Share", "Advertisement", "Most Read")


def test_seed_header_and_body(seed: Path) -> None:
    doc = dateline.extract(seed, facts=False)
    assert doc.title == "Biden: U.S. to end combat mission in Iraq by year end"
    assert doc.published is not None and doc.published.startswith("2021-07-27")
    assert doc.publisher == "CGTN"
    assert len(doc.paragraphs) == 11
    assert doc.text.startswith("U.S. President Joe Biden said on Monday")
    assert doc.text.endswith("training and advising roles for the Iraqi forces.")
    for line in doc.text.split("\n\n"):
        assert line not in ("Download", "01:41", "Search Trends", "CGTN")
    assert doc.language == "en"


def test_example_article() -> None:
    doc = dateline.extract(REPO / "examples" / "article.txt", facts=False)
    assert doc.title == "Harbor authority to close Port Veltra for repairs after storm damage"
    assert doc.published == "2024-03-03T09:15"
    assert doc.publisher == "The Coastal Ledger"
    assert doc.authors == ["Maria Okafor", "Daniel Reyes"]
    assert len(doc.paragraphs) == 7
    assert "02:37" not in doc.text and "Related" not in doc.text and "©" not in doc.text
    assert "Ferry services resume" not in doc.text


@pytest.mark.parametrize(
    ("name", "title", "published", "publisher", "authors", "paragraphs", "last"),
    [
        (
            "dump_council.txt",
            "Council votes to rebuild Elm Street bridge after years of delays",
            "2023-10-14T19:05",
            "Riverside Gazette",
            ["Tom Hale"],
            5,
            "Engineers closed the old bridge",
        ),
        (
            "dump_market.txt",
            "Chipmaker shares tumble as demand outlook dims",
            "2022-11-03T16:40",
            "Harbor Financial Times",
            [],
            3,
            "Analysts at Fenwick Partners",
        ),
    ],
)
def test_other_page_dumps(
    name: str, title: str, published: str, publisher: str, authors: list[str], paragraphs: int, last: str
) -> None:
    doc = dateline.extract(DATA / name, facts=False)
    assert doc.title == title
    assert doc.published == published
    assert doc.publisher == publisher
    assert doc.authors == authors
    assert len(doc.paragraphs) == paragraphs
    assert doc.text.split("\n\n")[-1].startswith(last)
    for chrome in ("Listen to this article", "Advertisement", "Facebook", "Trending", "Photo:", "Copyright"):
        assert chrome not in doc.text


def test_html_page_with_chrome() -> None:
    doc = dateline.extract(DATA / "page_clinic.html", facts=False)
    assert doc.title == "New clinic opens in Bramford"
    assert doc.published is not None and doc.published.startswith("2023-05-09")
    assert doc.publisher == "Northern Echo Review"
    assert doc.authors == ["Sam Whitlock"]
    assert doc.text.startswith("A new health clinic opened in Bramford on Monday")
    assert "That ends today." in doc.text
    for chrome in ("cookies", "Contact us", "Related stories", "Hospital parking", "All rights reserved"):
        assert chrome not in doc.text


def test_paragraph_offsets_point_into_text(seed: Path) -> None:
    doc = dateline.extract(seed, facts=False)
    for p in doc.paragraphs:
        chunk = doc.text[p.start : p.end]
        assert chunk and chunk == chunk.strip() and "\n" not in chunk


def test_published_override() -> None:
    doc = dateline.extract(REPO / "examples" / "article.txt", facts=False, published="2024-03-04")
    assert doc.published == "2024-03-04"


def test_line_classifier() -> None:
    for line in CHROME_WORDS:
        assert is_chrome(line)
    assert is_chrome("© 2021 Example News. All rights reserved.")
    assert not is_chrome("The minister said the talks would resume next week.")
    assert is_prose("The minister said the talks would resume next week.")
    assert not is_prose("Ferry services resume after two-day suspension")


def test_dateline_shapes() -> None:
    assert parse_date("Updated 12:21, 27-Jul-2021") == "2021-07-27T12:21"
    assert parse_date("Published: March 3, 2024") == "2024-03-03"
    assert parse_date("2022-11-03") == "2022-11-03"
    assert parse_date("Biden meets Iraqi leader") is None


def test_id_is_stable_content_hash() -> None:
    a = dateline.extract(REPO / "examples" / "article.txt", facts=False)
    b = dateline.extract((REPO / "examples" / "article.txt").read_text(), facts=False)
    assert a.id == b.id and len(a.id) == 16
