"""`dateline timeline`: events in chronological order, each at its own date's precision.

For articles given on the command line, one row per event of each article; with `--db` (and
`--entity` or `--story`), the corpus timeline (`dateline.corpus.timeline`): the same event told by
several articles is one entry.  Either way an event without a date of its own is shown at its
article's date marked "reported on", and dates sort at their own precision (`corpus.dates`).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table

from dateline.corpus import dates
from dateline.corpus.chronology import SOURCE_RANK, TimelineEntry, date_of
from dateline.corpus.dates import describe
from dateline.corpus.participants import sentences
from dateline.model import Document, Event, Reference


def when(event: Event) -> str:
    """An event's own date as a reader says it: "2003 (derived)", "end of 2021"; "" when it has none."""
    if event.date is None:
        return ""
    return describe(event.date, event.date_mod, "derived" if event.date_derived else "own")


def _name(ref: Reference | None) -> str | None:
    return ref.name if ref is not None else None


def rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """One row per event, oldest first; ties keep the order of the articles and of their text."""
    found: list[tuple[tuple[Any, ...], int, dict[str, Any]]] = []
    for document in documents:
        bounds = sentences(document.text)
        previous: str | None = None
        for index, event in enumerate(document.events):
            date, source, mod = date_of(document, event, previous, bounds)
            if source in ("own", "derived"):
                previous = date
            row = {
                "document": document.id,
                "source": document.source,
                "title": document.title,
                "fact": f"event-{index}",
                "date": date,
                "precision": dates.precision(date),
                "date_source": source,
                "date_mod": mod,
                "date_derived": event.date_derived,
                "when": describe(date, mod, source),
                "modality": event.modality,
                "type": event.type,
                "cameo": event.cameo,
                "actor": _name(event.actor),
                "actor_code": event.actor_code,
                "action": event.action,
                "target": _name(event.target),
                "target_code": event.target_code,
                "place": _name(event.place),
                "reported_by": _name(event.reported_by),
                "text": event.text,
                "start": event.start,
                "end": event.end,
            }
            key = (date is None, dates.sort_key(date, mod), SOURCE_RANK[source])
            found.append((key, len(found), row))
    return [row for *_, row in sorted(found, key=lambda item: (item[0], item[1]))]


def _coded(name: str | None, code: str | None) -> str:
    return f"{name} [{code}]" if name and code else name or ""


def render(timeline: list[dict[str, Any]], console: Console) -> None:
    table = Table(title="timeline", show_lines=False)
    for column in ("date", "modality", "type", "actor", "action", "target", "evidence", "article"):
        table.add_column(column, overflow="fold")
    for row in timeline:
        modality = row["modality"] + (f" ({row['reported_by']})" if row["reported_by"] else "")
        style = "italic" if row["modality"] in ("planned", "possible") else None
        table.add_row(
            row["when"],
            modality,
            row["type"] or "",
            _coded(row["actor"], row["actor_code"]),
            row["action"],
            _coded(row["target"], row["target_code"]),
            row["text"],
            row["source"] or row["document"],
            style=style,
        )
    console.print(table)


def _articles(entry: TimelineEntry) -> str:
    titles = list(dict.fromkeys(s.title or s.source or s.document_id for s in entry.sources))
    return f"{len(titles)}: " + "; ".join(titles)


def render_entries(entries: list[TimelineEntry], title: str, console: Console) -> None:
    """The merged corpus timeline: date (with its precision), modality, summary, source articles."""
    table = Table(title=title, show_lines=False)
    table.add_column("date", overflow="fold", max_width=24)
    table.add_column("precision", overflow="fold")
    table.add_column("modality", overflow="fold")
    table.add_column("summary", overflow="fold", ratio=3)
    table.add_column("articles", overflow="fold", ratio=2)
    for e in entries:
        style = "italic" if e.modality in ("planned", "possible") else None
        table.add_row(
            describe(e.date, e.date_mod, e.date_source),
            e.precision or "",
            e.modality,
            e.summary,
            _articles(e),
            style=style,
        )
    console.print(table)
