"""The command line's output contract: --json is one JSON document, --jsonl one value a line, the same
fields as the API and the store, no wrapping or colour into a pipe; `dateline entities`; --png; waiting
for a database another program holds."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import fields
from pathlib import Path

import duckdb
import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from dateline.cli import app
from dateline.model import Quote, Reference
from dateline.web import create_app
from tests.conftest import dateline
from tests.web_data import build

runner = CliRunner()
LONG_QUOTE = (
    "We will rebuild every single pier of this harbour, stone by stone and plank by plank, "
    "before the autumn storms arrive on this coast"
)
ARTICLE = f'Harbour pledge\n\n"{LONG_QUOTE}," said Ana Ruiz, the harbour master, on Monday.\n'


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("cli") / "cli.duckdb")


def run(*args: str) -> str:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.mark.parametrize(
    "command",
    [
        ["search", "Biden"],
        ["quotes"],
        ["entities"],
        ["timeline"],
    ],
)
def test_json_is_one_document_and_jsonl_streams_the_same(db: Path, command: list[str]) -> None:
    options = ["--db", str(db)]
    if command == ["timeline"]:
        options += ["--entity", "Joe Biden"]
    whole = json.loads(run(*command, *options, "--json"))
    assert isinstance(whole, list) and whole
    lines = run(*command, *options, "--jsonl").splitlines()
    assert [json.loads(line) for line in lines] == whole
    assert runner.invoke(app, [*command, *options, "--json", "--jsonl"]).exit_code == 2


def test_objects_are_one_document(db: Path) -> None:
    assert set(json.loads(run("stats", "--db", str(db), "--json"))) >= {"documents", "entities"}
    trends = json.loads(run("trends", "--db", str(db), "--json"))
    assert trends["buckets"] == ["2024-03-04", "2024-04-01", "2024-04-08"]  # only weeks holding articles
    assert trends["undated"] == 0


def test_a_quote_has_the_same_fields_everywhere(db: Path, tmp_path: Path) -> None:
    """`quotes FILE`, `quotes --db`, GET /quotes: one entry shape; its speaker is `Quote.speaker`'s shape,
    and the store's (and Parquet's) columns are the model's field paths joined by "_"."""
    article = tmp_path / "pledge.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    from_file = json.loads(run("quotes", str(article), "--json"))
    from_db = json.loads(run("quotes", "--db", str(db), "--json"))
    with TestClient(create_app(db, token="")) as client:
        from_api = client.get("/quotes").json()["items"]
    reference = {f.name for f in fields(Reference)}
    for entries in (from_file, from_db, from_api):
        assert entries
        for entry in entries:
            assert set(entry) == {"date", "speaker", "speaker_entity", "kind", "text", "sources"}
            assert set(entry["speaker"]) == reference
            for source in entry["sources"]:
                assert set(source) >= {"document_id", "fact", "start", "end", "text"}
    assert from_db == from_api
    # the fields a quote entry shares with the model's Quote carry the same values
    extracted = json.loads(run("extract", str(article)))
    quote = extracted["quotes"][0]
    entry = from_file[0]
    assert {k: entry[k] for k in ("kind", "text", "speaker")} == {
        k: quote[k] for k in ("kind", "text", "speaker")
    }
    assert (entry["sources"][0]["start"], entry["sources"][0]["end"]) == (quote["start"], quote["end"])
    assert entry["sources"][0]["fact"] == "quote-0"
    # the store and its Parquet export: nested fields flattened by their path
    out = tmp_path / "parquet"
    run("export", "--parquet", str(out), "--db", str(db))
    columns = {
        row[0]
        for row in duckdb.sql(
            f"DESCRIBE SELECT * FROM read_parquet('{out / 'quotes' / '*.parquet'}')"
        ).fetchall()
    }
    expected = {f.name for f in fields(Quote) if f.name not in ("speaker", "cue")}
    expected |= {f"speaker_{name}" for name in reference} | {"cue_start", "cue_end", "cue_text"}
    assert expected <= columns


def test_piped_tables_neither_wrap_nor_colour(db: Path, tmp_path: Path) -> None:
    article = tmp_path / "pledge.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    printed = run("quotes", str(article))
    assert "\x1b[" not in printed
    assert LONG_QUOTE in printed  # the whole quote on one line, as in the article
    assert any(LONG_QUOTE in line and "Ana Ruiz" in line for line in printed.splitlines())
    listed = run("entities", "--db", str(db))
    assert "\x1b[" not in listed
    assert "“We will keep our promises to Iraq.” (President Biden makes Iraq trip)" in listed


def test_entities_command(db: Path) -> None:
    table = run("entities", "--db", str(db))
    assert "4 entities (each counted once across articles)" in table
    assert "articles" in table and "mentions" in table
    people = json.loads(run("entities", "--db", str(db), "--type", "PERSON", "--json"))
    assert [p["name"] for p in people] == ["Joe Biden", "Hunter Biden"]
    joe = people[0]
    assert (joe["documents"], joe["mentions"]) == (2, 2)
    assert {q["text"] for q in joe["quotes"]} == {
        "We will keep our promises to Iraq.",
        "Iraq deserves a stable future",
    }
    assert all(q["speaker_entity"] == joe["id"] for q in joe["quotes"])
    assert (
        json.loads(run("entities", "--db", str(db), "--name", "hunter", "--json", "--top", "0"))[0]["quotes"]
        == []
    )
    missing = dateline("entities", "--db", str(db.parent / "none.duckdb"))
    assert missing.returncode == 1 and missing.stderr.startswith("error: no database at")


def test_extract_of_several_inputs_is_one_json_array(tmp_path: Path) -> None:
    for name in ("a", "b"):
        (tmp_path / f"{name}.txt").write_text(f"Title {name}\n\nThe council met on Monday in town {name}.\n")
    printed = run("extract", "--no-facts", str(tmp_path / "a.txt"), str(tmp_path / "b.txt"))
    documents = json.loads(printed)
    assert [Path(d["source"]).name for d in documents] == ["a.txt", "b.txt"]
    lines = run("extract", "--no-facts", "--jsonl", str(tmp_path))
    assert [Path(json.loads(line)["source"]).name for line in lines.splitlines()] == ["a.txt", "b.txt"]


PNG = b"\x89PNG\r\n\x1a\n"


def test_png_charts_from_the_cli(db: Path, tmp_path: Path) -> None:
    trends = tmp_path / "trends.png"
    run("trends", "--db", str(db), "--png", str(trends))
    assert trends.read_bytes().startswith(PNG) and trends.stat().st_size > 10_000
    chronology = tmp_path / "chronology.png"
    run("timeline", "--db", str(db), "--entity", "Joe Biden", "--png", str(chronology))
    assert chronology.read_bytes().startswith(PNG)
    refused = runner.invoke(app, ["timeline", str(tmp_path / "x.txt"), "--png", str(chronology)])
    assert refused.exit_code == 2


HOLD = textwrap.dedent(
    """
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])
    print("holding", flush=True)
    sys.stdin.readline()  # until told to let go
    con.close()
    """
)


def hold(db: Path) -> subprocess.Popen[str]:
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
    return holder


def let_go(holder: subprocess.Popen[str]) -> None:
    holder.communicate("\n", timeout=60)


def test_a_held_database_is_waited_for_or_refused_in_one_line(db: Path, tmp_path: Path) -> None:
    article = tmp_path / "a.txt"
    article.write_text("Harbour news\n\nThe harbour council met on Monday.\n", encoding="utf-8")
    copy = tmp_path / "held.duckdb"
    copy.write_bytes(db.read_bytes())
    holder = hold(copy)
    try:
        refused = dateline("ingest", str(article), "--db", str(copy), "--no-facts", "--wait", "0")
        assert refused.returncode == 1
        lines = refused.stderr.strip().splitlines()
        assert lines[-1].startswith(f"error: database {copy} is in use by another program (PID {holder.pid}")
        assert "Conflicting lock" not in refused.stderr and "Traceback" not in refused.stderr
        # with time to wait, it says whom it waits for, and goes on when the file is free
        waiting = subprocess.Popen(
            [sys.executable, "-m", "dateline", "ingest", str(article), "--db", str(copy), "--no-facts"],
            stderr=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            text=True,
        )
        assert waiting.stderr is not None
        said = waiting.stderr.readline()
        assert said.startswith(f"waiting for {copy}: in use by another program (PID {holder.pid}"), said
    finally:
        let_go(holder)
    rest = waiting.stderr.read()
    assert waiting.wait(timeout=300) == 0, rest
    assert "1 new of 1 documents stored" in rest
