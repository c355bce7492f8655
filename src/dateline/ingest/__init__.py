"""The `ingest` stage: find inputs (files, directories, stdin) and hand their bytes on."""

from dateline.ingest.sources import DEFAULT_MAX_BYTES, Failure, RawInput, iter_inputs, read_source

__all__ = ["DEFAULT_MAX_BYTES", "Failure", "RawInput", "iter_inputs", "read_source"]
