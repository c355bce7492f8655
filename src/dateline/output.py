"""One serializer for what the command line prints: a fact has the same field names everywhere.

`plain` turns Documents (`Document.to_dict`, the JSON Schema's shape), the corpus's entries and
any other dataclass into JSON values by their field names, the names the REST API's JSON also
uses (FastAPI serializes the same dataclasses).  `--json` prints one JSON document (an object
or an array); `--jsonl` prints one JSON value a line, as they come.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from typing import Any, TextIO

from dateline.model import Document


def plain(value: Any) -> Any:
    """A JSON value: Documents by `to_dict`, other dataclasses field by field, containers item by item."""
    if isinstance(value, Document):
        return value.to_dict()
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    return value


def dumps(value: Any, indent: int | None = None) -> str:
    return json.dumps(plain(value), ensure_ascii=False, indent=indent)


def write_json(value: Any, out: TextIO | None = None) -> None:
    """One JSON document."""
    (out or sys.stdout).write(dumps(value, indent=2) + "\n")


def write_jsonl(items: Iterable[Any], out: TextIO | None = None) -> None:
    """One JSON value a line, flushed as each is written."""
    stream = out or sys.stdout
    for item in items:
        stream.write(dumps(item) + "\n")
        stream.flush()


class JsonArray:
    """A JSON array written an item at a time, so that a long run prints as it goes and stays one document."""

    def __init__(self, out: TextIO | None = None) -> None:
        self.out = out or sys.stdout
        self.count = 0

    def add(self, value: Any) -> None:
        self.out.write(("[\n" if self.count == 0 else ",\n") + dumps(value, indent=2))
        self.out.flush()
        self.count += 1

    def close(self) -> None:
        self.out.write("[]\n" if self.count == 0 else "\n]\n")
        self.out.flush()
