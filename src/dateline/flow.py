"""The whole flow for one process: inputs → read → nlp/facts, one result per input."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice

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


def _batches(items: Iterator[Document | Failure], size: int) -> Iterator[list[Document | Failure]]:
    while batch := list(islice(items, size)):
        yield batch


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

    nlp = load_pipeline()
    for batch in _batches(results, options.batch_size * max(1, options.n_process)):
        documents = [r for r in batch if isinstance(r, Document)]
        analyzed = iter(
            analyze(documents, nlp=nlp, n_process=options.n_process, batch_size=options.batch_size)
        )
        for r in batch:
            yield next(analyzed) if isinstance(r, Document) else r
