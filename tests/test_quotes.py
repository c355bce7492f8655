"""Quotes: shapes of direct, mixed and reported speech, and who the speaker is."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from dateline.facts.quotes import find_quotes, quoted_stretches
from dateline.model import Entity, Mention, Quote
from dateline.nlp import load_pipeline
from tests.conftest import DATA, dateline


@cache
def parser() -> Language:
    return load_pipeline(components=())


def parse(text: str) -> Doc:
    doc = parser()(text)
    doc._.facts = {}
    return doc


def quotes_of(text: str) -> list[Quote]:
    return find_quotes(parse(text))


def by_text(quotes: list[Quote], start: str) -> Quote:
    found = [q for q in quotes if q.text.startswith(start)]
    assert len(found) == 1, (start, [q.text for q in quotes])
    return found[0]


def speaker(quote: Quote) -> str | None:
    return quote.speaker.name if quote.speaker else None


# -- quotation marks ------------------------------------------------------------------------------


def test_straight_and_curly_marks_pair() -> None:
    text = 'He said "yes" and “no” and "maybe."'
    assert [text[m.start : m.end] for m in quoted_stretches(text)] == ["yes", "no", "maybe."]


def test_a_quote_reopened_in_the_next_paragraph_is_one_quote() -> None:
    text = '"First part.\n\n"Second part," she said.'
    (only,) = quoted_stretches(text)
    assert text[only.start : only.end] == 'First part.\n\n"Second part,'


def test_an_unclosed_mark_is_dropped_at_the_paragraph_end() -> None:
    assert quoted_stretches('He wrote "never closed.\n\nNext paragraph.') == []


# -- shapes -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def harbour() -> list[Quote]:
    return quotes_of((DATA / "quotes_harbour.txt").read_text(encoding="utf-8"))


def test_reported_speech_with_time_between_cue_and_clause(harbour: list[Quote]) -> None:
    q = by_text(harbour, "the council will close")
    assert (q.kind, speaker(q), q.cue and q.cue.text) == ("indirect", "Linda Okafor", "said")
    assert q.speaker and q.speaker.text == "Mayor Linda Okafor"


def test_split_quote_gives_two_pieces_of_one_speaker(harbour: list[Quote]) -> None:
    first, second = by_text(harbour, "We cannot"), by_text(harbour, "This plan")
    assert first.kind == second.kind == "direct"
    assert speaker(first) == speaker(second) == "Linda Okafor"
    assert first.speaker and first.speaker.text == "she"
    assert first.cue == second.cue
    assert not first.text.endswith(","), "the comma handing over to the cue is not quoted"


def test_inverted_cue_and_second_sentence(harbour: list[Quote]) -> None:
    q, rest = by_text(harbour, "The terminal has served"), by_text(harbour, "But its time")
    assert q.speaker and q.speaker.text == "Councillor Tom Reyes"
    assert speaker(rest) == speaker(q)


def test_told_listener_is_not_the_speaker(harbour: list[Quote]) -> None:
    q = by_text(harbour, "the closure would cost")
    assert q.speaker and q.speaker.text == "Port director Ahmed Salah"
    assert q.cue and q.cue.text == "told"


def test_mixed_quote_and_role_description(harbour: list[Quote]) -> None:
    q = by_text(harbour, "the closure on")
    assert q.kind == "mixed"
    assert '"armed groups operating outside the law"' in q.text
    assert q.speaker and q.speaker.text == "The port director"
    assert q.speaker.name == "Ahmed Salah"


def test_according_to(harbour: list[Quote]) -> None:
    q = by_text(harbour, "repairs would have cost")
    assert q.cue and q.cue.text == "According to"
    assert speaker(q) == "a council report"


def test_group_and_document_speakers_keep_their_phrase(harbour: list[Quote]) -> None:
    assert speaker(by_text(harbour, "workers would be offered")) == "A joint statement from the two unions"
    assert speaker(by_text(harbour, "traffic on the coast road")) == "Local officials"


def test_colon_cue_and_multi_paragraph_quote(harbour: list[Quote]) -> None:
    q = by_text(harbour, "Nobody will lose a home")
    assert q.kind == "direct" and speaker(q) == "Linda Okafor"
    assert q.text.endswith("every problem as it arises.")


def test_words_inside_quotes_never_become_speakers(harbour: list[Quote]) -> None:
    texts = {q.speaker.text for q in harbour if q.speaker}
    assert not texts & {"it", "we", "We", "nobody"}
    assert all(q.speaker is None or q.speaker.start < q.start or q.speaker.start >= q.end for q in harbour)


def test_every_quote_points_at_its_words(harbour: list[Quote]) -> None:
    text = (DATA / "quotes_harbour.txt").read_text(encoding="utf-8")
    assert len(harbour) == 11
    for q in harbour:
        assert text[q.start : q.end] == q.text
        if q.speaker:
            assert text[q.speaker.start : q.speaker.end] == q.speaker.text
        if q.cue:
            assert text[q.cue.start : q.cue.end] == q.cue.text


def test_no_quote_without_a_speech_cue() -> None:
    quotes = quotes_of(
        "Farmers met in the town hall on Saturday. The mayor declined to give the number of wells."
    )
    assert quotes == []


def test_agency_minister_and_unnamed_pronoun() -> None:
    quotes = quotes_of((DATA / "quotes_drought.txt").read_text(encoding="utf-8"))
    assert speaker(by_text(quotes, "cuts could begin")) == "National Water Agency"
    assert speaker(by_text(quotes, "no town would be left")) == "Rosa Lind"
    assert speaker(by_text(quotes, "the shortage")) == "Analysts at Delta Bank"
    assert len(quotes) == 5


def test_pronoun_takes_the_previous_subject_not_the_nearest_name() -> None:
    quotes = quotes_of(
        '"We will stay," Biden said during a meeting with Prime Minister Mustafa al-Kadhimi.\n\n'
        '"Our work goes on," he said.'
    )
    assert [speaker(q) for q in quotes] == ["Biden", "Biden"]


def test_pronoun_with_no_antecedent_is_not_named() -> None:
    (q,) = quotes_of('"It is over," he said.')
    assert q.speaker is not None and q.speaker.text == "he" and q.speaker.name == "he"
    assert q.speaker.entity is None


# -- speakers from the entities stage ----------------------------------------------------------------


def test_speakers_resolve_to_given_entities() -> None:
    text = (
        "Iraqi Prime Minister Mustafa al-Kadhimi met reporters. "
        "The Iraqi prime minister said the talks went well. "
        '"We are ready," he said.'
    )
    doc = parse(text)
    start = text.index("Mustafa")
    role = text.index("The Iraqi prime minister")
    doc._.facts["entities"] = [
        Entity(
            id="e1",
            name="Mustafa al-Kadhimi",
            type="PERSON",
            title="Prime Minister",
            mentions=[
                Mention(start, start + len("Mustafa al-Kadhimi"), "Mustafa al-Kadhimi"),
                Mention(role, role + len("The Iraqi prime minister"), "The Iraqi prime minister"),
            ],
        )
    ]
    quotes = find_quotes(doc)
    assert [(q.speaker.name, q.speaker.entity) for q in quotes if q.speaker] == [
        ("Mustafa al-Kadhimi", "e1"),
        ("Mustafa al-Kadhimi", "e1"),
    ]
    assert [q.speaker.text for q in quotes if q.speaker] == ["The Iraqi prime minister", "he"]


# -- the seed article ----------------------------------------------------------------------------------


def test_seed_quotes(seed: Path) -> None:
    document = json.loads(dateline("extract", str(seed)).stdout)
    quotes = document["quotes"]
    assert len(quotes) == 8
    kinds = [q["kind"] for q in quotes]
    assert kinds.count("direct") == 3 and kinds.count("indirect") == 5
    texts = [q["text"] for q in quotes]
    assert texts[0].startswith("the U.S. military will end its combat mission in Iraq")
    speakers = [(q["speaker"]["text"], q["speaker"]["name"]) for q in quotes]
    # words as they stand: guaranteed by this stage alone
    assert [s[0] for s in speakers] == [
        "U.S. President Joe Biden",
        "Biden",
        "he",
        "The Iraqi prime minister",
        "he",
        "A joint U.S.-Iraq statement",
        "a joint U.S.-Iraqi statement",
        "The U.S. media",
    ]
    # resolved names: from spaCy's names without the entities stage; with it, the same names and ids
    assert [s[1] for s in speakers[:5]] == ["Joe Biden"] * 3 + ["Mustafa al-Kadhimi"] * 2
    assert speakers[5][1] == "A joint U.S.-Iraq statement"
    assert "ISIL" not in {s[0] for s in speakers} and "it" not in {s[0] for s in speakers}


# -- command line --------------------------------------------------------------------------------------


def test_cli_quotes_table_and_json() -> None:
    path = str(DATA / "quotes_drought.txt")
    table = dateline("quotes", path)
    assert table.returncode == 0, table.stderr
    assert "Rosa Lind" in table.stdout and "speaker" in table.stdout
    printed = dateline("quotes", "--json", path)
    assert printed.returncode == 0, printed.stderr
    rows = json.loads(printed.stdout)  # one JSON document
    assert len(rows) == 5
    assert {r["kind"] for r in rows} == {"direct", "indirect"}
    assert rows[0]["speaker"]["name"] == "National Water Agency"
    lines = dateline("quotes", "--jsonl", path)
    assert [json.loads(line) for line in lines.stdout.splitlines()] == rows


def test_cli_quotes_table_prints_brackets_as_written(tmp_path: Path) -> None:
    """Square brackets in a quote are the reporter's words, not terminal markup."""
    path = tmp_path / "brackets.txt"
    path.write_text(
        "Harbour strike ends\n\n"
        '"We [the dock workers] will go back on Monday," said Ana Ruiz, who leads the union.\n',
        encoding="utf-8",
    )
    table = dateline("quotes", str(path))
    assert table.returncode == 0, table.stderr
    assert "[the dock workers]" in table.stdout


def test_eval_quotes_json(shared: Path) -> None:
    run = dateline("eval", "quotes", "--json", "--split", "dev", "--data", str(shared / "data"))
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["area"] == "quotes"
    assert 0.0 < result["f1"] <= 1.0
    assert result["baseline"]["f1"] == pytest.approx(0.729)
    for key in (
        "content exact F1",
        "content overlap F1",
        "source exact F1",
        "cue exact F1",
        "attribution F1",
    ):
        assert key in result["details"]
    assert result["details"]["split"] == "dev"
