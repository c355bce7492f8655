"""The corpus step after ingest: cross-document entities and stories, rebuilt in one transaction.

Dedup and the search index are kept at ingest, document by document; entities
and stories depend on the whole corpus (a new article can join two stories or
give a name its full form), so they are recomputed from the stored facts.
Being one transaction, a rebuild killed half-way leaves the previous one.
"""

from __future__ import annotations

from collections.abc import Sequence

import duckdb

from dateline.corpus import entities, stories
from dateline.model import Document
from dateline.store import Maintainer

DDL = (
    """CREATE TABLE IF NOT EXISTS corpus_entities (
        id VARCHAR PRIMARY KEY, name VARCHAR, type VARCHAR, aliases VARCHAR[], documents INTEGER, mentions INTEGER)""",
    "CREATE TABLE IF NOT EXISTS entity_links (document_id VARCHAR, entity_id VARCHAR, corpus_entity_id VARCHAR)",
    """CREATE TABLE IF NOT EXISTS stories (
        id VARCHAR PRIMARY KEY, title VARCHAR, first_published VARCHAR, last_published VARCHAR,
        documents INTEGER, duplicates INTEGER)""",
    "CREATE TABLE IF NOT EXISTS story_members (story_id VARCHAR, document_id VARCHAR)",
)


def _mark_stale(con: duckdb.DuckDBPyConnection, documents: Sequence[Document]) -> None:
    """New documents: the corpus tables no longer cover every document until the next rebuild."""
    con.execute("INSERT OR REPLACE INTO meta VALUES ('corpus_stale', 'true')")


TABLES = Maintainer("corpus", DDL, _mark_stale)


def _entity_rows(con: duckdb.DuckDBPyConnection) -> list[entities.EntityRow]:
    rows = con.execute(
        """SELECT e.document_id, e.id, e.name, e.type, coalesce(e.aliases, []), coalesce(m.n, 0),
                  d.duplicate_of IS NULL
           FROM entities e JOIN documents d ON d.id = e.document_id
           LEFT JOIN (SELECT document_id, entity_id, count(*) AS n FROM entity_mentions GROUP BY ALL) m
             ON m.document_id = e.document_id AND m.entity_id = e.id
           ORDER BY e.document_id, e.idx"""
    ).fetchall()
    return [entities.EntityRow(*row) for row in rows]


def is_stale(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT 1 FROM meta WHERE key = 'corpus_stale'").fetchone() is not None


def rebuild(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Recompute corpus entities and stories; returns how many of each."""
    found, links = entities.resolve(_entity_rows(con))
    con.execute("BEGIN TRANSACTION")
    try:
        for table in ("corpus_entities", "entity_links", "stories", "story_members"):
            con.execute(f"DELETE FROM {table}")
        if found:
            con.execute(
                "INSERT INTO corpus_entities SELECT unnest(?), unnest(?), unnest(?), unnest(?), unnest(?), unnest(?)",
                [
                    [e.id for e in found],
                    [e.name for e in found],
                    [e.type for e in found],
                    [e.aliases for e in found],
                    [e.documents for e in found],
                    [e.mentions for e in found],
                ],
            )
        if links:
            con.execute(
                "INSERT INTO entity_links SELECT unnest(?), unnest(?), unnest(?)",
                [[x[0] for x in links], [x[1] for x in links], [x[2] for x in links]],
            )
        members = stories.group(con)
        if members:
            con.execute(
                "INSERT INTO story_members SELECT unnest(?), unnest(?)",
                [[m[0] for m in members], [m[1] for m in members]],
            )
        con.execute(
            """INSERT INTO stories
               SELECT m.story_id, arg_min(d.title, coalesce(d.published, '9999') || d.id),
                      min(d.published), max(d.published), count(*),
                      (SELECT count(*) FROM documents c JOIN story_members o ON c.duplicate_of = o.document_id
                       WHERE o.story_id = m.story_id)
               FROM story_members m JOIN documents d ON d.id = m.document_id GROUP BY m.story_id"""
        )
        con.execute("DELETE FROM meta WHERE key = 'corpus_stale'")
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return {"entities": len(found), "stories": len({m[0] for m in members})}
