"""The REST API through FastAPI's TestClient: the same answers as the library, a page at a time."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

import dateline
from dateline import corpus
from dateline.model import SCHEMA
from dateline.store import Store
from dateline.web import create_app
from tests.web_data import build

TOKEN = "s3cret-token"
ARTICLE = (
    "The harbor council voted on Monday to close Port Veltra for repairs.\n\n"
    "Council leader Ana Ruiz said the port would reopen in May after engineers checked the quays."
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build(tmp_path / "web.duckdb")


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, token="")) as c:
        yield c


def entity_id(client: TestClient, name: str) -> str:
    items = client.get("/entities", params={"q": name}).json()["items"]
    return str(next(e["id"] for e in items if e["name"] == name))


def test_extract_is_the_python_api(client: TestClient) -> None:
    response = client.post("/extract", json={"text": ARTICLE, "published": "2024-03-04"})
    assert response.status_code == 200, response.text
    body = response.json()
    expected = dateline.extract(ARTICLE.encode(), published="2024-03-04").to_dict()
    assert body["schema"] == SCHEMA
    assert body["id"] == expected["id"] and body["text"] == expected["text"]
    assert body["published"] == "2024-03-04"
    for kind in ("entities", "quotes", "times", "quantities", "events"):
        assert body[kind] == expected[kind]
    # every fact still points at its own words after the trip through JSON
    spans = [f for k in ("quotes", "times", "quantities", "events") for f in body[k]]
    spans += [m for e in body["entities"] for m in e["mentions"]]
    for span in spans:
        assert body["text"][span["start"] : span["end"]] == span["text"]


def test_extract_html(client: TestClient) -> None:
    page = (
        "<html><head><title>Port closes</title></head><body><article>"
        + "".join(f"<p>{p}</p>" for p in ARTICLE.split("\n\n"))
        + "</article></body></html>"
    )
    body = client.post("/extract", json={"html": page}).json()
    assert body["title"] == "Port closes"
    assert body["text"].startswith("The harbor council voted")


def test_documents_paginated(client: TestClient, db: Path) -> None:
    first = client.get("/documents", params={"limit": 2}).json()
    assert first["total"] == 5 and first["limit"] == 2 and first["offset"] == 0 and len(first["items"]) == 2
    rest = client.get("/documents", params={"limit": 2, "offset": 2}).json()["items"]
    last = client.get("/documents", params={"limit": 2, "offset": 4}).json()["items"]
    ids = [d["id"] for d in first["items"] + rest + last]
    with Store(db, read_only=True) as store:
        assert sorted(ids) == sorted(d.id for d in store.documents())
    one = client.get(f"/documents/{ids[0]}").json()
    with Store(db, read_only=True) as store:
        stored = store.get(ids[0])
    assert stored is not None and one == stored.to_dict()


def test_entity_page_has_its_quotes_and_events(client: TestClient) -> None:
    body = client.get(f"/entities/{entity_id(client, 'Joe Biden')}").json()
    assert body["entity"]["name"] == "Joe Biden"
    said = {(q["date"], q["text"]) for q in body["quotes"]}
    # the wire copy repeats one quote: it is one entry, and Hunter Biden's words are not his
    assert said == {
        ("2024-03-04", "We will keep our promises to Iraq."),
        ("2024-03-05", "Iraq deserves a stable future"),
    }
    assert [(e["date"], e["action"], e["target"]) for e in body["events"]] == [
        ("2024-03-05", "visit", "Baghdad")
    ]
    assert {d["title"] for d in body["documents"]} >= {"Biden in Baghdad", "President Biden makes Iraq trip"}


def _plain(items: list[Any]) -> list[dict[str, Any]]:
    return [asdict(i) for i in items]


def test_corpus_endpoints_call_the_library(client: TestClient, db: Path) -> None:
    with Store(db, read_only=True) as store:
        quotes = _plain(corpus.quotes(store, speaker="Biden", since="2024-03-05"))
        timeline = _plain(corpus.timeline(store, entity="Baghdad"))
        hits = _plain(corpus.search(store, "Baghdad Iraq", limit=1000))
        trends = asdict(corpus.trends(store, period="day", top=3))
    got = client.get("/quotes", params={"speaker": "Biden", "from": "2024-03-05"}).json()
    assert got["items"] == quotes and got["total"] == len(quotes) and quotes
    assert client.get("/timeline", params={"entity": "Baghdad"}).json()["items"] == timeline
    assert client.get("/search", params={"q": "Baghdad Iraq"}).json()["items"] == hits and hits
    assert client.get("/trends", params={"by": "day", "top": 3}).json() == trends


def test_stories_and_a_storys_detail(client: TestClient, db: Path) -> None:
    from dateline.corpus import stories

    with Store(db, read_only=True) as store:
        listed, total = stories.listing(store)
        first = listed[0]
        timeline = _plain(corpus.timeline(store, story=first.id))
        members = _plain(stories.documents(store, first.id))
    got = client.get("/stories").json()
    assert got["total"] == total and got["items"] == _plain(listed)
    assert {"id", "title", "articles", "start", "end", "entities"} <= set(got["items"][0])
    detail = client.get(f"/stories/{first.id}").json()
    assert detail["story"] == asdict(first)
    assert detail["timeline"] == timeline and detail["documents"] == members
    assert client.get("/stories/S-none").status_code == 404


def test_quotes_date_range_and_pages(client: TestClient) -> None:
    everything = client.get("/quotes").json()
    assert everything["total"] == 3
    dates = [q["date"] for q in everything["items"]]
    assert dates == sorted(dates)
    window = client.get("/quotes", params={"from": "2024-03-05", "to": "2024-03-31"}).json()["items"]
    assert [q["date"] for q in window] == ["2024-03-05"]
    second = client.get("/quotes", params={"limit": 1, "offset": 1}).json()
    assert second["items"] == everything["items"][1:2] and second["total"] == 3


def test_openapi_lists_every_endpoint(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {
        "/extract",
        "/ingest",
        "/documents",
        "/documents/{document_id}",
        "/entities",
        "/entities/{entity_id}",
        "/quotes",
        "/timeline",
        "/stories",
        "/stories/{story_id}",
        "/search",
        "/trends",
    } <= set(schema["paths"])
    quotes = schema["paths"]["/quotes"]["get"]
    assert {p["name"] for p in quotes["parameters"]} >= {"speaker", "from", "to", "limit", "offset"}


def test_ui_is_served_without_network(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and "/static/app.js" in page.text
    assert "script-src 'self'" in page.headers["content-security-policy"]
    for asset in ("/static/app.js", "/static/style.css"):
        text = client.get(asset).text
        assert "http://" not in text.replace("http://www.w3.org/2000/svg", "") and "https://" not in text


def test_ingest_needs_the_token(db: Path) -> None:
    with TestClient(create_app(db, token="")) as off:
        assert off.post("/ingest", json={"text": ARTICLE}).status_code == 403
    with TestClient(create_app(db, token=TOKEN)) as on:
        assert on.get("/stats").json()["documents"] == 5
        assert on.post("/ingest", json={"text": ARTICLE}).status_code == 401
        wrong = on.post("/ingest", json={"text": ARTICLE}, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        ok = on.post("/ingest", json={"text": ARTICLE}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200, ok.text
        assert ok.json()["added"] is True
        assert on.get(f"/documents/{ok.json()['id']}").status_code == 200
        again = on.post("/ingest", json={"text": ARTICLE}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert again.json()["added"] is False
        assert on.get("/documents").json()["total"] == 6
        # kept answers are dropped when the database changes
        assert on.get("/stats").json()["documents"] == 6
        assert on.get("/search", params={"q": "Veltra"}).json()["total"] == 1


def test_token_from_the_environment(db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATELINE_INGEST_TOKEN", TOKEN)
    with TestClient(create_app(db)) as client:
        ok = client.post("/ingest", json={"text": ARTICLE}, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200, ok.text


def test_serve_starts_on_a_fresh_database(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path / "new.duckdb", token="")) as client:
        assert client.get("/documents").json() == {"items": [], "total": 0, "limit": 50, "offset": 0}
        assert client.get("/trends").json()["buckets"] == []


def test_dateline_serve_command(db: Path) -> None:
    """The real command line: `dateline serve` answers on the port it was given, and stops cleanly."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if k != "DATELINE_INGEST_TOKEN"}
    server = subprocess.Popen(
        [sys.executable, "-m", "dateline", "serve", "--db", str(db), "--port", str(port)],
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                response = httpx.get(f"http://127.0.0.1:{port}/documents", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline and server.poll() is None, "dateline serve did not start"
                time.sleep(0.2)
        assert response.json()["total"] == 5
        assert "/static/app.js" in httpx.get(f"http://127.0.0.1:{port}/").text
    finally:
        server.terminate()
        _, stderr = server.communicate(timeout=30)
    assert f"http://127.0.0.1:{port}/" in stderr
