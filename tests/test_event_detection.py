"""Events beyond the typed table: detection, participants, statements, modality, anchoring, typing
from PETRARCH2's patterns, my own articles, and the component's cost as articles grow."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

import dateline
from dateline.facts import eventtables as tables
from dateline.facts.eventdates import calendar_value, sort_key
from dateline.model import Document, Event
from dateline.nlp import analyze_one, load_pipeline
from tests.conftest import DATA


@pytest.fixture(scope="module")
def nlp() -> Language:
    return load_pipeline()


def events_of(nlp: Language, text: str, published: str | None = "2023-05-12") -> list[Event]:
    return analyze_one(Document(id="t", text=text, published=published), nlp=nlp).events


def actions(events: list[Event]) -> list[str]:
    return [e.action for e in events]


def one(events: list[Event], action: str) -> Event:
    found = [e for e in events if e.action == action]
    assert len(found) == 1, [(e.action, e.text) for e in events]
    return found[0]


# --- detection --------------------------------------------------------------------------------


def test_every_event_denoting_word_is_an_event(nlp: Language) -> None:
    events = events_of(nlp, "The train departed at dawn and the harbour reopened after the storm.")
    assert {"depart", "reopen", "storm"} <= set(actions(events))
    assert one(events, "depart").type is None  # no political category fits: a null type, not a guess


def test_modifiers_copulas_and_light_verbs_are_not_events(nlp: Language) -> None:
    events = events_of(nlp, "The visiting delegation was tired. The strike committee met on Friday.")
    assert "visit" not in actions(events) and "be" not in actions(events)
    assert "strike" not in actions(events)  # "strike committee" names a committee
    light = events_of(nlp, "The ministry made a decision after the vote.")
    assert "make" not in actions(light) and "decision" in actions(light)


def test_going_to_is_a_future_not_a_going(nlp: Language) -> None:
    events = events_of(nlp, "The company is going to close the factory.")
    assert "go" not in actions(events)
    assert one(events, "close").modality == "planned"


# --- participants -------------------------------------------------------------------------------


def test_possessive_and_relative_pronouns_resolve_or_stay_null(nlp: Language) -> None:
    events = events_of(nlp, "The mayor thanked Norway for its donation.")
    donation = one(events, "donation")
    assert donation.actor is not None and donation.actor.text == "Norway"
    alone = events_of(nlp, "Its donation arrived.")
    assert one(alone, "donation").actor is None  # nothing before it to stand for
    for event in events + alone:
        for role in (event.actor, event.target):
            assert role is None or role.text.lower() not in {"its", "who", "it", "they"}


def test_dates_are_never_participants(nlp: Language) -> None:
    events = events_of(nlp, "Thursday saw the council vote on the budget.")
    for event in events:
        assert event.actor is None or event.actor.text != "Thursday"


# --- statements ---------------------------------------------------------------------------------


def test_a_statement_is_one_event_linked_to_its_quote(nlp: Language) -> None:
    text = '"We will reopen the bridge in June," the engineer said. According to the mayor, the cost rose.'
    document = analyze_one(Document(id="q", text=text, published="2023-05-12"), nlp=nlp)
    assert document.quotes
    for index, quote in enumerate(document.quotes):
        linked = [e for e in document.events if e.quote == index]
        assert len(linked) == 1, (quote, [(e.action, e.quote) for e in document.events])
        assert quote.cue is not None
        assert quote.cue.start <= linked[0].trigger.start < quote.cue.end


def test_a_later_said_of_a_dated_speaker_is_the_same_statement(nlp: Language) -> None:
    text = (
        "Mayor Anna Berg said on Monday the bridge will close. "
        "Berg said during a visit to the site that repairs would take a year."
    )
    events = events_of(nlp, text, published="2023-05-10")
    said = [e for e in events if e.action == "say"]
    assert [e.date for e in said] == ["2023-05-08", "2023-05-08"]
    assert [e.date_derived for e in said] == [False, True]
    assert one(events, "visit").date == "2023-05-08"  # "during" dates the visit by the statement


# --- modality -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "action", "modality"),
    [
        ("The spokesman declined to provide the figures.", "provide", "negated"),
        ("The court refused to hear the case.", "hear", "negated"),
        ("The cancelled merger cost the firm millions.", "merger", "negated"),
        ("The auditors requested an inspection of the accounts.", "inspection", "planned"),
        ("Repairs are expected to start in June and end in August.", "end", "planned"),
        ("The board voted to sell the stadium.", "sell", "planned"),
        ("Talks are expected next week.", "talk", "planned"),
    ],
)
def test_modality_of_complements(nlp: Language, sentence: str, action: str, modality: str) -> None:
    assert one(events_of(nlp, sentence), action).modality == modality


def test_declined_to_provide_a_number_is_no_aid(nlp: Language) -> None:
    provide = one(events_of(nlp, "The ministry declined to provide the number of patients."), "provide")
    assert provide.type != "AID"


# --- anchoring ----------------------------------------------------------------------------------


def test_a_time_of_a_thing_is_not_the_date_of_the_event(nlp: Language) -> None:
    events = events_of(nlp, "Engineers began repairing the 1931 dam last month.", published="2023-05-12")
    assert one(events, "repair").date != "1931"


def test_dates_keep_their_own_precision(nlp: Language) -> None:
    events = events_of(nlp, "The merger is expected to close in the first quarter of next year.")
    assert one(events, "close").date == "2024-Q1"
    weekend = events_of(nlp, "A second ferry will leave at the weekend.")
    assert one(weekend, "leave").date == "2023-W19-WE"
    assert calendar_value("2021-07-26T10:00") == "2021-07-26"
    assert calendar_value("P3Y") is None and calendar_value("PRESENT_REF") is None
    assert sort_key("2023-W46") < sort_key("2023-11-20") < sort_key("2023-12")


# --- typing with PETRARCH2's patterns ----------------------------------------------------------


def test_pattern_table_is_converted_and_typed() -> None:
    table = tables.patterns()
    assert len(table.verbs) > 1500 and len(table.blocks) > 300
    kinds = {p.type for rows in table.blocks.values() for p in rows}
    assert kinds - {None} <= {*tables.QUAD, tables.OTHER}


def test_a_verb_without_a_hand_written_row_is_typed_from_the_patterns(nlp: Language) -> None:
    assert not tables.triggers().get(("v", "pillage"))
    pillage = one(events_of(nlp, "Rebels pillaged the market town on Sunday."), "pillage")
    assert pillage.type == "ASSAULT" and pillage.cameo is not None


def test_noun_modifiers_do_not_pick_a_pattern(nlp: Language) -> None:
    events = events_of(nlp, "The army will end its combat mission in the region.")
    assert "combat" not in actions(events)
    assert one(events, "end").type != "ASSAULT"


# --- my articles ------------------------------------------------------------------------------


def test_convoy_article() -> None:
    events = dateline.extract(DATA / "events_convoy.txt").events
    assert one(events, "arrive").date == "2023-05-10"
    assert one(events, "close").date == "2023-04-03"
    leave = one(events, "leave")
    assert (leave.date, leave.modality) == ("2023-W19-WE", "planned")
    talks = one(events, "talk")
    assert (talks.date, talks.modality) == ("2023-W20", "planned")


def test_council_article() -> None:
    events = dateline.extract(DATA / "events_council.txt").events
    assert one(events, "end").date == "2023-11-07"  # not 1962, the year of the bridge
    assert one(events, "find").date == "2023-10"
    assert one(events, "begin").modality == "planned" and one(events, "begin").date == "2024-06"
    assert one(events, "finish").modality == "planned" and one(events, "finish").date == "2026"


def test_disaster_article() -> None:
    events = dateline.extract(DATA / "events_quake.txt").events
    strike = one(events, "strike")
    assert (strike.date, strike.modality, strike.type) == ("2024-02-19", "happened", None)
    assert one(events, "kill").type is None  # a quake kills; nobody assaults
    assert one(events, "send").modality == "planned"
    assert one(events, "aftershock").modality == "possible"
    assert one(events, "bury").date == "2009"


def test_court_article() -> None:
    events = dateline.extract(DATA / "events_court.txt").events
    convict = one(events, "convict")
    assert (convict.date, convict.modality) == ("2022-06-03", "happened")
    assert convict.actor is not None and "court" in convict.actor.text
    assert one(events, "accept").date == "2018"
    assert one(events, "appeal").modality == "planned"
    sentence = one(events, "sentence")
    assert (sentence.date, sentence.modality, sentence.type) == ("2022-06-20", "planned", "COERCE")
    assert one(events, "charge").modality == "negated"


def test_deal_article() -> None:
    events = dateline.extract(DATA / "events_deal.txt").events
    agree = one(events, "agree")
    assert (agree.date, agree.type) == ("2023-09-13", "AGREE")
    assert one(events, "buy").modality == "planned"
    assert one(events, "close").date == "2024-Q1"
    vote = one(events, "vote")
    assert (vote.date, vote.modality) == ("2023-11", "planned")


# --- cost ---------------------------------------------------------------------------------------


def _prepared(nlp: Language, text: str) -> Doc:
    doc = nlp.make_doc(text)
    doc._.published = "2023-05-12"
    doc._.facts = {}
    for name, component in nlp.pipeline:
        if name == "dateline_events":
            break
        doc = component(doc)
    return doc


def test_cost_grows_linearly_with_the_article(nlp: Language) -> None:
    """Doubling an article at most a little more than doubles the component's CPU time (min of
    several runs, generous bound: a quadratic walk gave 4.5x per doubling)."""
    base = "\n\n".join(
        (DATA / f"events_{name}.txt").read_text(encoding="utf-8") for name in ("convoy", "council", "court")
    )
    short = _prepared(nlp, "\n\n".join([base] * 6))
    long = _prepared(nlp, "\n\n".join([base] * 12))
    component = nlp.get_pipe("dateline_events")

    def cost(doc: Doc) -> float:
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            component(doc)
            best = min(best, time.process_time() - start)
        return best

    cost(short)  # warm the tables
    ratio = cost(long) / cost(short)
    assert ratio < 3.0, ratio


# --- the MEANTIME scorer, on a file of my own in its layout -------------------------------------

TINY = """<Document doc_name="1_tiny" url="x">
<token t_id="1" sentence="0" number="0">Ferry</token><token t_id="2" sentence="0" number="1">halted</token>
<token t_id="3" sentence="1" number="0">May</token><token t_id="4" sentence="1" number="1">02</token>
<token t_id="5" sentence="1" number="2">,</token><token t_id="6" sentence="1" number="3">2023</token>
<token t_id="7" sentence="2" number="0">The</token><token t_id="8" sentence="2" number="1">port</token>
<token t_id="9" sentence="2" number="2">closed</token><token t_id="10" sentence="2" number="3">on</token>
<token t_id="11" sentence="2" number="4">Monday</token><token t_id="12" sentence="2" number="5">and</token>
<token t_id="13" sentence="2" number="6">will</token><token t_id="14" sentence="2" number="7">reopen</token>
<token t_id="15" sentence="2" number="8">.</token>
<Markables>
<EVENT_MENTION m_id="1" certainty="CERTAIN" polarity="POS" time="NON_FUTURE"><token_anchor t_id="2"/></EVENT_MENTION>
<EVENT_MENTION m_id="2" certainty="CERTAIN" polarity="POS" time="NON_FUTURE"><token_anchor t_id="9"/></EVENT_MENTION>
<EVENT_MENTION m_id="3" certainty="CERTAIN" polarity="POS" time="FUTURE"><token_anchor t_id="14"/></EVENT_MENTION>
<TIMEX3 m_id="4" type="DATE" value="2023-05-02" functionInDocument="CREATION_TIME"><token_anchor t_id="3"/>
<token_anchor t_id="4"/><token_anchor t_id="5"/><token_anchor t_id="6"/></TIMEX3>
<TIMEX3 m_id="5" type="DATE" value="2023-05-01" functionInDocument="NONE"><token_anchor t_id="11"/></TIMEX3>
</Markables>
<Relations>
<TLINK r_id="1" reltype="IS_INCLUDED"><source m_id="2"/><target m_id="5"/></TLINK>
</Relations>
</Document>
"""


def test_meantime_scorer_on_a_file_of_my_own(tmp_path: Path, nlp: Language) -> None:
    from dateline.eval.meantime_events import CORPUS, evaluate_meantime, load

    folder = tmp_path / CORPUS / "corpus_tiny"
    folder.mkdir(parents=True)
    (folder / "1_tiny.xml").write_text(TINY, encoding="utf-8")
    (gold,) = load(tmp_path, "all")
    assert gold.published == "2023-05-02"
    assert [(e.modality, e.date) for e in gold.events] == [
        ("happened", None),
        ("happened", "2023-05-01"),
        ("planned", None),
    ]
    ours, baseline = evaluate_meantime(tmp_path, "all", nlp)
    assert ours.extra["n_gold"] == 3 and baseline.extra["n_gold"] == 3
    assert ours.recall >= 2 / 3  # "closed" and "reopen" at least
    assert ours.extra["date_n"] == 1 and ours.extra["date_accuracy"] == 1.0
    assert ours.extra["modality_accuracy"] == 1.0
