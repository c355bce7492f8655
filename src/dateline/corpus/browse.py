"""Listing what is stored: documents and corpus entities, a page at a time (the REST API's browse views).

The other corpus questions (quotes, timeline, search, trends) live in
`queries` and `fulltext`; these are the plain listings they did not need.
"""

from __future__ import annotations

from dataclasses import dataclass

from dateline.corpus.connect import Database, connection
from dateline.corpus.entities import CorpusEntity
from dateline.model import Document

# the columns of a `DocumentSummary`, over `documents d`
SUMMARY_COLUMNS = """d.id, d.title, d.published, d.publisher, d.source, d.url, d.duplicate_of,
    (SELECT count(*) FROM quotes q WHERE q.document_id = d.id),
    (SELECT count(*) FROM events e WHERE e.document_id = d.id)"""


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


def documents(db: Database, limit: int, offset: int = 0) -> tuple[list[DocumentSummary], int]:
    """Stored documents, newest first, and how many there are in all."""
    con = connection(db)
    rows = con.execute(
        f"""SELECT {SUMMARY_COLUMNS}
           FROM documents d ORDER BY d.published DESC NULLS LAST, d.id LIMIT ? OFFSET ?""",
        [limit, offset],
    ).fetchall()
    total = con.execute("SELECT count(*) FROM documents").fetchone()
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
    """Canonical articles naming a corpus entity, newest first."""
    con = connection(db)
    rows = con.execute(
        f"""SELECT {SUMMARY_COLUMNS}
           FROM documents d WHERE d.id IN (SELECT document_id FROM entity_links WHERE corpus_entity_id = ?)
           ORDER BY d.published DESC NULLS LAST, d.id LIMIT ?""",
        [entity_id, limit],
    ).fetchall()
    return [DocumentSummary(*row) for row in rows]
