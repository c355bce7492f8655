"""Bad requests get a 4xx that says what is wrong; the server keeps serving and the database is unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dateline.store.duck import TABLES
from dateline.web import create_app
from dateline.web.app import MAX_BODY
from tests.web_data import build

INJECTIONS = [
    "'; DROP TABLE quotes; --",
    '" OR 1=1 --',
    "x' UNION SELECT id, text, 1, 1, 1, 1 FROM documents --",
    "%' OR '%'='",
    "Biden'); DELETE FROM documents; --",
]


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return build(tmp_path / "web.duckdb")


@pytest.fixture
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db, token="tok")) as c:
        yield c


def counts(client: TestClient) -> dict[str, int]:
    """Rows per table, read through the server's own connection (DuckDB allows one configuration per file)."""
    found = {}
    with client.app.state.db.cursor() as cur:  # type: ignore[attr-defined]
        for table in (*TABLES, "corpus_entities", "stories", "postings"):
            found[table] = int(cur.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
    return found


def still_serving(client: TestClient) -> None:
    assert client.get("/documents").json()["total"] == 5


def test_malformed_json(client: TestClient) -> None:
    for body in (b"{bad", b'{"text": "unterminated'):
        response = client.post("/extract", content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, response.text
        assert response.json()["detail"].startswith("malformed JSON body: ")
    binary = client.post("/extract", content=b"\xff\xfe\x00", headers={"Content-Type": "application/json"})
    assert binary.status_code == 400 and "parsing the body" in binary.json()["detail"]
    not_object = client.post("/extract", json=["a list"])
    assert not_object.status_code == 422 and "JSON object" in not_object.json()["detail"]
    still_serving(client)


def test_wrong_fields(client: TestClient) -> None:
    both = client.post("/extract", json={"text": "a", "html": "<p>b</p>"})
    assert both.status_code == 422 and "exactly one" in both.json()["detail"]
    empty = client.post("/extract", json={"text": "   "})
    assert empty.status_code == 422 and "empty" in empty.json()["detail"]
    date = client.post("/extract", json={"text": "Words here.", "published": "yesterday"})
    assert date.status_code == 422 and date.json()["detail"].startswith("published:")
    unreadable = client.post("/extract", json={"text": "ok"})
    assert unreadable.status_code == 422 and "cannot read the article" in unreadable.json()["detail"]


def test_body_over_the_limit(client: TestClient, db: Path) -> None:
    before = counts(client)
    big = b'{"text": "' + b"a" * (MAX_BODY + 10) + b'"}'
    response = client.post("/extract", content=big, headers={"Content-Type": "application/json"})
    assert response.status_code == 413 and "too large" in response.json()["detail"]
    ingest = client.post(
        "/ingest", content=big, headers={"Content-Type": "application/json", "Authorization": "Bearer tok"}
    )
    assert ingest.status_code == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the limit is counted while reading
        yield b'{"text": "'
        for _ in range(6):
            yield b"a" * (1024 * 1024)
        yield b'"}'

    streamed = client.post("/extract", content=chunks(), headers={"Content-Type": "application/json"})
    assert streamed.status_code == 413
    assert counts(client) == before
    still_serving(client)


def test_sql_injection_strings_are_plain_parameters(client: TestClient, db: Path) -> None:
    before = counts(client)
    known = {d["id"] for d in client.get("/documents").json()["items"]}
    for attack in INJECTIONS:
        for path, params in (
            ("/quotes", {"speaker": attack}),
            ("/timeline", {"entity": attack}),
            ("/timeline", {"story": attack[:64]}),
            ("/search", {"q": attack}),
            ("/entities", {"q": attack, "type": attack[:40]}),
        ):
            response = client.get(path, params=params)
            assert response.status_code == 200, (path, attack, response.text)
            items = response.json()["items"]
            if path == "/search":  # the words of the attack are searched for like any others
                assert {h["document_id"] for h in items} <= known
            else:
                assert items == [], (path, attack)
        for path in ("/documents/", "/entities/"):
            missing = client.get(path + attack)
            assert missing.status_code == 404 and "no " in missing.json()["detail"]
    bad_order = client.get("/trends", params={"by": "week; DROP TABLE documents"})
    assert bad_order.status_code == 422
    assert counts(client) == before
    still_serving(client)


def test_unknown_ids_and_routes(client: TestClient) -> None:
    doc = client.get("/documents/0000000000000000")
    assert doc.status_code == 404 and doc.json()["detail"] == "no document with id '0000000000000000'"
    assert client.get("/entities/Enope").status_code == 404
    assert client.get("/nothing-here").status_code == 404
    assert client.delete("/documents").status_code == 405


def test_path_traversal_stays_in_static(client: TestClient) -> None:
    for path in (
        "/static/../app.py",
        "/static/%2e%2e/app.py",
        "/static/..%2f..%2f..%2fpyproject.toml",
        "/static/%2e%2e%2f%2e%2e%2f%2e%2e%2f%2e%2e%2fetc/passwd",
        "/static//etc/passwd",
        "/documents/..%2f..%2fetc%2fpasswd",
    ):
        response = client.get(path)
        assert response.status_code == 404, (path, response.status_code)
        assert "root:" not in response.text and "[project]" not in response.text
    still_serving(client)


def test_paging_bounds(client: TestClient) -> None:
    for params in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"limit": "ten"}):
        response = client.get("/quotes", params=params)
        assert response.status_code == 422, params
        assert response.json()["detail"].split(":")[0] in ("limit", "offset")
    assert client.get("/search").json()["detail"].startswith("q:")
    assert client.get("/trends", params={"top": 51}).status_code == 422


def test_read_only_without_a_token(db: Path) -> None:
    with TestClient(create_app(db, token="")) as client:
        before = counts(client)
        assert client.post("/ingest", json={"text": "Some words here."}).status_code == 403
        assert client.app.state.db.writable is False  # type: ignore[attr-defined]
        # the file itself is open read-only: even a write that got past the API would fail
        with client.app.state.db.cursor() as cur, pytest.raises(Exception, match="read-only"):  # type: ignore[attr-defined]
            cur.execute("DELETE FROM documents")
        assert counts(client) == before
