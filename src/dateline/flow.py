"""The whole flow: inputs → read → nlp/facts, one result per input, in input order.

With `n_process` > 1 the inputs go in batches to worker processes, each of which runs this
same flow (read, parse, facts) on its batch and sends back the finished Documents; the
caller (the store, in `dateline ingest`) gets them in input order, as from one process.
"""

from __future__ import annotations

import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass, replace
from itertools import islice
from typing import TypeVar, cast

from dateline.errors import DatelineError
from dateline.ingest import Failure, RawInput, iter_inputs
from dateline.model import Document

Item = RawInput | Failure
Result = Document | Failure
T = TypeVar("T")


@dataclass
class Options:
    published: str | None = None
    facts: bool = True
    n_process: int = 1
    batch_size: int = 32


class Stopwatch:
    """Where a run's time went, step by step: wall seconds, and CPU seconds of this process.

    With worker processes, the wall time of the step that waits for them, beside its small CPU
    time, is how long the parent sat idle waiting for the workers.
    """

    def __init__(self) -> None:
        self.wall: dict[str, float] = {}
        self.cpu: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.wall[name] = self.wall.get(name, 0.0) + time.perf_counter() - wall
            self.cpu[name] = self.cpu.get(name, 0.0) + time.process_time() - cpu

    def each(self, name: str, items: Iterable[T]) -> Iterator[T]:
        """The items, timing only the waits for each of them."""
        stream = iter(items)
        while True:
            with self.step(name):
                item = next(stream, _DONE)
            if item is _DONE:
                return
            yield cast(T, item)

    def report(self) -> str:
        return "; ".join(f"{n} {self.wall[n]:.1f} s (CPU here {self.cpu[n]:.1f} s)" for n in self.wall)


_DONE = object()


def describe(exc: BaseException) -> str:
    """One line for the user; unexpected errors say what they were, without a traceback."""
    if isinstance(exc, DatelineError):
        return str(exc)
    first = str(exc).splitlines()[0] if str(exc) else ""
    return f"internal error ({type(exc).__name__}{': ' + first if first else ''})"


def read_all(items: Iterable[Item], published: str | None = None) -> Iterator[Result]:
    from dateline.read import read  # in the workers only, when there are workers

    for item in items:
        if isinstance(item, Failure):
            yield item
            continue
        try:
            yield read(item, published=published)
        except Exception as exc:  # one bad input never stops the others
            yield Failure(item.source, describe(exc))


def run(paths: Iterable[str], options: Options | None = None) -> Iterator[Result]:
    """Documents (with facts) and failures for the given paths, in input order, streaming."""
    return process(iter_inputs(paths), options)


def process(items: Iterable[Item], options: Options | None = None) -> Iterator[Result]:
    """Read and analyze inputs from any source (files, records of a data set), in order, streaming."""
    options = options or Options()
    if options.n_process > 1:
        return _in_workers(items, options)
    return _in_process(items, options)


def _in_process(items: Iterable[Item], options: Options) -> Iterator[Result]:
    results = read_all(items, options.published)
    if not options.facts:
        yield from results
        return
    from dateline.nlp import analyze, load_pipeline

    # One analyze() over the whole stream.  Failures wait in `slots` for the documents read before them.
    slots: deque[Failure | None] = deque()

    def documents() -> Iterator[Document]:
        for r in results:
            if isinstance(r, Failure):
                slots.append(r)
            else:
                slots.append(None)
                yield r

    analyzed = analyze(documents(), nlp=load_pipeline(), batch_size=options.batch_size)
    for document in analyzed:
        while (failure := slots.popleft()) is not None:
            yield failure
        yield document
    yield from (f for f in slots if f is not None)


# --- worker processes -------------------------------------------------------------------------

STOPPED = "the worker process reading it stopped (killed, or out of memory)"


def _start_worker(facts: bool) -> None:
    # Ctrl-C is the parent's to handle: it stops the pool
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if facts:
        from dateline.nlp import load_pipeline

        load_pipeline()  # while the parent reads the first batches


def _work(batch: list[Item], options: Options) -> list[Result]:
    """A batch through the one-process flow, in a worker."""
    return list(_in_process(batch, options))


class _Pool:
    """Worker processes that can be started again when one of them dies."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.single = replace(options, n_process=1)
        self.executor = self._start()

    def _start(self) -> ProcessPoolExecutor:
        # spawn, not fork: the parent may hold threads (progress display, DuckDB) a fork would copy mid-state
        return ProcessPoolExecutor(
            self.options.n_process,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(self.options.facts,),
        )

    def submit(self, batch: list[Item]) -> Future[list[Result]]:
        return self.executor.submit(_work, batch, self.single)

    def restart(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.executor = self._start()

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)

    def one_by_one(self, batches: Iterable[list[Item]]) -> Iterator[Result]:
        """After a worker died: each input of these batches alone, so that only the one that kills a worker fails."""
        for batch in batches:
            for item in batch:
                try:
                    yield from self.submit([item]).result()
                except BrokenProcessPool:
                    self.restart()
                    yield item if isinstance(item, Failure) else Failure(item.source, STOPPED)


def _in_workers(items: Iterable[Item], options: Options) -> Iterator[Result]:
    pool = _Pool(options)
    stream = iter(items)
    pending: deque[tuple[list[Item], Future[list[Result]]]] = deque()
    try:
        while True:
            # keep every worker busy with a batch and one more waiting, never the whole input in memory
            while len(pending) < 2 * options.n_process and (
                batch := list(islice(stream, options.batch_size))
            ):
                pending.append((batch, pool.submit(batch)))
            if not pending:
                return
            batch, future = pending.popleft()
            try:
                yield from future.result()
            except BrokenProcessPool:
                # every batch in flight is lost with the pool: run them again, input by input
                lost = [batch, *(b for b, _ in pending)]
                pending.clear()
                pool.restart()
                yield from pool.one_by_one(lost)
    finally:
        pool.close()
