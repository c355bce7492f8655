"""The JSON contract: real output validates against the committed JSON Schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from dateline.model import SCHEMA, Document
from dateline.schema import render
from tests.conftest import REPO, dateline

SCHEMA_FILE = REPO / "schema" / "document.schema.json"


def test_committed_schema_is_current() -> None:
    assert SCHEMA_FILE.read_text(encoding="utf-8") == render(), (
        "regenerate with `dateline schema > schema/document.schema.json`"
    )


def test_cli_output_validates(tmp_path: Path) -> None:
    result = dateline("extract", str(REPO / "examples" / "article.txt"))
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["schema"] == SCHEMA
    jsonschema.validate(data, json.loads(SCHEMA_FILE.read_text(encoding="utf-8")))
    doc = Document.from_dict(data)
    for kind in ("quotes", "times", "quantities", "events"):
        for fact in getattr(doc, kind):
            assert doc.text[fact.start : fact.end] == fact.text
    for entity in doc.entities:
        for mention in entity.mentions:
            assert doc.text[mention.start : mention.end] == mention.text
    assert Document.from_json(doc.to_json()) == doc


def test_contract_field_names() -> None:
    props = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    top = set(props["properties"])
    assert {
        "id",
        "source",
        "title",
        "published",
        "publisher",
        "authors",
        "language",
        "text",
        "paragraphs",
        "entities",
        "quotes",
        "times",
        "quantities",
        "events",
    } <= top
    defs = props["$defs"]
    assert {"id", "name", "type", "mentions"} <= set(defs["Entity"]["properties"])
    assert {"kind", "text", "start", "end", "speaker", "cue", "date"} <= set(defs["Quote"]["properties"])
    assert {"text", "start", "end", "type", "value"} <= set(defs["Time"]["properties"])
    assert {"text", "start", "end", "value", "unit", "approximate"} <= set(defs["Quantity"]["properties"])
    assert {
        "text",
        "start",
        "end",
        "trigger",
        "actor",
        "action",
        "target",
        "place",
        "date",
        "modality",
    } <= set(defs["Event"]["properties"])


def test_every_field_is_described() -> None:
    """Descriptions come from the docstrings in model.py, never from a dataclass's generated signature."""
    props = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    objects = {"Document": props, **props["$defs"]}
    for name, obj in objects.items():
        assert obj.get("description"), f"{name} has no description"
        assert "(" not in obj["description"].split()[0], obj["description"]
        for field_name, spec in obj["properties"].items():
            assert spec.get("description"), f"{name}.{field_name} has no description: add a docstring"


def test_reads_documents_of_the_previous_version() -> None:
    old = {"schema": "dateline.document/1", "id": "x", "text": "A text."}
    assert Document.from_dict(old).schema == SCHEMA
