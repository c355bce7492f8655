"""The REST API and the web UI: one FastAPI app over the same library functions as the CLI.

Reads go through `dateline.corpus` (quotes, timeline, search, trends, browse)
on a cursor per request, since one DuckDB connection must not be shared
between threads.  The database is opened read-only unless an ingest token is
configured; even then only POST /ingest writes.
"""

from __future__ import annotations

import hmac
import os
import threading
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Generic, Literal, TypeVar, cast

import duckdb
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field, model_validator
from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

import dateline
from dateline import corpus
from dateline.corpus import browse, charts, stories
from dateline.corpus.entities import CorpusEntity
from dateline.ingest.sources import without_surrogates
from dateline.model import Document
from dateline.store import DatabaseBusy, Store, connect
from dateline.web.work import Busy, ClientGone, Pool, TimedOut, Unreadable, WorkerDied

STATIC = Path(__file__).parent / "static"
TOKEN_ENV = "DATELINE_INGEST_TOKEN"
MAX_BODY = 5 * 1024 * 1024
MAX_LIMIT = 200
# fulltext.search ranks a bounded number of hits; pages are cut from those
MAX_SEARCH_HITS = 1000

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    items: list[T]
    total: int
    limit: int
    offset: int


class ArticleIn(BaseModel):
    """An article as plain text or as an HTML page (exactly one of the two)."""

    text: str | None = Field(default=None, description="Plain text of an article or of a page dump.")
    html: str | None = Field(default=None, description="An HTML page.")
    published: date | None = Field(default=None, description="Publication date, if the page lacks one.")

    @model_validator(mode="after")
    def _one_body(self) -> ArticleIn:
        if (self.text is None) == (self.html is None):
            raise ValueError('give exactly one of "text" or "html"')
        if not (self.text or self.html or "").strip():
            raise ValueError("the article is empty")
        # a lone surrogate ("\ud800" in the JSON) is no character: it could be neither read nor stored
        self.text = self.text and without_surrogates(self.text)
        self.html = self.html and without_surrogates(self.html)
        return self

    def data(self) -> bytes:
        return ((self.html if self.html is not None else self.text) or "").encode("utf-8")


class Ingested(BaseModel):
    id: str
    added: bool
    title: str | None


class EntityDetail(BaseModel):
    entity: CorpusEntity
    quotes: list[corpus.QuoteEntry]
    events: list[corpus.TimelineEntry]
    documents: list[browse.DocumentSummary]


class StoryDetail(BaseModel):
    story: stories.Story
    documents: list[browse.DocumentSummary]
    timeline: list[corpus.TimelineEntry]


class Limits(BaseModel):
    limit: int
    offset: int


def paging(
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description=f"At most {MAX_LIMIT}.")] = 50,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Limits:
    return Limits(limit=limit, offset=offset)


Paging = Annotated[Limits, Depends(paging)]


def page_of(items: Sequence[T], paging: Limits) -> Page[T]:
    return Page(
        items=list(items[paging.offset : paging.offset + paging.limit]),
        total=len(items),
        limit=paging.limit,
        offset=paging.offset,
    )


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(send)
            return
        # the body is read here, before the app sees it: an app that parses JSON swallows errors
        # raised from inside `receive`, and the body is held in memory in any case
        messages: list[Message] = []
        seen = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            seen += len(message.get("body", b""))
            if seen > self.limit:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, replayed, send)

    async def _refuse(self, send: Send) -> None:
        response = JSONResponse(
            {"detail": f"request body too large: the limit is {self.limit} bytes"}, status_code=413
        )
        await response({"type": "http"}, _no_body, send)


async def _no_body() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


class SecurityHeaders:
    """The UI loads nothing from elsewhere and runs no inline script: article text can never become code."""

    HEADERS: tuple[tuple[bytes, bytes], ...] = (
        (
            b"content-security-policy",
            b"default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            b"object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'",
        ),
        (b"x-content-type-options", b"nosniff"),
    )

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *self.HEADERS]
            await send(message)

        await self.app(scope, receive, with_headers if scope["type"] == "http" else send)


class Database:
    """The DuckDB file, held only while requests are being answered: another program can write between them.

    Requests share one connection (a cursor each) while any is in flight, and it is closed
    `linger` seconds after the last one, so a burst of requests opens the file once.  Under
    steady traffic it is let go every `hold` seconds for `gap` seconds (new requests wait), so a
    `dateline ingest` retrying for the lock is never shut out.  Kept answers are dropped when
    the file changed while it was not held.
    """

    def __init__(
        self, path: Path, writable: bool, linger: float = 0.5, hold: float = 2.0, gap: float = 0.3
    ) -> None:
        if not path.exists() or writable:
            # creates the file or brings its tables up to date; the only write outside /ingest
            Store(path).close()
        else:
            with Store(path, read_only=True) as probe:
                missing = probe.db.execute(
                    "SELECT count(*) FROM information_schema.tables WHERE table_name = 'corpus_entities'"
                ).fetchone()
            if missing == (0,):
                Store(path).close()  # a database from before the corpus tables
        self.path = path
        self.writable = writable
        self.linger, self.hold, self.gap = linger, hold, gap
        self.write_lock = threading.Lock()
        self.answers = Answers()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._opened = 0.0
        self._users = 0
        self._turn = threading.Condition()
        self._idle: threading.Timer | None = None
        self._stamp = self._file_stamp()

    def _file_stamp(self) -> tuple[tuple[int, int] | None, ...]:
        stamps: list[tuple[int, int] | None] = []
        for file in (self.path, self.path.with_name(self.path.name + ".wal")):
            try:
                stat = file.stat()
                stamps.append((stat.st_mtime_ns, stat.st_size))
            except OSError:
                stamps.append(None)
        return tuple(stamps)

    @contextmanager
    def cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        con = self._acquire()
        try:
            cur = con.cursor()
            try:
                yield cur
            finally:
                cur.close()
        finally:
            self._release()

    def _acquire(self) -> duckdb.DuckDBPyConnection:
        with self._turn:
            if self._idle is not None:
                self._idle.cancel()
                self._idle = None
            # held for long: let the requests in flight finish, then leave the file free for a moment.
            # Asked again after each wait: the requests that waited together let it go once, not
            # once each (that queued a burst of 50 behind 50 pauses)
            while self._con is not None and time.monotonic() - self._opened > self.hold:
                if self._users:
                    self._turn.wait()
                    continue
                self._close()
                time.sleep(self.gap)  # requests arriving meanwhile wait for the lock
            if self._con is None:
                if self._file_stamp() != self._stamp:
                    self.answers.clear()  # another program wrote while the file was not held
                self._con = connect(self.path, read_only=not self.writable)
                self._opened = time.monotonic()
            self._users += 1
            return self._con

    def _release(self) -> None:
        with self._turn:
            self._users -= 1
            if self._users == 0:
                self._turn.notify_all()
                self._idle = threading.Timer(self.linger, self._close_if_idle)
                self._idle.daemon = True
                self._idle.start()

    def _close_if_idle(self) -> None:
        with self._turn:
            if self._users == 0 and self._con is not None:
                self._close()

    def _close(self) -> None:
        if self._con is not None:
            self._con.close()
            self._con = None
            self._stamp = self._file_stamp()

    def close(self) -> None:
        with self._turn:
            if self._idle is not None:
                self._idle.cancel()
            self._close()


class Answers:
    """Answers of the corpus questions, kept until the database changes.

    While the app holds the file no other program can write it; `Database`
    clears this when the file changed while it was let go, and after each
    ingest of its own.  A corpus question costs tens of milliseconds of
    Python per call, a page cut from a kept answer almost nothing.
    """

    def __init__(self, size: int = 512) -> None:
        self.size = size
        self.kept: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self.computing: dict[tuple[Any, ...], threading.Lock] = {}
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        with self.lock:
            if key in self.kept:
                self.kept.move_to_end(key)
                return cast(T, self.kept[key])
            # requests asking the same question at once wait for one answer instead of each computing it
            busy = self.computing.setdefault(key, threading.Lock())
        with busy:
            with self.lock:
                if key in self.kept:
                    return cast(T, self.kept[key])
            value = compute()
            with self.lock:
                self.kept[key] = value
                self.computing.pop(key, None)
                while len(self.kept) > self.size:
                    self.kept.popitem(last=False)
        return value

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()
            self.computing.clear()


def cursor(request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    database: Database = request.app.state.db
    with database.cursor() as cur:
        yield cur


def answers(request: Request) -> Answers:
    database: Database = request.app.state.db
    return database.answers


Db = Annotated[duckdb.DuckDBPyConnection, Depends(cursor)]
Kept = Annotated[Answers, Depends(answers)]

# /check reads a claim (at most 1,000 characters) with the server process's own spaCy pipeline;
# its components keep state per call, so calls take turns.  Articles go to the workers instead.
_nlp_lock = threading.Lock()


async def analyse(request: Request, body: ArticleIn) -> str:
    """The Python API's `extract` (which the CLI also runs), in a worker process: the document as JSON."""
    pool: Pool = request.app.state.pool
    published = body.published.isoformat() if body.published else None

    async def still_wanted() -> bool:
        return not await request.is_disconnected()

    try:
        return await pool.analyse(body.data(), published, still_wanted)
    except Unreadable as exc:
        raise HTTPException(422, f"cannot read the article: {exc}") from None
    except (Busy, WorkerDied) as exc:
        raise HTTPException(
            503, f"the server is busy: {exc}; try again later", {"Retry-After": "10"}
        ) from None
    except TimedOut as exc:
        raise HTTPException(504, str(exc)) from None
    except ClientGone:
        # nobody reads this answer: the work was stopped when the client left
        raise HTTPException(499, "the client closed the connection") from None


def store_one(db: Database, document: Document) -> Ingested:
    # DuckDB hands a second connection in this process the same open database
    with db.write_lock, db.cursor(), Store(db.path) as store:
        added = store.add([document]) == 1
        if added:
            corpus.rebuild(store.db)
            db.answers.clear()
    return Ingested(id=document.id, added=added, title=document.title)


def check_database(db_path: str | Path, writable: bool = False) -> None:
    """Open the database as the server would and close it: a file it cannot serve fails here, in one line."""
    database = Database(Path(db_path), writable=writable or os.environ.get(TOKEN_ENV) is not None)
    with database.cursor():
        pass
    database.close()


def _readable(errors: Sequence[Any]) -> tuple[int, str]:
    for error in errors:
        if error.get("type") == "json_invalid":
            reason = (error.get("ctx") or {}).get("error", "invalid JSON")
            return 400, f"malformed JSON body: {reason}"
    parts = []
    for error in errors:
        if tuple(error.get("loc", ())) == ("body",) and error.get("type") != "value_error":
            return (
                422,
                'the body must be a JSON object, {"text": ...} or {"html": ...}, sent as application/json',
            )
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path"))
        message = str(error.get("msg")).removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return 422, "; ".join(parts)


class Info(BaseModel):
    version: str
    writable: bool = Field(description="Whether POST /ingest stores articles (Save in the UI).")
    token_required: bool = Field(description="Whether POST /ingest needs `Authorization: Bearer TOKEN`.")


def entity_detail(db: duckdb.DuckDBPyConnection, kept: Answers, entity_id: str) -> EntityDetail:
    found = browse.entity(db, entity_id)
    if found is None:
        raise HTTPException(404, f"no entity with id {entity_id!r}")
    spoken = kept.get(("quotes", found.name, None, None), lambda: corpus.quotes(db, speaker=found.name))
    return EntityDetail(
        entity=found,
        quotes=[q for q in spoken if q.speaker_entity in (None, found.id)],
        events=kept.get(("timeline", found.name, None), lambda: corpus.timeline(db, entity=found.name)),
        documents=browse.entity_documents(db, found.id),
    )


def create_app(
    db_path: str | Path = "dateline.duckdb",
    token: str | None = None,
    writable: bool = False,
    *,
    workers: int = 1,
    time_limit: float = 120.0,
    queue: int = 64,
    warm: bool = False,
) -> FastAPI:
    """The app over one database file.

    `token` (default: $DATELINE_INGEST_TOKEN; "" for none) enables POST /ingest for whoever sends it;
    `writable` enables it without one (for a server on 127.0.0.1, for the one person using it).
    `workers` processes analyse articles for `/extract` and `/ingest`, each request within
    `time_limit` seconds; beyond `queue` requests waiting for one, more are refused (503);
    `warm` starts them with the app rather than at the first request.  (They are spawned: a
    script that builds the app runs it under `if __name__ == "__main__":`.)
    """
    # an empty token (argument or environment) means ingest is off, never "any token will do"
    token = (token if token is not None else os.environ.get(TOKEN_ENV)) or None
    writable = writable or token is not None

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.db = Database(Path(db_path), writable=writable)
        app.state.pool = Pool(size=workers, time_limit=time_limit, queue=queue)
        if warm:  # in the background: reads are served while the workers load the pipeline
            app.state.pool.warm()
        try:
            yield
        finally:
            app.state.pool.close()
            app.state.db.close()

    app = FastAPI(
        title="Dateline",
        version=dateline.__version__,
        description="Facts from news, each tied to the words it came from.",
        lifespan=lifespan,
    )
    app.add_middleware(BodyLimit, limit=MAX_BODY)

    app.add_middleware(SecurityHeaders)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        status, message = _readable(exc.errors())
        return JSONResponse({"detail": message}, status_code=status)

    @app.exception_handler(DatabaseBusy)
    async def busy(request: Request, exc: DatabaseBusy) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503, headers={"Retry-After": "5"})

    @app.exception_handler(duckdb.Error)
    async def database_error(request: Request, exc: duckdb.Error) -> JSONResponse:
        return JSONResponse({"detail": f"database error: {str(exc).splitlines()[0]}"}, status_code=500)

    @app.post("/extract", response_model=Document, tags=["articles"])
    async def extract(request: Request, body: ArticleIn) -> Response:
        """Read an article and return it as a Dateline document with its facts; nothing is stored.

        The work runs in a worker process within the server's time limit (504 past it, 503 when
        every worker is busy); reads are served meanwhile.
        """
        return Response(await analyse(request, body), media_type="application/json")

    @app.post("/ingest", response_model=Ingested, tags=["articles"])
    async def ingest(
        request: Request, body: ArticleIn, authorization: Annotated[str | None, Header()] = None
    ) -> Ingested:
        """Extract an article and store it (needs `Authorization: Bearer $DATELINE_INGEST_TOKEN`)."""
        if not writable:
            raise HTTPException(
                403, f"ingest is disabled: start the server with --writable or with {TOKEN_ENV} set"
            )
        given = (authorization or "").removeprefix("Bearer ").strip()
        if token is not None and not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "a valid bearer token is needed to ingest")
        document = Document.from_json(await analyse(request, body))
        return await run_in_threadpool(store_one, request.app.state.db, document)

    @app.get("/info", response_model=Info, tags=["browse"])
    def info() -> Info:
        """What this server allows: whether the UI can save articles, and whether that needs a token."""
        return Info(version=dateline.__version__, writable=writable, token_required=token is not None)

    @app.get("/documents", response_model=Page[browse.DocumentSummary], tags=["browse"])
    def documents(
        db: Db,
        paging: Paging,
        since: Annotated[date | None, Query(alias="from", description="Published on or after.")] = None,
        until: Annotated[date | None, Query(alias="to", description="Published on or before.")] = None,
        entity: Annotated[
            str | None, Query(max_length=64, description="Naming this corpus entity (its id).")
        ] = None,
        event_type: Annotated[
            str | None, Query(max_length=80, description="Reporting an event of this type.")
        ] = None,
    ) -> Page[browse.DocumentSummary]:
        """Stored articles, newest first; the filters pick what a trend point counts."""
        items, total = browse.documents(
            db,
            paging.limit,
            paging.offset,
            since=since.isoformat() if since else None,
            until=until.isoformat() if until else None,
            entity=entity,
            event_type=event_type,
        )
        return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)

    @app.get("/documents/{document_id}", response_model=Document, tags=["browse"])
    def document(document_id: str, db: Db) -> dict[str, Any]:
        """One stored article with all its facts and their offsets."""
        found = browse.document(db, document_id)
        if found is None:
            raise HTTPException(404, f"no document with id {document_id!r}")
        return found.to_dict()

    @app.get("/entities", response_model=Page[CorpusEntity], tags=["browse"])
    def entities(
        db: Db,
        paging: Paging,
        q: Annotated[str | None, Query(max_length=200, description="Part of a name or alias.")] = None,
        type: Annotated[str | None, Query(max_length=40, description="PERSON, ORG, GPE, ...")] = None,
    ) -> Page[CorpusEntity]:
        """People, organisations and places across the corpus, most written-about first."""
        items, total = browse.entities(db, paging.limit, paging.offset, name=q, type_=type)
        return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)

    @app.get("/entities/{entity_id}", response_model=EntityDetail, tags=["browse"])
    def entity(entity_id: str, db: Db, kept: Kept) -> EntityDetail:
        """One corpus entity with what it said (quotes), what it did or had done to it (events), and where."""
        return entity_detail(db, kept, entity_id)

    @app.get("/charts/entities/{entity_id}", tags=["charts"])
    def entity_chart(entity_id: str, db: Db, kept: Kept) -> dict[str, Any]:
        """An entity's events and quotes on a time axis (Vega-Lite); each mark links to its words."""
        detail = entity_detail(db, kept, entity_id)
        return charts.chronology_spec(detail.events, detail.quotes, title=detail.entity.name)

    @app.get("/quotes", response_model=Page[corpus.QuoteEntry], tags=["corpus"])
    def quotes(
        db: Db,
        kept: Kept,
        paging: Paging,
        speaker: Annotated[str | None, Query(max_length=200)] = None,
        since: Annotated[date | None, Query(alias="from")] = None,
        until: Annotated[date | None, Query(alias="to")] = None,
    ) -> Page[corpus.QuoteEntry]:
        """Quotes across articles in date order; the same words from one speaker are one entry."""
        key = (
            "quotes",
            speaker or None,
            since.isoformat() if since else None,
            until.isoformat() if until else None,
        )
        found = kept.get(key, lambda: corpus.quotes(db, speaker=key[1], since=key[2], until=key[3]))
        return page_of(found, paging)

    @app.get("/timeline", response_model=Page[corpus.TimelineEntry], tags=["corpus"])
    def timeline(
        db: Db,
        kept: Kept,
        paging: Paging,
        entity: Annotated[
            str | None, Query(max_length=200, description="A name, as `dateline timeline`.")
        ] = None,
        story: Annotated[str | None, Query(max_length=64)] = None,
    ) -> Page[corpus.TimelineEntry]:
        """Events across articles in date order, one entry per happening with the articles reporting it.

        Each entry has its date at its own precision and where the date comes from (`date_source`:
        own, derived, relative, or reported_on for the article's date); see docs/corpus.md.
        """
        key = ("timeline", entity or None, story or None)
        return page_of(kept.get(key, lambda: corpus.timeline(db, entity=key[1], story=key[2])), paging)

    @app.get("/stories", response_model=Page[stories.Story], tags=["corpus"])
    def story_list(db: Db, kept: Kept, paging: Paging) -> Page[stories.Story]:
        """Stories (articles about one happening), latest first, with their time span and main entities."""
        return page_of(kept.get(("stories",), lambda: stories.listing(db)[0]), paging)

    @app.get("/stories/{story_id}", response_model=StoryDetail, tags=["corpus"])
    def story_detail(story_id: str, db: Db, kept: Kept) -> StoryDetail:
        """One story: its articles and its merged timeline."""
        found = stories.story(db, story_id)
        if found is None:
            raise HTTPException(404, f"no story with id {story_id!r}")
        return StoryDetail(
            story=found,
            documents=stories.documents(db, story_id),
            timeline=kept.get(("timeline", None, story_id), lambda: corpus.timeline(db, story=story_id)),
        )

    @app.get("/search", response_model=Page[corpus.Hit], tags=["corpus"])
    def search(
        db: Db, kept: Kept, paging: Paging, q: Annotated[str, Query(min_length=1, max_length=500)]
    ) -> Page[corpus.Hit]:
        """Full-text search ranked by BM25; near-copies are listed under their original."""
        return page_of(kept.get(("search", q), lambda: corpus.search(db, q, limit=MAX_SEARCH_HITS)), paging)

    @app.get("/trends", response_model=corpus.Trends, tags=["corpus"])
    def trends(
        db: Db,
        kept: Kept,
        by: Annotated[Literal["day", "week", "month"], Query()] = "week",
        top: Annotated[int, Query(ge=1, le=50, description="Entities and event types shown.")] = 8,
    ) -> corpus.Trends:
        """Articles, entities and event types per day or week (series bounded by `top`)."""
        return kept.get(("trends", by, top), lambda: corpus.trends(db, period=by, top=top))

    @app.get("/stats", tags=["corpus"])
    def stats(db: Db, kept: Kept) -> dict[str, int]:
        """Counts of the corpus, as `dateline stats`."""
        return kept.get(("stats",), lambda: corpus.stats(db))

    @app.get("/charts/trends", tags=["charts"])
    def trends_chart(
        db: Db,
        kept: Kept,
        by: Annotated[Literal["day", "week", "month"], Query()] = "week",
        top: Annotated[int, Query(ge=1, le=50, description="Entities and event types shown.")] = 8,
    ) -> dict[str, Any]:
        """The trends as a Vega-Lite specification: the chart the UI draws and `dateline trends --png` writes."""
        found = kept.get(("trends", by, top), lambda: corpus.trends(db, period=by, top=top))
        return charts.trends_spec(found)

    @app.get("/charts/timeline", tags=["charts"])
    def timeline_chart(
        db: Db,
        kept: Kept,
        entity: Annotated[str | None, Query(max_length=200, description="A name, as /timeline.")] = None,
        story: Annotated[str | None, Query(max_length=64)] = None,
    ) -> dict[str, Any]:
        """Events on a time axis, as a Vega-Lite specification; each mark links to its words."""
        key = ("timeline", entity or None, story or None)
        events = kept.get(key, lambda: corpus.timeline(db, entity=key[1], story=key[2]))
        title = entity or (f"story {story}" if story else "all events")
        return charts.chronology_spec(events, title=title)

    @app.get("/check", tags=["corpus"])
    def check(
        db: Db,
        kept: Kept,
        claim: Annotated[str, Query(min_length=1, max_length=1000, description="The claim to check.")],
        as_of: Annotated[
            date | None, Query(description="Date the claim is made on (default: today).")
        ] = None,
        since: Annotated[
            date | None, Query(alias="from", description="Only articles published on or after.")
        ] = None,
        until: Annotated[
            date | None, Query(alias="to", description="Only articles published on or before.")
        ] = None,
        limit: Annotated[int, Query(ge=1, le=50, description="Evidence sentences returned.")] = 10,
    ) -> dict[str, Any]:
        """Check a claim against the stored news: a verdict, and each sentence it rests on with its words,
        article, date, offsets, the field that decides (speaker, negation, modality, date, number, ...) and why."""
        from dateline.check import check as check_claim

        if not claim.strip():
            raise HTTPException(422, "claim: the claim is empty")
        day = (as_of or date.today()).isoformat()
        bounds = (since.isoformat() if since else None, until.isoformat() if until else None)

        def answer() -> dict[str, Any]:
            with _nlp_lock:  # the claim is read by the one spaCy pipeline of the process
                return check_claim(
                    db, claim, as_of=day, since=bounds[0], until=bounds[1], limit=limit
                ).to_dict()

        return kept.get(("check", claim, day, *bounds, limit), answer)

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(STATIC / "index.html")

    @app.get("/articles/{document_id}", include_in_schema=False)
    def article_page(document_id: str) -> FileResponse:
        """The UI's page of one article: /articles/ID#fact=quote-3 opens it at that fact's words."""
        return FileResponse(STATIC / "index.html")

    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    return app
