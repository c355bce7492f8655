"""Entity naming: a list of names is not one name; an abbreviation joins the name it shortens."""

from __future__ import annotations

from dateline.corpus.entities import EntityRow, _abbreviates, resolve
from dateline.facts.entities import _Mention, _split_lists


def _mention(text: str, name: str, label: str = "ORG") -> _Mention:
    start = text.index(name)
    return _Mention(start, start + len(name), start, start + len(name), label)


def test_a_comma_list_of_organisations_is_several_names() -> None:
    text = "Services such as CBS All Access, Disney and Netflix raised prices."
    parts = _split_lists(text, [_mention(text, "CBS All Access, Disney")])
    assert [text[m.name_start : m.name_end] for m in parts] == ["CBS All Access", "Disney"]
    assert all(m.label == "ORG" for m in parts)


def test_a_comma_inside_one_name_stays() -> None:
    text = "Apple, Inc. and officials in Springfield, Illinois met Sammy Davis, Jr. and acme, a startup."
    kept = [
        _mention(text, "Apple, Inc."),
        _mention(text, "Springfield, Illinois", "GPE"),
        _mention(text, "Sammy Davis, Jr.", "PERSON"),
        _mention(text, "acme, a startup"),
    ]
    assert _split_lists(text, kept) == kept


def test_the_pipeline_splits_the_list_it_was_given() -> None:
    """spaCy's small model reads "CBS All Access, Disney" as one ORG; the entities component does not."""
    from dateline.ingest import RawInput
    from dateline.nlp import analyze_one
    from dateline.read import read

    text = "Streaming prices\n\nStreaming services such as CBS All Access, Disney and Netflix raised prices on Monday.\n"
    document = analyze_one(read(RawInput("<t>", text.encode())))
    names = {e.name for e in document.entities if e.type == "ORG"}
    assert "CBS All Access, Disney" not in names
    assert {"Disney", "Netflix"} <= names


def _row(doc: str, entity: str, name: str, type_: str = "ORG") -> EntityRow:
    return EntityRow(doc, entity, name, type_, [], 1, True)


def test_an_abbreviation_joins_the_name_it_shortens_when_an_article_names_both() -> None:
    rows = [
        _row("d1", "e1", "Volkswagen"),
        _row("d1", "e2", "VW"),
        _row("d2", "e1", "VW"),
        _row("d3", "e1", "Volkswagen"),
        _row("d4", "e1", "GM"),
        _row("d5", "e1", "Gmail"),  # never named together with GM: no evidence they are one
    ]
    found, links = resolve(rows)
    by_name = {e.name: e for e in found}
    assert "VW" not in by_name and by_name["Volkswagen"].documents == 3
    assert by_name["Volkswagen"].aliases == ["VW"]
    assert {"GM", "Gmail"} <= set(by_name)
    assert len({corpus for _, _, corpus in links if corpus == by_name["Volkswagen"].id}) == 1


def test_what_an_abbreviation_is() -> None:
    assert _abbreviates("vw", "volkswagen")
    assert _abbreviates("bbc", "bbcworldwide") is True
    assert not _abbreviates("vw", "wolfsburg")  # the first letters differ
    assert not _abbreviates("vw", "vows")  # too short to be shortened to it
    assert not _abbreviates("gm", "ginger")  # no "m" after the "g"
