"""The corpus timeline: dates at their own precision, participation, merging, ordering, undated events.

Articles here are written for the tests and built by hand (facts placed at known words), so each
rule is checked apart from what the nlp stage finds; `test_story_*` runs the real flow.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from dateline import corpus
from dateline.corpus import dates, eventcoref, participants, stories
from dateline.model import Document, Entity, Event, Mention, Quote, Reference, Span, content_id
from dateline.store import Store
from tests.conftest import DATA, dateline

# --- building articles whose facts sit on known words ---------------------------------------


@dataclass
class E:
    """An event to place: its trigger word (the nth occurrence) and what the facts would say of it."""

    trigger: str
    action: str
    actor: str | None = None
    target: str | None = None
    date: str | None = None
    modality: str = "happened"
    nth: int = 0
    date_mod: str | None = None
    narrow: bool = False  # the clause is the trigger alone (an event noun), not its sentence


@dataclass
class Q:
    cue: str
    words: str
    speaker: str


@dataclass
class A:
    """An article: its date, text, entities {name: (type, aliases)}, events and quotes."""

    published: str
    text: str
    entities: dict[str, tuple[str, list[str]]] = field(default_factory=dict)
    events: list[E] = field(default_factory=list)
    quotes: list[Q] = field(default_factory=list)
    title: str | None = None


def _find(text: str, words: str, nth: int = 0) -> tuple[int, int]:
    at = -1
    for _ in range(nth + 1):
        at = text.index(words, at + 1)
    return at, at + len(words)


def _entity_of(doc: Document, words: str) -> str | None:
    for entity in doc.entities:
        if words in (entity.name, *entity.aliases):
            return entity.id
    return None


def _ref(doc: Document, words: str | None) -> Reference | None:
    if words is None:
        return None
    start, end = _find(doc.text, words)
    entity = _entity_of(doc, words)
    name = next((e.name for e in doc.entities if e.id == entity), words)
    return Reference(name=name, start=start, end=end, text=words, entity=entity)


def build(a: A) -> Document:
    doc = Document(id=content_id(a.text), text=a.text, title=a.title or a.text[:40], published=a.published)
    doc.source = f"{doc.title}.txt"
    for n, (name, (type_, aliases)) in enumerate(a.entities.items(), start=1):
        pattern = "|".join(re.escape(x) for x in sorted([name, *aliases], key=len, reverse=True))
        mentions = [
            Mention(m.start(), m.end(), m.group()) for m in re.finditer(rf"\b(?:{pattern})\b", a.text)
        ]
        doc.entities.append(Entity(id=f"e{n}", name=name, type=type_, mentions=mentions, aliases=aliases))
    for spec in a.events:
        start, end = _find(a.text, spec.trigger, spec.nth)
        sentence = max(a.text.rfind(". ", 0, start) + 2, 0) if ". " in a.text[:start] else 0
        stop = a.text.find(".", end)
        stop = len(a.text) if stop < 0 else stop
        if spec.narrow:
            sentence, stop = start, end
        doc.events.append(
            Event(
                text=a.text[sentence:stop],
                start=sentence,
                end=stop,
                trigger=Span(start, end, spec.trigger),
                action=spec.action,
                modality=spec.modality,  # type: ignore[arg-type]
                actor=_ref(doc, spec.actor),
                target=_ref(doc, spec.target),
                date=spec.date,
                date_mod=spec.date_mod,
            )
        )
    for q in a.quotes:
        start, end = _find(a.text, q.words)
        cue = _find(a.text, q.cue)
        doc.quotes.append(
            Quote("direct", q.words, start, end, speaker=_ref(doc, q.speaker), cue=Span(*cue, q.cue))
        )
    return doc


def stored(tmp_path: Path, articles: list[A]) -> Store:
    store = Store(tmp_path / "t.duckdb")
    store.add([build(a) for a in articles])
    corpus.rebuild(store.db)
    return store


HALVARD = {"Halvard Shipyards": ("ORG", ["Halvard"]), "Nordlys Line": ("ORG", [])}

# one contract signing told four times, a signing with someone else, and a planned one
SIGNING = [
    A(
        "2024-09-04",
        "Halvard Shipyards signed a contract with Nordlys Line on Monday.",
        HALVARD,
        [E("signed", "sign", "Halvard Shipyards", "Nordlys Line", "2024-09-02")],
    ),
    A(
        "2024-09-05",
        "Nordlys Line said it signed a contract with Halvard Shipyards on Monday.",
        HALVARD,
        [E("signed", "sign", "it", None, "2024-09-02", "reported")],
    ),
    A(
        "2024-09-10",
        "Halvard Shipyards, which signed a contract with Nordlys Line last week, hired welders.",
        HALVARD,
        [E("signed", "sign", "Halvard Shipyards", "Nordlys Line")],
    ),
    A(
        "2024-11-20",
        "Halvard Shipyards signed a contract with Nordlys Line for a third ferry.",
        HALVARD,
        [E("signed", "sign", "Halvard Shipyards", "Nordlys Line")],
    ),
    A(
        "2024-09-06",
        "Halvard Shipyards signed a contract with Brekke Ferries on Friday.",
        {**HALVARD, "Brekke Ferries": ("ORG", [])},
        [E("signed", "sign", "Halvard Shipyards", "Brekke Ferries", "2024-09-06")],
    ),
    A(
        "2024-09-07",
        "Halvard Shipyards will sign a contract with Nordlys Line for a fourth ferry.",
        HALVARD,
        [E("sign", "sign", "Halvard Shipyards", "Nordlys Line", None, "planned")],
    ),
]


def test_dates_keep_their_precision_and_sort_coarse_first() -> None:
    assert [
        dates.precision(v) for v in ("2011", "2020-01", "2023-W46", "2021-07-26", "2021-07-26T14:00")
    ] == [
        "year",
        "month",
        "week",
        "day",
        "time",
    ]
    assert dates.precision("P3Y") is None and dates.span("2021-02-30") is None
    values = [("2007", "END"), ("2007-10", None), ("2007-02-28", None), ("2007", None), ("2006-W52", None)]
    ordered = sorted(values, key=lambda v: dates.sort_key(*v))
    assert ordered == [
        ("2006-W52", None),
        ("2007", None),
        ("2007-02-28", None),
        ("2007-10", None),
        ("2007", "END"),
    ]
    week = dates.span("2023-W46")
    assert week is not None and (week.first.isoformat(), week.last.isoformat()) == (
        "2023-11-13",
        "2023-11-19",
    )


def test_one_event_told_by_several_articles_is_one_entry(tmp_path: Path) -> None:
    with stored(tmp_path, SIGNING) as store:
        entries = corpus.timeline(store, entity="Halvard Shipyards")
    signed = [e for e in entries if e.action == "sign"]
    by_articles = sorted((e.date, e.date_source, e.modality, len(e.sources)) for e in signed)
    assert by_articles == [
        ("2024-09-02", "own", "happened", 3),  # dated twice, and once reported a week later
        ("2024-09-06", "own", "happened", 1),  # with another company: another event
        ("2024-09-07", "reported_on", "planned", 1),  # a plan is not the deed
        ("2024-11-20", "reported_on", "happened", 1),  # too long after to be the same
    ]
    merged = next(e for e in signed if len(e.sources) == 3)
    assert [s.published for s in merged.sources] == ["2024-09-04", "2024-09-05", "2024-09-10"]
    assert merged.precision == "day" and merged.target == "Nordlys Line"


def test_merging_measured_on_the_articles_we_wrote(tmp_path: Path) -> None:
    """Pairwise precision and recall of merging, against the clusters the articles were written with."""
    gold = {frozenset({0, 1, 2}), frozenset({3}), frozenset({4}), frozenset({5})}
    mentions = [
        eventcoref.Mention(
            key=i,
            document=f"d{i}",
            action="sign",
            date=dates.span(a.events[0].date),
            published=dates.span(a.published).first,  # type: ignore[union-attr]
            modality=a.events[0].modality,
            target="brekke" if "Brekke" in a.text else "nordlys" if a.events[0].target else None,
        )
        for i, a in enumerate(SIGNING)
    ]
    found = {frozenset(m.key for m in group) for group in eventcoref.cluster(mentions)}

    def pairs(clusters: set[frozenset[int]]) -> set[tuple[int, int]]:
        return {(a, b) for c in clusters for a in c for b in c if a < b}

    assert pairs(found) == pairs(gold)  # precision and recall 1.0 (3 pairs)


def _m(key: int, doc: str, date: str | None, published: str, **kw: object) -> eventcoref.Mention:
    day = dates.span(published)
    assert day is not None
    return eventcoref.Mention(
        key, doc, kw.pop("action", "resign"), dates.span(date), day.first, "happened", **kw
    )  # type: ignore[arg-type]


def test_merging_within_an_article_needs_another_article() -> None:
    # two mentions of one article (not the headline) stay apart on their own ...
    alone = [_m(0, "a", None, "2011-08-25"), _m(1, "a", None, "2011-08-25", action="resignation")]
    assert len(eventcoref.cluster(alone)) == 2
    # ... and join when another article's dated mention ties them together
    tied = [*alone, _m(2, "b", "2011-08-24", "2011-08-26")]
    assert [sorted(m.key for m in g) for g in eventcoref.cluster(tied)] == [[0, 1, 2]]


def test_a_late_report_joins_the_event_when_it_names_who_did_what_to_whom() -> None:
    event = _m(0, "a", "2010-06-07", "2010-06-08", action="introduce", actor="E1", target="E2")
    late = _m(1, "b", None, "2010-08-09", action="introduce", actor="E1", target="E2")
    vague = _m(2, "c", None, "2010-08-09", action="introduce", actor="E1")
    assert eventcoref.compatible(event, late) and not eventcoref.compatible(event, vague)


def test_an_articles_entity_that_joined_two_names_is_not_taken_whole() -> None:
    from dateline.corpus.chronology import _one_thing
    from dateline.model import Entity

    assert _one_thing(Entity("e1", "Steve Jobs", "PERSON", aliases=["Jobs", "Steve"]))
    assert _one_thing(Entity("e2", "European Aeronautic Defence and Space Company", "ORG", aliases=["EADS"]))
    assert not _one_thing(Entity("e3", "Apple Computer", "ORG", aliases=["Apple Corps"]))


def test_actions_that_name_the_same_happening() -> None:
    key = eventcoref.action_key
    assert key("announcement") == key("announce")
    assert key("delivery") == key("deliver") == key("handover")
    assert key("funding") == key("fund")
    assert key("unveil") == key("introduce") == key("launch")
    assert key("arrival") == key("arrive")
    assert key("sign") != key("sue") and key("buy") != key("sell")


def test_undated_events_are_shown_at_their_article_date_marked(tmp_path: Path) -> None:
    article = A(
        "2024-09-20",
        "Welders at Halvard Shipyards went on strike. The yard will reopen the dock next spring.",
        HALVARD,
        [E("strike", "strike", "Welders"), E("reopen", "reopen", "yard", None, None, "planned")],
    )
    with stored(tmp_path, [article]) as store:
        strike, reopen = corpus.timeline(store, entity="Halvard")
    assert (strike.date, strike.date_source, strike.precision, strike.date_from) == (
        "2024-09-20",
        "reported_on",
        "day",
        "published",
    )
    assert (reopen.date, reopen.date_source, reopen.date_mod) == ("2024-09-20", "reported_on", "AFTER")
    # the mark a reader sees (CLI, API, web UI, chart tooltip): the date is only the article's
    assert (strike.when, reopen.when) == ("2024-09-20 (reported on)", "after 2024-09-20 (reported on)")


def test_then_places_an_undated_event_after_the_one_before(tmp_path: Path) -> None:
    article = A(
        "2024-09-20",
        "Halvard Shipyards signed a contract on Monday. Then Halvard Shipyards hired 40 welders. "
        "Halvard Shipyards also bought a crane.",
        HALVARD,
        [
            E("signed", "sign", "Halvard Shipyards", None, "2024-09-16"),
            E("hired", "hire", "Halvard Shipyards"),
            E("bought", "buy", "Halvard Shipyards"),
        ],
    )
    with stored(tmp_path, [article]) as store:
        entries = corpus.timeline(store, entity="Halvard Shipyards")
    assert [(e.action, e.date, e.date_source, e.date_mod) for e in entries] == [
        ("sign", "2024-09-16", "own", None),
        ("hire", "2024-09-16", "relative", "AFTER"),
        ("buy", "2024-09-20", "reported_on", None),
    ]


def test_after_and_before_place_an_undated_event_beside_a_dated_one(tmp_path: Path) -> None:
    article = A(
        "2024-09-25",
        "Halvard Shipyards reopened the dock after the strike ended on Monday. "
        "Before the vote on Friday, Halvard Shipyards met the union.",
        HALVARD,
        [
            E("reopened", "reopen", "Halvard Shipyards"),
            E("strike", "strike", narrow=True),
            E("ended", "end", "strike", date="2024-09-23"),
            E("vote", "vote", date="2024-09-20", narrow=True),
            E("met", "meet", "Halvard Shipyards"),
        ],
    )
    with stored(tmp_path, [article]) as store:
        entries = corpus.timeline(store)
    found = {e.action: (e.date, e.date_source, e.date_mod) for e in entries}
    assert found["reopen"] == ("2024-09-23", "relative", "AFTER")
    assert found["meet"] == ("2024-09-20", "relative", "BEFORE")
    assert found["strike"] == ("2024-09-25", "reported_on", None)  # inside the dated clause: not "after" it
    order = [e.action for e in entries]
    assert order.index("meet") < order.index("vote") < order.index("end") < order.index("reopen")


def test_order_across_precisions_and_sources(tmp_path: Path) -> None:
    text = "Halvard built docks. Halvard closed a dock. Halvard sold land. Halvard hired staff. Halvard laid keels."
    article = A(
        "2024-09-10",
        text,
        HALVARD,
        [
            E("laid", "lay", "Halvard", date="2024", date_mod="END"),
            E("hired", "hire", "Halvard"),
            E("sold", "sell", "Halvard", date="2024-09"),
            E("closed", "close", "Halvard", date="2019"),
            E("built", "build", "Halvard", date="2024-09-10"),
        ],
    )
    with stored(tmp_path, [article]) as store:
        entries = corpus.timeline(store, entity="Halvard")
    assert [(e.action, e.precision) for e in entries] == [
        ("close", "year"),
        ("sell", "month"),
        ("build", "day"),  # its own date first ...
        ("hire", "day"),  # ... then what was only reported that day
        ("lay", "year"),  # end of 2024
    ]


def test_who_takes_part_in_an_event() -> None:
    text = (
        "Halvard Shipyards Pension Fund sold bonds. "
        "Welders protested at Halvard Shipyards after Halvard's announcement of the closure of the dock. "
        "The company said it would appoint a new manager. Ingrid Saether met investors. She resigned."
    )
    doc = build(
        A(
            "2024-09-10",
            text,
            {"Halvard Shipyards Pension Fund": ("ORG", []), "Ingrid Saether": ("PERSON", ["Saether"])},
            [
                E("sold", "sell", "Halvard Shipyards Pension Fund"),
                E("protested", "protest", "Welders"),
                E("announcement", "announcement", narrow=True),
                E("closure", "closure", narrow=True),
                E("appoint", "appoint", "it"),
                E("resigned", "resign", "She"),
            ],
        )
    )
    # Halvard Shipyards as the article writes it (no NER entity), not inside the pension fund's name
    company = participants.Target(names=["Halvard Shipyards", "Halvard"])
    spots = participants.find(doc, company)
    assert [text[s.start : s.end] for s in spots if s.how == "name"] == ["Halvard Shipyards", "Halvard"]
    assert [text[s.start : s.end] for s in spots if s.how == "anaphor"] == ["The company", "it"]
    # not the fund's sale; the protest's clause names Halvard; the announcement is Halvard's (a
    # possessor), the closure is not; "it" (the company) appoints; Saether resigns
    roles = [participants.role(e, doc, company, spots) for e in doc.events]
    assert roles == [None, "participant", "participant", None, "actor", None]
    person = participants.Target(entity_ids={"e2"}, person=True)
    person_spots = participants.find(doc, person)
    assert [text[s.start : s.end] for s in person_spots if s.how == "anaphor"] == ["She"]
    assert participants.role(doc.events[-1], doc, person, person_spots) == "actor"


def test_a_statement_is_shown_once_with_what_was_said(tmp_path: Path) -> None:
    article = A(
        "2024-09-04",
        'Ingrid Saether said: "This is the order we have worked for."',
        {"Ingrid Saether": ("PERSON", ["Saether"])},
        [E("said", "say", "Ingrid Saether")],
        [Q("said", "This is the order we have worked for.", "Ingrid Saether")],
    )
    with stored(tmp_path, [article]) as store:
        (entry,) = corpus.timeline(store, entity="Ingrid Saether")
    assert entry.quote == "This is the order we have worked for."
    assert entry.summary == "Ingrid Saether said: “This is the order we have worked for.”"
    assert entry.role == "actor" and entry.sources[0].fact == "event-0"


def test_entries_keep_their_words(tmp_path: Path) -> None:
    with stored(tmp_path, SIGNING) as store:
        for entry in corpus.timeline(store):
            assert entry.id.startswith("T")
            for source in entry.sources:
                document = store.get(source.document_id)
                assert document is not None and source.start is not None
                assert document.text[source.start : source.end] == source.text
                assert document.events[int((source.fact or "").split("-")[1])].start == source.start


def test_stories_listed_with_span_and_entities(tmp_path: Path) -> None:
    with stored(tmp_path, SIGNING) as store:
        found, total = stories.listing(store)
        assert total == len(found) >= 1
        for story in found:
            assert story.start is not None and story.end is not None and story.start <= story.end
            assert story.articles >= 1 and story.title
        biggest = max(found, key=lambda s: s.articles)
        assert "Halvard Shipyards" in [e.name for e in biggest.entities]
        assert stories.story(store, biggest.id) == biggest
        assert len(stories.documents(store, biggest.id)) == biggest.articles
        assert stories.story(store, "S-none") is None


# --- the real flow on a developing story we wrote ------------------------------------------------


@pytest.fixture(scope="module")
def story_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("story") / "story.duckdb"
    done = dateline("ingest", "--db", str(db), str(DATA / "story"))
    assert done.returncode == 0, done.stderr
    return db


def test_story_timeline_of_an_entity_merged_and_in_order(story_db: Path) -> None:
    done = dateline("timeline", "--db", str(story_db), "--entity", "Halvard Shipyards", "--json")
    assert done.returncode == 0, done.stderr
    entries = json.loads(done.stdout)
    for key in ("id", "date", "precision", "date_source", "modality", "summary", "action", "type", "sources"):
        assert all(key in e for e in entries)
    signed = [e for e in entries if e["action"] == "sign"]
    # the contract, reported on 4 and 5 September, is one entry on the day it was signed
    assert any(
        e["date"] == "2024-09-02" and len({s["document_id"] for s in e["sources"]}) == 2 for e in signed
    )
    struck = [e for e in entries if e["action"] == "strike" and e["date_source"] == "own"]
    assert len(struck) == 1 and struck[0]["date"] == "2024-09-19" and len(struck[0]["sources"]) == 2
    keys = [dates.sort_key(e["date"], e["date_mod"]) for e in entries]
    assert keys == sorted(keys)
    assert all(e["date_source"] in ("own", "derived", "relative", "reported_on") for e in entries)
    shown = dateline("timeline", "--db", str(story_db), "--entity", "Halvard Shipyards")
    assert shown.returncode == 0 and "2024-09-02" in shown.stdout and "reported on" in shown.stdout


def test_past_events_keep_their_own_dates_on_the_corpus_timeline(tmp_path: Path) -> None:
    """The case of issue 15: an article of 2024 tells of 2003, 2011 and January 2020; none of those
    events is put on the publication day, and the one with no date of its own says it is borrowed."""
    db = tmp_path / "us.duckdb"
    assert dateline("ingest", "--db", str(db), str(DATA / "timeline_us_iraq.txt")).returncode == 0
    done = dateline("timeline", "--db", str(db), "--entity", "United States", "--json")
    assert done.returncode == 0, done.stderr
    entries = json.loads(done.stdout)
    by_action = {e["action"]: e for e in entries}
    assert [(by_action[a]["date"], by_action[a]["precision"]) for a in ("invade", "withdraw", "kill")] == [
        ("2003", "year"),
        ("2011", "year"),
        ("2020-01", "month"),
    ]
    assert by_action["hand over"]["when"] == "2024-04" and by_action["hand over"]["modality"] == "planned"
    borrowed = [e for e in entries if e["date_source"] == "reported_on"]
    assert borrowed and all(e["when"] == "2024-03-12 (reported on)" for e in borrowed)
    assert [e["date"] for e in entries].index("2003") == 0
    keys = [dates.sort_key(e["date"], e["date_mod"]) for e in entries]
    assert keys == sorted(keys)
    with Store(db) as store:
        for entry in entries:
            (source,) = entry["sources"]
            document = store.get(source["document_id"])
            assert (
                document is not None and document.title == "U.S. troops to leave Iraq base after two decades"
            )
            assert document.text[source["start"] : source["end"]] == source["text"]
    shown = dateline("timeline", "--db", str(db), "--entity", "United States")
    assert "reported on" in shown.stdout and "2020-01" in shown.stdout


def test_story_listing_and_a_storys_timeline(story_db: Path) -> None:
    done = dateline("stories", "--db", str(story_db), "--json")
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert {"id", "title", "articles", "start", "end", "entities"} <= set(found[0])
    orchestra = [s for s in found if "orchestra" in (s["title"] or "")]
    assert len(orchestra) == 1 and orchestra[0]["articles"] == 1
    strike = next(s for s in found if "strike" in (s["title"] or "").lower())
    timeline = dateline("timeline", "--db", str(story_db), "--story", strike["id"], "--json")
    assert timeline.returncode == 0, timeline.stderr
    assert {s["title"] for e in json.loads(timeline.stdout) for s in e["sources"]} <= {
        "Halvard shipyard workers strike over pay",
        "Strike at Halvard Shipyards ends after pay deal",
    }
    assert dateline("stories", "--db", str(story_db.parent / "none.duckdb")).returncode == 1
    unknown = dateline("timeline", "--db", str(story_db), "--story", "S-none")
    assert unknown.returncode == 1 and "no story with id" in unknown.stderr
    assert dateline("timeline", "--entity", "Halvard").returncode == 2
