"""The fact components cost no more per token in a long article than in a short one; entity ties break by rule."""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
import spacy
from spacy.tokens import Doc

from dateline.facts import COMPONENTS, entities
from dateline.nlp.pipeline import DEFAULT_MODEL, load_pipeline

FIRST = ["Amara", "Bjorn", "Celia", "Dmitri", "Elif", "Farid", "Gwen", "Hiro", "Ines", "Jonas", "Kemi"]
LAST = ["Abara", "Brandvik", "Coutts", "Dragan", "Esposito", "Fairweather", "Gallo", "Holm", "Ishikawa"]
TITLES = ["Finance Minister", "Governor", "Senator", "former Prime Minister", "spokeswoman", "Mayor"]
ORGS = ["the Northern Grain Board", "Veltra Shipping", "the Harbour Workers Union", "Kestrel Bank"]
PLACES = ["Lisbon", "Rotterdam", "Nairobi", "Osaka", "Valparaiso", "Gdansk"]
SENTENCES = [
    "{title} {first} {last} said on Monday that {org} would review its plans for {place}.",
    "{last} told reporters in {place} that talks with {org} had gone better than expected.",
    "The minister declined to say when the review would end.",
    "Officials at {org} said {first2} {last2} had met {last} twice in {place} this month.",
    '"We will not accept a deal that hurts {place}," {last2} said.',
    "{org2} and {org} signed a grain agreement worth $40 million in {place} last year.",
    "Critics of {last}, including {title2} {first2} {last2}, called the plan rushed.",
    "Shipments from {place} to {place2} rose by a fifth after the port reopened.",
]


def article(words: int, seed: int = 3) -> str:
    """A news-like text of about `words` words: people with titles, surnames, organisations, places."""
    rng = random.Random(seed)
    paragraphs: list[str] = []
    count = 0
    while count < words:
        slots = {
            "first": rng.choice(FIRST),
            "last": rng.choice(LAST),
            "first2": rng.choice(FIRST),
            "last2": rng.choice(LAST),
            "title": rng.choice(TITLES),
            "title2": rng.choice(TITLES),
            "org": rng.choice(ORGS),
            "org2": rng.choice(ORGS),
            "place": rng.choice(PLACES),
            "place2": rng.choice(PLACES),
        }
        paragraph = " ".join(s.format(**slots) for s in rng.sample(SENTENCES, 4))
        paragraph = paragraph[0].upper() + paragraph[1:]
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    return "\n\n".join(paragraphs)


@pytest.fixture(scope="module")
def short_and_long() -> tuple[Doc, Doc]:
    nlp = spacy.load(DEFAULT_MODEL)
    return nlp(article(500)), nlp(article(20_000))


def python_calls(run: Callable[[], Any]) -> int:
    """Python function calls (generator steps included) and calls of built-ins while `run` runs."""
    count = 0

    def profile(frame: FrameType, event: str, arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        run()
    finally:
        sys.setprofile(None)
    return count


def cpu_seconds(run: Callable[[], Any], repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        run()
        best = min(best, time.process_time() - start)
    return best


def test_a_long_article_costs_no_more_per_token(short_and_long: tuple[Doc, Doc]) -> None:
    short, long = short_and_long
    assert len(short) < 800 and len(long) > 20_000
    assert len(entities.extract(long)) > 20  # the long text is not just one name repeated

    def per_token(measure: Callable[[Callable[[], Any]], float], doc: Doc) -> float:
        return measure(lambda: entities.extract(doc)) / len(doc)

    # counted operations: exact for a given text, whatever the machine does meanwhile
    calls = per_token(python_calls, long) / per_token(python_calls, short)
    assert calls < 1.5, f"{calls:.2f}× the Python calls per token in the long article"
    # and CPU time, for the work no Python call shows (walking the Doc's tokens): a generous bound
    cpu = per_token(cpu_seconds, long) / per_token(cpu_seconds, short)
    assert cpu < 4, f"{cpu:.1f}× the CPU time per token in the long article"


@pytest.fixture(scope="module")
def with_facts(short_and_long: tuple[Doc, Doc]) -> tuple[Doc, Doc]:
    """The two parsed articles with every fact component run once, so each finds its inputs."""
    nlp = load_pipeline()
    for doc in short_and_long:
        doc._.published = "2024-03-04"
        doc._.facts = {}
        for name in COMPONENTS:
            nlp.get_pipe(name)(doc)
    return short_and_long


@pytest.mark.parametrize("name", COMPONENTS)
def test_each_fact_component_costs_no_more_per_token_in_a_long_article(
    name: str, with_facts: tuple[Doc, Doc]
) -> None:
    short, long = with_facts
    component = load_pipeline().get_pipe(name)
    # counted Python calls: exact for a given text; a walk over the whole Doc per mention, sentence or
    # quote shows as a ratio that grows with the article (30 000 tokens: tens, not 1.5)
    per_token = [python_calls(lambda doc=doc: component(doc)) / len(doc) for doc in (short, long)]
    assert per_token[1] / per_token[0] < 1.5, (
        f"{name}: {per_token[1] / per_token[0]:.2f}× the calls per token"
    )


@pytest.mark.parametrize("text", ["Officials in Lisbon thanked the", "Officials in Lisbon thanked the Iraqi"])
def test_an_article_may_end_where_a_role_would_start(text: str) -> None:
    # the words after "the" are looked up only where there are any
    assert "Lisbon" in [e.name for e in entities.extract(spacy.load(DEFAULT_MODEL)(text))]


def _mention(start: int, label: str, text: str) -> entities._Mention:
    return entities._Mention(start, start + len(text), start, start + len(text), label)


@pytest.mark.parametrize("labels", [["GPE", "ORG"], ["ORG", "GPE"], ["NORP", "ORG", "ORG", "NORP", "GPE"]])
def test_a_type_tie_goes_to_the_first_mention(labels: list[str]) -> None:
    text = " ".join(["Kestrel"] * len(labels))
    cluster = entities._Cluster(
        labels[0], [_mention(8 * i, label, "Kestrel") for i, label in enumerate(labels)]
    )
    (entity,) = entities._to_entities(text, [cluster])
    assert entity.type == labels[0]


def test_the_most_frequent_type_wins_over_the_first() -> None:
    text = "Kestrel Kestrel Kestrel"
    labels = ["GPE", "ORG", "ORG"]
    cluster = entities._Cluster("GPE", [_mention(8 * i, label, "Kestrel") for i, label in enumerate(labels)])
    assert entities._to_entities(text, [cluster])[0].type == "ORG"
