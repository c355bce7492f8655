"""Inputs written by someone else: feeds that point at local files, odd WARCs, odd names, one line per failure."""

from __future__ import annotations

import io
import json
import os
import re
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner
from warcio.warcwriter import WARCWriter

from dateline.ingest import Failure, RawInput, iter_inputs
from dateline.ingest.sources import sniff
from tests.conftest import dateline
from tests.corpus_data import ARTICLES, html, jsonl, rss, rss_item, warc

SECRET = "Quillisander-secret-marker"
SECRET_PAGE = (
    "<html><head><title>Private notes</title></head><body><article>"
    + "".join(
        f"<p>{SECRET} sentence number {i} of a page nobody named, kept outside the feed.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
)


def errors(stderr: str) -> list[str]:
    assert "Traceback" not in stderr
    return [line for line in stderr.splitlines() if line.startswith("error:")]


def stored_text(db: Path) -> str:
    with duckdb.connect(str(db), read_only=True) as con:
        return "\n".join(r[0] for r in con.execute("SELECT text FROM documents").fetchall())


# -- feeds -----------------------------------------------------------------------------------------


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A page outside the feed's folder, which no feed item may read."""
    secret = tmp_path / "secret.html"
    secret.write_text(SECRET_PAGE, encoding="utf-8")
    return secret


def escapes(feed_folder: Path, secret: Path) -> dict[str, str]:
    """Links that lead out of the feed's folder, by kind."""
    (feed_folder / "pages").mkdir(parents=True, exist_ok=True)
    (feed_folder / "pages" / "link.html").symlink_to(secret)
    return {
        "absolute path": str(secret),
        "dot-dot": f"../{secret.name}",
        "dot-dot inside a folder": f"pages/../../{secret.name}",
        "escaped dot-dot": f"%2e%2e/{secret.name}",
        "file URL": secret.as_uri(),
        "file URL without host": f"file:{secret}",
        "symbolic link out": "pages/link.html",
    }


def test_feed_links_out_of_its_folder_are_never_read(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "feeds"
    links = escapes(folder, outside)
    title, published, body = ARTICLES[0]
    # each item has text of its own: that is used instead of the page its link names
    rss(
        folder / "feed.xml",
        [rss_item(f"{title} {kind}", published, body, link=link) for kind, link in links.items()],
    )
    items = list(iter_inputs([str(folder / "feed.xml")]))
    assert len(items) == len(links) and all(isinstance(i, RawInput) for i in items)
    assert not any(SECRET.encode() in i.data for i in items if isinstance(i, RawInput))
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(folder / "feed.xml"))
    assert result.returncode == 0, result.stderr
    assert SECRET not in stored_text(db) and "Ana Ruiz" in stored_text(db)


def test_a_feed_item_with_only_an_escaping_link_fails_alone(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "feeds"
    links = escapes(folder, outside)
    (folder / "pages" / "inside.html").write_bytes(html(*ARTICLES[2]))
    items = [f"<item><title>Item {kind}</title><link>{link}</link></item>" for kind, link in links.items()]
    items.append("<item><title>Inside</title><link>pages/inside.html</link></item>")
    rss(folder / "feed.xml", items)
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(folder / "feed.xml"))
    assert result.returncode == 1
    lines = errors(result.stderr)
    assert len(lines) == len(links)
    for line in lines:
        assert "feed item has no text and no local page; its link is not read" in line
    assert any("outside the feed's folder" in line for line in lines)
    assert any("file: link" in line for line in lines) and any("absolute path" in line for line in lines)
    stored = stored_text(db)
    assert SECRET not in stored and "Tomas Lindgren" in stored  # the page inside the folder is read


def test_a_feed_with_an_internal_dtd_is_a_feed_and_its_entities_stay_unexpanded(
    tmp_path: Path, outside: Path
) -> None:
    title, published, body = ARTICLES[0]
    item = rss_item(title, published, body).replace("<title>", "<title>&nbsp;", 1)
    plain = tmp_path / "dtd.rss"
    plain.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rss [<!ENTITY nbsp "&#160;">]>\n'
        f'<rss version="2.0"><channel><title>Feed&nbsp;one</title>{item}</channel></rss>',
        encoding="utf-8",
    )
    assert sniff(plain) == "feed"
    (only,) = list(iter_inputs([str(plain)]))
    assert isinstance(only, RawInput) and b"Ana Ruiz" in only.data
    hostile = tmp_path / "hostile.rss"
    laughs = "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 8))
    hostile.write_text(
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE rss [<!ENTITY l0 "ha">{laughs}<!ENTITY file SYSTEM "{outside.as_uri()}">]>\n'
        f'<rss version="2.0"><channel><title>Feed</title>{item.replace("Ana Ruiz", "Ana Ruiz &l7; &file;")}'
        "</channel></rss>",
        encoding="utf-8",
    )
    assert sniff(hostile) == "feed"
    found = list(iter_inputs([str(hostile)]))
    pages = [i for i in found if isinstance(i, RawInput)]
    assert len(pages) == 1 and len(pages[0].data) < 10_000  # seven levels of ten: never expanded
    assert SECRET.encode() not in pages[0].data
    assert [f.message.split(" (")[0] for f in found if isinstance(f, Failure)] == ["broken feed XML"]


def test_extract_of_a_feed_prints_one_json_document_or_json_lines(tmp_path: Path) -> None:
    """Before, several documents from one file came out as pretty-printed objects back to back."""
    path = tmp_path / "feed.xml"
    rss(path, [rss_item(*a) for a in ARTICLES])
    result = dateline("extract", "--no-facts", str(path))
    assert result.returncode == 0, result.stderr
    assert [d["title"] for d in json.loads(result.stdout)] == [t for t, _, _ in ARTICLES]
    lines = dateline("extract", "--no-facts", "--jsonl", str(path)).stdout.splitlines()
    assert [json.loads(line)["title"] for line in lines] == [t for t, _, _ in ARTICLES]
    single = tmp_path / "one.txt"
    single.write_text(f"{ARTICLES[0][0]}\n\n{ARTICLES[0][2]}\n", encoding="utf-8")
    one = dateline("extract", "--no-facts", str(single))
    assert json.loads(one.stdout)["title"] == ARTICLES[0][0]


def test_a_file_taken_for_one_article_that_holds_several_still_prints_one_json_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether an input holds one article is guessed before reading; a wrong guess must not print objects back to back."""
    import dateline.cli

    path = tmp_path / "feed.xml"
    rss(path, [rss_item(*a) for a in ARTICLES])
    monkeypatch.setattr(dateline.cli, "_many", lambda paths: False)
    result = CliRunner().invoke(dateline.cli.app, ["extract", "--no-facts", str(path)])
    assert result.exit_code == 0, result.output
    assert [d["title"] for d in json.loads(result.stdout)] == [t for t, _, _ in ARTICLES]


# -- WARC ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [b"WARC/1.0\r\n\r\n\r\n\r\n", b"WARC/1.0\r\ngarbage here\r\n\r\n\x00\x01\x02 junk junk\n"],
    ids=["empty record", "garbage record"],
)
def test_a_warc_of_garbage_or_empty_records_says_so(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "odd.warc"
    path.write_bytes(content)
    result = dateline("ingest", "--no-facts", "--db", str(tmp_path / "d.duckdb"), str(path))
    assert result.returncode == 1
    (line,) = errors(result.stderr)
    assert f"{path}#record-1: not a WARC record" in line


def test_a_warc_without_html_pages_says_so(tmp_path: Path) -> None:
    path = tmp_path / "requests.warc"
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=False)
    for i in range(3):
        request = writer.create_warc_record(
            f"https://news.example/{i}", "request", payload=io.BytesIO(b"GET /")
        )
        writer.write_record(request)
    path.write_bytes(buffer.getvalue())
    result = dateline("ingest", "--no-facts", "--db", str(tmp_path / "d.duckdb"), str(path))
    assert result.returncode == 1
    (line,) = errors(result.stderr)
    assert "no HTML pages in this WARC file" in line


def test_a_wrong_content_length_is_one_line_without_warcio_noise(tmp_path: Path) -> None:
    path = tmp_path / "crawl.warc"
    offsets = warc(path, gzipped=False)
    data = path.read_bytes()
    found = re.search(rb"Content-Length: (\d+)", data[offsets[0] :])
    assert found is not None
    wrong = b"Content-Length: %d" % (int(found[1]) - 30)
    path.write_bytes(data[: offsets[0] + found.start()] + wrong + data[offsets[0] + found.end() :])
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(path))
    assert result.returncode == 1
    # warcio's own three lines ("WARNING: Record not followed by newline", "Offset", "Remainder") stay out
    assert (
        "WARNING" not in result.stderr and "Remainder" not in result.stderr and "Offset" not in result.stderr
    )
    (line,) = errors(result.stderr)
    assert f"{path}#record-1: the record's Content-Length does not match its content" in line
    with duckdb.connect(str(db), read_only=True) as con:
        titles = sorted(r[0] for r in con.execute("SELECT title FROM documents").fetchall())
    assert titles == sorted(t for t, _, _ in ARTICLES[1:])


# -- names and encodings -----------------------------------------------------------------------------


def test_a_file_name_with_a_newline_gives_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "bad\nname\x1b[31m.html"
    path.write_bytes(b"<svg><p><p><p<h2>><div")
    result = dateline("extract", str(path))
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert "bad\\nname\\x1b[31m.html" in result.stderr


def test_a_file_name_that_is_not_utf8_is_stored_and_printed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    name = b"caf\xe9.txt"  # Latin-1 bytes: Python keeps them as a lone surrogate
    title, _, body = ARTICLES[1]
    (folder / os.fsdecode(name)).write_bytes(f"{title}\n\n{body}\n".encode())
    result = dateline("extract", "--no-facts", str(folder))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["source"].endswith("caf\ufffd.txt")


def test_lone_surrogates_in_json_lines_are_replaced(tmp_path: Path) -> None:
    path = tmp_path / "articles.jsonl"
    title, _, body = ARTICLES[0]
    lone = json.dumps(
        {"url": "https://j.example/\ud800", "title": title, "text": body.replace("Monday", "Monday \udfff")}
    )
    jsonl(path, ARTICLES[1:], extra=[lone])
    db = tmp_path / "d.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(path))
    assert result.returncode == 0, result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        rows = con.execute("SELECT url, text FROM documents ORDER BY url").fetchall()
    assert len(rows) == 3
    (text,) = [text for url, text in rows if url == "https://j.example/\ufffd"]
    assert "on Monday \ufffd after a storm" in text
