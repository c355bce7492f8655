from __future__ import annotations

import json
from pathlib import Path

import pytest

from dateline.facts.entities import entity_at
from dateline.model import Document, Entity, Quantity
from dateline.nlp.pipeline import analyze, analyze_one
from tests.conftest import DATA, dateline


def _doc(text: str) -> Document:
    return analyze_one(Document(id="t", text=text))


def _entity(doc: Document, name: str) -> Entity:
    return next(e for e in doc.entities if e.name == name)


def _quantity(doc: Document, text: str) -> Quantity:
    return next(q for q in doc.quantities if q.text == text)


def test_seed_entities_and_troops(seed: Path) -> None:
    doc = _doc(seed.read_text(encoding="utf-8"))
    biden = [e for e in doc.entities if "Biden" in e.name]
    assert len(biden) == 1 and biden[0].name == "Joe Biden" and biden[0].type == "PERSON"
    assert {"U.S. President Joe Biden", "Biden"} <= {m.text for m in biden[0].mentions}
    assert biden[0].title == "U.S. President"
    kadhimi = [e for e in doc.entities if "Kadhimi" in e.name]
    assert len(kadhimi) == 1 and kadhimi[0].name == "Mustafa al-Kadhimi"
    assert {"Iraqi Prime Minister Mustafa al-Kadhimi", "al-Kadhimi", "The Iraqi prime minister"} <= {
        m.text for m in kadhimi[0].mentions
    }
    troops = _quantity(doc, "about 2,500 U.S. troops")
    assert (troops.value, troops.unit, troops.approximate) == (2500, "troop", True)
    assert not any(q.text.startswith(("2011", "2014", "27")) for q in doc.quantities)
    for e in doc.entities:
        for m in e.mentions:
            assert doc.text[m.start : m.end] == m.text
    assert [e.id for e in doc.entities] == [f"e{i}" for i in range(1, len(doc.entities) + 1)]


@pytest.mark.parametrize(
    ("file", "name", "title", "mentions"),
    [
        (
            "article_summit.txt",
            "Olaf Scholz",
            "German Chancellor",
            {"German Chancellor Olaf Scholz", "Scholz"},
        ),
        ("article_summit.txt", "William Ruto", "Kenyan President", {"Ruto", "The Kenyan president"}),
        ("article_port.txt", "Maria Silva", "union leader", {"Silva"}),
        (
            "article_port.txt",
            "Tarcisio Freitas",
            "Former Brazilian Transport Minister",
            {"The former minister"},
        ),
        ("article_election.txt", "Angela Moreno", "Spanish Health Minister", {"Moreno", "The minister"}),
    ],
)
def test_people_cluster_with_titles(file: str, name: str, title: str, mentions: set[str]) -> None:
    doc = _doc((DATA / file).read_text(encoding="utf-8"))
    entity = _entity(doc, name)
    assert entity.type == "PERSON" and entity.title == title
    assert mentions <= {m.text for m in entity.mentions}
    assert entity_at(doc, entity.mentions[-1].start, entity.mentions[-1].end) is entity


def test_acronym_joins_full_name() -> None:
    doc = _doc("Officials in the United States said on Monday that the U.S. would act.")
    us = [e for e in doc.entities if e.type == "GPE"]
    assert len(us) == 1 and "U.S." in us[0].aliases


def test_entity_at_outside_any_mention() -> None:
    doc = _doc("Officials said on Monday that Germany would act.")
    assert entity_at(doc, 0, 9) is None


@pytest.mark.parametrize(
    ("text", "span", "value", "unit", "approximate", "lower", "upper"),
    [
        ("It will cost $48 million.", "$48 million", 48e6, "usd", False, None, None),
        ("Prices rose 12 percent.", "12 percent", 12, "percent", False, None, None),
        ("Prices rose 12% in May.", "12%", 12, "percent", False, None, None),
        ("They saw between 10 and 20 boats.", "between 10 and 20 boats", 10, "boat", False, 10, 20),
        ("It carries up to 10 people.", "up to 10 people", 10, "people", False, None, 10),
        ("At least 5 houses burned.", "At least 5 houses", 5, "house", False, 5, None),
        ("Roughly eight trucks arrived.", "Roughly eight trucks", 8, "truck", True, None, None),
        ("A dozen soldiers were hurt.", "A dozen soldiers", 12, "soldier", False, None, None),
        ("The mine produced 4.5 million tonnes.", "4.5 million tonnes", 4.5e6, "tonne", False, None, None),
    ],
)
def test_quantities(
    text: str, span: str, value: float, unit: str, approximate: bool, lower: float | None, upper: float | None
) -> None:
    q = _quantity(_doc(text), span)
    assert (q.value, q.unit, q.approximate, q.lower, q.upper) == (value, unit, approximate, lower, upper)


@pytest.mark.parametrize(
    "text",
    [
        "The war began in 2003.",
        "He spoke at 10:30 on Monday.",
        "It was the first visit.",
        "Updated 27-Jul-2021",
    ],
)
def test_times_are_not_quantities(text: str) -> None:
    assert _doc(text).quantities == []


def test_election_article_quantities() -> None:
    doc = _doc((DATA / "article_election.txt").read_text(encoding="utf-8"))
    nurses = next(q for q in doc.quantities if q.unit == "nurse")
    assert nurses.value == 1200 and nurses.approximate
    beds = next(q for q in doc.quantities if q.unit == "bed")
    assert beds.lower == 300


def test_facts_survive_two_processes() -> None:
    texts = [(DATA / f).read_text(encoding="utf-8") for f in ("article_summit.txt", "article_port.txt")]
    docs = list(analyze([Document(id=str(i), text=t) for i, t in enumerate(texts)], n_process=2))
    assert all(isinstance(e, Entity) for d in docs for e in d.entities)
    assert docs[1].quantities and isinstance(docs[1].quantities[0], Quantity)


def test_eval_entities_json(shared: Path) -> None:
    out = dateline("eval", "entities", "--json", "--split", "heldout")
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout)
    assert {"precision", "recall", "f1", "baseline", "details"} <= result.keys()
    assert {"b3_f1", "relaxed_f1", "by_type"} <= result["details"].keys()
    assert 0 < result["f1"] <= 1 and 0 < result["details"]["b3_f1"] <= 1
