"""The `dateline` command line."""

from __future__ import annotations

import json
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated

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

app = typer.Typer(
    help="Dateline: turn news into checkable facts, each pointing at its words.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)


def console(stderr: bool = False) -> Console:
    """A console that prints text as it is: titles, paths and quotes may hold "[…]" (no rich markup)."""
    return Console(stderr=stderr, highlight=False, markup=False, soft_wrap=stderr)


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
    int, typer.Option("--processes", "-j", min=1, help="Worker processes for the nlp stage.")
]
DbOpt = Annotated[Path, typer.Option("--db", help="DuckDB database file.")]


@app.command()
def extract(
    paths: PathsArg,
    format: Annotated[Format, typer.Option("--format", "-f", help="Output format.")] = Format.json,
    published: PublishedOpt = None,
    facts: Annotated[bool, typer.Option(help="Extract facts (entities, quotes, times, ...).")] = True,
    processes: ProcessesOpt = 1,
) -> None:
    """Print each article as a Dateline document: one JSON object for one input, JSON Lines for several."""
    _check_date(published)
    # one JSON object for one article; JSON Lines when there may be several (a folder, a feed, a WARC)
    many = len(paths) > 1 or any(p == "-" or Path(p).is_dir() for p in paths) or _many(paths)
    failed = 0
    for result in run(paths, Options(published=published, facts=facts, n_process=processes)):
        if isinstance(result, Failure):
            report(result)
            failed += 1
            continue
        warn(result)
        if format is Format.text:
            sys.stdout.write(_as_text(result) + ("\n" if many else ""))
        elif format is Format.jsonl or many:
            sys.stdout.write(result.to_json() + "\n")
        else:
            sys.stdout.write(result.to_json(indent=2) + "\n")
        sys.stdout.flush()
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
) -> None:
    """Store articles (files, folders, WARC, RSS/Atom, JSON Lines) and their facts; repeats are skipped, near-copies flagged."""
    from dateline.corpus.build import is_stale, rebuild
    from dateline.store import Store

    if parquet is not None:
        if paths:
            raise fail("give either PATHS or --parquet, not both", 2)
        with Store(db, memory_limit=db_memory) as store:
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
    with Store(db, memory_limit=db_memory) as store, _progress(visible=_many(paths)) as progress:
        task = progress.add_task("ingest", total=None)
        pending: list[Document] = []
        for result in run(paths, Options(published=published, facts=facts, n_process=processes)):
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
                added += store.add(pending)
                pending = []
        added += store.add(pending)
        progress.stop()
        duplicates = store.db.execute(
            "SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"
        ).fetchone()
        summary = f"{added} new of {seen} documents stored in {db}"
        summary += f" ({duplicates[0] if duplicates else 0} near-duplicates flagged in all)"
        err.print(summary + (f"; {failed} failed" if failed else ""))
        if corpus and is_stale(store.db):
            counts = rebuild(store.db)
            err.print(f"corpus: {counts['entities']} entities, {counts['stories']} stories")
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


JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]


def _dump(value: object) -> None:
    from dataclasses import asdict, is_dataclass

    def plain(v: object) -> object:
        if is_dataclass(v) and not isinstance(v, type):
            return asdict(v)
        if isinstance(v, list):
            return [plain(x) for x in v]
        return v

    sys.stdout.write(json.dumps(plain(value), ensure_ascii=False, indent=2) + "\n")


@app.command()
def search(
    text: Annotated[str, typer.Argument(help="Words to look for.")],
    db: DbOpt = Path(DEFAULT_DB),
    limit: Annotated[int, typer.Option(min=1, help="How many articles to show.")] = 10,
    as_json: JsonOpt = False,
) -> None:
    """Full-text search over stored articles, ranked by BM25; near-copies are listed under their original."""
    from dateline.corpus import search as find
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        hits = find(store, text, limit=limit)
    if as_json:
        _dump(hits)
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
    """Articles, entities and event types per day or week, as a terminal chart (and a PNG)."""
    from rich.table import Table

    from dateline.corpus import charts
    from dateline.corpus import trends as count
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        found = count(store, period=by.value, top=top)
    if png is not None:
        charts.png(found, png)
        err.print(f"wrote {png}")
    if as_json:
        _dump(found)
        return
    if not found.buckets:
        err.print("no dated articles")
        return
    step = charts.step_for(len(found.buckets))
    unit = by.value if step == 1 else f"{step} {by.value}s"
    table = Table(title=f"one column per {unit}, {found.buckets[0]} to {found.buckets[-1]}", box=None)
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
        sys.stdout.write(json.dumps(found) + "\n")
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
) -> None:
    """Serve the REST API and the web UI; POST /ingest works only with $DATELINE_INGEST_TOKEN set."""
    import uvicorn

    from dateline.web import create_app
    from dateline.web.app import check_database

    check_database(db)  # a file it cannot serve (locked, not DuckDB) is one line here, not a traceback
    err.print(f"Dateline on http://{host}:{port}/ (API schema at /openapi.json), database {db}")
    app = create_app(db, workers=workers, time_limit=time_limit, warm=True)
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
    db: Annotated[Path | None, typer.Option("--db", help="Read stored events from this database.")] = None,
    entity: Annotated[
        str | None,
        typer.Option("--entity", help="Only events of this entity, merged across articles (--db)."),
    ] = None,
    story: Annotated[
        str | None, typer.Option("--story", help="Only events of this story, merged across articles (--db).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events as a JSON list.")] = False,
    published: PublishedOpt = None,
) -> None:
    """Print the dated events of articles in chronological order (planned and possible ones marked).

    With --db and --entity or --story, events are merged across the stored articles:
    one entry per happening, with every article that reports it.
    """
    from dateline.timeline import render, rows

    _check_date(published)
    if not paths and db is None:
        raise fail("give articles to read or --db FILE", 2)
    if entity or story:
        if db is None or paths:
            raise fail("--entity and --story read the corpus: give --db FILE and no articles", 2)
        _corpus_timeline(db, entity, story, as_json)
        return
    documents: list[Document] = []
    failed = 0
    if db is not None:
        from dateline.store import Store

        _need_db(db)
        with Store(db, read_only=True) as store:
            documents.extend(store.documents())
    for result in run(paths or [], Options(published=published)):
        if isinstance(result, Failure):
            report(result)
            failed += 1
            continue
        warn(result)
        documents.append(result)
    found = rows(documents)
    if as_json:
        sys.stdout.write(json.dumps(found, ensure_ascii=False, indent=2) + "\n")
    else:
        render(found, console())
    if failed:
        raise typer.Exit(1)


def _corpus_timeline(db: Path, entity: str | None, story: str | None, as_json: bool) -> None:
    from dataclasses import asdict

    from rich.table import Table

    from dateline.corpus import timeline as corpus_timeline
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        entries = corpus_timeline(store, entity=entity, story=story)
    if as_json:
        sys.stdout.write(json.dumps([asdict(e) for e in entries], ensure_ascii=False, indent=2) + "\n")
        return
    table = Table(title=f"timeline of {entity or 'story ' + str(story)}")
    for column in ("date", "modality", "type", "actor", "action", "target", "evidence", "articles"):
        table.add_column(column, overflow="fold")
    for e in entries:
        date = (e.date or "") + (" (published)" if e.date_from == "published" else "")
        style = "italic" if e.modality in ("planned", "possible") else None
        table.add_row(
            date,
            e.modality,
            e.type or "",
            e.actor or "",
            e.action,
            e.target or "",
            e.text,
            str(len(e.sources)),
            style=style,
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
    as_json: Annotated[bool, typer.Option("--json", help="Print the quotes as JSON Lines.")] = False,
    published: PublishedOpt = None,
    processes: ProcessesOpt = 1,
) -> None:
    """Print who said what: speaker, kind, cue, date and the quoted words.

    With --db, quotes across the stored articles in date order, the same words from the
    same speaker once, each with the articles that carry it.
    """
    from rich.table import Table

    _check_date(published)
    for bound in (since, until):
        _check_date(bound)
    if db is not None:
        if paths:
            raise fail("give articles or --db FILE, not both", 2)
        _corpus_quotes(db, speaker, since, until, as_json)
        return
    if not paths:
        raise fail("give articles to read or --db FILE", 2)
    if speaker or since or until:
        raise fail("--speaker, --from and --to select from the corpus: use them with --db FILE", 2)
    failed = 0
    screen = console()
    for result in run(paths, Options(published=published, n_process=processes)):
        if isinstance(result, Failure):
            report(result)
            failed += 1
            continue
        warn(result)
        if as_json:
            for quote in result.to_dict()["quotes"]:
                sys.stdout.write(json.dumps({"document": result.id, "source": result.source, **quote}) + "\n")
            continue
        table = Table(title=f"{result.source} · {result.title or '(untitled)'}", show_lines=True)
        for column in ("speaker", "kind", "cue", "date", "quote"):
            table.add_column(column, overflow="fold")
        for quote in result.quotes:
            who = quote.speaker.name if quote.speaker else "—"
            if quote.speaker and quote.speaker.text != quote.speaker.name:
                who += f" ({quote.speaker.text})"
            cue = quote.cue.text if quote.cue else "—"
            table.add_row(who, quote.kind, cue, quote.date or "—", quote.text)
        screen.print(table)
    if failed:
        raise typer.Exit(1)


def _corpus_quotes(
    db: Path, speaker: str | None, since: str | None, until: str | None, as_json: bool
) -> None:
    from dataclasses import asdict

    from rich.table import Table

    from dateline.corpus import quotes as corpus_quotes
    from dateline.store import Store

    _need_db(db)
    with Store(db, read_only=True) as store:
        entries = corpus_quotes(store, speaker=speaker, since=since, until=until)
    if as_json:
        for entry in entries:
            sys.stdout.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")
        return
    table = Table(title=f"quotes{' of ' + speaker if speaker else ''}", show_lines=True)
    for column in ("date", "speaker", "kind", "quote", "articles"):
        table.add_column(column, overflow="fold")
    for e in entries:
        table.add_row(e.date or "—", e.speaker or "—", e.kind, e.text, str(len(e.sources)))
    console().print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of Dateline documents."""
    from dateline.schema import render

    sys.stdout.write(render())


@app.command(name="eval")
def evaluate(
    area: Annotated[str, typer.Argument(help="What to score: extraction, entities, time, quotes, events.")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
    data: Annotated[
        Path | None,
        typer.Option("--data", help="Gold data folder (default: ../shared/data beside the repo)."),
    ] = None,
    split: Annotated[
        str, typer.Option(help="Which part of the gold to score: all, tune, or heldout.")
    ] = "all",
) -> None:
    """Score a stage against public gold data, beside a baseline run in the same process."""
    from dateline.eval import AREAS, render

    if area not in AREAS:
        raise fail(f"unknown evaluation area {area!r}; choose from: {', '.join(sorted(AREAS))}", 2)
    result = AREAS[area](data, split)
    if as_json:
        sys.stdout.write(json.dumps(result.to_json(), indent=2) + "\n")
    else:
        render(result, console())


def _need_db(db: Path) -> None:
    if not db.exists():
        raise fail(f"no database at {db} (create one with `dateline ingest`)")


def _check_date(value: str | None) -> None:
    from datetime import date, datetime

    if value is None:
        return
    try:
        datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError:
        raise fail(f"--published {value!r} is not an ISO 8601 date (YYYY-MM-DD)", 2) from None


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
