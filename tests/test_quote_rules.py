"""One test per rule of the attribution grammar, on sentences and articles written for these tests
(an interview, a court report, a company statement, a ministers' meeting): sources, cues,
contents, what is not a quote, one quote once, the date of the saying, and how a quote is shown."""

from __future__ import annotations

import sys
from functools import cache

import pytest
from spacy.language import Language
from spacy.tokens import Doc

from dateline.facts.quotes import find_quotes
from dateline.model import Document, Quote, quote_display
from dateline.nlp import load_pipeline
from dateline.nlp.pipeline import _prepare
from tests.conftest import DATA
from tests.test_quotes import by_text as one
from tests.test_quotes import speaker as name


@cache
def pipeline() -> Language:
    """The parse with the two stages quotes read: entities (speakers) and times (dates)."""
    return load_pipeline(components=("dateline_entities", "dateline_times"))


def parse(text: str, published: str | None = "2023-06-09") -> Doc:
    nlp = pipeline()
    return nlp(_prepare(nlp, Document(id="t", text=text, published=published)))


def quotes_of(text: str, **options: bool) -> list[Quote]:
    return find_quotes(parse(text), **options)


@cache
def article(name: str) -> list[Quote]:
    return quotes_of((DATA / f"quotes_{name}.txt").read_text(encoding="utf-8"))


# -- contents: the frames of a cue ---------------------------------------------------------------


def test_infinitive_content_keeps_its_object() -> None:
    (q,) = quotes_of("The union urged its members to reject the offer.")
    assert (q.text, q.cue and q.cue.text, q.kind) == ("its members to reject the offer", "urged", "indirect")
    assert q.display == "urged its members to reject the offer"


def test_object_content_is_the_rest_of_the_verb_phrase() -> None:
    (q,) = quotes_of("The mayor announced a ban on night flights at the airport.")
    assert q.text == "a ban on night flights at the airport"
    assert name(q) == "The mayor" and q.display == "announced a ban on night flights at the airport"


def test_object_content_leaves_out_the_occasion_and_time() -> None:
    (q,) = quotes_of("The senator criticized the budget cuts in an interview on Tuesday.")
    assert q.text == "the budget cuts"


def test_prepositional_content_and_its_preposition_in_the_cue() -> None:
    (q,) = quotes_of("Residents of the estate called for an independent inquiry into the fire.")
    assert (q.cue and q.cue.text, q.text) == ("called for", "an independent inquiry into the fire")


def test_noun_cue_with_a_that_clause() -> None:
    (q,) = quotes_of("The engineer's claim that the dam was safe drew angry protests.")
    assert (name(q), q.cue and q.cue.text, q.text) == ("The engineer", "claim", "the dam was safe")


def test_noun_cue_of_a_light_verb() -> None:
    (q,) = quotes_of("The coach made a promise to play younger players next season.")
    assert (name(q), q.text) == ("The coach", "to play younger players next season")


def test_adjective_cues_after_be() -> None:
    quotes = quotes_of(
        "Many growers are afraid that the frost will return. The mayor is determined to reopen "
        "the market. The union has been critical of the new rota."
    )
    assert [(q.cue and q.cue.text, q.text, q.attribution) for q in quotes] == [
        ("are afraid", "the frost will return", "belief"),
        ("is determined", "to reopen the market", "belief"),
        ("has been critical of", "the new rota", "speech"),
    ]


def test_a_document_opening_a_clause_is_its_source() -> None:
    (q,) = quotes_of("In the latest county survey, two thirds of farms lost money.")
    assert (name(q), q.cue and q.cue.text, q.text) == (
        "the latest county survey",
        "In",
        "two thirds of farms lost money",
    )
    assert q.display == "said that two thirds of farms lost money"
    (q,) = quotes_of("In a statement, the port said the cranes were repaired.")
    assert q.cue is not None and q.cue.text == "said"


def test_in_someone_s_words() -> None:
    (q,) = quotes_of("In the governor's words, the plan was a disaster for farmers.")
    assert name(q) == "the governor" and q.text == "the plan was a disaster for farmers"


def test_in_someone_s_words_a_whole_quotation_is_direct_and_theirs_alone() -> None:
    text = (
        "Profits doubled. In the words of its founder, Lena Voss, \u201cwe got lucky with the weather.\u201d "
        "The bakery said on Monday that it would open two shops."
    )
    first, second = quotes_of(text)
    assert (first.kind, first.text, name(first)) == ("direct", "we got lucky with the weather.", "Lena Voss")
    assert (second.kind, second.text, name(second)) == ("indirect", "it would open two shops", "The bakery")


def test_said_in_a_statement_is_a_cue_not_content() -> None:
    (q,) = quotes_of("The airline said in a statement that all flights would resume on Friday.")
    assert (q.cue and q.cue.text, q.text) == ("said", "all flights would resume on Friday")


def test_content_split_by_its_cue() -> None:
    quotes = quotes_of("The new museum, the curator said, would open its doors in May.")
    assert [q.text for q in quotes] == ["The new museum", "would open its doors in May"]
    assert {name(q) for q in quotes} == {"the curator"} and quotes[0].cue == quotes[1].cue


def test_a_quoted_paragraph_without_cue_continues_the_quote_before() -> None:
    quotes = quotes_of(
        '"We will rebuild every house," the mayor said on Friday.\n\n"And we will start with the school."'
    )
    assert [q.kind for q in quotes] == ["direct", "direct"]
    assert quotes[1].text == "And we will start with the school."
    assert (name(quotes[1]), quotes[1].cue, quotes[1].date) == (
        name(quotes[0]),
        quotes[0].cue,
        quotes[0].date,
    )


def test_a_quoted_paragraph_after_other_words_is_not_a_continuation() -> None:
    quotes = quotes_of(
        '"We will rebuild," the mayor said.\n\nThe storm destroyed 40 homes.\n\n"Nobody helped us."'
    )
    assert [q.text for q in quotes] == ["We will rebuild"]


def test_split_quote_across_a_long_apposition_is_one_attribution() -> None:
    quotes = quotes_of(
        '"This is not reform," said Ana Ruiz, an economist who advised two finance ministers. '
        '"It is a tax increase."'
    )
    assert [q.text for q in quotes] == ["This is not reform", "It is a tax increase."]
    assert quotes[0].cue == quotes[1].cue


def test_headline_with_a_speaker_and_a_colon() -> None:
    quotes = quotes_of("Mayor: the bridge will reopen before winter\n\nThe council met on Monday.")
    assert [(name(q), q.text, q.kind) for q in quotes] == [
        ("Mayor", "the bridge will reopen before winter", "indirect")
    ]


def test_beliefs_are_flagged_and_can_be_dropped() -> None:
    text = "Analysts believe interest rates will rise. The bank said rates would stay."
    quotes = quotes_of(text)
    assert [(q.attribution, q.text) for q in quotes] == [
        ("belief", "interest rates will rise"),
        ("speech", "rates would stay"),
    ]
    assert quotes[0].display == "believe that interest rates will rise"
    assert [q.text for q in quotes_of(text, beliefs=False)] == ["rates would stay"]


def test_intention_with_an_infinitive_is_a_belief() -> None:
    (q,) = quotes_of("The farmer hopes to open a shop next spring.")
    assert (q.attribution, q.text, q.cue and q.cue.text) == ("belief", "to open a shop next spring", "hopes")


def test_a_purpose_infinitive_is_not_a_cue() -> None:
    assert quotes_of("The troops returned in 2014 to support the local forces.") == []


# -- not quotes -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The minister did not say whether the plant would close.",
        "Asked about the cost, a spokesman declined to comment.",
        "She would not say how much the deal was worth.",
        "If the mayor says yes, the market reopens next week.",
        "The company never confirmed the layoffs.",
    ],
)
def test_negated_or_hypothetical_speech_is_not_a_quote(text: str) -> None:
    assert quotes_of(text) == []


# -- what a reported content leaves out --------------------------------------------------------------


def test_mixed_quote_without_that_and_without_the_speaker_s_next_act() -> None:
    quotes = article("ministry")
    told = one(quotes, "the ministry had not received")
    assert told.text == "the ministry had not received the request" and told.kind == "indirect"
    blamed = one(quotes, "the delay on")
    assert (blamed.kind, blamed.cue and blamed.cue.text, name(blamed)) == ("mixed", "blamed", "Peter Holm")
    assert blamed.text == 'the delay on "a lack of ships willing to sail."'


def test_coordinated_verbs_that_are_not_cues_stay_in_the_content() -> None:
    q = one(article("court"), "Costa had accepted")
    assert q.text.endswith("and hid the money in his brother's account")


def test_writer_s_aside_after_a_dash_or_comma_is_cut() -> None:
    (first, second) = quotes_of(
        "A joint statement said the talks would resume in June – a step welcomed in March, "
        "when a joint statement said the border would reopen."
    )
    assert first.text == "the talks would resume in June"
    assert second.text == "the border would reopen" and second.date == "2023-03"
    (q,) = quotes_of("The regulator said prices rose by a third, which hurt small bakeries.")
    assert q.text == "prices rose by a third"


def test_one_quote_once() -> None:
    quotes = quotes_of("The council said the bridge, as the council said in May, would reopen in the autumn.")
    assert len({(q.start, q.end) for q in quotes}) == len(quotes)
    outer = [q for q in quotes if q.text.startswith("the bridge")]
    inner = [q for q in quotes if outer and outer[0].start < q.start and q.end <= outer[0].end]
    assert not [q for q in inner if name(q) == name(outer[0])]


# -- speakers ---------------------------------------------------------------------------------------


def test_apposition_role_first_names_the_person() -> None:
    q = one(article("ministry"), "the corridor could open")
    assert q.speaker is not None and q.speaker.text == "The French foreign minister, Anne Leroy"
    assert q.speaker.name == "Anne Leroy" and q.speaker.entity is not None


def test_apposition_name_first_names_the_person() -> None:
    q = one(article("ministry"), "the ministry had not received")
    assert name(q) == "Peter Holm"
    assert one(article("court"), "Costa had accepted").speaker.name == "Maria Santos"  # type: ignore[union-attr]


def test_a_counterpart_holds_the_role_of_the_person_before() -> None:
    text = (
        "Dutch Trade Minister Joris Bakker arrived in Oslo on Monday. His Norwegian counterpart, Siri Lunde, "
        "said the fishing quota would not change.\n\nThe minister added that talks would resume in June."
    )
    said, added = quotes_of(text)
    assert name(said) == "Siri Lunde"
    assert added.speaker is not None and (added.speaker.text, added.speaker.name) == (
        "The minister",
        "Siri Lunde",
    )


@pytest.mark.parametrize(
    ("name_of_article", "start", "words", "expected"),
    [
        ("ministry", "France would pay", "The minister", "Anne Leroy"),
        ("ministry", "Shipping traffic fell", "the agency", "European Maritime Safety Agency"),
        ("court", "the payments stopped", "The prosecutor", "Maria Santos"),
        ("court", "He kept the harbour", "the lawyer", "Tiago Mendes"),
        ("company", "no illnesses had been reported", "The company", "Norvik Foods Ltd"),
        ("company", "Customers should return", "the authority", "Norwegian Food Safety Authority"),
    ],
)
def test_role_noun_is_the_latest_holder_of_the_role(
    name_of_article: str, start: str, words: str, expected: str
) -> None:
    q = one(article(name_of_article), start)
    assert q.speaker is not None and (q.speaker.text, q.speaker.name) == (words, expected)


@pytest.mark.parametrize(
    ("name_of_article", "start", "expected"),
    [
        ("ministry", "the port had misjudged", "A board member of the Port of Varna"),
        ("court", "the jury would begin", "Helena Duarte"),
        ("company", "the recall would cost", "Ingrid Dahl"),
    ],
)
def test_relative_clause_between_speaker_and_cue(name_of_article: str, start: str, expected: str) -> None:
    q = one(article(name_of_article), start)
    assert q.speaker is not None and ", who " in q.speaker.text and q.speaker.name == expected


def test_transcript_turns_are_direct_quotes_of_the_named_speaker() -> None:
    quotes = article("interview")
    turn = one(quotes, "The price no longer covered")
    assert (turn.kind, turn.speaker and turn.speaker.text, name(turn)) == ("direct", "BERG", "Lena Berg")
    assert name(one(quotes, "to open a farm shop")) == "Lena Berg"
    assert not [q for q in quotes if q.text.startswith("by how much")]


def test_a_time_or_a_place_is_never_a_speaker() -> None:
    for q in quotes_of("Last year showed that prices can fall. In Lyon, said the river had peaked."):
        assert q.speaker is None or q.speaker.text not in ("Last year", "Lyon")


def test_a_gerund_after_by_or_after_is_the_subject_s_saying() -> None:
    (q,) = quotes_of("The airport answered by promising free rebooking for every passenger.")
    assert (name(q), q.cue and q.cue.text, q.text) == (
        "The airport",
        "promising",
        "free rebooking for every passenger",
    )
    # after "for", the gerund is the object's act: the critic is not the one who said it
    assert all(
        name(q) != "The union" for q in quotes_of("The union criticized him for saying the plant was safe.")
    )


def test_a_relative_clause_is_not_part_of_the_speaker_s_name() -> None:
    (q,) = quotes_of("Some farmers who sell at the market said the new stalls were too small.")
    assert q.speaker is not None and name(q) == "Some farmers"
    assert q.speaker.text == "Some farmers who sell at the market"


def test_a_legal_form_says_a_name_is_a_company() -> None:
    q = one(
        quotes_of("Halvo Oy closed its mill on Friday. The mill lost money, the company said."), "The mill"
    )
    assert name(q) == "Halvo Oy"


# -- the date of the saying ---------------------------------------------------------------------------


def test_governing_time_then_same_occasion() -> None:
    quotes = article("court")
    told, added = one(quotes, "Costa had accepted"), one(quotes, "the payments stopped")
    assert (told.date, told.date_source) == ("2023-06-08", "governing-time")
    assert (added.date, added.date_source) == ("2023-06-08", "same-occasion")


def test_no_date_is_never_the_publication_date() -> None:
    q = one(article("court"), "My client never saw")
    assert (q.date, q.date_source) == (None, None)


def test_two_occasions_for_one_speaker_date_nothing_else() -> None:
    quotes = quotes_of(
        "Lena Berg said on Monday that prices were falling. Berg said on Friday that they had "
        'stopped falling.\n\n"We are waiting," Berg said.'
    )
    assert [q.date_source for q in quotes] == ["governing-time", "governing-time", None]


# -- how a quote is shown ------------------------------------------------------------------------------


def test_display_marks_only_verbatim_words() -> None:
    assert quote_display("direct", "We will stay") == "\u201cWe will stay\u201d"
    assert quote_display("indirect", "the plan failed", "said") == "said that the plan failed"
    assert quote_display("indirect", "whether it rains", "asked") == "asked whether it rains"
    assert quote_display("indirect", "a ban on flights", "announced", "np") == "announced a ban on flights"
    assert quote_display("indirect", "prices rose", "According to") == "said that prices rose"
    mixed = quote_display("mixed", 'the delay on "bad weather"', "blamed", "np")
    assert mixed == 'blamed the delay on "bad weather"'
    for q in article("ministry") + article("court") + article("company"):
        shown = q.display
        if q.kind == "direct":
            assert shown.startswith("\u201c") and shown.endswith("\u201d")
        else:
            assert shown[:1] not in '\u201c"' and q.text[1:] in shown


# -- cost ----------------------------------------------------------------------------------------------


def _traced_lines(doc: Doc) -> int:
    """Lines of Dateline code run to find the quotes of a doc: a count that does not depend on the
    machine's speed or load, and grows with the work done."""
    count = 0

    def tracer(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal count
        if "dateline" not in frame.f_code.co_filename:
            return None
        if event == "line":
            count += 1
        return tracer

    sys.settrace(tracer)
    try:
        find_quotes(doc)
    finally:
        sys.settrace(None)
    return count


def test_cost_grows_linearly_with_the_article() -> None:
    """Doubling an article (more paragraphs of the same kind) at most a little more than doubles
    the work: no step compares every quote, time or mark with every other."""
    paragraphs = [
        (DATA / f"quotes_{n}.txt").read_text(encoding="utf-8")
        for n in ("ministry", "court", "company", "harbour")
    ]
    base = "\n\n".join(paragraphs)
    single, double = parse(base * 3), parse(base * 6)
    ratio = _traced_lines(double) / _traced_lines(single)
    assert ratio < 2.3, ratio
