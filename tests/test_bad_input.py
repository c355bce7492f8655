"""Bad input: one clear line on stderr, a non-zero exit, no traceback, and the good inputs still done."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DATA, REPO, dateline

GOOD = REPO / "examples" / "article.txt"
ARTICLE = (DATA / "dump_council.txt").read_text(encoding="utf-8")


def one_error_line(stderr: str) -> str:
    assert "Traceback" not in stderr
    errors = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, stderr
    return errors[0]


BAD = {
    "empty.txt": (b"", "empty input"),
    "blank.txt": (b"  \n\n \t\n", "empty input"),
    "binary.bin": (bytes(range(256)) * 64, "binary"),
    "paper.pdf": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n", "PDF"),
    "photo.png": (b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG"),
    "archive.gz": (gzip.compress(b"hello world"), "gzip"),
    "nav.html": (
        b"<html><body><nav><a href='/'>Home</a> <a href='/x'>News</a></nav><footer>(c) 2020</footer></body></html>",
        "no article text",
    ),
    "menu.txt": (b"Home\nNews\nSport\nShare\n01:41\n", "no article text"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_gives_one_line(tmp_path: Path, name: str) -> None:
    data, expected = BAD[name]
    path = tmp_path / name
    path.write_bytes(data)
    result = dateline("extract", "--no-facts", str(path))
    assert result.returncode == 1
    line = one_error_line(result.stderr)
    assert name in line and expected in line
    assert result.stdout == ""


def test_missing_file(tmp_path: Path) -> None:
    result = dateline("extract", "--no-facts", str(tmp_path / "nope.txt"))
    assert result.returncode == 1
    assert "no such file" in one_error_line(result.stderr)


@pytest.mark.parametrize("name", ["nope[/red].txt", "[bold]x[/bold].txt"])
def test_names_that_look_like_markup_are_printed_as_they_are(tmp_path: Path, name: str) -> None:
    """A path is not rich markup: "[/red]" once raised a traceback, "[bold]" vanished from the line."""
    missing = dateline("extract", "--no-facts", str(tmp_path / name))
    assert missing.returncode == 1
    assert f"{tmp_path / name}: no such file" in one_error_line(missing.stderr)
    (tmp_path / name).parent.mkdir(exist_ok=True)  # "[/red]" holds a path separator
    (tmp_path / name).write_bytes(b"")
    empty = dateline("extract", "--no-facts", str(tmp_path / name))
    assert empty.returncode == 1
    assert f"{tmp_path / name}: empty input" in one_error_line(empty.stderr)


def test_huge_file_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with path.open("wb") as handle:
        chunk = (ARTICLE + "\n").encode() * 100
        while handle.tell() < 50 * 1024 * 1024:
            handle.write(chunk)
    result = dateline("extract", "--no-facts", str(path))
    assert result.returncode == 1
    assert "too large" in one_error_line(result.stderr)


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16", "utf-16-le", "utf-8-sig"])
def test_encodings_decoded(tmp_path: Path, encoding: str) -> None:
    text = (
        ARTICLE.replace("People have", "Café owners have") + "\nThe café’s owner said: “Naïve plans fail.”\n"
    )
    if encoding == "latin-1":
        text = text.replace("’", "'").replace("“", '"').replace("”", '"')
    path = tmp_path / f"article-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    result = dateline("extract", "--no-facts", str(path))
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert "Café owners have waited" in doc["text"]
    assert "\ufffd" not in doc["text"]


def test_broken_html_still_read(tmp_path: Path) -> None:
    html = (DATA / "page_clinic.html").read_text(encoding="utf-8")
    broken = html.replace("</p>", "").replace("</article>", "<div><span>")[: len(html) - 200]
    path = tmp_path / "broken.html"
    path.write_text(broken, encoding="utf-8")
    result = dateline("extract", "--no-facts", str(path))
    assert result.returncode == 0, result.stderr
    assert "A new health clinic opened in Bramford" in json.loads(result.stdout)["text"]


def test_non_english_is_stored_with_language_and_a_warning(tmp_path: Path) -> None:
    path = tmp_path / "de.txt"
    path.write_text(
        "Regierung beschließt neues Klimagesetz\n\n"
        "Die Bundesregierung hat am Mittwoch ein neues Klimagesetz beschlossen, das den Ausstoß von "
        "Treibhausgasen bis zum Jahr 2030 deutlich senken soll.\n\n"
        "Der Minister sagte, die Industrie müsse sich auf strengere Regeln einstellen.\n",
        encoding="utf-8",
    )
    db = tmp_path / "x.duckdb"
    result = dateline("ingest", "--db", str(db), str(path))
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "warning:" in result.stderr and "'de'" in result.stderr
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT language FROM documents").fetchall() == [("de",)]


def test_good_inputs_survive_bad_ones(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "empty.txt").write_bytes(b"")
    (tmp_path / "in" / "photo.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    (tmp_path / "in" / "good.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "in" / "sub").mkdir()
    (tmp_path / "in" / "sub" / "good2.txt").write_text(GOOD.read_text(), encoding="utf-8")
    db = tmp_path / "x.duckdb"
    result = dateline("ingest", "--no-facts", "--db", str(db), str(tmp_path / "in"))
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("error:") == 2
    with duckdb.connect(str(db), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM documents").fetchone() == (2,)


def test_bad_published_option() -> None:
    result = dateline("extract", "--no-facts", "--published", "yesterday", str(GOOD))
    assert result.returncode == 2
    assert "ISO 8601" in one_error_line(result.stderr)


def test_stdin(tmp_path: Path) -> None:
    result = dateline("extract", "--no-facts", "-", stdin=ARTICLE.encode())
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["source"] == "-"
