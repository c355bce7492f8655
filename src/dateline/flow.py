"""The whole flow for one process: inputs → read → nlp/facts, one result per input."""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from dateline.errors import DatelineError
from dateline.ingest import Failure, RawInput, iter_inputs
from dateline.model import Document
from dateline.read import read


@dataclass
class Options:
    published: str | None = None
    facts: bool = True
    n_process: int = 1
    batch_size: int = 32


def describe(exc: BaseException) -> str:
    """One line for the user; unexpected errors say what they were, without a traceback."""
    if isinstance(exc, DatelineError):
        return str(exc)
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"internal error ({type(exc).__name__}{': ' + first if first else ''})"


def read_all(
    items: Iterable[RawInput | Failure], published: str | None = None
) -> Iterator[Document | Failure]:
    for item in items:
        if isinstance(item, Failure):
            yield item
            continue
        try:
            yield read(item, published=published)
        except Exception as exc:  # one bad input never stops the others
            yield Failure(item.source, describe(exc))


def run(paths: Iterable[str], options: Options | None = None) -> Iterator[Document | Failure]:
    """Documents (with facts) and failures for the given paths, in input order, streaming."""
    return process(iter_inputs(paths), options)


def process(
    items: Iterable[RawInput | Failure], options: Options | None = None
) -> Iterator[Document | Failure]:
    """Read and analyze inputs from any source (files, records of a data set), in order, streaming."""
    options = options or Options()
    results = read_all(items, options.published)
    if not options.facts:
        yield from results
        return
    from dateline.nlp import analyze, load_pipeline

    # One analyze() over the whole stream: with worker processes, spaCy starts its pool once,
    # not once per batch.  Failures wait in `slots` for the documents read before them.
    slots: deque[Failure | None] = deque()

    def documents() -> Iterator[Document]:
        for r in results:
            if isinstance(r, Failure):
                slots.append(r)
            else:
                slots.append(None)
                yield r

    analyzed = analyze(
        documents(), nlp=load_pipeline(), n_process=options.n_process, batch_size=options.batch_size
    )
    for document in analyzed:
        while (failure := slots.popleft()) is not None:
            yield failure
        yield document
    yield from (f for f in slots if f is not None)
