"""Let Dateline's fact objects travel inside spaCy Docs between processes.

`nlp.pipe(n_process=2)` sends each Doc back from its worker as msgpack, user data
included, and `doc._.facts` holds model dataclasses that msgpack cannot encode.
These hooks, registered with srsly (spaCy's serializer), encode any dataclass of
`dateline.model` as a tagged map and rebuild it on the other side.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

import srsly  # type: ignore[import-untyped]

from dateline import model

_TAG = "__dateline__"


def encode(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type) and type(obj).__module__ == model.__name__:
        # shallow: msgpack calls this hook again for nested dataclasses
        return {_TAG: type(obj).__name__, **{f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}}
    return chain(obj) if chain is not None else obj


def decode(obj: Any, chain: Callable[[Any], Any] | None = None) -> Any:
    if isinstance(obj, dict) and _TAG in obj:
        fields = dict(obj)
        cls = getattr(model, fields.pop(_TAG))
        return cls(**fields)
    return chain(obj) if chain is not None else obj


srsly.msgpack_encoders.register("dateline_model", func=encode)
srsly.msgpack_decoders.register("dateline_model", func=decode)
