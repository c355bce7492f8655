"""`dateline eval timeline`: the temporal-awareness scorer, CAT articles, the task's layout, the command."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from dateline.eval.awareness import (
    Counts,
    Graph,
    Line,
    Link,
    parse_timeline,
    reduce,
    score,
    timeline_relations,
)
from dateline.eval.cat import article, creation_time, read_cat
from dateline.eval.timeline import coreference_counts, discover, task_lines
from tests.conftest import dateline

GOLD = """Halvard Shipyards
0\tXXXX-XX-XX\t1-2-rumoured
1\t2008-01-01\t1-3-signed
2\t2008-02\t1-4-strike\t2-5-walkout
3\t2008-03-05\t2-6-ended
"""

# the gold with "ended" lost, the walkout on a line of its own (same ORDER: still simultaneous),
# "signed" dated by month instead of day, and two events that are not in the gold
DEGRADED = """Halvard Shipyards
0\t2008-04\t9-9-hired
1\t2008-01\t1-3-signed
2\t2008-02\t1-4-strike
2\t2008-02\t2-5-walkout
3\t2008-03-05\t9-8-rumour
"""


def test_gold_against_itself_is_perfect() -> None:
    lines = parse_timeline(GOLD)[1]
    counts = score(lines, lines)
    assert (counts.precision, counts.recall, counts.f1) == (1.0, 1.0, 1.0)


def test_degraded_timeline_scores_what_we_worked_out_by_hand() -> None:
    gold, system = parse_timeline(GOLD)[1], parse_timeline(DEGRADED)[1]
    # gold, non-redundant: signed in 2008-01-01, strike in 2008-02 (the walkout follows from the
    # next link), ended in 2008-03-05, strike = walkout, signed < strike, walkout < ended: 6 links;
    # "rumoured" (ORDER 0, no date) has none
    assert len(reduce(timeline_relations(gold))) == 6
    # system: hired in 2008-04, signed in 2008-01, strike in 2008-02, rumour in 2008-03-05,
    # strike = walkout, signed < strike, walkout < rumour: 7 links
    assert len(reduce(timeline_relations(system))) == 7
    counts = score(gold, system)
    # right by the gold: strike in 2008-02, strike = walkout, signed < strike (3 of 7)
    assert (counts.system_matched, counts.system_total) == (3, 7)
    # found in the system's graph: strike in 2008-02, strike = walkout, signed < strike (3 of 6);
    # "signed in 2008-01-01" is not (no such date node), nor anything about "ended"
    assert (counts.gold_matched, counts.gold_total) == (3, 6)
    assert counts.f1 == pytest.approx(2 * (3 / 7) * (3 / 6) / (3 / 7 + 3 / 6))  # 6/13


def test_closure_entails_what_follows_and_nothing_more() -> None:
    graph = Graph([Link("a", "b", "BEFORE"), Link("b", "c", "SIMULTANEOUS"), Link("c", "d", "IS_INCLUDED")])
    assert graph.entails(Link("a", "c", "BEFORE"))
    assert graph.entails(Link("c", "b", "SIMULTANEOUS"))
    assert graph.entails(Link("b", "d", "IS_INCLUDED"))
    assert not graph.entails(Link("a", "d", "BEFORE"))  # d may start before a
    assert not graph.entails(Link("c", "a", "BEFORE"))
    assert not graph.entails(Link("a", "x", "BEFORE"))  # unknown node


def test_micro_average_sums_counts() -> None:
    total = Counts(1, 2, 1, 4) + Counts(3, 4, 1, 4)
    assert (total.precision, total.recall) == (4 / 6, 2 / 8)


def test_timeline_file_with_a_lost_newline() -> None:
    entity, lines = parse_timeline("X\n8\t2007-03-19\t1-5-went\t1-7-came8\t2007-03-19\t1-2-left\n")
    assert entity == "X"
    assert [(ln.order, ln.date, ln.events) for ln in lines] == [
        (8, "2007-03-19", ["1-5-went", "1-7-came8", "1-2-left"])
    ]


CAT = """<?xml version="1.0" ?><Document doc_id="4711" doc_name="4711_Halvard_strike" src_url="http://news.example/4711">
<token number="0" sentence="0" t_id="1">Halvard</token>
<token number="1" sentence="0" t_id="2">welders</token>
<token number="2" sentence="0" t_id="3">strike</token>
<token number="3" sentence="1" t_id="4">March</token>
<token number="4" sentence="1" t_id="5">06</token>
<token number="5" sentence="1" t_id="6">,</token>
<token number="6" sentence="1" t_id="7">2008</token>
<token number="7" sentence="2" t_id="8">Welders</token>
<token number="8" sentence="2" t_id="9">at</token>
<token number="9" sentence="2" t_id="10">Halvard</token>
<token number="10" sentence="2" t_id="11">went</token>
<token number="11" sentence="2" t_id="12">on</token>
<token number="12" sentence="2" t_id="13">strike</token>
<token number="13" sentence="2" t_id="14">(</token>
<token number="14" sentence="2" t_id="15">again</token>
<token number="15" sentence="2" t_id="16">)</token>
<token number="16" sentence="2" t_id="17">,</token>
<token number="17" sentence="2" t_id="18">``</token>
<token number="18" sentence="2" t_id="19">it</token>
<token number="19" sentence="2" t_id="20">'s</token>
<token number="20" sentence="2" t_id="21">pay</token>
<token number="21" sentence="2" t_id="22">''</token>
<token number="22" sentence="2" t_id="23">.</token>
</Document>
"""


def test_cat_article_text_and_token_offsets(tmp_path: Path) -> None:
    path = tmp_path / "4711.xml"
    path.write_text(CAT, encoding="utf-8")
    cat = read_cat(path)
    assert creation_time(cat) == "2008-03-06"
    art = article(cat)
    doc = art.document
    assert doc.text == 'Halvard welders strike\n\nWelders at Halvard went on strike (again), "it\'s pay".'
    assert (doc.title, doc.published, doc.url) == (
        "Halvard welders strike",
        "2008-03-06",
        "http://news.example/4711",
    )
    start = doc.text.index("went")
    assert art.event_id(start, start + 4) == "4711-2-went"
    start = doc.text.index("strike")
    assert art.event_id(start, start + 6) == "4711-0-strike"
    assert art.event_id(doc.text.index("\n"), doc.text.index("\n") + 1) is None
    # a phrasal verb is named by its words joined, as the task writes "showed_off"
    assert art.event_id(doc.text.index("went"), doc.text.index("went") + 4, "on") == "4711-2-went_on"
    assert art.event_id(doc.text.index("went"), doc.text.index("went") + 4, "off") == "4711-2-went"


def _entry(date: str | None, source: str | None, facts: list[tuple[str, int]]) -> SimpleNamespace:
    sources = [SimpleNamespace(document_id=d, fact=f"event-{i}") for d, i in facts]
    return SimpleNamespace(date=date, date_source=source, date_mod=None, sources=sources)


def test_entries_in_the_tasks_format(tmp_path: Path) -> None:
    path = tmp_path / "4711.xml"
    path.write_text(CAT, encoding="utf-8")
    art = article(read_cat(path))
    text = art.document.text
    from dateline.model import Event, Span

    def event(word: str, nth: int = 0) -> Event:
        at = -1
        for _ in range(nth + 1):
            at = text.index(word, at + 1)
        return Event(
            text=word, start=at, end=at + len(word), trigger=Span(at, at + len(word), word), action=word
        )

    art.document.events = [event("strike"), event("went"), event("strike", 1)]
    arts = {art.document.id: art}
    doc = art.document.id
    entries = [
        _entry("2008", "own", [(doc, 0)]),
        _entry("2008-03-05", "own", [(doc, 1), (doc, 2)]),
        _entry("2008-03-06", "reported_on", [(doc, 2)]),  # its mention is already on the timeline
        _entry(None, None, [(doc, 0)]),
    ]
    lines = task_lines(entries, arts)
    assert [(ln.order, ln.date, ln.events) for ln in lines] == [
        (1, "2008-XX-XX", ["4711-0-strike"]),
        (2, "2008-03-05", ["4711-2-went", "4711-2-strike"]),
    ]
    art.document.events.append(event("pay"))
    entries.append(_entry("2008-03-06", "reported_on", [(doc, 3)]))
    assert task_lines(entries, arts)[-1] == Line(3, "2008-03-06", ["4711-2-pay"])
    assert task_lines(entries, arts, reported="unordered")[0] == Line(0, "XXXX-XX-XX", ["4711-2-pay"])


def test_coreference_pairs_across_documents_only() -> None:
    gold = [Line(1, "2008", ["1-2-a", "2-3-a", "1-4-b"])]
    system = [Line(1, "2008", ["1-2-a", "2-3-a"]), Line(2, "2008", ["1-4-b", "3-1-z"])]
    assert coreference_counts(gold, system) == {"gold_pairs": 2, "system_pairs": 1, "matched_pairs": 1}


def _layout(root: Path) -> None:
    corpus = root / "corpus_9"
    (corpus / "corpus_trackA_CAT").mkdir(parents=True)
    (corpus / "TimeLines_Gold_Standard").mkdir()
    (corpus / "corpus_trackA_CAT" / "4711_Halvard_strike.xml").write_text(CAT, encoding="utf-8")
    (corpus / "list_target_entities_corpus_9.txt").write_text("Halvard\n", encoding="utf-8")
    (corpus / "TimeLines_Gold_Standard" / "halvard.txt").write_text(
        "Halvard\n1\t2008-03-06\t4711-2-went\t4711-0-strike\n", encoding="utf-8"
    )


def test_discover_finds_corpora_in_the_tasks_layout(tmp_path: Path) -> None:
    _layout(tmp_path)
    (found,) = discover(tmp_path)
    assert (found.name, found.targets, found.trial) == ("corpus_9", ["Halvard"], False)


def test_eval_timeline_command_on_a_corpus_we_wrote(tmp_path: Path) -> None:
    _layout(tmp_path / "data")
    out = tmp_path / "out"
    done = dateline("eval", "timeline", "--data", str(tmp_path / "data"), "--out", str(out), "--json")
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert result["area"] == "timeline" and result["baseline"]["f1"] == 0.0785
    assert result["baseline"]["precision"] is None
    assert set(result["details"]["corpora"]) == {"corpus_9"}
    assert 0.0 <= result["f1"] <= 1.0
    written = (out / "corpus_9" / "halvard.txt").read_text(encoding="utf-8")
    assert written.startswith("Halvard\n")
    assert dateline("eval", "timeline", "--data", str(tmp_path / "nothing")).returncode == 1
    assert dateline("eval", "events", "--out", str(out)).returncode == 2


def test_every_gold_timeline_against_itself(shared: Path) -> None:
    corpora = discover(shared / "data" / "timeline" / "semeval2015_task4")
    assert {c.name for c in corpora} >= {"trial", "corpus_1"}
    for corpus in corpora:
        for path in corpus.gold.glob("*.txt"):
            lines = parse_timeline(path.read_text(encoding="utf-8"))[1]
            assert score(lines, lines).f1 == 1.0, path
