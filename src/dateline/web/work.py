"""Where the server reads and analyses articles: worker processes, never the event loop.

An article can take minutes (a long one) where a read takes milliseconds, and spaCy holds
the GIL: so `/extract` and `/ingest` hand their article to one of a bounded number of worker
processes, each with the pipeline loaded once.  The request waits for it without holding a
thread; reads are served meanwhile.  A worker that runs past the time limit, or whose client
has gone, is killed (a thread could not be stopped) and a fresh one takes its place.

Answers: `Busy` (no worker free in time: 503), `TimedOut` (504), `Unreadable` (the article
cannot be read or analysed: 422), `WorkerDied` (503).
"""

from __future__ import annotations

import asyncio
import contextlib
import multiprocessing
import signal
import threading
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection

from dateline.errors import DatelineError

# Starting a worker loads the spaCy pipeline: seconds, far longer on a busy machine.
START_LIMIT = 600.0
# How often a waiting request checks whether its client is still there.
POLL = 0.25


class WorkError(DatelineError):
    """Why the server could not give an article's analysis."""


class Busy(WorkError):
    pass


class TimedOut(WorkError):
    pass


class Unreadable(WorkError):
    pass


class WorkerDied(WorkError):
    pass


class ClientGone(WorkError):
    pass


def _work(conn: Connection) -> None:
    """A worker process: load the pipeline, then read and analyse one article per message."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the server, which stops this process
    import dateline
    from dateline.errors import describe
    from dateline.nlp import load_pipeline

    load_pipeline()
    conn.send(("ready", ""))
    while True:
        try:
            data, published = conn.recv()
        except (EOFError, OSError):
            return
        try:
            document = dateline.extract(data, published=published)
            document.source = "<api>"
            answer = ("ok", document.to_json())
        except Exception as exc:
            answer = ("unreadable", describe(exc))
        try:
            conn.send(answer)
        except (BrokenPipeError, OSError):
            return


class Worker:
    """One worker process and the pipe to it."""

    def __init__(self) -> None:
        # spawned, not forked: the server has threads (and DuckDB's), which a fork copies mid-lock
        context = multiprocessing.get_context("spawn")
        self.conn, theirs = context.Pipe()
        self.process = context.Process(target=_work, args=(theirs,), name="dateline-analysis", daemon=True)
        self.process.start()
        theirs.close()
        self.ready = False

    def kill(self) -> None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
            self.process.join(5)
        with contextlib.suppress(OSError):
            self.conn.close()

    async def answer(self, deadline: float, still_wanted: Callable[[], Awaitable[bool]]) -> tuple[str, str]:
        """The worker's next message, awaited without a thread; raises when the deadline or client goes."""
        loop = asyncio.get_running_loop()
        readable = asyncio.Event()
        fd = self.conn.fileno()
        loop.add_reader(fd, readable.set)
        try:
            while not readable.is_set():
                left = deadline - loop.time()
                if left <= 0:
                    raise TimedOut("time limit reached")
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(readable.wait(), min(left, POLL))
                if not readable.is_set() and not await still_wanted():
                    raise ClientGone("the client has gone")
        finally:
            loop.remove_reader(fd)
        try:
            kind, payload = await asyncio.to_thread(self.conn.recv)
        except (EOFError, OSError) as exc:
            raise WorkerDied("the analysis worker stopped") from exc
        return str(kind), str(payload)


# Idle workers outlive the app that started them (the test suite builds many apps in one
# process); they are daemons, stopped when the process ends.
_IDLE: list[Worker] = []
_IDLE_LOCK = threading.Lock()


async def _always() -> bool:
    return True


@dataclass
class Pool:
    """At most `size` articles analysed at once, each within `time_limit` seconds."""

    size: int = 1
    time_limit: float = 120.0
    # requests waiting for a worker beyond this many are refused at once (503)
    queue: int = 64

    def __post_init__(self) -> None:
        self.free: asyncio.Semaphore | None = None
        self.waiting = 0
        self.busy: set[Worker] = set()
        self.warming: asyncio.Task[None] | None = None

    def _slots(self) -> asyncio.Semaphore:
        if self.free is None:  # made on first use, in the event loop that serves
            self.free = asyncio.Semaphore(self.size)
        return self.free

    async def analyse(
        self, data: bytes, published: str | None, still_wanted: Callable[[], Awaitable[bool]] = _always
    ) -> str:
        """The analysed article as Dateline JSON."""
        slots = self._slots()
        if slots.locked() and self.waiting >= self.queue:
            raise Busy(f"every analysis worker is busy and {self.waiting} articles are waiting already")
        self.waiting += 1
        try:
            await asyncio.wait_for(slots.acquire(), self.time_limit)
        except TimeoutError:
            raise Busy(f"no analysis worker came free within {self.time_limit:g} s") from None
        finally:
            self.waiting -= 1
        try:
            return await self._run(data, published, still_wanted)
        finally:
            slots.release()

    async def _run(
        self, data: bytes, published: str | None, still_wanted: Callable[[], Awaitable[bool]]
    ) -> str:
        worker = await self._worker()
        self.busy.add(worker)
        done = False
        try:
            await asyncio.to_thread(worker.conn.send, (data, published))
            deadline = asyncio.get_running_loop().time() + self.time_limit
            kind, payload = await worker.answer(deadline, still_wanted)
            done = True
        except TimedOut:
            raise TimedOut(
                f"the analysis took longer than the time limit of {self.time_limit:g} s and was stopped"
            ) from None
        finally:
            self.busy.discard(worker)
            if done:
                with _IDLE_LOCK:
                    _IDLE.append(worker)
            else:  # timed out, client gone, cancelled (server stopping), or dead: never reused
                worker.kill()
        if kind != "ok":
            raise Unreadable(payload)
        return payload

    async def _worker(self) -> Worker:
        """An idle worker, or a new one once it has loaded the pipeline (a client that leaves meanwhile
        does not stop that: the next request gets it)."""
        if self.warming is not None and not self.warming.done():
            await asyncio.shield(self.warming)  # the workers started with the app are on their way
        while True:
            with _IDLE_LOCK:
                worker = _IDLE.pop() if _IDLE else None
            if worker is None:
                break
            if worker.process.is_alive():
                return worker
            worker.kill()
        return await self._start()

    async def _start(self) -> Worker:
        worker = Worker()
        try:
            deadline = asyncio.get_running_loop().time() + START_LIMIT
            kind, _ = await worker.answer(deadline, _always)
        except BaseException:
            worker.kill()
            raise
        if kind != "ready":
            worker.kill()
            raise WorkerDied("the analysis worker failed to start")
        return worker

    def warm(self) -> None:
        """Start the workers now, in the background, rather than when the first request needs them."""

        async def start() -> None:
            with _IDLE_LOCK:
                missing = self.size - len(_IDLE)
            workers = await asyncio.gather(*(self._start() for _ in range(missing)))
            with _IDLE_LOCK:
                _IDLE.extend(workers)

        self.warming = asyncio.create_task(start())

    def close(self) -> None:
        """Stop the work in progress (its requests are being cancelled); idle workers stay for reuse."""
        if self.warming is not None:
            self.warming.cancel()
        for worker in list(self.busy):
            worker.kill()


def stop_idle_workers() -> None:
    with _IDLE_LOCK:
        workers = list(_IDLE)
        _IDLE.clear()
    for worker in workers:
        worker.kill()
