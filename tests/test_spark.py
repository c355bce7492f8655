"""The Spark job gives the same documents and facts as the single-process flow, as Parquet."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from pyspark.sql import SparkSession

from dateline.flow import process
from dateline.ingest import Failure, RawInput
from dateline.model import (
    Document,
    Entity,
    Event,
    Mention,
    Paragraph,
    Quantity,
    Quote,
    Reference,
    Span,
    Time,
    content_id,
)
from dateline.spark import run_job, session
from dateline.spark.job import ROW_BATCHES, cut_facts, settings_for_job
from dateline.spark.tasks import CHUNK, TableRows, spark_ddl
from dateline.store import Store
from dateline.store.tables import DOCUMENTS, TABLES
from tests.conftest import DATA, REPO, dateline, skip_without

if shutil.which("java") is None:
    skip_without(
        "java", "no Java runtime: PySpark needs Java 17 (.ci/run installs it)", allow_module_level=True
    )

QUIET = {"spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false"}
ARTICLES = [
    REPO / "examples" / "article.txt",
    DATA / "dump_council.txt",
    DATA / "dump_market.txt",
    DATA / "page_clinic.html",
    DATA / "spark" / "page_ferry.html",
    DATA / "spark" / "page_library.html",
]


@pytest.fixture(scope="module")
def spark() -> Iterator[SparkSession]:
    spark = session("local[2]", QUIET)
    yield spark
    spark.stop()


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Six articles, one of them twice (in a subfolder, listed after it), and a file that is no article."""
    root = tmp_path_factory.mktemp("corpus")
    for path in ARTICLES:
        shutil.copy(path, root / path.name)
    (root / "again").mkdir()
    shutil.copy(ARTICLES[0], root / "again" / "article.txt")
    (root / "broken.bin").write_bytes(bytes(range(256)) * 8)
    return root


@pytest.fixture(scope="module")
def output(spark: SparkSession, corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("spark") / "out"
    result = run_job(spark, [str(corpus)], out, partitions=3)
    assert (result.documents, result.failed) == (len(ARTICLES), 1)
    return out


def parquet_rows(out: Path, table: str, columns: Sequence[str]) -> list[tuple[Any, ...]]:
    """A table as DuckDB reads the folder Spark wrote, in a stable order."""
    names = ", ".join(f'"{c}"' for c in columns)
    with duckdb.connect() as con:
        rows = con.execute(f"SELECT {names} FROM read_parquet('{out}/{table}/*.parquet')").fetchall()
    return sorted(rows, key=repr)


def stored_rows(store: Store, table: Any) -> list[tuple[Any, ...]]:
    names = ", ".join(f'"{c.name}"' for c in table.layout)
    return sorted(store.db.execute(f"SELECT {names} FROM {table.name}").fetchall(), key=repr)


def expected_rows(documents: list[Document], table: Any) -> list[tuple[Any, ...]]:
    return sorted((row for d in documents for row in table.rows(d)), key=repr)


def first_of_each(documents: list[Document]) -> list[Document]:
    kept: dict[str, Document] = {}
    for d in documents:
        kept.setdefault(d.id, d)
    return list(kept.values())


def test_same_documents_and_facts_as_extract(output: Path, corpus: Path) -> None:
    result = dateline("extract", str(corpus), "--format", "jsonl")
    assert result.returncode == 1  # the broken file
    extracted = [Document.from_json(line) for line in result.stdout.splitlines()]
    assert len(extracted) == len(ARTICLES) + 1
    documents = first_of_each(extracted)
    assert {d.source for d in documents} == {str(corpus / p.name) for p in ARTICLES}
    for table in TABLES:
        names = [c.name for c in table.layout]
        assert parquet_rows(output, table.name, names) == expected_rows(documents, table), table.name
    failures = [line.removeprefix("error: ") for line in result.stderr.splitlines() if "broken.bin" in line]
    assert [f"{s}: {m}" for s, m in parquet_rows(output, "failures", ["source", "message"])] == failures


def test_ingest_parquet_equals_ingest(output: Path, corpus: Path, tmp_path: Path) -> None:
    from_spark, direct = tmp_path / "spark.duckdb", tmp_path / "direct.duckdb"
    for _ in range(2):  # the second load finds every document stored
        loaded = dateline("ingest", "--parquet", str(output), "--db", str(from_spark))
        assert loaded.returncode == 0, loaded.stderr
    assert f"0 new of {len(ARTICLES)} documents" in loaded.stderr
    assert dateline("ingest", str(corpus), "--db", str(direct)).returncode == 1  # the broken file
    with Store(from_spark, read_only=True) as a, Store(direct, read_only=True) as b:
        for table in TABLES:
            assert stored_rows(a, table) == stored_rows(b, table), table.name
        assert a.count() == len(ARTICLES)


def _records(tmp_path: Path) -> tuple[list[Path], list[RawInput]]:
    ferry = (DATA / "spark" / "page_ferry.html").read_text(encoding="utf-8")
    market = (DATA / "dump_market.txt").read_text(encoding="utf-8")
    library = (DATA / "spark" / "page_library.html").read_text(encoding="utf-8")
    lines = [
        {"url": "https://example.org/ferry", "html": ferry, "published": "2024-02-15"},
        {"url": "https://example.org/market", "text": market},
        {"url": "https://example.org/empty", "published": "2024-01-01"},
    ]
    jsonl = tmp_path / "records.jsonl"
    jsonl.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    table = pa.table({"url": ["https://example.org/library"], "html": [library], "published": [None]})
    parquet = tmp_path / "records.parquet"
    pq.write_table(table, parquet)
    expected = [
        RawInput("https://example.org/ferry", ferry.encode(), "https://example.org/ferry", "2024-02-15"),
        RawInput("https://example.org/market", market.encode(), "https://example.org/market"),
        RawInput("https://example.org/library", library.encode(), "https://example.org/library"),
    ]
    return [jsonl, parquet], expected


def test_records_from_jsonl_and_parquet(spark: SparkSession, tmp_path: Path) -> None:
    inputs, raws = _records(tmp_path)
    result = run_job(spark, [str(p) for p in inputs], tmp_path / "out")
    assert result.failures == [Failure("https://example.org/empty", "record has no html or text")]
    expected = [r for r in process(raws) if isinstance(r, Document)]
    # the record's date wins over the page's; without one, the page's own is kept, with the time
    # and zone the page gives ("2022-09-03T12:00:00Z")
    assert [d.published for d in expected] == ["2024-02-15", "2022-11-03T16:40", "2022-09-03T12:00+00:00"]
    names = [c.name for c in DOCUMENTS.layout]
    assert parquet_rows(tmp_path / "out", "documents", names) == expected_rows(expected, DOCUMENTS)


def _document_with_every_fact() -> Document:
    text = 'Mayor Ana Ruiz said on Monday: "We will close 3 piers." The council cut about 40 jobs.'

    def span(words: str) -> dict[str, Any]:
        return {"start": text.index(words), "end": text.index(words) + len(words), "text": words}

    ruiz = Reference("Ana Ruiz", **span("Ana Ruiz"), entity="e1")
    return Document(
        id=content_id(text),
        text=text,
        source="made-up",
        published="2024-05-06",
        authors=["A. Writer"],
        paragraphs=[Paragraph(0, len(text))],
        entities=[Entity("e1", "Ana Ruiz", "PERSON", [Mention(**span("Ana Ruiz"))], title="Mayor")],
        quotes=[Quote("direct", **span("We will close 3 piers."), speaker=ruiz, cue=Span(**span("said")))],
        times=[Time(**span("Monday"), type="DATE", value="2024-05-06")],
        quantities=[
            Quantity(**span("3 piers"), value=3.0, unit="pier"),
            Quantity(**span("about 40 jobs"), value=40.0, unit="job", approximate=True, lower=35.5),
        ],
        events=[
            Event(
                **span("The council cut about 40 jobs"),
                trigger=Span(**span("cut")),
                action="cut",
                actor=Reference("council", **span("council")),
                date="2024-05-06",
                date_derived=True,
            )
        ],
    )


def test_every_fact_kind_round_trips(spark: SparkSession, tmp_path: Path) -> None:
    """Fact tables are written by the executors and load into DuckDB as `Store.add` writes them."""
    document = _document_with_every_fact()
    frame = spark.createDataFrame([(document.to_json(),)], "document string")
    for table in TABLES:
        rows = frame.mapInArrow(TableRows(table.name), spark_ddl(table.layout))
        assert [tuple(r) for r in rows.collect()] == table.rows(document), table.name
        assert rows.count() > 0
        rows.write.parquet(str(tmp_path / "out" / table.name))
    with Store(tmp_path / "a.duckdb") as a, Store(tmp_path / "b.duckdb") as b:
        assert a.import_parquet(tmp_path / "out") == (1, 1)
        b.add([document])
        assert a.get(document.id) == document
        for table in TABLES:
            assert stored_rows(a, table) == stored_rows(b, table), table.name


def test_facts_are_cut_from_few_large_files(spark: SparkSession, output: Path, tmp_path: Path) -> None:
    """One documents file of many rows (what Spark writes at N = 10k on 2 cores) is cut in full."""
    written = pq.read_table(output / DOCUMENTS.name)
    copies = 3 * CHUNK // written.num_rows + 1
    out = tmp_path / "out"
    (out / DOCUMENTS.name).mkdir(parents=True)
    pq.write_table(pa.concat_tables([written] * copies), out / DOCUMENTS.name / "part-0.parquet")
    before = {key: spark.conf.get(key, None) for key in ROW_BATCHES}
    with settings_for_job(spark):
        cut_facts(spark, out)
    assert {key: spark.conf.get(key, None) for key in ROW_BATCHES} == before  # the caller's session is theirs
    for table in TABLES:
        if table is not DOCUMENTS:
            names = [c.name for c in table.layout]
            once = parquet_rows(output, table.name, names)
            assert parquet_rows(out, table.name, names) == sorted(once * copies, key=repr), table.name


def _batch_sizes(batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
    yield pa.RecordBatch.from_pylist(
        [{"rows": b.num_rows} for b in batches], schema=pa.schema([("rows", pa.int64())])
    )


def test_documents_reach_the_workers_in_small_batches(spark: SparkSession, tmp_path: Path) -> None:
    """Within the job, a partition of documents is handed over CHUNK rows at a time, not 10,000."""
    path = tmp_path / "documents.parquet"
    pq.write_table(pa.table({"document": ["x" * 1000] * (5 * CHUNK)}), path)

    def largest_batch() -> int:
        frame = spark.read.parquet(str(path)).coalesce(1).mapInArrow(_batch_sizes, "rows bigint")
        return max(r["rows"] for r in frame.collect())

    assert largest_batch() == 5 * CHUNK  # Spark's defaults: the whole file in one batch
    with settings_for_job(spark):
        assert largest_batch() == CHUNK
    arrow = "spark.sql.execution.arrow.maxRecordsPerBatch"
    spark.conf.set(arrow, str(2 * CHUNK))  # what a user gives with --conf is kept
    try:
        with settings_for_job(spark):
            assert largest_batch() == 2 * CHUNK
        assert spark.conf.get(arrow) == str(2 * CHUNK)
    finally:
        spark.conf.unset(arrow)


def test_cli(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    conf = [arg for key, value in QUIET.items() for arg in ("--conf", f"{key}={value}")]
    result = dateline("spark", str(corpus / "page_clinic.html"), str(out), "--master", "local[1]", *conf)
    assert result.returncode == 0, result.stderr
    assert f"1 documents written to {out}" in result.stderr
    assert parquet_rows(out, "documents", ["title"]) == [("New clinic opens in Bramford",)]
    again = dateline("spark", str(corpus / "page_clinic.html"), str(out), *conf)
    assert again.returncode == 1 and "is not empty" in again.stderr
    bad = ["--conf", "spark.sql.shuffle.partitions=-1"]  # Spark refuses it once the job starts
    broken = dateline("spark", str(corpus / "page_clinic.html"), str(tmp_path / "o2"), *conf, *bad)
    assert broken.returncode == 1
    errors = [line for line in broken.stderr.splitlines() if line.startswith("error:")]
    assert errors == [errors[0]] and "the Spark job failed: [INVALID_CONF_VALUE" in errors[0], broken.stderr
    assert "Traceback" not in broken.stderr
