"""The driver: list the inputs, spread them over partitions, run the stages, write Parquet.

Output: `OUTPUT/<table>/part-*.parquet` for every table of the DuckDB store (same columns,
same types, from `dateline.store.tables`), plus `OUTPUT/failures/` (source, message) for
inputs that gave no document.  `dateline ingest --parquet OUTPUT` loads it into DuckDB;
DuckDB and Spark SQL also read the folders as they are.
"""

from __future__ import annotations

import heapq
import os
import sys
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dateline.errors import DatelineError
from dateline.ingest import Failure
from dateline.ingest.sources import expand
from dateline.spark.tasks import CHUNK, INPUT, STAGE, Analyze, TableRows, spark_ddl
from dateline.store.tables import DOCUMENTS, TABLES

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

# Data sets of records {url, html|text, published} rather than one article a file.
PARQUET_SUFFIXES = (".parquet",)
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
RECORD_FIELDS = ("source", "url", "html", "text", "published")
FAILURES = "failures"
SHOWN_FAILURES = 20

# A document row is large (tens of kB of JSON; megabytes for a huge page).  Spark's default
# batches (4,096 rows a Parquet column vector, 10,000 an Arrow batch) put a whole file of
# 5,000 documents in the JVM at once, which ran the default 1 GB heap out of memory at
# N = 10k.  Rows go to and from the Python workers in batches of CHUNK instead, unless the
# user set these themselves.
ROW_BATCHES = {
    "spark.sql.parquet.columnarReaderBatchSize": str(CHUNK),
    "spark.sql.execution.arrow.maxRecordsPerBatch": str(CHUNK),
}


@dataclass
class JobResult:
    documents: int
    failed: int
    failures: list[Failure] = field(default_factory=list)  # the first few, for the user
    output: Path = Path()


def session(master: str = "local[*]", conf: Mapping[str, str] | None = None) -> SparkSession:
    """A SparkSession for the job; in local mode the workers use this interpreter and stay on loopback."""
    from pyspark.sql import SparkSession

    settings = {"spark.sql.session.timeZone": "UTC", "spark.python.worker.reuse": "true"}
    if master.startswith("local"):
        # the workers must import dateline: run them on the interpreter that runs the driver
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        settings |= {"spark.driver.host": "127.0.0.1", "spark.driver.bindAddress": "127.0.0.1"}
    settings |= dict(conf or {})
    builder = SparkSession.builder.master(master).appName("dateline")
    for key, value in settings.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


@contextmanager
def settings_for_job(spark: SparkSession, values: Mapping[str, str] = ROW_BATCHES) -> Iterator[None]:
    """The job's settings where the caller set none (`--conf` wins), taken back afterwards."""
    before = {key: spark.conf.get(key, None) for key in values}
    for key, value in values.items():
        if before[key] is None:
            spark.conf.set(key, value)
    try:
        yield
    finally:
        for key, old in before.items():
            if old is None:
                spark.conf.unset(key)
            else:
                spark.conf.set(key, old)


def spark_failure(exc: BaseException) -> str | None:
    """One line for an error that Spark raised, or None for one that is not Spark's."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    if isinstance(exc, PySparkException):
        lines = str(exc).strip().splitlines()
        return f"the Spark job failed: {lines[0] if lines else type(exc).__name__}"
    if isinstance(exc, Py4JError | ConnectionError):
        # the driver's JVM exited under the job; a heap too small for the batches is the usual cause
        return "Spark stopped during the job (its JVM is gone; if it ran out of memory: --conf spark.driver.memory=4g)"
    return None


def _hidden(path: Path) -> bool:
    # Hadoop's convention: `_SUCCESS`, `_metadata` and `.crc` files are bookkeeping, not inputs
    return path.name.startswith(("_", "."))


def split_inputs(paths: Iterable[str]) -> tuple[list[Path], list[Path], list[Path]]:
    """Files to open one by one, Parquet data sets, JSON Lines data sets (directories searched)."""
    files: list[Path] = []
    parquet: list[Path] = []
    jsonl: list[Path] = []
    for item in expand(paths):
        if item == "-":
            raise DatelineError("the Spark job reads files, not stdin")
        path = Path(item)
        if _hidden(path):
            continue
        name = path.name.lower()
        if name.endswith(PARQUET_SUFFIXES):
            parquet.append(path)
        elif name.endswith(JSONL_SUFFIXES):
            jsonl.append(path)
        else:
            files.append(path)
    return files, parquet, jsonl


def balance(paths: list[Path], partitions: int) -> list[int]:
    """A partition for each path, largest files first onto the emptiest partition, so no task gets all big pages."""
    sizes = [p.stat().st_size if p.is_file() else 0 for p in paths]
    load = [(0, i) for i in range(partitions)]
    assigned = [0] * len(paths)
    for index in sorted(range(len(paths)), key=lambda i: -sizes[i]):
        total, part = heapq.heappop(load)
        assigned[index] = part
        heapq.heappush(load, (total + sizes[index], part))
    return assigned


def _files_frame(spark: SparkSession, files: list[Path], partitions: int) -> DataFrame:
    parts = balance(files, partitions)
    rows = [
        (part, (rank, str(path), None, None, None, None))
        for rank, (path, part) in enumerate(zip(files, parts, strict=True))
    ]
    rdd = spark.sparkContext.parallelize(rows, partitions).partitionBy(partitions, lambda part: part).values()
    return spark.createDataFrame(rdd, spark_ddl(INPUT))


def _records_frame(reader: DataFrame, partitions: int, first_rank: int) -> DataFrame:
    from pyspark.sql import functions as F

    found = set(reader.columns)
    if not found & {"html", "text"}:
        raise DatelineError(f"records need an `html` or `text` field; found: {', '.join(sorted(found))}")

    def col(name: str) -> Any:
        return F.col(name) if name in found else F.lit(None).cast("string")

    # increasing in file and row order, and distinct: the input order of records, and their place
    position = F.monotonically_increasing_id()
    place = F.concat(F.input_file_name(), F.lit("#"), position.cast("string"))
    return reader.select(
        (position + F.lit(first_rank)).alias("rank"),
        F.lit(None).cast("string").alias("path"),
        F.coalesce(col("source"), col("url"), place).alias("source"),
        F.encode(F.coalesce(col("html"), col("text")), "UTF-8").alias("data"),
        col("url").alias("url"),
        col("published").cast("string").alias("published"),
    ).repartition(partitions)


def inputs_frame(spark: SparkSession, paths: Iterable[str], partitions: int | None = None) -> DataFrame:
    files, parquet, jsonl = split_inputs(paths)
    default = partitions or spark.sparkContext.defaultParallelism * 4
    frames = []
    if files:
        frames.append(_files_frame(spark, files, min(default, len(files))))
    # records come after the files, Parquet before JSON Lines; ids leave room for 2**33 rows a partition
    if parquet:
        frames.append(_records_frame(spark.read.parquet(*map(str, parquet)), default, len(files)))
    if jsonl:
        schema = ", ".join(f"`{name}` string" for name in RECORD_FIELDS)
        reader = spark.read.schema(schema).json([str(p) for p in jsonl])
        frames.append(_records_frame(reader, default, len(files) + (1 << 62 if parquet else 0)))
    if not frames:
        raise DatelineError("no input files found")
    frame = frames[0]
    for other in frames[1:]:
        frame = frame.unionByName(other)
    return frame


def run_job(
    spark: SparkSession,
    paths: Iterable[str],
    output: str | Path,
    *,
    published: str | None = None,
    facts: bool = True,
    partitions: int | None = None,
    overwrite: bool = False,
) -> JobResult:
    out = Path(output)
    if out.exists() and any(out.iterdir()) and not overwrite:
        raise DatelineError(f"output folder {out} is not empty (use --overwrite to replace it)")
    mode = "overwrite" if overwrite else "errorifexists"
    with settings_for_job(spark):
        stage = inputs_frame(spark, paths, partitions).mapInArrow(
            Analyze(published=published, facts=facts), spark_ddl(STAGE)
        )
        write_documents(stage, out, mode)
        # facts come from the documents as written: their JSON is the one record of what was found
        cut_facts(spark, out, mode)

    failed = spark.read.parquet(str(out / FAILURES))
    shown = [
        Failure(r["source"], r["message"]) for r in failed.orderBy("source").limit(SHOWN_FAILURES).collect()
    ]
    return JobResult(
        documents=spark.read.parquet(str(out / DOCUMENTS.name)).count(),
        failed=failed.count(),
        failures=shown,
        output=out,
    )


def write_documents(stage: DataFrame, out: Path, mode: str) -> None:
    """OUTPUT/documents and OUTPUT/failures from the STAGE rows of read → nlp → facts."""
    from pyspark import StorageLevel
    from pyspark.sql import Window
    from pyspark.sql import functions as F

    # kept: documents and failures are both cut from this one pass of the pipeline
    stage = stage.persist(StorageLevel.MEMORY_AND_DISK)
    try:
        # the same article read twice is stored once, as in the DuckDB store
        first = Window.partitionBy("id").orderBy("rank", "item")
        documents = (
            stage.where(F.col("failure").isNull())
            .withColumn("_n", F.row_number().over(first))
            .where("_n = 1")
            .select(*(c.name for c in DOCUMENTS.layout))
            .withColumn("ingested_at", F.current_timestamp().cast("timestamp_ntz"))
        )
        documents.write.mode(mode).parquet(str(out / DOCUMENTS.name))
        failures = stage.where(F.col("failure").isNotNull()).select(
            "source", F.col("failure").alias("message")
        )
        failures.write.mode(mode).parquet(str(out / FAILURES))
    finally:
        stage.unpersist()


def cut_facts(spark: SparkSession, out: Path, mode: str = "errorifexists") -> None:
    """OUTPUT/<table> for every fact table, from the `document` JSON in OUTPUT/documents."""
    written = spark.read.parquet(str(out / DOCUMENTS.name)).select("document")
    for table in TABLES:
        if table is not DOCUMENTS:
            rows = written.mapInArrow(TableRows(table.name), spark_ddl(table.layout))
            rows.write.mode(mode).parquet(str(out / table.name))
