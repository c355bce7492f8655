"""JSON Schema of the Document, generated from the dataclasses; `schema/document.schema.json` is its committed copy."""

from __future__ import annotations

import ast
import functools
import inspect
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


@functools.cache
def _docstrings(module: str) -> dict[str, tuple[str | None, dict[str, str]]]:
    """Each class's own docstring and its fields' docstrings (the string right under a field), from source.

    `cls.__doc__` is no use: a dataclass without a docstring gets its signature there.
    """
    tree = ast.parse(inspect.getsource(__import__(module, fromlist=["_"])))
    found: dict[str, tuple[str | None, dict[str, str]]] = {}
    for node in tree.body:
        if not isinstance(node, ast.ClassDef):
            continue
        documented: dict[str, str] = {}
        for field_node, after in zip(node.body, node.body[1:], strict=False):
            if (
                isinstance(field_node, ast.AnnAssign)
                and isinstance(field_node.target, ast.Name)
                and isinstance(after, ast.Expr)
                and isinstance(after.value, ast.Constant)
                and isinstance(after.value.value, str)
            ):
                documented[field_node.target.id] = " ".join(after.value.value.split())
        own = ast.get_docstring(node)
        found[node.name] = (" ".join(own.split()) if own else None, documented)
    return found


def descriptions(cls: type) -> tuple[str | None, dict[str, str]]:
    """The class's description and its fields' descriptions, inherited ones included."""
    fields_doc: dict[str, str] = {}
    for base in reversed(cls.__mro__):
        if is_dataclass(base):
            fields_doc.update(_docstrings(base.__module__).get(base.__name__, (None, {}))[1])
    return _docstrings(cls.__module__).get(cls.__name__, (None, {}))[0], fields_doc


def _object(cls: type, defs: dict[str, Any]) -> dict[str, Any]:
    hints = get_type_hints(cls)
    about, documented = descriptions(cls)
    props = {}
    for f in fields(cls):
        props[f.name] = _type(hints[f.name], defs)
        if f.name in documented:
            props[f.name] = {"description": documented[f.name], **props[f.name]}
    required = [f.name for f in fields(cls)]
    obj: dict[str, Any] = {"type": "object", "properties": props, "required": required}
    if about:
        obj["description"] = about
    return obj


def document_schema() -> dict[str, Any]:
    defs: dict[str, Any] = {}
    root = _object(Document, defs)
    root["properties"]["schema"] = {**root["properties"]["schema"], "const": SCHEMA}
    root["properties"]["schema"].pop("type", None)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://dateline.example/schema/document-{SCHEMA.rsplit('/', 1)[1]}.json",
        "title": "Dateline document",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def render() -> str:
    return json.dumps(document_schema(), indent=2) + "\n"
