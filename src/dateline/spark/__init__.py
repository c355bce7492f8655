"""Scale out: the same read → nlp → facts flow as `dateline ingest`, run by Spark, written as Parquet."""

from dateline.spark.job import JobResult, run_job, session

__all__ = ["JobResult", "run_job", "session"]
