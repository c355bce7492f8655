"""JSON Schema of the Document, generated from the dataclasses; `schema/document.schema.json` is its committed copy."""

from __future__ import annotations

import json
import types
from dataclasses import fields, is_dataclass
from typing import Any, Literal, Union, get_args, get_origin, get_type_hints

from dateline.model import SCHEMA, Document

_JSON = {str: "string", int: "integer", float: "number", bool: "boolean"}


def _type(hint: Any, defs: dict[str, Any]) -> dict[str, Any]:
    origin = get_origin(hint)
    if origin in (Union, types.UnionType):
        options = [_type(a, defs) for a in get_args(hint)]
        return {"anyOf": options}
    if hint is type(None):
        return {"type": "null"}
    if origin is Literal:
        return {"enum": list(get_args(hint))}
    if origin is list:
        return {"type": "array", "items": _type(get_args(hint)[0], defs)}
    if hint is float:
        return {"type": "number"}
    if isinstance(hint, type) and is_dataclass(hint):
        name = hint.__name__
        if name not in defs:
            defs[name] = {}
            defs[name] = _object(hint, defs)
        return {"$ref": f"#/$defs/{name}"}
    return {"type": _JSON[hint]}


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = get_type_hints(cls)
    props = {f.name: _type(hints[f.name], defs) for f in fields(cls)}
    required = [f.name for f in fields(cls)]
    obj: dict[str, Any] = {"type": "object", "properties": props, "required": required}
    if cls.__doc__:
        obj["description"] = " ".join(cls.__doc__.split())
    return obj


def document_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    root = _object(Document, defs)
    root["properties"]["schema"] = {"const": SCHEMA}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://dateline.example/schema/document-1.json",
        "title": "Dateline document",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def render() -> str:
    return json.dumps(document_schema(), indent=2) + "\n"
