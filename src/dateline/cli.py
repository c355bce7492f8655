"""The `dateline` command line."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    ProgressColumn,
    Task,
    TextColumn,
    TimeElapsedColumn,
)
from rich.text import Text

from dateline.errors import DatelineError, describe, one_line
from dateline.flow import Options, run
from dateline.ingest import Failure
from dateline.ingest.sources import expand
from dateline.model import Document

if TYPE_CHECKING:
    from dateline.check import Result as CheckResult
    from dateline.corpus.queries import QuoteEntry, Source

app = typer.Typer(
    help="Dateline: turn news into checkable facts, each pointing at its words.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def console(stderr: bool = False) -> Console:
    """A console that prints text as it is: titles, paths and quotes may hold "[…]" (no rich markup).

    Into a pipe or a file it prints no colour and wraps nothing: a table's rows are one line each.
    """
    stream = sys.stderr if stderr else sys.stdout
    if stream.isatty():
        return Console(stderr=stderr, highlight=False, markup=False, soft_wrap=stderr)
    return Console(
        stderr=stderr, highlight=False, markup=False, soft_wrap=True, color_system=None, width=_UNWRAPPED
    )


# wide enough that no table cell folds: a table into a file keeps each row on one line
_UNWRAPPED = 100_000


err = console(stderr=True)

DEFAULT_DB = "dateline.duckdb"


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


def labelled(label: str, style: str, message: str) -> Text:
    return Text.assemble((f"{label}:", style), " ", message)


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(labelled("error", "bold red", one_line(message)))
    return typer.Exit(code)


def report(failure: Failure, to: Console = err) -> None:
    # one line each, whatever a file name holds (a newline, a terminal escape)
    to.print(labelled("error", "bold red", one_line(f"{failure.source}: {failure.message}")))


def warn(document: Document) -> None:
    for warning in document.warnings:
        err.print(labelled("warning", "yellow", one_line(f"{document.source}: {warning}")))


def _as_text(document: Document) -> str:
    head = [document.title or "(untitled)"]
    meta = [x for x in (document.published, document.publisher, ", ".join(document.authors)) if x]
    if meta:
        head.append(" · ".join(meta))
    return "\n".join(head) + "\n\n" + document.text + "\n"


PathsArg = Annotated[
    list[str], typer.Argument(help="Files, directories (searched recursively) or - for stdin.")
]
PublishedOpt = Annotated[
    str | None, typer.Option("--published", help="Publication date (ISO 8601) to use instead of the page's.")
]
ProcessesOpt = Annotated[
    int, typer.Option("--processes", "-j", min=1, help="Worker processes that read and analyze the inputs.")
]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB database file.")]


@app.command()
def extract(
    paths: PathsArg,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    published: PublishedOpt = None,
    facts: Annotated[bool, typer.Option(help="Extract facts (entities, quotes, times, ...).")] = True,
    processes: ProcessesOpt = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Same as --format json.")] = False,
    as_jsonl: Annotated[bool, typer.Option("--jsonl", help="Same as --format jsonl.")] = False,
) -> None:
    """Print each article as a Dateline document: one JSON document (an object for one input, an array
    for several), JSON Lines with --format jsonl, or the clean text."""
    from dateline.output import JsonArray

    _check_date(published)
    if as_json and as_jsonl:
        raise fail("give --json or --jsonl, not both", 2)
    format = Format.json if as_json else Format.jsonl if as_jsonl else format
    many = len(paths) > 1 or any(p == "-" or Path(p).is_dir() for p in paths)
    # one input that holds one article prints an object; several, a folder or a WARC/feed an array
    array = JsonArray() if format is Format.json and _many(paths) else None
    # an input taken for one article that holds more still prints one JSON document: held until known
    held: Document | None = None
    failed = 0
    for result in run(paths, Options(published=published, facts=facts, n_process=processes)):
        if isinstance(result, Failure):
            report(result)
            failed += 1
            continue
        warn(result)
        if format is Format.text:
            sys.stdout.write(_as_text(result) + ("\n" if many else ""))
        elif array is not None:
            array.add(result)
        elif format is Format.jsonl:
            sys.stdout.write(result.to_json() + "\n")
        elif held is None:
            held = result
        else:
            array = JsonArray()
            array.add(held)
            array.add(result)
            held = None
        sys.stdout.flush()
    if held is not None:
        sys.stdout.write(held.to_json(indent=2) + "\n")
    if array is not None:
        array.close()
    if failed:
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[
        list[str] | None,
        typer.Argument(help="Files, directories (searched recursively) or - for stdin."),
    ] = None,
    db: DbOpt = Path(DEFAULT_DB),
    published: PublishedOpt = None,
    facts: Annotated[bool, typer.Option(help="Extract facts before storing.")] = True,
    processes: ProcessesOpt = 1,
    batch: Annotated[int, typer.Option(min=1, help="Documents per transaction.")] = 64,
    corpus: Annotated[
        bool,
        typer.Option(
            help="Rebuild corpus entities and stories after storing (else: `dateline corpus rebuild`)."
        ),
    ] = True,
    db_memory: Annotated[
        str, typer.Option(help="DuckDB memory limit; it keeps memory flat however much goes in.")
    ] = "256MB",
    parquet: Annotated[
        Path | None,
        typer.Option("--parquet", help="Load a Parquet output folder (from `dateline spark` or `export`)."),
    ] = None,
    timings: Annotated[
        bool,
        typer.Option("--timings", help="Print where the time went: reading and analysis, storing, corpus."),
    ] = False,
    wait: Annotated[
        float,
        typer.Option(
            min=0,
            help="Seconds to wait for the database while another program (a server answering) holds it.",
        ),
    ] = 120.0,
) -> None:
    """Store articles (files, folders, WARC, RSS/Atom, JSON Lines) and their facts; repeats are skipped, near-copies flagged."""
    from dateline.corpus.build import is_stale, rebuild
    from dateline.flow import Stopwatch
    from dateline.store import Store
    from dateline.store.duck import TakingTurns

    clock = Stopwatch()

    if parquet is not None:
        if paths:
            raise fail("give either PATHS or --parquet, not both", 2)
        with Store(db, memory_limit=db_memory, wait=wait, waiting=err.print) as store:
            added, seen = store.import_parquet(parquet)
            err.print(f"{added} new of {seen} documents stored in {db}")
            if corpus and is_stale(store.db):
                counts = rebuild(store.db)
                err.print(f"corpus: {counts['entities']} entities, {counts['stories']} stories")
        return
    if not paths:
        raise fail("nothing to ingest: give PATHS or --parquet FOLDER", 2)
    _check_date(published)
    failed = added = seen = 0
    with _progress(visible=_many(paths)) as progress:
        task = progress.add_task("ingest", total=None)

        def waiting(message: str) -> None:
            progress.update(task, description=message)
            if not progress.live.is_started:
                err.print(message)

        # the file is held only while batches are written: a running `dateline serve` reads in between
        writer = TakingTurns(db, memory_limit=db_memory, wait=wait, waiting=waiting)

        def write(documents: list[Document]) -> int:
            written = writer.add(documents)
            progress.update(task, description="ingest")
            return written

        pending: list[Document] = []
        results = run(paths, Options(published=published, facts=facts, n_process=processes))
        try:
            for result in clock.each(
                "read, nlp, facts" + (f" (waiting for {processes} workers)" if processes > 1 else ""), results
            ):
                if isinstance(result, Failure):
                    report(result, to=progress.console)
                    failed += 1
                    progress.update(task, description=f"ingest ({failed} failed)")
                    continue
                progress.advance(task)
                warn(result)
                seen += 1
                pending.append(result)
                if len(pending) >= batch:
                    with clock.step("store"):
                        added += write(pending)
                    pending = []
            if pending or not db.exists():
                with clock.step("store"):
                    added += write(pending)
        finally:
            writer.close()
        progress.stop()
    with Store(db, memory_limit=db_memory, wait=wait, waiting=err.print) as store:
        duplicates = store.db.execute(
            "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"
        ).fetchone()
        summary = f"{added} new of {seen} documents stored in {db}"
        summary += f" ({duplicates[0] if duplicates else 0} near-duplicates flagged in all)"
        err.print(summary + (f"; {failed} failed" if failed else ""))
        if corpus and is_stale(store.db):
            with clock.step("corpus"):
                counts = rebuild(store.db)
            err.print(f"corpus: {counts['entities']} entities, {counts['stories']} stories")
    if timings:
        err.print(f"timings: {clock.report()}")
    if failed:
        raise typer.Exit(1)


def _many(paths: list[str]) -> bool:
    """Whether a progress bar helps: more than one file, or a file holding many articles."""
    from dateline.ingest.sources import sniff

    items = iter(expand(paths))
    first = next(items, None)
    if first is None or next(items, None) is not None:
        return first is not None
    try:
        return first != "-" and Path(first).is_file() and sniff(Path(first)) != "article"
    except OSError:
        return False


corpus_app = typer.Typer(help="Steps over the whole corpus.", no_args_is_help=True)
app.add_typer(corpus_app, name="corpus")


@corpus_app.command("rebuild")
def corpus_rebuild(db: DbOpt = Path(DEFAULT_DB)) -> None:
    """Recompute corpus entities and stories from the stored articles (ingest does this by itself)."""
    from dateline.corpus.build import rebuild
    from dateline.store import Store

    _need_db(db)
    with Store(db) as store:
        counts = rebuild(store.db)
    err.print(f"corpus: {counts['entities']} entities, {counts['stories']} stories")


JsonOpt = Annotated[bool, typer.Option("--json", help="Print one JSON document.")]
JsonlOpt = Annotated[bool, typer.Option("--jsonl", help="Print JSON Lines: one JSON value a line.")]


def _dump(value: object) -> None:
    from dateline.output import write_json

    write_json(value)


def _emit(items: list[object], as_json: bool, as_jsonl: bool) -> bool:
    """Print `items` as one JSON array (--json) or JSON Lines (--jsonl); False when neither was asked for."""
    from dateline.output import write_json, write_jsonl

    if as_json and as_jsonl:
        raise fail("give --json or --jsonl, not both", 2)
    if as_jsonl:
        write_jsonl(items)
    elif as_json:
        write_json(items)
    return as_json or as_jsonl


def _first_source(sources: list[Source]) -> str:
    """The article a corpus row comes from, for a table: its title, and how many others report it."""
    if not sources:
        return "—"
    first = sources[0]
    more = f" (+{len(sources) - 1} more)" if len(sources) > 1 else ""
    return f"{first.title or first.source or first.document_id}{more}"


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to look for.")],
    db: DbOpt = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(min=1, help="How many articles to show.")] = 10,
    as_json: JsonOpt = False,
    as_jsonl: JsonlOpt = False,
) -> None:
    """Full-text search over stored articles, ranked by BM25; near-copies are listed under their original."""
    from dateline.corpus import search as find
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        hits = find(store, text, limit=limit)
    if _emit(list(hits), as_json, as_jsonl):
        return
    out = console()
    if not hits:
        err.print("no article matches")
    for hit in hits:
        out.print(
            Text.assemble(
                (hit.title or "(untitled)", "bold"),
                f"  {hit.published or ''}  ",
                (f"{hit.document_id} score {hit.score}", "dim"),
            )
        )
        out.print(f"  {hit.snippet}")
        if hit.duplicates:
            out.print(f"  +{len(hit.duplicates)} near-copies", style="dim")


class Period(StrEnum):
    day = "day"
    week = "week"
    month = "month"


@app.command()
def trends(
    db: DbOpt = Path(DEFAULT_DB),
    by: Annotated[Period, typer.Option("--by", help="Bucket size.")] = Period.week,
    top: Annotated[int, typer.Option(min=1, help="How many entities and event types.")] = 8,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also draw the trends into this PNG file.")
    ] = None,
    as_json: JsonOpt = False,
) -> None:
    """Articles, entities and event types per day, week or month, as a terminal chart (and a PNG)."""
    from rich.table import Table

    from dateline.corpus import charts
    from dateline.corpus import trends as count
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        found = count(store, period=by.value, top=top)
    if png is not None:
        charts.png(charts.trends_spec(found), png)
        err.print(f"wrote {png}")
    if as_json:
        _dump(found)
        return
    if not found.buckets:
        err.print("no dated articles" + (f" ({found.undated} undated)" if found.undated else ""))
        return
    step = charts.step_for(len(found.buckets))
    unit = by.value if step == 1 else f"{step} {by.value}s"
    title = f"one column per {unit} holding articles, {found.buckets[0]} to {found.buckets[-1]}"
    if found.undated:
        title += f"; {found.undated} undated articles not counted"
    table = Table(title=title, box=None)
    table.add_column("series")
    table.add_column("trend", no_wrap=True)
    table.add_column("total", justify="right")
    for label, line, total in charts.lines(found):
        table.add_row(label, line, str(total))
    console().print(table)


@app.command()
def stats(db: DbOpt = Path(DEFAULT_DB), as_json: JsonOpt = False) -> None:
    """Counts of the corpus: documents, near-duplicates, corpus entities, quotes, events, stories."""
    from dateline.corpus import stats as count
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        found = count(store)
    if as_json:
        _dump(found)
    else:
        for key, value in found.items():
            sys.stdout.write(f"{key:<12} {value}\n")


@app.command()
def spark(
    paths: Annotated[
        list[str],
        typer.Argument(
            metavar="INPUT... OUTPUT",
            help="Inputs (files, folders, .parquet / .jsonl data sets of {url, html|text, published}), "
            "then the output folder.",
        ),
    ],
    master: Annotated[
        str, typer.Option(help="Spark master: local[*], local[N], spark://HOST:PORT, yarn, ...")
    ] = "local[*]",
    partitions: Annotated[
        int | None, typer.Option(min=1, help="Partitions of the input (default: 4 per core).")
    ] = None,
    published: PublishedOpt = None,
    facts: Annotated[bool, typer.Option(help="Extract facts.")] = True,
    overwrite: Annotated[bool, typer.Option(help="Replace what is in OUTPUT.")] = False,
    conf: Annotated[
        list[str] | None, typer.Option("--conf", help="Spark setting KEY=VALUE (repeatable).")
    ] = None,
) -> None:
    """Run the whole flow on Spark and write every table as Parquet: OUTPUT/documents/, OUTPUT/entities/, ..."""
    try:
        import pyspark  # noqa: F401  an extra: the base install leaves it out (about 480 MB)
    except ImportError:
        raise fail("PySpark is not installed; install it with: uv sync --extra spark", 2) from None
    from dateline.spark import run_job, session
    from dateline.spark.job import spark_failure

    _check_date(published)
    if len(paths) < 2:
        raise fail("give at least one INPUT and the OUTPUT folder", 2)
    *inputs, output = paths
    settings = dict(item.split("=", 1) for item in conf or [] if "=" in item)
    if len(settings) != len(conf or []):
        raise fail("--conf takes KEY=VALUE", 2)
    try:
        result = run_job(
            session(master, settings),
            inputs,
            output,
            published=published,
            facts=facts,
            partitions=partitions,
            overwrite=overwrite,
        )
    except Exception as exc:
        line = spark_failure(exc)
        if line is None:
            raise
        left = Path(output).is_dir() and any(Path(output).iterdir())
        raise fail(
            line + (f"; {output} holds part of the output (--overwrite to start again)" if left else "")
        ) from None
    for failure in result.failures:
        report(failure)
    more = result.failed - len(result.failures)
    if more > 0:
        err.print(f"... and {more} more failures in {result.output / 'failures'}")
    err.print(
        f"{result.documents} documents written to {result.output}"
        + (f"; {result.failed} failed" if result.failed else "")
    )
    if result.failed:
        raise typer.Exit(1)


@app.command()
def serve(
    db: DbOpt = Path(DEFAULT_DB),
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option(min=1, help="Processes analysing articles for /extract and /ingest at once.")
    ] = 1,
    time_limit: Annotated[
        float, typer.Option(min=1, help="Seconds one /extract or /ingest may take (504 past it).")
    ] = 120.0,
    writable: Annotated[
        bool,
        typer.Option(
            "--writable",
            help="Let the UI save articles (POST /ingest) without a token; else only with $DATELINE_INGEST_TOKEN.",
        ),
    ] = False,
) -> None:
    """Serve the REST API and the web UI; `dateline ingest` can write the database meanwhile."""
    import uvicorn

    from dateline.web import create_app
    from dateline.web.app import check_database

    check_database(db, writable)  # a file it cannot serve (not DuckDB, held) is one line here, no traceback
    if writable and host not in ("127.0.0.1", "localhost", "::1"):
        err.print(
            labelled("warning", "yellow", f"--writable on {host}: anyone who reaches it can add articles")
        )
    mode = "writable" if writable else "read-only unless $DATELINE_INGEST_TOKEN is set"
    err.print(f"Dateline on http://{host}:{port}/ (API schema at /openapi.json), database {db}, {mode}")
    app = create_app(db, writable=writable, workers=workers, time_limit=time_limit, warm=True)
    # on SIGTERM, work still running after this many seconds is stopped: the server ends promptly
    uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=2)


@app.command()
def export(
    parquet: Annotated[
        Path, typer.Option("--parquet", help="Folder to write one Parquet folder per table into.")
    ],
    db: DbOpt = Path(DEFAULT_DB),
) -> None:
    """Export the database as Parquet (documents/, entities/, quotes/, times/, quantities/, events/)."""
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        for path in store.export_parquet(parquet):
            err.print(f"wrote {path}")


@app.command()
def timeline(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Articles: files, directories or - for stdin.")
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="The corpus timeline of this database instead.")
    ] = None,
    entity: Annotated[
        str | None,
        typer.Option(
            "--entity", help="Only events this entity takes part in, merged across articles (--db)."
        ),
    ] = None,
    story: Annotated[
        str | None,
        typer.Option("--story", help="Only events of this story (ids: `dateline stories`) (--db)."),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events as a JSON list.")] = False,
    as_jsonl: JsonlOpt = False,
    png: Annotated[
        Path | None, typer.Option("--png", help="Also draw the chronology into this PNG file (--db).")
    ] = None,
    published: PublishedOpt = None,
) -> None:
    """Print events in chronological order, each at its own date's precision (planned and possible ones marked).

    An event without a date of its own is shown at its article's date, marked "reported on".
    With --db, the corpus timeline: the same event told by several articles is one entry listing
    every article; --entity and --story narrow it.
    """
    from dateline.timeline import render, rows

    _check_date(published)
    if not paths and db is None:
        raise fail("give articles to read or --db FILE", 2)
    if db is not None and paths:
        raise fail("--db reads the stored corpus: give --db FILE or articles, not both", 2)
    if (entity or story) and db is None:
        raise fail("--entity and --story read the corpus: give --db FILE", 2)
    if db is not None:
        _corpus_timeline(db, entity, story, as_json, as_jsonl, png)
        return
    if png is not None:
        raise fail("--png draws the corpus chronology: give --db FILE", 2)
    documents: list[Document] = []
    failed = 0
    for result in run(paths or [], Options(published=published)):
        if isinstance(result, Failure):
            report(result)
            failed += 1
            continue
        warn(result)
        documents.append(result)
    found = rows(documents)
    if not _emit(list(found), as_json, as_jsonl):
        render(found, console())
    if failed:
        raise typer.Exit(1)


def _corpus_timeline(
    db: Path, entity: str | None, story: str | None, as_json: bool, as_jsonl: bool, png: Path | None
) -> None:
    from dateline.corpus import charts
    from dateline.corpus import timeline as corpus_timeline
    from dateline.corpus.stories import story as find_story
    from dateline.store import Store
    from dateline.timeline import render_entries

    _need_db(db)
    with Store(db, read_only=True) as store:
        if story is not None and find_story(store, story) is None:
            raise fail(f"no story with id {story!r} (`dateline stories --db {db}` lists them)")
        entries = corpus_timeline(store, entity=entity, story=story)
    what = f"{entity}" if entity else (f"story {story}" if story else "the corpus")
    title = f"timeline of {what}"
    if png is not None:
        charts.png(charts.chronology_spec(entries, title=title), png)
        err.print(f"wrote {png}")
    if _emit(list(entries), as_json, as_jsonl):
        return
    if not entries:
        err.print(f"no events for {what}")
        return
    render_entries(entries, title, console())


@app.command()
def stories(
    db: DbOpt = Path(DEFAULT_DB),
    as_json: JsonOpt = False,
    as_jsonl: JsonlOpt = False,
) -> None:
    """List the stories of the corpus, latest first: id, title, articles, time span, main entities."""
    from rich.table import Table

    from dateline.corpus.stories import listing
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        found, _ = listing(store)
    if _emit(list(found), as_json, as_jsonl):
        return
    if not found:
        err.print("no stories (ingest articles first, or run `dateline corpus rebuild`)")
        return
    table = Table(title=f"{len(found)} stories")
    for column in ("id", "title", "articles", "from", "to", "main entities"):
        table.add_column(column, overflow="fold")
    for s in found:
        table.add_row(
            s.id,
            s.title or "",
            str(s.articles) + (f" (+{s.duplicates} copies)" if s.duplicates else ""),
            (s.start or "")[:10],
            (s.end or "")[:10],
            ", ".join(e.name for e in s.entities),
        )
    console().print(table)


@app.command()
def quotes(
    paths: Annotated[
        list[str] | None, typer.Argument(help="Articles: files, directories or - for stdin.")
    ] = None,
    db: Annotated[
        Path | None, typer.Option("--db", help="Quotes across the stored articles instead.")
    ] = None,
    speaker: Annotated[
        str | None, typer.Option("--speaker", help="Only this speaker's quotes (--db).")
    ] = None,
    since: Annotated[str | None, typer.Option("--from", help="Only quotes dated on or after (--db).")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Only quotes dated on or before (--db).")] = None,
    as_json: JsonOpt = False,
    as_jsonl: JsonlOpt = False,
    published: PublishedOpt = None,
    processes: ProcessesOpt = 1,
) -> None:
    """Print who said what: speaker, kind, date, the quoted words and the article they are in.

    With --db, quotes across the stored articles in date order, the same words from the
    same speaker once, each with the articles that carry it. --json and --jsonl print the
    same entries either way (and as GET /quotes does).
    """
    from dateline.corpus.queries import quote_entries

    _check_date(published)
    for bound in (since, until):
        _check_date(bound)
    if db is not None:
        if paths:
            raise fail("give articles or --db FILE, not both", 2)
        _corpus_quotes(db, speaker, since, until, as_json, as_jsonl)
        return
    if not paths:
        raise fail("give articles to read or --db FILE", 2)
    if speaker or since or until:
        raise fail("--speaker, --from and --to select from the corpus: use them with --db FILE", 2)
    failed = 0
    entries: list[QuoteEntry] = []
    for result in run(paths, Options(published=published, n_process=processes)):
        if isinstance(result, Failure):
            report(result)
            failed += 1
            continue
        warn(result)
        found = quote_entries(result)
        if as_jsonl:
            _emit(list(found), False, True)
        elif as_json:
            entries.extend(found)
        else:
            _quote_table(found, f"{result.source} · {result.title or '(untitled)'}")
    if as_json:
        _emit(list(entries), True, as_jsonl)
    if failed:
        raise typer.Exit(1)


def _quote_table(entries: list[QuoteEntry], title: str) -> None:
    from rich.table import Table

    table = Table(title=title, show_lines=True)
    for column in ("date", "speaker", "kind", "quote", "article"):
        table.add_column(column, overflow="fold")
    for e in entries:
        who = e.speaker.name if e.speaker else "—"
        if e.speaker and e.speaker.text != e.speaker.name:
            who += f" ({e.speaker.text})"
        kind = e.kind if e.attribution == "speech" else f"{e.kind} ({e.attribution})"
        note = {"published": " (article date)", "quote": ""}.get(e.date_from, "")
        if e.date_source == "same-occasion":
            note = " (same occasion)"
        table.add_row(f"{e.date}{note}" if e.date else "—", who, kind, e.display, _first_source(e.sources))
    console().print(table)


def _corpus_quotes(
    db: Path, speaker: str | None, since: str | None, until: str | None, as_json: bool, as_jsonl: bool
) -> None:
    from dateline.corpus import quotes as corpus_quotes
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        entries = corpus_quotes(store, speaker=speaker, since=since, until=until)
    if not _emit(list(entries), as_json, as_jsonl):
        _quote_table(entries, f"quotes{' of ' + speaker if speaker else ''}")


@app.command()
def entities(
    db: DbOpt = Path(DEFAULT_DB),
    type_: Annotated[
        str | None, typer.Option("--type", help="Only this type: PERSON, ORG, GPE, NORP, LOC, ...")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Only names or aliases holding this.")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many entities (most written-about first).")] = 50,
    top: Annotated[int, typer.Option(min=0, help="Quotes shown per entity.")] = 2,
    as_json: JsonOpt = False,
    as_jsonl: JsonlOpt = False,
) -> None:
    """People, organisations and places across the stored articles: name, type, articles, mentions, top quotes.

    Each is one corpus entity ("Joe Biden", "Biden" and "President Biden" are one); `articles`
    counts the articles naming it, `mentions` the times they do.
    """
    from dateline.corpus.browse import entity_rows
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        rows, total = entity_rows(store, limit, name=name, type_=type_, quotes=top)
    if _emit(list(rows), as_json, as_jsonl):
        return
    from rich.table import Table

    shown = f"{len(rows)} of {total}" if total > len(rows) else str(total)
    table = Table(title=f"{shown} entities (each counted once across articles), most written-about first")
    for column, justify in (("name", "left"), ("type", "left"), ("articles", "right"), ("mentions", "right")):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    table.add_column("said", overflow="fold")
    for row in rows:
        # only direct quotes are the speaker's own words: a paraphrase is never put in quotation marks
        said = "\n".join(f"{q.display} ({_first_source(q.sources)})" for q in row.quotes)
        table.add_row(row.name, row.type, str(row.documents), str(row.mentions), said)
    console().print(table)


@app.command()
def check(
    claim: Annotated[
        str, typer.Argument(help="The claim, in quotes: 'Biden said all U.S. troops will leave Iraq'.")
    ],
    db: DbOpt = Path(DEFAULT_DB),
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of", help="Date the claim is made on (relative times resolve to it); default today."
        ),
    ] = None,
    since: Annotated[str | None, typer.Option("--from", help="Only articles published on or after.")] = None,
    until: Annotated[str | None, typer.Option("--to", help="Only articles published on or before.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many evidence sentences to show.")] = 10,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the verdict and its evidence as JSON.")
    ] = False,
) -> None:
    """Check a claim against the stored news: the quotes, events and numbers that support or contradict it.

    Each piece of evidence comes with its words, article, date and offsets, and the field that decides
    (speaker, negation, modality, date, number, ...).
    """
    from dateline.check import check as check_claim
    from dateline.store import Store

    if not claim.strip():
        raise fail("the claim is empty", 2)
    for option, value in (("--as-of", as_of), ("--from", since), ("--to", until)):
        _check_date(value, option)
    _need_db(db)
    with Store(db, read_only=True) as store:
        result = check_claim(store, claim, as_of=as_of, since=since, until=until, limit=limit)
    if as_json:
        from dateline.output import write_json

        write_json(result)
        return
    _show_check(result)


def _show_check(result: CheckResult) -> None:
    from rich.table import Table

    out = console()
    style = {"supported": "bold green", "contradicted": "bold red", "not_enough_info": "bold yellow"}
    out.print(Text.assemble((result.verdict.replace("_", " "), style[result.verdict]), f"  {result.reason}"))
    reading = result.reading
    said = f"{reading['speaker']} ({reading['cue']}): " if reading.get("speaker") else ""
    dates = ", ".join(f"{t['text']} = {t['value']}" for t in reading.get("times", []))
    out.print(f"claim read as: {said}{reading['content']}" + (f"  [{dates}]" if dates else ""), style="dim")
    table = Table(show_lines=True)
    for column in ("verdict", "field", "why", "words", "source", "date"):
        table.add_column(column, overflow="fold")
    colors = {"supports": "green", "contradicts": "red", "context": "dim"}
    for e in result.evidence:
        words = Text(e.text)
        if e.fact is not None and e.start <= e.fact.start and e.fact.end <= e.end:
            words.stylize("bold underline", e.fact.start - e.start, e.fact.end - e.start)
        source = f"{e.title or '(untitled)'} · {e.document_id} [{e.start}:{e.end}]"
        table.add_row(Text(e.verdict, colors[e.verdict]), e.field, e.reason, words, source, e.date or "—")
    out.print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of Dateline documents."""
    from dateline.schema import render

    sys.stdout.write(render())


@app.command(name="eval")
def evaluate(
    area: Annotated[
        str,
        typer.Argument(
            help="What to score: extraction, metadata, entities, time, quotes, events, timeline, check."
        ),
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Gold data folder (default: ../shared/data beside the repo)."),
    ] = None,
    split: Annotated[
        str, typer.Option(help="Which part of the gold to score: all, tune, or heldout.")
    ] = "all",
    out: Annotated[
        Path | None,
        typer.Option("--out", help="timeline: keep the timeline files written, one folder per corpus."),
    ] = None,
) -> None:
    """Score a stage against public gold data, beside a baseline run in the same process."""
    from dateline.eval import AREAS, render

    if area not in AREAS:
        raise fail(f"unknown evaluation area {area!r}; choose from: {', '.join(sorted(AREAS))}", 2)
    if out is not None and area != "timeline":
        raise fail("--out is for `dateline eval timeline`", 2)
    result = AREAS[area](data, split, **({"out": out} if out is not None else {}))
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), indent=2) + "\n")
    else:
        render(result, console())


def _need_db(db: Path) -> None:
    if not db.exists():
        raise fail(f"no database at {db} (create one with `dateline ingest`)")


def _check_date(value: str | None, option: str = "--published") -> None:
    from datetime import date, datetime

    if value is None:
        return
    try:
        datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError:
        raise fail(f"{option} {value!r} is not an ISO 8601 date (YYYY-MM-DD)", 2) from None


class _Rate(ProgressColumn):
    """Documents per second since the start (rich's own speed is a short window, jumpy at startup)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        return Text(f"{task.completed / elapsed:.1f} docs/s" if elapsed > 0 else "")


def _progress(visible: bool) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        _Rate(),
        TimeElapsedColumn(),
        console=err,
        disable=not visible,
        transient=False,
    )


def main() -> None:
    try:
        app()
    except DatelineError as exc:
        err.print(labelled("error", "bold red", describe(exc)))
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        err.print(labelled("error", "bold red", describe(exc)))
        sys.exit(1)
