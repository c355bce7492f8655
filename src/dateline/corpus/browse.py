"""Listing what is stored: documents and corpus entities, a page at a time (the REST API's browse views).

The other corpus questions (quotes, timeline, search, trends) live in
`queries` and `fulltext`; these are the plain listings they did not need.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dateline.corpus.connect import Database, connection
from dateline.corpus.entities import CorpusEntity
from dateline.corpus.queries import QuoteEntry
from dateline.corpus.queries import quotes as all_quotes
from dateline.model import Document


@dataclass
class DocumentSummary:
    id: str
    title: str | None
    published: str | None
    publisher: str | None
    source: str | None
    url: str | None
    duplicate_of: str | None
    quotes: int
    events: int
    fact: str | None = None  # the fact that put it in a list ("entity-2": the entity asked for), if any


# the columns of a `DocumentSummary` over `documents d` (stories.documents reads them too)
SUMMARY = """SELECT d.id, d.title, d.published, d.publisher, d.source, d.url, d.duplicate_of,
                     (SELECT count(*) FROM quotes q WHERE q.document_id = d.id),
                     (SELECT count(*) FROM events e WHERE e.document_id = d.id)"""


def documents(
    db: Database,
    limit: int,
    offset: int = 0,
    since: str | None = None,
    until: str | None = None,
    entity: str | None = None,
    event_type: str | None = None,
) -> tuple[list[DocumentSummary], int]:
    """Stored documents, newest first, and how many match in all.

    `since`/`until` bound the publication day; `entity` (a corpus entity id) keeps the articles naming
    it, `event_type` those reporting an event of that type (or action): what a trend point counts.
    """
    where, params = ["true"], []
    if since:
        where.append("left(d.published, 10) >= ?")
        params.append(since)
    if until:
        where.append("left(d.published, 10) <= ?")
        params.append(until)
    if entity:
        where.append("d.id IN (SELECT document_id FROM entity_links WHERE corpus_entity_id = ?)")
        params.append(entity)
    if event_type:
        where.append(
            "d.id IN (SELECT document_id FROM events WHERE coalesce(type, lower(action)) = ?) "
            "AND d.duplicate_of IS NULL"
        )
        params.append(event_type)
    clause = " AND ".join(where)
    con = connection(db)
    rows = con.execute(
        f"""{SUMMARY} FROM documents d WHERE {clause}
            ORDER BY d.published DESC NULLS LAST, d.id LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    ).fetchall()
    total = con.execute(f"SELECT count(*) FROM documents d WHERE {clause}", params).fetchone()
    return [DocumentSummary(*row) for row in rows], int(total[0]) if total else 0


def document(db: Database, document_id: str) -> Document | None:
    row = connection(db).execute("SELECT document FROM documents WHERE id = ?", [document_id]).fetchone()
    return Document.from_json(row[0]) if row else None


def entities(
    db: Database, limit: int, offset: int = 0, name: str | None = None, type_: str | None = None
) -> tuple[list[CorpusEntity], int]:
    """Corpus entities, most written-about first; `name` matches a part of the name or of an alias."""
    where, params = ["true"], []
    if name:
        where.append("(name ILIKE ? ESCAPE '\\' OR array_to_string(aliases, '|') ILIKE ? ESCAPE '\\')")
        pattern = "%" + name.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        params += [pattern, pattern]
    if type_:
        where.append("type = ?")
        params.append(type_)
    clause = " AND ".join(where)
    con = connection(db)
    rows = con.execute(
        f"""SELECT id, name, type, coalesce(aliases, []), documents, mentions FROM corpus_entities
            WHERE {clause} ORDER BY documents DESC, mentions DESC, name, id LIMIT ? OFFSET ?""",
        [*params, limit, offset],
    ).fetchall()
    total = con.execute(f"SELECT count(*) FROM corpus_entities WHERE {clause}", params).fetchone()
    return [CorpusEntity(*row) for row in rows], int(total[0]) if total else 0


def entity(db: Database, entity_id: str) -> CorpusEntity | None:
    row = (
        connection(db)
        .execute(
            "SELECT id, name, type, coalesce(aliases, []), documents, mentions FROM corpus_entities WHERE id = ?",
            [entity_id],
        )
        .fetchone()
    )
    return CorpusEntity(*row) if row else None


def entity_documents(db: Database, entity_id: str, limit: int = 50) -> list[DocumentSummary]:
    """Canonical articles naming a corpus entity, newest first, each with the fact id of its entity there."""
    con = connection(db)
    rows = con.execute(
        f"""{SUMMARY},
                  (SELECT 'entity-' || min(e.idx) FROM entity_links l JOIN entities e
                     ON e.document_id = l.document_id AND e.id = l.entity_id
                   WHERE l.document_id = d.id AND l.corpus_entity_id = ?)
           FROM documents d WHERE d.id IN (SELECT document_id FROM entity_links WHERE corpus_entity_id = ?)
           ORDER BY d.published DESC NULLS LAST, d.id LIMIT ?""",
        [entity_id, entity_id, limit],
    ).fetchall()
    return [DocumentSummary(*row) for row in rows]


@dataclass
class EntityRow(CorpusEntity):
    """A corpus entity with its most-reported quotes: a row of `dateline entities`."""

    quotes: list[QuoteEntry] = field(default_factory=list)


def entity_rows(
    db: Database, limit: int, name: str | None = None, type_: str | None = None, quotes: int = 2
) -> tuple[list[EntityRow], int]:
    """The first `limit` corpus entities (as `entities`), each with up to `quotes` of its quotes,
    those reported by the most articles first; and how many entities match in all."""
    found, total = entities(db, limit, 0, name=name, type_=type_)
    said: dict[str, list[QuoteEntry]] = {}
    if quotes and found:
        for entry in all_quotes(db):
            if entry.speaker_entity is not None:
                said.setdefault(entry.speaker_entity, []).append(entry)
    rows = []
    for e in found:
        ranked = sorted(said.get(e.id, []), key=lambda q: (-len(q.sources), q.date or "", q.text))
        rows.append(EntityRow(e.id, e.name, e.type, e.aliases, e.documents, e.mentions, ranked[:quotes]))
    return rows, total
