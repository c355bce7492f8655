"""Stories: articles about one happening, linked by what they share.

Each canonical article is described by its corpus entities and its most
distinctive words (tf-idf over the search index).  Two articles published
within `WINDOW_DAYS` of each other are linked when they share at least
`MIN_SHARED` of these features and the shared part is at least `OVERLAP` of
the smaller set; stories are the connected groups.  Features found in more
than `MAX_DF_SHARE` of the articles (and at least `MIN_DF_CAP`) are the
vocabulary of a beat, not of one story, and are left out; this also keeps
the pairing near linear in the corpus size.  Wire copies belong to the
story of their canonical article.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

import duckdb

from dateline.corpus.browse import SUMMARY, DocumentSummary
from dateline.corpus.connect import Database, connection

KEYWORDS = 12
MIN_SHARED = 2
OVERLAP = 0.3
WINDOW_DAYS = 7
MAX_DF_SHARE = 0.002
MIN_DF_CAP = 10


class _Union:
    def __init__(self) -> None:
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _features(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute("SELECT count(*) FROM search_docs").fetchone()
    cap = max(MIN_DF_CAP, int(MAX_DF_SHARE * (row[0] if row else 0)))
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE story_features AS
        WITH n AS (SELECT count(*) AS n FROM search_docs),
        df AS (SELECT term, count(*) AS df FROM postings GROUP BY term HAVING count(*) BETWEEN 2 AND {cap}),
        ranked AS (
            SELECT s.document_id, 'w:' || p.term AS feature,
                   row_number() OVER (PARTITION BY p.key ORDER BY p.tf * ln(n.n / df.df) DESC, p.term) AS r
            FROM postings p JOIN df USING (term) JOIN search_docs s USING (key), n)
        SELECT document_id, feature FROM ranked WHERE r <= {KEYWORDS}
        UNION
        SELECT l.document_id, 'e:' || l.corpus_entity_id FROM entity_links l
        JOIN documents d ON d.id = l.document_id AND d.duplicate_of IS NULL
        WHERE l.corpus_entity_id IN (
            SELECT corpus_entity_id FROM entity_links GROUP BY 1 HAVING count(DISTINCT document_id) <= {cap})"""
    )


def group(con: duckdb.DuckDBPyConnection) -> list[tuple[str, str]]:
    """(story_id, document_id) for every canonical document; inside the caller's transaction."""
    _features(con)
    pairs = con.execute(
        f"""WITH sizes AS (SELECT document_id, count(*) AS size FROM story_features GROUP BY 1),
        dates AS (SELECT id AS document_id, try_cast(left(published, 10) AS DATE) AS day FROM documents)
        SELECT a.document_id, b.document_id
        FROM story_features a JOIN story_features b ON a.feature = b.feature AND a.document_id < b.document_id
        JOIN sizes sa ON sa.document_id = a.document_id JOIN sizes sb ON sb.document_id = b.document_id
        JOIN dates da ON da.document_id = a.document_id JOIN dates db ON db.document_id = b.document_id
        WHERE da.day IS NULL OR db.day IS NULL OR abs(date_diff('day', da.day, db.day)) <= {WINDOW_DAYS}
        GROUP BY a.document_id, b.document_id, sa.size, sb.size
        HAVING count(*) >= {MIN_SHARED} AND count(*) >= {OVERLAP} * least(sa.size, sb.size)"""
    ).fetchall()
    union = _Union()
    for a, b in pairs:
        union.union(a, b)
    order = con.execute(
        "SELECT id FROM documents WHERE duplicate_of IS NULL ORDER BY published NULLS LAST, id"
    ).fetchall()
    first: dict[str, str] = {}
    members: list[tuple[str, str]] = []
    for (doc,) in order:
        root = union.find(doc)
        # a story is named after its earliest article, so its id holds while later ones join
        story = first.setdefault(root, "S" + hashlib.sha1(doc.encode()).hexdigest()[:12])
        members.append((story, doc))
    return members


# --- listing stories (the CLI's `stories`, the API's /stories) ---------------------------------

MAIN_ENTITIES = 5


@dataclass
class StoryEntity:
    """An entity a story's articles name, with how many of them do."""

    id: str
    name: str
    type: str
    articles: int


@dataclass
class Story:
    """Articles about one happening: its id, title (its first article's), size, time span, main entities."""

    id: str
    title: str | None
    articles: int
    duplicates: int
    start: str | None
    end: str | None
    entities: list[StoryEntity] = field(default_factory=list)


_STORY_COLUMNS = "s.id, s.title, s.documents, s.duplicates, s.first_published, s.last_published"


def _main_entities(con: duckdb.DuckDBPyConnection, ids: list[str]) -> dict[str, list[StoryEntity]]:
    rows = con.execute(
        f"""SELECT story_id, id, name, type, n FROM (
              SELECT m.story_id, c.id, c.name, c.type, count(DISTINCT m.document_id) AS n,
                     row_number() OVER (PARTITION BY m.story_id
                                        ORDER BY count(DISTINCT m.document_id) DESC, c.mentions DESC, c.name, c.id) AS r
              FROM story_members m JOIN entity_links l ON l.document_id = m.document_id
              JOIN corpus_entities c ON c.id = l.corpus_entity_id
              WHERE m.story_id IN (SELECT unnest(?))
              GROUP BY m.story_id, c.id, c.name, c.type, c.mentions)
            WHERE r <= {2 * MAIN_ENTITIES} ORDER BY story_id, r""",
        [ids],
    ).fetchall()
    found: dict[str, list[StoryEntity]] = {i: [] for i in ids}
    for story_id, entity, name, type_, n in rows:
        listed = found[story_id]
        # one name once: the model may type the same company ORG in one article and PERSON in another
        if len(listed) < MAIN_ENTITIES and all(e.name != name for e in listed):
            listed.append(StoryEntity(entity, name, type_, int(n)))
    return found


def _stories(con: duckdb.DuckDBPyConnection, rows: list[tuple[Any, ...]]) -> list[Story]:
    stories = [Story(r[0], r[1], int(r[2]), int(r[3] or 0), r[4], r[5]) for r in rows]
    entities = _main_entities(con, [s.id for s in stories]) if stories else {}
    for story in stories:
        story.entities = entities.get(story.id, [])
    return stories


def listing(db: Database, limit: int | None = None, offset: int = 0) -> tuple[list[Story], int]:
    """Stories, latest first (by their last article), and how many there are."""
    con = connection(db)
    page = "" if limit is None else f"LIMIT {int(limit)} OFFSET {int(offset)}"
    rows = con.execute(
        f"""SELECT {_STORY_COLUMNS} FROM stories s
            ORDER BY s.last_published DESC NULLS LAST, s.documents DESC, s.id {page}"""
    ).fetchall()
    total = con.execute("SELECT count(*) FROM stories").fetchone()
    return _stories(con, rows), int(total[0]) if total else 0


def story(db: Database, story_id: str) -> Story | None:
    con = connection(db)
    rows = con.execute(f"SELECT {_STORY_COLUMNS} FROM stories s WHERE s.id = ?", [story_id]).fetchall()
    found = _stories(con, rows)
    return found[0] if found else None


def documents(db: Database, story_id: str) -> list[DocumentSummary]:
    """A story's articles (wire copies listed under their original are not), oldest first."""
    con = connection(db)
    rows = con.execute(
        f"""{SUMMARY} FROM documents d
            WHERE d.id IN (SELECT document_id FROM story_members WHERE story_id = ?)
            ORDER BY d.published NULLS LAST, d.id""",
        [story_id],
    ).fetchall()
    return [DocumentSummary(*row) for row in rows]
