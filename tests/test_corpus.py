"""Across articles: dedup, corpus entities, stories, timelines, quotes, search, trends, stats."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from dateline import corpus
from dateline.model import Document, Entity, Event, Mention, Quote, Reference, Span, content_id
from dateline.read import read_text
from dateline.store import Store
from tests.conftest import dateline
from tests.corpus_data import ARTICLES, page, wire_copy


def _at(text: str, words: str, after: int = 0) -> tuple[int, int]:
    start = text.index(words, after)
    return start, start + len(words)


def _ref(text: str, name: str, entity: str | None) -> Reference:
    start, end = _at(text, name)
    return Reference(name=name, start=start, end=end, text=name, entity=entity)


def _entity(text: str, local: str, name: str, type_: str, aliases: list[str] | None = None) -> Entity:
    mentions = [Mention(m.start(), m.end(), m.group()) for m in re.finditer(re.escape(name), text)]
    return Entity(id=local, name=name, type=type_, mentions=mentions, aliases=aliases or [])


def _event(
    text: str, trigger: str, action: str, actor: Reference, target: Reference | None, date: str
) -> Event:
    start, end = _at(text, trigger)
    sentence_start = text.rfind(".", 0, start) + 1
    sentence_end = text.index(".", end) + 1
    return Event(
        text=text[sentence_start:sentence_end].strip(),
        start=sentence_start,
        end=sentence_end,
        trigger=Span(start, end, trigger),
        action=action,
        type="movement" if action == "visit" else "statement",
        actor=actor,
        target=target,
        date=date,
    )


def _quote(text: str, words: str, speaker: Reference, date: str | None = None) -> Quote:
    start, end = _at(text, words)
    return Quote(kind="direct", text=words, start=start, end=end, speaker=speaker, date=date)


def _doc(title: str, published: str, body: str) -> Document:
    doc = Document(id=content_id(body), text=body, title=title, published=published, source=f"{title}.txt")
    return doc


def biden_corpus() -> list[Document]:
    """Three reports of one visit, a wire copy of the first, and an unrelated article."""
    a_text = (
        "Joe Biden visited Baghdad on Tuesday to meet Iraqi leaders. "
        '"Iraq deserves a stable future," Biden said at a news conference in Baghdad.'
    )
    a = _doc("Biden in Baghdad", "2024-03-05", a_text)
    a.entities = [
        _entity(a_text, "e1", "Joe Biden", "PERSON", ["Biden"]),
        _entity(a_text, "e2", "Baghdad", "GPE"),
        _entity(a_text, "e3", "Iraq", "GPE"),
    ]
    a.events = [
        _event(
            a_text,
            "visited",
            "visit",
            _ref(a_text, "Joe Biden", "e1"),
            _ref(a_text, "Baghdad", "e2"),
            "2024-03-05",
        )
    ]
    a.quotes = [_quote(a_text, "Iraq deserves a stable future", _ref(a_text, "Biden", "e1"))]

    b_text = (
        "President Biden visited Baghdad on March 5, his first trip to Iraq in years. "
        'Later he told reporters: "We will keep our promises to Iraq."'
    )
    b = _doc("President Biden makes Iraq trip", "2024-03-06", b_text)
    b.entities = [
        _entity(b_text, "p1", "President Biden", "PERSON"),
        _entity(b_text, "p2", "Baghdad", "GPE"),
        _entity(b_text, "p3", "Iraq", "GPE"),
    ]
    b.events = [
        _event(
            b_text,
            "visited",
            "visit",
            _ref(b_text, "President Biden", "p1"),
            _ref(b_text, "Baghdad", "p2"),
            "2024-03-05",
        )
    ]
    b.quotes = [
        _quote(b_text, "We will keep our promises to Iraq.", _ref(b_text, "he", "p1"), date="2024-03-04")
    ]

    copy_text = "(Wire) — " + a_text
    copy = _doc("BIDEN IN BAGHDAD", "2024-03-05", copy_text)
    copy.entities = [
        _entity(copy_text, "c1", "Joe Biden", "PERSON", ["Biden"]),
        _entity(copy_text, "c2", "Baghdad", "GPE"),
    ]
    copy.events = [
        _event(
            copy_text,
            "visited",
            "visit",
            _ref(copy_text, "Joe Biden", "c1"),
            _ref(copy_text, "Baghdad", "c2"),
            "2024-03-05",
        )
    ]
    copy.quotes = [_quote(copy_text, "Iraq deserves a stable future", _ref(copy_text, "Biden", "c1"))]

    h_text = 'Hunter Biden said on Friday that he would publish a memoir. "It is time," Hunter Biden said.'
    h = _doc("Hunter Biden memoir", "2024-04-12", h_text)
    h.entities = [_entity(h_text, "h1", "Hunter Biden", "PERSON")]
    h.quotes = [_quote(h_text, "It is time,", _ref(h_text, "Hunter Biden", "h1"))]
    return [a, b, copy, h]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    s = Store(tmp_path / "c.duckdb")
    s.add(biden_corpus())
    corpus.rebuild(s.db)
    return s


def test_wire_copy_flagged_and_its_facts_not_counted(store: Store) -> None:
    a, _, copy, _ = biden_corpus()
    row = store.db.execute(
        "SELECT duplicate_of, similarity FROM documents WHERE id = ?", [copy.id]
    ).fetchone()
    assert row is not None and row[0] == a.id and row[1] >= 0.7
    # Joe Biden (also "President Biden"), Hunter Biden, Baghdad, Iraq; the copy's quote and event not again
    assert corpus.stats(store) == {
        "documents": 4,
        "duplicates": 1,
        "entities": 4,
        "quotes": 3,
        "events": 2,
        "stories": 2,
        "clusters": 1,
        "repeats": 0,
    }


def test_one_corpus_entity_per_referent(store: Store) -> None:
    rows = store.db.execute("SELECT name, type, aliases FROM corpus_entities ORDER BY type, name").fetchall()
    people = [(n, sorted(a)) for n, t, a in rows if t == "PERSON"]
    assert people == [("Hunter Biden", []), ("Joe Biden", ["Biden", "President Biden"])]
    assert sorted(n for n, t, _ in rows if t == "GPE") == ["Baghdad", "Iraq"]
    joe = corpus.find_entities(store, "Joe Biden")
    assert list(joe.values()) == ["Joe Biden"]
    assert corpus.find_entities(store, "President Biden") == joe
    assert set(corpus.find_entities(store, "Biden").values()) == {"Joe Biden", "Hunter Biden"}


def test_ids_are_stable_across_rebuilds(store: Store) -> None:
    before = store.db.execute("SELECT id, name FROM corpus_entities ORDER BY id").fetchall()
    stories = store.db.execute("SELECT id FROM stories ORDER BY id").fetchall()
    corpus.rebuild(store.db)
    assert store.db.execute("SELECT id, name FROM corpus_entities ORDER BY id").fetchall() == before
    assert store.db.execute("SELECT id FROM stories ORDER BY id").fetchall() == stories


def test_quotes_by_speaker_in_date_order(store: Store) -> None:
    found = corpus.quotes(store, speaker="Joe Biden")
    assert [(q.date, q.text) for q in found] == [
        ("2024-03-04", "We will keep our promises to Iraq."),
        ("2024-03-05", "Iraq deserves a stable future"),
    ]
    assert all(q.speaker is not None and q.speaker.name == "Joe Biden" for q in found)
    # the wire copy's quote is not a second source: it is the same article
    assert [len(q.sources) for q in found] == [1, 1]
    assert [q.text for q in corpus.quotes(store, speaker="Hunter Biden")] == ["It is time,"]
    assert len(corpus.quotes(store, speaker="Biden")) == 3
    assert [q.date for q in corpus.quotes(store, since="2024-03-05", until="2024-03-31")] == ["2024-03-05"]


def test_timeline_merges_one_event_reported_twice(store: Store) -> None:
    entries = corpus.timeline(store, entity="Biden")
    assert len(entries) == 1
    (visit,) = entries
    assert (visit.date, visit.action, visit.actor, visit.target) == (
        "2024-03-05",
        "visit",
        "Joe Biden",
        "Baghdad",
    )
    assert sorted(s.title or "" for s in visit.sources) == [
        "Biden in Baghdad",
        "President Biden makes Iraq trip",
    ]
    assert corpus.timeline(store, entity="Hunter Biden") == []
    assert len(corpus.timeline(store, entity="Baghdad")) == 1


def test_corpus_entries_point_at_their_words(store: Store) -> None:
    entries = [*corpus.quotes(store), *corpus.timeline(store)]
    assert entries
    for entry in entries:
        for source in entry.sources:
            document = store.get(source.document_id)
            assert document is not None and source.start is not None and source.fact
            assert document.text[source.start : source.end] == source.text
            kind, index = source.fact.split("-")
            fact = getattr(document, kind + "s")[int(index)]
            assert (fact.start, fact.end) == (source.start, source.end)


def test_timeline_of_a_story(store: Store) -> None:
    a = biden_corpus()[0]
    (story,) = store.db.execute(
        "SELECT story_id FROM story_members WHERE document_id = ?", [a.id]
    ).fetchone() or ("",)
    members = store.db.execute("SELECT count(*) FROM story_members WHERE story_id = ?", [story]).fetchone()
    assert members == (2,)  # the two reports of the visit; the wire copy follows its original
    assert [len(e.sources) for e in corpus.timeline(store, story=story)] == [2]
    assert corpus.timeline(store, story="S-nothing") == []


def test_stories_group_reports_and_keep_others_apart(tmp_path: Path) -> None:
    docs = [read_text(page(*a), source=f"{i}.txt") for i, a in enumerate(ARTICLES)]
    with Store(tmp_path / "s.duckdb") as store:
        store.add(docs)
        corpus.rebuild(store.db)
        groups = store.db.execute(
            "SELECT list(d.title ORDER BY d.title) FROM story_members m JOIN documents d ON d.id = m.document_id "
            "GROUP BY m.story_id ORDER BY 1"
        ).fetchall()
    assert [g[0] for g in groups] == [
        [ARTICLES[0][0], ARTICLES[1][0]],
        [ARTICLES[2][0]],
    ]


def test_search_ranks_and_lists_copies(tmp_path: Path) -> None:
    docs = [read_text(page(*a), source=f"{i}.txt") for i, a in enumerate(ARTICLES)]
    title, published, body = ARTICLES[0]
    docs.append(read_text(page(title.upper(), published, wire_copy(body)), source="copy.txt"))
    with Store(tmp_path / "s.duckdb") as store:
        store.add(docs)
        hits = corpus.search(store, "sea wall cranes")
        assert [h.title for h in hits] == [ARTICLES[0][0], ARTICLES[1][0]]
        assert len(hits[0].duplicates) == 1 and "sea wall" in hits[0].snippet
        assert [h.title for h in corpus.search(store, "conductor")] == [ARTICLES[2][0]]
        assert corpus.search(store, "the of and") == []
        assert corpus.search(store, "zeppelin") == []


def test_trends_per_week(store: Store) -> None:
    found = corpus.trends(store, period="week")
    assert found.buckets[0] == "2024-03-04" and found.buckets[-1] == "2024-04-08"
    # only the weeks that hold articles: no run of empty weeks between them
    assert found.buckets == ["2024-03-04", "2024-04-08"]
    assert sum(found.documents) == 3 and found.undated == 0  # the wire copy is not counted
    joe = next(s for s in found.entities if s.name == "Joe Biden (PERSON)")
    assert joe.counts[0] == 2 and joe.total == 2
    assert [(s.name, s.total) for s in found.event_types] == [("movement", 2)]
    daily = corpus.trends(store, period="day")
    assert daily.buckets[:2] == ["2024-03-05", "2024-03-06"]
    assert corpus.trends(store, period="month").buckets == ["2024-03-01", "2024-04-01"]


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "sub").mkdir(parents=True)
    for i, a in enumerate(ARTICLES):
        (folder / f"{i}.txt").write_text(page(*a), encoding="utf-8")
    title, published, body = ARTICLES[0]
    (folder / "sub" / "copy.txt").write_text(
        page(title + " - Wire", published, wire_copy(body)), encoding="utf-8"
    )
    (folder / "sub" / "same.txt").write_text(page(*ARTICLES[1]), encoding="utf-8")
    return folder


def test_cli_folder_twice_each_article_once_copy_flagged(tmp_path: Path) -> None:
    folder, db = _folder(tmp_path), tmp_path / "d.duckdb"
    for _ in range(2):
        result = dateline("ingest", "--no-facts", "--db", str(db), str(folder))
        assert result.returncode == 0, result.stderr
    assert "0 new of 5" in result.stderr
    result = dateline("stats", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    stats = json.loads(result.stdout)
    assert {k: stats[k] for k in ("documents", "duplicates", "entities", "quotes", "events")} == {
        "documents": 4,
        "duplicates": 1,
        "entities": 0,
        "quotes": 0,
        "events": 0,
    }
    assert stats["repeats"] == 1  # same.txt: the same text seen under another name


def test_cli_search_trends_png(tmp_path: Path) -> None:
    folder, db = _folder(tmp_path), tmp_path / "d.duckdb"
    assert dateline("ingest", "--no-facts", "--db", str(db), str(folder)).returncode == 0
    result = dateline("search", "harbor cranes", "--db", str(db), "--json")
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits[0]["title"] == ARTICLES[0][0] and len(hits[0]["duplicates"]) == 1
    result = dateline("search", "harbor cranes", "--db", str(db))
    assert ARTICLES[0][0] in result.stdout and "+1 near-copies" in result.stdout
    png = tmp_path / "t.png"
    result = dateline("trends", "--db", str(db), "--by", "week", "--png", str(png))
    assert result.returncode == 0, result.stderr
    assert "articles" in result.stdout and "2024-03-04" in result.stdout
    assert png.read_bytes().startswith(b"\x89PNG")
    result = dateline("trends", "--db", str(db), "--json")
    assert json.loads(result.stdout)["documents"][0] == 2


def test_commands_need_a_database(tmp_path: Path) -> None:
    for command in ("search", "trends", "stats"):
        args = [command, "x"] if command == "search" else [command]
        result = dateline(*args, "--db", str(tmp_path / "none.duckdb"))
        assert result.returncode == 1 and "no database" in result.stderr
