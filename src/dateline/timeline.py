"""`dateline timeline`: the dated events of articles, in chronological order."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.table import Table

from dateline.facts.eventdates import sort_key
from dateline.model import Document, Event, Reference

_MODS = {"START": "start of ", "MID": "mid ", "END": "end of ", "BEFORE": "before ", "AFTER": "after "}


def when(event: Event) -> str:
    """The date as a reader says it: "2003 (derived)", "end of 2021"."""
    if event.date is None:
        return ""
    text = _MODS.get(event.date_mod or "", "") + event.date
    return text + (" (derived)" if event.date_derived else "")


def _name(ref: Reference | None, code: str | None = None) -> str | None:
    if ref is None:
        return None
    return f"{ref.name} [{code}]" if code else ref.name


def rows(documents: Iterable[Document]) -> list[dict[str, Any]]:
    """One row per dated event, oldest first; ties keep the order of the text."""
    found: list[tuple[tuple[float, float, float], int, dict[str, Any]]] = []
    for document in documents:
        for event in document.events:
            if event.date is None:
                continue
            row = {
                "document": document.id,
                "source": document.source,
                "date": event.date,
                "date_mod": event.date_mod,
                "date_derived": event.date_derived,
                "when": when(event),
                "modality": event.modality,
                "type": event.type,
                "cameo": event.cameo,
                "actor": event.actor.name if event.actor else None,
                "actor_code": event.actor_code,
                "action": event.action,
                "target": event.target.name if event.target else None,
                "target_code": event.target_code,
                "place": event.place.name if event.place else None,
                "reported_by": event.reported_by.name if event.reported_by else None,
                "text": event.text,
                "start": event.start,
                "end": event.end,
            }
            found.append((sort_key(event.date, event.date_mod), len(found), row))
    return [row for *_, row in sorted(found, key=lambda item: (item[0], item[1]))]


def render(timeline: list[dict[str, Any]], console: Console) -> None:
    table = Table(title="timeline", show_lines=False)
    for column in ("date", "modality", "type", "actor", "action", "target", "evidence", "article"):
        table.add_column(column, overflow="fold")
    for row in timeline:
        modality = row["modality"] + (f" ({row['reported_by']})" if row["reported_by"] else "")
        style = "italic" if row["modality"] in ("planned", "possible") else None
        actor = (
            f"{row['actor']} [{row['actor_code']}]" if row["actor"] and row["actor_code"] else row["actor"]
        )
        target = (
            f"{row['target']} [{row['target_code']}]"
            if row["target"] and row["target_code"]
            else row["target"]
        )
        table.add_row(
            row["when"],
            modality,
            row["type"] or "",
            actor or "",
            row["action"],
            target or "",
            row["text"],
            row["source"] or row["document"],
            style=style,
        )
    console.print(table)
