"""Questions over the whole corpus: quotes, trends, counts (timelines: `chronology`).

Facts of near-duplicate articles are never counted twice: only canonical
articles contribute, and the same event or quote reported by several
articles becomes one entry listing all of them as its sources.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any, Literal

import duckdb

from dateline.corpus.connect import Database, connection
from dateline.corpus.entities import name_key
from dateline.corpus.text import words
from dateline.model import Document, Reference

_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")


@dataclass
class Source:
    """One article that reports a corpus entry, and where in its text the entry's words are."""

    document_id: str
    title: str | None
    published: str | None
    url: str | None
    source: str | None
    fact: str | None = None  # the fact's id in its document ("quote-3", "event-0"): /articles/ID#fact=quote-3
    start: int | None = None  # offsets of the fact's words in the document's text
    end: int | None = None
    text: str | None = None


@dataclass
class QuoteEntry:
    """A quote as every interface gives it: the fields of `model.Quote` (same names, same shapes) but its
    offsets, which are per article and live in `sources`; across articles, one entry per speaker and words."""

    date: str | None
    speaker: Reference | None  # as `Quote.speaker` in the first source; named as its corpus entity is
    speaker_entity: str | None  # the corpus entity of the speaker (`/entities/{id}`), if linked
    kind: str
    text: str
    sources: list[Source] = field(default_factory=list)


def quote_entries(document: Document) -> list[QuoteEntry]:
    """The quotes of one article as entries (`dateline quotes FILE` prints these, as `--db` does)."""
    entries = []
    for i, quote in enumerate(document.quotes):
        source = Source(
            document.id,
            document.title,
            document.published,
            document.url,
            document.source,
            fact=fact_id("quotes", i),
            start=quote.start,
            end=quote.end,
            text=quote.text,
        )
        date = _day(quote.date) or _day(document.published)
        entries.append(QuoteEntry(date, quote.speaker, None, quote.kind, quote.text, [source]))
    return entries


def _day(value: str | None) -> str | None:
    return value[:10] if value and _ISO_DAY.match(value) else None


def find_entities(db: Database, name: str) -> dict[str, str]:
    """Corpus entities a name can mean, {id: canonical name}.

    A one-word name matches every full name ending in it ("Biden": Joe and
    Hunter Biden); a longer one matches the entity an article gave that name.
    """
    con = connection(db)
    tokens = words(name)
    if not tokens:
        return {}
    rows = con.execute(
        "SELECT id, name, type, aliases FROM corpus_entities WHERE name ILIKE ? OR array_to_string(aliases, '|') ILIKE ?",
        [f"%{tokens[-1]}%", f"%{tokens[-1]}%"],
    ).fetchall()
    found: dict[str, str] = {}
    exact: dict[str, str] = {}
    for entity, canonical, type_, aliases in rows:
        wanted = name_key(name, type_)
        for candidate in (canonical, *aliases):
            if len(tokens) > 1 and words(candidate) == tokens:
                exact[entity] = canonical
            key = name_key(candidate, type_)
            if key == wanted or (len(wanted) == 1 and key and key[-1] == wanted[0]):
                found[entity] = canonical
    # a full name written as some article wrote it ("President Biden") means what it meant there
    return exact or found


def _story_documents(con: duckdb.DuckDBPyConnection, story: str) -> list[str]:
    return [
        r[0]
        for r in con.execute("SELECT document_id FROM story_members WHERE story_id = ?", [story]).fetchall()
    ]


def _role_entities(roles: tuple[str, ...]) -> str:
    """SQL columns giving, for each role of a fact, the corpus entity its article's entity links to."""
    return ", ".join(
        f"(SELECT l.corpus_entity_id FROM entity_links l WHERE l.document_id = f.document_id "
        f"AND l.entity_id = f.{role}_entity LIMIT 1) AS {role}_corpus"
        for role in roles
    )


def _facts(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: str,
    roles: tuple[str, ...],
    documents: list[str] | None,
) -> list[dict[str, Any]]:
    where = "d.duplicate_of IS NULL"
    params: list[Any] = []
    if documents is not None:
        where += " AND f.document_id IN (SELECT unnest(?))"
        params.append(documents)
    cursor = con.execute(
        f"""SELECT {columns}, {_role_entities(roles)},
                   d.id AS doc, d.title AS doc_title, d.published AS doc_published, d.url AS doc_url,
                   d.source AS doc_source, '{table}' AS fact_table, f.idx AS fact_idx,
                   f."start" AS fact_start, f."end" AS fact_end, f.text AS fact_text
            FROM {table} f JOIN documents d ON d.id = f.document_id
            WHERE {where} ORDER BY d.published NULLS LAST, d.id, f.idx""",
        params,
    )
    names = [c[0] for c in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _matches(row: dict[str, Any], roles: tuple[str, ...], ids: dict[str, str], name: str) -> bool:
    for role in roles:
        if row.get(f"{role}_corpus") in ids:
            return True
        mentioned = row.get(f"{role}_name")
        if mentioned and row.get(f"{role}_corpus") is None:
            wanted, key = words(name), name_key(mentioned, "PERSON")
            if key and (tuple(wanted) == key or (len(wanted) == 1 and key[-1] == wanted[0])):
                return True
    return False


_FACT_NAMES = {"quotes": "quote", "events": "event", "times": "time", "quantities": "quantity"}


def fact_id(table: str, idx: int) -> str:
    """The id a fact has in its document's page and URL fragment: "quote-3" is `Document.quotes[3]`."""
    return f"{_FACT_NAMES[table]}-{idx}"


def _source(row: dict[str, Any]) -> Source:
    return Source(
        row["doc"],
        row["doc_title"],
        row["doc_published"],
        row["doc_url"],
        row["doc_source"],
        fact=fact_id(row["fact_table"], row["fact_idx"]),
        start=row["fact_start"],
        end=row["fact_end"],
        text=row["fact_text"],
    )


def _who(row: dict[str, Any], role: str, names: dict[str, str]) -> str | None:
    linked = row.get(f"{role}_corpus")
    return names.get(linked, row.get(f"{role}_name")) if linked else row.get(f"{role}_name")


def _corpus_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    return dict(con.execute("SELECT id, name FROM corpus_entities").fetchall())


def quotes(
    db: Database,
    speaker: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> list[QuoteEntry]:
    """Quotes across articles in date order; the same words from the same speaker are one entry."""
    con = connection(db)
    roles = ("speaker",)
    rows = _facts(
        con,
        "quotes",
        "f.kind, f.text, f.date, f.speaker_name, f.speaker_entity, f.speaker_text, f.speaker_start, f.speaker_end",
        roles,
        None,
    )
    ids = find_entities(con, speaker) if speaker else {}
    names = _corpus_names(con)
    merged: dict[tuple[Any, ...], QuoteEntry] = {}
    for row in rows:
        if speaker and not _matches(row, roles, ids, speaker):
            continue
        date = _day(row["date"]) or _day(row["doc_published"])
        if (since and (date is None or date < since)) or (until and (date is None or date > until[:10])):
            continue
        who = _who(row, "speaker", names)
        key = (
            row["speaker_corpus"] or (name_key(who, "PERSON") if who else None),
            " ".join(words(row["text"])),
        )
        entry = merged.get(key)
        if entry is None or (date and entry.date and date < entry.date):
            previous = entry.sources if entry else []
            named = (
                Reference(
                    who, row["speaker_start"], row["speaker_end"], row["speaker_text"], row["speaker_entity"]
                )
                if who is not None
                else None
            )
            # the speaker's words and offsets are those of the first source, the earliest article
            first = [_source(row), *(s for s in previous if s.document_id != row["doc"])]
            entry = merged[key] = QuoteEntry(
                date, named, row["speaker_corpus"], row["kind"], row["text"], first
            )
        elif all(s.document_id != row["doc"] for s in entry.sources):
            entry.sources.append(_source(row))
    return sorted(
        merged.values(),
        key=lambda q: (q.date is None, q.date or "", q.speaker.name if q.speaker else "", q.text),
    )


@dataclass
class Series:
    name: str
    counts: list[int]
    key: str | None = None  # what picks its articles: a corpus entity id, or an event type

    @property
    def total(self) -> int:
        return sum(self.counts)


Period = Literal["day", "week", "month"]


@dataclass
class Trends:
    period: Period
    buckets: list[str]  # first day of each period holding an article or a dated event, oldest first
    documents: list[int]  # articles (near-copies not counted) per bucket
    entities: list[Series]  # per entity: articles naming it, per bucket
    event_types: list[Series]  # per event type: events dated in the bucket
    undated: int = 0  # articles with no date, in no bucket


def _bucket(period: str, column: str) -> str:
    day = f"try_cast(left({column}, 10) AS DATE)"
    return (
        f"strftime({day}, '%Y-%m-%d')"
        if period == "day"
        else f"strftime(date_trunc('{period}', {day}), '%Y-%m-%d')"
    )


def _series(rows: list[tuple[str, str, str, int]], buckets: list[str], top: int) -> list[Series]:
    counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * len(buckets))
    at = {b: i for i, b in enumerate(buckets)}
    for name, key, bucket, n in rows:
        if bucket in at:
            counts[name, key][at[bucket]] += int(n)
    ranked = sorted(counts.items(), key=lambda kv: (-sum(kv[1]), kv[0]))[:top]
    return [Series(name, values, key) for (name, key), values in ranked]


def trends(db: Database, period: Period = "week", top: int = 8) -> Trends:
    """Per day, week or month: articles, articles naming each top entity, events of each type.

    Only periods that hold an article or a dated event are buckets (a quiet stretch is no run of zeros), near-copies
    are not counted again, and undated articles are counted apart.
    """
    con = connection(db)
    bucket = _bucket(period, "d.published")
    docs = con.execute(
        f"SELECT {bucket} AS b, count(*) FROM documents d WHERE duplicate_of IS NULL AND b IS NOT NULL "
        "GROUP BY b ORDER BY b"
    ).fetchall()
    per = dict(docs)
    undated = con.execute(
        f"SELECT count(*) FROM documents d WHERE duplicate_of IS NULL AND {bucket} IS NULL"
    ).fetchone()
    entity_rows = con.execute(
        f"""SELECT c.name || ' (' || c.type || ')', c.id, {bucket} AS b, count(DISTINCT d.id)
            FROM entity_links l JOIN corpus_entities c ON c.id = l.corpus_entity_id
            JOIN documents d ON d.id = l.document_id AND d.duplicate_of IS NULL
            WHERE b IS NOT NULL GROUP BY ALL"""
    ).fetchall()
    event_bucket = _bucket(
        period, "CASE WHEN regexp_matches(f.date, '^\\d{4}-\\d{2}-\\d{2}') THEN f.date ELSE d.published END"
    )
    event_rows = con.execute(
        f"""SELECT coalesce(f.type, lower(f.action)) AS kind, kind, {event_bucket} AS b, count(*)
            FROM events f JOIN documents d ON d.id = f.document_id AND d.duplicate_of IS NULL
            WHERE b IS NOT NULL GROUP BY ALL"""
    ).fetchall()
    # periods holding an article or a dated event: nothing counted is left out, no empty period drawn
    buckets = sorted(set(per) | {b for *_, b, _ in event_rows})
    return Trends(
        period=period,
        buckets=buckets,
        documents=[int(per.get(b, 0)) for b in buckets],
        entities=_series(entity_rows, buckets, top),
        event_types=_series(event_rows, buckets, top),
        undated=int(undated[0]) if undated else 0,
    )


def stats(db: Database) -> dict[str, int]:
    """Counts of the corpus; facts (quotes, events) of near-duplicates are not counted again."""
    con = connection(db)

    def one(sql: str) -> int:
        row = con.execute(sql).fetchone()
        return int(row[0]) if row and row[0] is not None else 0

    canonical = "document_id IN (SELECT id FROM documents WHERE duplicate_of IS NULL)"
    return {
        "documents": one("SELECT count(*) FROM documents"),
        "duplicates": one("SELECT count(*) FROM documents WHERE duplicate_of IS NOT NULL"),
        "entities": one("SELECT count(*) FROM corpus_entities"),
        "quotes": one(f"SELECT count(*) FROM quotes WHERE {canonical}"),
        "events": one(f"SELECT count(*) FROM events WHERE {canonical}"),
        "stories": one("SELECT count(*) FROM stories"),
        "clusters": one("SELECT count(DISTINCT duplicate_of) FROM documents WHERE duplicate_of IS NOT NULL"),
        "repeats": one("SELECT count(*) - count(DISTINCT document_id) FROM sightings"),
    }


def __getattr__(name: str) -> Any:
    # the timeline moved to `chronology` (which imports this module); old imports still work
    if name == "TimelineEntry":
        from dateline.corpus.chronology import TimelineEntry

        return TimelineEntry
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
