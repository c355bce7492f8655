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
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from dateline.errors import DatelineError
from dateline.flow import Options, describe, run
from dateline.ingest import Failure
from dateline.ingest.sources import expand
from dateline.model import Document

app = typer.Typer(
    help="Dateline: turn news into checkable facts, each pointing at its words.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
err = Console(stderr=True, highlight=False, soft_wrap=True)

DEFAULT_DB = "dateline.duckdb"


class Format(StrEnum):
    json = "json"
    jsonl = "jsonl"
    text = "text"


def fail(message: str, code: int = 1) -> typer.Exit:
    err.print(f"[bold red]error:[/] {message}", markup=True)
    return typer.Exit(code)


def report(failure: Failure) -> None:
    err.print(f"[bold red]error:[/] {failure.source}: {failure.message}", markup=True)


def warn(document: Document) -> None:
    for warning in document.warnings:
        err.print(f"[yellow]warning:[/] {document.source}: {warning}", markup=True)


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
    many = len(paths) > 1 or any(p == "-" or Path(p).is_dir() for p in paths)
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
    paths: PathsArg,
    db: DbOpt = Path(DEFAULT_DB),
    published: PublishedOpt = None,
    facts: Annotated[bool, typer.Option(help="Extract facts before storing.")] = True,
    processes: ProcessesOpt = 1,
    batch: Annotated[int, typer.Option(min=1, help="Documents per transaction.")] = 64,
) -> None:
    """Store articles and their facts in DuckDB; articles already stored are skipped."""
    from dateline.store import Store

    _check_date(published)
    targets = list(expand(paths))
    failed = added = seen = 0
    with Store(db) as store, _progress(len(targets) > 1) as progress:
        task = progress.add_task("ingest", total=len(targets))
        pending: list[Document] = []
        for result in run(paths, Options(published=published, facts=facts, n_process=processes)):
            progress.advance(task)
            if isinstance(result, Failure):
                progress.console.print(f"[bold red]error:[/] {result.source}: {result.message}", markup=True)
                failed += 1
                continue
            warn(result)
            seen += 1
            pending.append(result)
            if len(pending) >= batch:
                added += store.add(pending)
                pending = []
        added += store.add(pending)
    err.print(f"{added} new of {seen} documents stored in {db}" + (f"; {failed} failed" if failed else ""))
    if failed:
        raise typer.Exit(1)


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
def schema() -> None:
    """Print the JSON Schema of Dateline documents."""
    from dateline.schema import render

    sys.stdout.write(render())


@app.command(name="eval")
def evaluate(
    area: Annotated[str, typer.Argument(help="What to score: extraction, time.")],
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
        render(result, Console())


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


def _progress(visible: bool) -> Progress:
    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TaskProgressColumn(show_speed=True),
        TimeElapsedColumn(),
        console=err,
        disable=not visible,
        transient=False,
    )


def main() -> None:
    try:
        app()
    except DatelineError as exc:
        err.print(f"[bold red]error:[/] {exc}", markup=True)
        sys.exit(1)
    except KeyboardInterrupt:
        err.print("interrupted")
        sys.exit(130)
    except Exception as exc:
        err.print(f"[bold red]error:[/] {describe(exc)}", markup=True)
        sys.exit(1)
