"""Many articles in: WARC, RSS/Atom and JSON Lines, dispatched by content and read as streams."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from dateline.ingest import Failure, RawInput, iter_inputs
from dateline.ingest.sources import sniff
from tests.conftest import dateline
from tests.corpus_data import ARTICLES, html, jsonl, page, rss, rss_item, warc


def titles(db: Path) -> list[str]:
    with duckdb.connect(str(db), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT title FROM documents ORDER BY title").fetchall()]


def errors(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("error:")]


ALL_TITLES = sorted(t for t, _, _ in ARTICLES)


@pytest.mark.parametrize("gzipped", [False, True])
def test_warc_records_become_articles(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / ("crawl.warc.gz" if gzipped else "crawl.warc")
    warc(path, gzipped)
    assert sniff(path) == ("warc.gz" if gzipped else "warc")
    items = list(iter_inputs([str(path)]))
    assert all(isinstance(i, RawInput) for i in items) and len(items) == 3
    first = items[0]
    assert isinstance(first, RawInput)
    assert first.url == "https://news.example/0" and first.source == f"{path}#record-1"
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(path))
    assert result.returncode == 0, result.stderr
    assert titles(db) == ALL_TITLES


@pytest.mark.parametrize("gzipped", [False, True])
def test_corrupt_warc_record_one_line_rest_ingested(tmp_path: Path, gzipped: bool) -> None:
    path = tmp_path / "crawl.warc"
    offsets = warc(path, gzipped)
    data = bytearray(path.read_bytes())
    # garble the second response record's header block
    at = offsets[1] + (20 if gzipped else 0)
    data[at : at + 12] = b"\x00GARBAGE\x00\x00\x00\x00"
    path.write_bytes(bytes(data))
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(path))
    assert result.returncode == 1
    (line,) = errors(result.stderr)
    assert "corrupt WARC record" in line and str(path) in line
    assert titles(db) == sorted([ARTICLES[0][0], ARTICLES[2][0]])


def test_truncated_gzip_warc_one_line_rest_ingested(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc.gz"
    offsets = warc(path, gzipped=True)
    path.write_bytes(path.read_bytes()[: offsets[2] + 200])  # cut inside the last response record
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(path))
    assert result.returncode == 1
    (line,) = errors(result.stderr)
    assert "record" in line and "crawl.warc.gz" in line
    assert titles(db) == sorted(t for t, _, _ in ARTICLES[:2])


def test_gzip_that_is_not_warc_is_still_refused(tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "notes.gz"
    path.write_bytes(gzip.compress(b"just some notes, not a crawl"))
    (item,) = list(iter_inputs([str(path)]))
    assert isinstance(item, RawInput)  # read refuses it: "looks like gzip-compressed data"
    result = dateline("ingest", "--no-facts", "--db", str(tmp_path / "d.duckdb"), str(path))
    assert result.returncode == 1
    (line,) = errors(result.stderr)
    assert "gzip-compressed" in line


def test_rss_feed_items_and_local_pages(tmp_path: Path) -> None:
    (tmp_path / "pages").mkdir()
    title, published, body = ARTICLES[2]
    (tmp_path / "pages" / "orchestra.html").write_bytes(html(title, published, body))
    path = tmp_path / "feed.xml"
    rss(
        path,
        [
            rss_item(*ARTICLES[0]),
            rss_item(*ARTICLES[1]),
            rss_item(title, published, "Short.", link="pages/orchestra.html"),
        ],
    )
    assert sniff(path) == "feed"
    items = [i for i in iter_inputs([str(path)]) if isinstance(i, RawInput)]
    assert len(items) == 3 and items[0].crawled == "2024-03-04"
    assert items[2].url == "pages/orchestra.html" and b"Lindgren" in items[2].data
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(path))
    assert result.returncode == 0, result.stderr
    assert titles(db) == ALL_TITLES
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT min(published) FROM documents").fetchone() == ("2024-03-04",)


def test_atom_feed(tmp_path: Path) -> None:
    title, published, body = ARTICLES[0]
    content = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in body.split("\n\n"))
    path = tmp_path / "atom.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>A</title>'
        f"<entry><title>{title}</title><link href='https://a.example/1'/><updated>{published}T08:00:00Z</updated>"
        f"<content type='html'>{content}</content></entry></feed>",
        encoding="utf-8",
    )
    (item,) = list(iter_inputs([str(path)]))
    assert isinstance(item, RawInput) and item.url == "https://a.example/1" and b"Ana Ruiz" in item.data


def test_broken_feed_one_line_items_recovered(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    rss(path, [rss_item(*ARTICLES[0]), rss_item(*ARTICLES[1])], broken=True)
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(path))
    assert result.returncode == 1
    (line,) = errors(result.stderr)
    assert "broken feed XML" in line
    assert titles(db) == sorted(t for t, _, _ in ARTICLES[:2])


def test_jsonl_lines_and_a_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    jsonl(path, extra=['{"url": "x", "text": unquoted}'])
    assert sniff(path) == "jsonl"
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(path))
    assert result.returncode == 1
    (line,) = errors(result.stderr)
    assert "#line-4" in line and "not JSON" in line
    assert titles(db) == ALL_TITLES
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT url FROM documents ORDER BY url LIMIT 1").fetchone() == (
            "https://j.example/0",
        )


def test_unreadable_file_is_one_failure(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    secret = tmp_path / "in" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text(page(*ARTICLES[0]), encoding="utf-8")
    (tmp_path / "in" / "ok.txt").write_text(page(*ARTICLES[1]), encoding="utf-8")
    real_open = Path.open

    def guarded(self: Path, *args: object, **kwargs: object) -> object:
        # root reads files whatever their mode, so the refusal is simulated where it would happen
        if self == secret:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(Path, "open", guarded)
    items = list(iter_inputs([str(tmp_path / "in")]))
    failures = [i for i in items if isinstance(i, Failure)]
    assert [f.message for f in failures] == ["cannot read file: permission denied"]
    assert sum(isinstance(i, RawInput) for i in items) == 1


@pytest.mark.skipif(
    os.geteuid() == 0, reason="root reads files whatever their mode (see the monkeypatched test)"
)
def test_chmod_000_file_through_cli(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    secret = tmp_path / "in" / "secret.txt"
    secret.write_text(page(*ARTICLES[0]), encoding="utf-8")
    secret.chmod(0)
    (tmp_path / "in" / "ok.txt").write_text(page(*ARTICLES[1]), encoding="utf-8")
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(tmp_path / "in"))
    assert result.returncode == 1
    (line,) = errors(result.stderr)
    assert "permission denied" in line
    assert titles(db) == [ARTICLES[1][0]]


def test_dangling_link_in_folder(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "ok.txt").write_text(page(*ARTICLES[1]), encoding="utf-8")
    (tmp_path / "in" / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(tmp_path / "in"))
    assert result.returncode == 1
    (line,) = errors(result.stderr)
    assert "gone.txt" in line
    assert titles(db) == [ARTICLES[1][0]]


def test_warc_is_streamed_not_read_whole(tmp_path: Path) -> None:
    """Reading the first article of a large WARC touches only its start."""
    path = tmp_path / "big.warc"
    warc(path, gzipped=False, articles=ARTICLES * 400)
    size = path.stat().st_size
    stream = iter_inputs([str(path)])
    first = next(stream)
    assert isinstance(first, RawInput)
    with open(path, "rb") as handle:
        assert handle.seek(0, 2) == size
    # the generator holds one record at a time: consuming it all yields every response record
    assert sum(1 for _ in stream) + 1 == 1200
