"""Metadata of HTML pages with its evidence: dates, authors, titles, publisher — on pages written for each rule."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import dateline
from dateline.errors import InputError
from dateline.model import Document
from dateline.read.dates import date_in_url, parse_date, parse_iso
from dateline.read.names import is_byline, people, split_byline
from dateline.read.titles import site_keys, strip_site
from dateline.store import Store
from dateline.web import create_app
from tests.conftest import dateline as run_cli

STORY = [
    "The river authority opened the new flood gates at Marlow Weir on Tuesday after three years of work, "
    "ending a long dispute over who would pay for the repairs to the old sluices.",
    "Engineers said the gates can be raised in under ten minutes, against the two hours the old ones needed, "
    "and that the town centre should now stay dry in all but the worst winter storms.",
    "Shop owners on the high street, who lost their stock twice in the floods of the last decade, welcomed "
    "the opening but asked the authority to publish its plans for the next stretch of the embankment.",
]


def page(head: str = "", header: str = "", story: list[str] | None = None, title: str | None = None) -> str:
    """A news page: <head> metadata, a headline with what the site shows under it, the story, a footer."""
    paragraphs = "".join(f"<p>{p}</p>" for p in (STORY if story is None else story))
    return (
        f"<html><head><title>{title or 'Flood gates open at Marlow Weir | Thames Valley Courier'}</title>{head}"
        "</head><body><nav><a href='/'>Home</a> <a href='/news'>News</a></nav><main><article>"
        f"<h1>Flood gates open at Marlow Weir</h1>{header}{paragraphs}</article></main>"
        "<footer><p>© Thames Valley Courier</p></footer></body></html>"
    )


def json_ld(**fields: object) -> str:
    return f'<script type="application/ld+json">{json.dumps({"@type": "NewsArticle", **fields})}</script>'


def meta(name: str, content: str) -> str:
    attribute = "property" if ":" in name else "name"
    return f'<meta {attribute}="{name}" content="{content}">'


def read(html: str, url: str | None = None) -> Document:
    return dateline.read.read_text(html, url=url)


# ---- dates ------------------------------------------------------------------------------------


def test_basic_iso_with_offset_keeps_the_pages_own_day() -> None:
    # 05:50 in Tokyo on 19 June is 20:50 UTC on 18 June: the page's date is the 19th
    doc = read(page(json_ld(datePublished="20180619T055000+0900")))
    assert doc.published == "2018-06-19T05:50+09:00"
    assert doc.metadata.published is not None
    assert (doc.metadata.published.source, doc.metadata.published.key) == ("json-ld", "datePublished")
    assert doc.metadata.published_kind == "published"


def test_utc_stamp_takes_the_local_offset_the_page_also_gives() -> None:
    head = meta("article:published_time", "2022-05-04T03:37:37+00:00")
    header = '<p class="meta"><time datetime="2022-05-03T23:37:37-04:00">Posted late on Tuesday</time></p>'
    doc = read(page(head, header))
    assert doc.published == "2022-05-03T23:37-04:00"


def test_the_date_shown_under_the_headline_wins_over_a_republished_stamp() -> None:
    head = meta("article:published_time", "2022-11-17T10:33:00+00:00")
    doc = read(page(head, '<div class="article-info">09.03.2022</div>'))
    assert doc.published == "2022-03-09"
    evidence = doc.metadata.published
    assert evidence is not None and evidence.source == "text-header"
    assert [a.value for a in evidence.alternatives] == ["2022-11-17T10:33+00:00"]


def test_shown_date_with_the_stated_time_of_the_same_day() -> None:
    head = json_ld(datePublished="2022-12-30T07:00:00+01:00")
    doc = read(page(head, "<span class='date'>30. Dezember 2022</span>"))
    assert doc.published == "2022-12-30T07:00+01:00"
    assert doc.metadata.published is not None and "json-ld:datePublished" in doc.metadata.published.agreeing


def test_publication_date_preferred_to_a_shown_update_date() -> None:
    head = json_ld(datePublished="2021-11-22T18:42:00+01:00", dateModified="2023-01-01T10:00:00+01:00")
    doc = read(page(head, "<time>1. Januar 2023</time>"))
    assert doc.published == "2021-11-22T18:42+01:00"
    assert doc.metadata.published_kind == "published"


def test_modified_date_only_says_so() -> None:
    doc = read(page(meta("og:updated_time", "2022-12-16T17:30:00+01:00")))
    assert doc.published is not None and doc.published.startswith("2022-12-16")
    assert doc.metadata.published_kind == "modified"


def test_date_parsing_shapes() -> None:
    assert parse_iso("2022-05-06T02:00:00.824Z") is not None
    assert parse_iso("2022-05-06T02:00:00.824Z").value == "2022-05-06T02:00+00:00"  # type: ignore[union-attr]
    assert parse_iso("2022-05-03 13:32:45.000000").value == "2022-05-03T13:32"  # type: ignore[union-attr]
    assert parse_iso("2018-06-05T13:14:01+0000").day.isoformat() == "2018-06-05"  # type: ignore[union-attr]
    assert parse_iso("1066-10-14") is None  # not a web page's date
    shown = parse_date("Mittwoch, 7. Dezember 2022")
    assert shown is not None and shown.value == "2022-12-07"
    assert parse_date("Flood gates open") is None
    found = date_in_url("https://example.org/news/2022/05/03/flood-gates/")
    assert found is not None and found.value == "2022-05-03"
    assert date_in_url("https://example.org/news/flood-gates-2022/") is None


# ---- authors ----------------------------------------------------------------------------------


def test_byline_junk_is_cut_from_names() -> None:
    sites = ["Thames Valley Courier", "courier.example"]
    assert people(["By Jane Okafor and Tom Reyes"], sites) == (["Jane Okafor", "Tom Reyes"], [])
    assert people(["View all posts by Jane Okafor"], sites) == (["Jane Okafor"], [])
    assert people(["Zeige alle Beiträge von Petra Lindqvist"], sites) == (["Petra Lindqvist"], [])
    assert people(["Rechtsanwalt Jonas Feld"], sites) == (["Jonas Feld"], [])
    assert people(["Jane Okafor | Staff Writer"], sites) == (["Jane Okafor"], [])
    # a bio fragment after the name
    assert people(["Jane Okafor has worked as a professional photographer since 1999"], sites)[0] == [
        "Jane Okafor"
    ]
    # account names and placeholders are nobody
    assert people(["wordpressadmin"], sites) == ([], [])
    assert people(["Super User"], sites) == ([], [])
    # the publisher and newsrooms are organisations, not people
    assert people(["Thames Valley Courier"], sites) == ([], ["Thames Valley Courier"])
    assert people(["Redacción Courier"], sites) == ([], ["Redacción Courier"])
    assert people(["Ana Ruiz, EFE"], sites) == (["Ana Ruiz"], ["EFE"])
    # each person once
    assert people(["By Jane Okafor", "JANE OKAFOR"], sites)[0] == ["Jane Okafor"]


def test_byline_lines() -> None:
    assert is_byline("von Daniela Marsh")
    assert is_byline("Autor: Sebastian Kroll")
    assert not is_byline("by the river")
    assert not is_byline(STORY[0])
    names = split_byline("Ursula von der Leyen")
    assert [(n.text, n.kind) for n in names] == [("Ursula von der Leyen", "person")]


def test_authors_are_people_with_evidence() -> None:
    head = json_ld(
        datePublished="2024-03-05",
        author=[
            {"@type": "Person", "name": "Jane Okafor"},
            {"@type": "Organization", "name": "Courier Newsroom"},
        ],
        publisher={"@type": "Organization", "name": "Thames Valley Courier"},
    ) + meta("author", "Thames Valley Courier")
    doc = read(page(head, '<p class="byline">By Jane Okafor</p>'))
    assert doc.authors == ["Jane Okafor"]
    assert doc.metadata.author_organizations == ["Courier Newsroom", "Thames Valley Courier"]
    evidence = doc.metadata.authors
    assert evidence is not None and evidence.source == "json-ld"
    assert "byline:class=byline" in evidence.agreeing
    assert 0 < evidence.confidence <= 1


def test_byline_under_the_headline_when_the_page_has_no_metadata() -> None:
    doc = read(page(header="<div class='hero'><span>von Daniela Marsh</span><span>12.03.2024</span></div>"))
    assert doc.authors == ["Daniela Marsh"]
    assert doc.metadata.authors is not None and doc.metadata.authors.source == "text-header"
    assert doc.published == "2024-03-12"


def test_later_author_elements_are_teasers_not_bylines() -> None:
    teasers = "".join(
        f"<div class='teaser'><h3>Other story {i}</h3><span class='author'>By {name}</span></div>"
        for i, name in enumerate(["Carl Benz", "Mia Stone"])
    )
    html = page(header="<span class='author'>By Jane Okafor</span>").replace(
        "</article>", f"</article>{teasers}"
    )
    assert read(html).authors == ["Jane Okafor"]


# ---- titles and publisher ---------------------------------------------------------------------


def test_site_suffixes_are_cut_from_titles() -> None:
    keys = site_keys(["Thames Valley Courier", "courier.example"])
    assert strip_site("Flood gates open — courier.example", keys) == "Flood gates open"
    assert strip_site("Flood gates open | Thames Valley Courier", keys) == "Flood gates open"
    assert strip_site("Thames Valley Courier: Flood gates open", keys) == "Flood gates open"
    # a dash inside the headline stays
    assert (
        strip_site("Flood gates open – and the town stays dry", keys)
        == "Flood gates open – and the town stays dry"
    )


def test_title_without_site_name_and_publisher_from_the_page() -> None:
    head = meta("og:title", "Flood gates open at Marlow Weir | Thames Valley Courier") + meta(
        "og:site_name", "Thames Valley Courier"
    )
    doc = read(page(head))
    assert doc.title == "Flood gates open at Marlow Weir"
    assert doc.publisher == "Thames Valley Courier"
    assert doc.metadata.title is not None and "h1" in doc.metadata.title.agreeing
    assert doc.metadata.publisher is not None and doc.metadata.publisher.key == "og:site_name"


def test_publisher_from_the_title_or_the_domain() -> None:
    doc = read(page(), url="https://www.courier.example/news/flood-gates")
    assert doc.title == "Flood gates open at Marlow Weir"
    # the part of the title that names the site (it holds the domain's name)
    assert doc.publisher == "Thames Valley Courier"
    assert doc.metadata.publisher is not None and doc.metadata.publisher.source == "title"
    doc = read(
        page(title="Flood gates open at Marlow Weir"), url="https://www.courier.example/news/flood-gates"
    )
    assert doc.publisher == "courier.example"
    assert doc.metadata.publisher is not None and doc.metadata.publisher.source == "url"


def test_a_logo_headline_is_the_site_not_the_title() -> None:
    html = (
        page(title="Flood gates open at Marlow Weir | Valley Notes")
        .replace("<main>", "<header><h1>Valley Notes</h1></header><main>", 1)
        .replace("<h1>Flood gates open at Marlow Weir</h1>", "<h2>Flood gates open at Marlow Weir</h2>")
    )
    assert read(html).title == "Flood gates open at Marlow Weir"


# ---- refusing only what is no article ---------------------------------------------------------


def test_real_article_with_little_markup_is_read() -> None:
    body = "<br><br>".join(STORY)
    html = f"<html><head><title>Flood gates</title></head><body><div id='x'><b>Marlow</b><br>{body}</div></body></html>"
    doc = read(html)
    assert "Engineers said the gates" in doc.text


@pytest.mark.parametrize(
    "body",
    [
        # a list of links
        "<ul>"
        + "".join(f"<li><a href='/s{i}'>Story number {i} of the day</a></li>" for i in range(30))
        + "</ul>",
        # a login wall
        "<div class='wall'><h2>Subscribe to continue reading</h2><p>Already a subscriber? Sign in.</p>"
        "<p>Subscribe now for unlimited access to all our articles.</p><form><input name='email'></form></div>",
        # a gallery of captions
        "".join(
            f"<figure><img src='p{i}.jpg'><figcaption>Photo {i}: the weir</figcaption></figure>"
            for i in range(8)
        ),
    ],
    ids=["link-list", "login-wall", "gallery"],
)
def test_pages_without_an_article_are_refused(body: str) -> None:
    with pytest.raises(InputError, match="no article text"):
        read(f"<html><head><title>Courier</title></head><body>{body}</body></html>")


def test_hostile_markup_is_one_clear_error() -> None:
    run = run_cli("extract", "-", stdin=b"<svg><p><p><p<h2>><div")
    assert run.returncode != 0
    assert "Traceback" not in run.stderr and "error" in run.stderr


# ---- the evidence reaches the store and the API -----------------------------------------------


def test_evidence_in_store_and_api(tmp_path: Path) -> None:
    head = json_ld(datePublished="20180619T055000+0900", author={"@type": "Person", "name": "Jane Okafor"})
    doc = dateline.extract(page(head).encode(), facts=False)
    assert doc.metadata.published is not None
    db = tmp_path / "m.duckdb"
    with Store(db) as store:
        store.add([doc])
        stored = store.get(doc.id)
    assert stored is not None and stored.metadata == doc.metadata
    with TestClient(create_app(db, token="")) as client:
        body = client.get(f"/documents/{doc.id}").json()
        assert body["metadata"] == doc.to_dict()["metadata"]
        extracted = client.post("/extract", json={"html": page(head)}).json()
        assert extracted["metadata"]["published"]["key"] == "datePublished"
        assert extracted["metadata"]["authors"]["source"] == "json-ld"


def test_document_of_schema_1_reads_with_empty_evidence() -> None:
    old = dateline.extract(page().encode(), facts=False).to_dict()
    old.pop("metadata")
    old["schema"] = "dateline.document/1"
    assert Document.from_dict(old).metadata.published is None


# ---- the evaluation command on a folder in the same layout ------------------------------------


def test_eval_metadata_takes_any_folder_in_the_layout(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    pages = {
        "https://courier.example/2024/03/05/flood-gates": (
            page(json_ld(datePublished="2024-03-05T09:00:00+00:00") + meta("author", "Jane Okafor")),
            {"date": "2024-03-05", "author": "Jane Okafor", "title": "Flood gates open at Marlow Weir"},
        ),
        # an entry with no metadata fields, only text expectations
        "https://courier.example/about": (page(), {}),
    }
    index = {}
    for i, (url, (html, gold)) in enumerate(pages.items()):
        (tmp_path / "pages" / f"p{i}.html.gz").write_bytes(gzip.compress(html.encode()))
        index[url] = {"file": f"p{i}.html", "with": ["Engineers said"], "without": ["© Thames"], **gold}
    (tmp_path / "evaldata.json").write_text(json.dumps(index), encoding="utf-8")
    run = run_cli("eval", "metadata", "--data", str(tmp_path), "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["f1"] == 1.0 and result["details"]["pages"] == 2
    assert {"name", "precision", "recall", "f1"} <= set(result["baseline"])
    assert set(result["fields"]) == {"date", "authors", "title", "text_with", "text_without"}
    assert result["fields"]["authors"]["dateline read"]["exact"] == 1
    assert result["fields"]["title"]["dateline read"]["same_words"] == 1
    assert result["fields"]["text_with"]["dateline read"]["good"] == 2
    assert any(name.startswith("htmldate") for name in result["fields"]["date"])


def test_eval_metadata_on_the_development_set(shared: Path) -> None:
    run = run_cli("eval", "metadata", "--split", "tune", "--json")
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    fields = result["fields"]
    ours = {f: fields[f]["dateline read"]["accuracy"] for f in fields}
    best_date = max(v["accuracy"] for k, v in fields["date"].items() if k != "dateline read")
    best_authors = max(v["accuracy"] for k, v in fields["authors"].items() if k != "dateline read")
    assert result["f1"] == ours["date"] and result["baseline"]["f1"] == best_date
    assert ours["date"] >= best_date + 0.03
    assert ours["authors"] >= best_authors + 0.03
    assert ours["title"] >= 0.80
    assert result["details"]["refused_real_articles"] == 0
