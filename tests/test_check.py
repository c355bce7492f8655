"""`dateline check`: claims against stored articles, one test per kind of claim, on articles we wrote.

The articles are `tests/data/check_*.txt` (not part of the evaluation set) and, for the shapes of the
issue's two examples, the evaluation set's own `sarvia-mission-1.txt`; the seed article is used
when ../shared is beside the repository.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from dateline import corpus
from dateline.check import check
from dateline.check.evidence import sentences
from dateline.check.lexicon import lexicon
from dateline.errors import DatelineError
from dateline.eval.check import evaluate
from dateline.eval.claimset import SHIPPED, load_claims, materialize
from dateline.flow import run
from dateline.ingest import RawInput
from dateline.model import Document
from dateline.read import read
from dateline.store import Store
from dateline.web import create_app
from tests.conftest import DATA, REPO, dateline, skip_without
from tests.test_web_ui import CHROMIUM, serving

ARTICLES = [
    DATA / "check_bridge.txt",
    DATA / "check_airline.txt",
    DATA / "check_flood.txt",
    SHIPPED / "articles" / "sarvia-mission-1.txt",
]


def build(path: Path, sources: list[Path]) -> Path:
    documents = [d for d in run([str(p) for p in sources]) if isinstance(d, Document)]
    with Store(path) as store:
        store.add(documents)
        corpus.rebuild(store.db)
    return path


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("check") / "check.duckdb", ARTICLES)


@pytest.fixture(scope="module")
def store(db: Path) -> Iterator[Store]:
    with Store(db, read_only=True) as opened:
        yield opened


# one claim of each kind: (claim, as of, label, the field that decides)
KINDS = {
    "restatement": (
        "Riverton city council voted to close the Ashford bridge for six weeks.",
        "2023-09-14",
        "supported",
        None,
    ),
    "paraphrase": ("Skyvale Air will purchase 30 new jets from Corvan.", "2024-05-10", "supported", None),
    "approximation": (
        "Skyvale Air agreed to buy the jets for about 2 billion dollars.",
        "2024-05-10",
        "supported",
        None,
    ),
    "speaker": (
        "Oskar Fell said they will not take any risk with people's lives.",
        "2023-09-14",
        "contradicted",
        "speaker",
    ),
    "number": (
        "The Ashford bridge repairs will cost about 8 million pounds.",
        "2023-09-14",
        "contradicted",
        "number",
    ),
    "date": ("The Ashford bridge was last closed in 2012.", "2023-09-14", "contradicted", "date"),
    "modality": ("Skyvale Air's first jets have arrived.", "2024-05-10", "contradicted", "modality"),
    "negation": (
        "Transport minister Oskar Fell said the government would pay for the work.",
        "2023-09-14",
        "contradicted",
        "negation",
    ),
    "swap": ("Corvan agreed to buy 30 jets from Skyvale Air.", "2024-05-10", "contradicted", "swap"),
    "scope": ("All 30 Skyvale jets will be built in Leeds.", "2024-05-10", "contradicted", "scope"),
    "unrelated": ("Riverton council will build a new tram line.", "2023-09-14", "not_enough_info", None),
}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_of_claim(store: Store, kind: str) -> None:
    claim, as_of, label, field = KINDS[kind]
    result = check(store, claim, as_of=as_of)
    assert result.verdict == label, (result.reason, [(e.verdict, e.field, e.reason) for e in result.evidence])
    if field is not None:
        assert result.reason.startswith(field + ":"), result.reason
        assert any(e.verdict == "contradicts" and e.field == field for e in result.evidence)
    if label == "supported":
        assert any(e.verdict == "supports" for e in result.evidence)


def test_an_event_noun_takes_the_modality_of_the_verb_whose_object_it_is(store: Store) -> None:
    # "promising 2 million euros in compensation": the compensation is promised, not done
    promised = check(
        store,
        "The county council promised 2 million euros to compensate families who lost their homes.",
        as_of="2025-03-05",
    )
    assert promised.verdict == "supported", promised.reason
    done = check(
        store, "The county council has compensated families who lost their homes.", as_of="2025-03-05"
    )
    assert done.verdict == "contradicted" and done.reason.startswith("modality:"), done.reason


def test_issue_examples_on_an_article_of_the_same_shape(store: Store) -> None:
    # the seed's shapes in an article we wrote: a planned end of a combat mission, said on Monday,
    # and "about 1,800 troops ... after a reduction from 2,600 last year"
    result = check(
        store, "Marlow said all Estlandic troops will leave Sarvia by the end of 2022", as_of="2022-05-15"
    )
    assert result.verdict == "contradicted"
    support = next(e for e in result.evidence if e.verdict == "supports")
    assert support.field == "speaker" and "Helena Marlow" in support.reason
    assert support.date == "2022-05-09" and "end its combat mission" in support.text
    against = next(e for e in result.evidence if e.verdict == "contradicts")
    assert against.field == "scope" and "about 1,800" in against.reason

    cut = check(store, "Brask cut Estlandic troops in Sarvia to 1,000", as_of="2022-05-15")
    assert cut.verdict == "contradicted" and cut.reason.startswith("number:")
    first = cut.evidence[0]
    assert (
        first.verdict == "contradicts"
        and "about 1,800" in first.reason
        and "reduction from 2,600" in first.text
    )


def test_issue_examples_on_the_seed(seed: Path, tmp_path: Path) -> None:
    with Store(build(tmp_path / "seed.duckdb", [seed]), read_only=True) as store:
        result = check(
            store, "Biden said all U.S. troops will leave Iraq by the end of 2021", as_of="2021-08-01"
        )
        assert result.verdict == "contradicted"
        support = next(e for e in result.evidence if e.verdict == "supports")
        assert "Joe Biden" in support.reason and support.date == "2021-07-26"
        assert "end its combat mission in Iraq by the end of the year" in support.text
        assert any(e.verdict == "contradicts" and "about 2,500" in e.reason for e in result.evidence)

        cut = check(store, "Trump cut U.S. troops in Iraq to 1,000", as_of="2021-08-01")
        assert (
            cut.verdict == "contradicted" and cut.reason.startswith("number:") and "about 2,500" in cut.reason
        )
        assert "reduction from 3,000" in cut.evidence[0].text


def test_every_verdict_rests_on_words_article_date_and_offsets(store: Store) -> None:
    texts = {d.id: d.text for d in store.documents()}
    for claim, as_of, _, _ in KINDS.values():
        result = check(store, claim, as_of=as_of)
        if result.verdict != "not_enough_info":
            assert any(e.verdict != "context" for e in result.evidence)
        for e in result.evidence:
            assert texts[e.document_id][e.start : e.end] == e.text
            assert e.date and e.published and e.title
            if e.fact is not None:
                assert texts[e.document_id][e.fact.start : e.fact.end] == e.fact.text


def test_from_and_to_select_articles(store: Store) -> None:
    claim = "Skyvale Air will purchase 30 new jets from Corvan."
    assert check(store, claim, as_of="2024-05-10", until="2024-01-01").verdict == "not_enough_info"
    assert check(store, claim, as_of="2024-05-10", since="2024-05-01").verdict == "supported"


def test_same_claim_same_answer_whatever_the_hash_seed(db: Path) -> None:
    claim = "Marlow said all Estlandic troops will leave Sarvia by the end of 2022"
    outputs = []
    for seed in ("1", "2"):
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "dateline",
                "check",
                claim,
                "--db",
                str(db),
                "--as-of",
                "2022-05-15",
                "--json",
            ],
            capture_output=True,
            text=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
            timeout=600,
        )
        assert done.returncode == 0, done.stderr
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1]
    answer = json.loads(outputs[0])
    assert answer["verdict"] == "contradicted" and answer["as_of"] == "2022-05-15"
    assert {"verdict", "field", "reason", "document_id", "start", "end", "text", "date"} <= set(
        answer["evidence"][0]
    )


def test_command_line_output_and_bad_input(db: Path, tmp_path: Path) -> None:
    done = dateline(
        "check",
        "Skyvale Air will purchase 30 new jets from Corvan.",
        "--db",
        str(db),
        "--as-of",
        "2024-05-10",
    )
    assert done.returncode == 0, done.stderr
    first, read_as, *table = done.stdout.splitlines()
    assert first.startswith("supported") and read_as.startswith("claim read as:")
    # into a pipe the table is neither wrapped nor coloured: a piece of evidence is one line
    row = next(line for line in table if "supports" in line)
    assert "2024-05-07" in row and "Skyvale Air has agreed to buy 30 new jets" in row and "[0:" in row
    for args, code, message in (
        (["check", "", "--db", str(db)], 2, "the claim is empty"),
        (["check", "anything", "--db", str(tmp_path / "none.duckdb")], 1, "no database"),
        (["check", "anything", "--db", str(db), "--as-of", "2024-13-01"], 2, "--as-of"),
        (["check", "anything", "--db", str(db), "--from", "yesterday"], 2, "--from"),
    ):
        bad = dateline(*args)
        assert bad.returncode == code and message in bad.stderr
        assert len(bad.stderr.strip().splitlines()) == 1 and "Traceback" not in bad.stderr


def test_rest_endpoint(db: Path) -> None:
    with TestClient(create_app(db, token="")) as client:
        answer = client.get(
            "/check", params={"claim": "Brask cut Estlandic troops in Sarvia to 1,000", "as_of": "2022-05-15"}
        )
        assert answer.status_code == 200
        body = answer.json()
        assert body["verdict"] == "contradicted" and body["evidence"][0]["field"] == "number"
        assert client.get("/check", params={"claim": "   "}).status_code == 422
        assert client.get("/check").status_code == 422
        assert client.get("/check", params={"claim": "x", "as_of": "someday"}).status_code == 422
        assert client.get("/check", params={"claim": "x", "limit": 0}).status_code == 422


def test_sentences_keep_abbreviations_and_initials() -> None:
    text = 'U.S. troops left on Monday. Mr. J. Smith said "No." Then prices rose 3 p.m. sharp.\n\nA new paragraph'
    found = [text[s:e] for s, e in sentences(text)]
    assert found == [
        "U.S. troops left on Monday.",
        'Mr. J. Smith said "No."',
        "Then prices rose 3 p.m. sharp.",
        "A new paragraph",
    ]


def test_word_tables() -> None:
    lex = lexicon()
    assert lex.same("buy", "purchase") and lex.same("soldier", "troop") and not lex.same("buy", "sell")
    assert lex.opposite("accept", "reject") and lex.opposite("profitable", "unprofitable")
    assert not lex.opposite("port", "import")
    assert "RETREAT" in lex.event_types("withdraw")


# ---------- the claim set and its evaluation ----------


def test_shipped_claims_are_well_formed_and_their_evidence_is_the_read_text() -> None:
    claims = load_claims(SHIPPED / "claims.jsonl")
    assert len(claims) >= 150
    assert len({c.id for c in claims}) == len(claims)
    splits = {c.split for c in claims}
    assert splits == {"tune", "heldout"}
    tune = sum(c.split == "tune" for c in claims)
    assert abs(tune - len(claims) / 2) <= len(claims) * 0.1
    kinds = {c.kind for c in claims}
    assert {
        "restatement",
        "paraphrase",
        "speaker",
        "number",
        "date",
        "modality",
        "negation",
        "swap",
        "unrelated",
    } <= kinds
    for kind in kinds:
        assert {c.split for c in claims if c.kind == kind} == splits, kind
    texts: dict[str, str] = {}
    for claim in claims:
        assert claim.label in ("supported", "contradicted", "not_enough_info")
        assert bool(claim.evidence) == (claim.label != "not_enough_info"), claim.id
        for gold in claim.evidence:
            page = SHIPPED / "articles" / gold.document
            if not page.exists():
                continue  # built from ../shared at evaluation time
            if gold.document not in texts:
                texts[gold.document] = read(RawInput(source=gold.document, data=page.read_bytes())).text
            assert texts[gold.document][gold.start : gold.end] == gold.text, claim.id


def test_meantime_pages_are_built_from_shared_and_match_the_evidence(shared: Path, tmp_path: Path) -> None:
    assert materialize(SHIPPED, shared / "data", tmp_path) == {}
    claims = [c for c in load_claims(SHIPPED / "claims.jsonl") if c.id.startswith("mt-")]
    assert claims
    for claim in claims:
        for gold in claim.evidence:
            text = read(RawInput(source=gold.document, data=(tmp_path / gold.document).read_bytes())).text
            assert text[gold.start : gold.end] == gold.text, claim.id


def test_external_articles_without_shared_are_reported(tmp_path: Path) -> None:
    assert set(materialize(SHIPPED, None, tmp_path).values()) == {"no gold data folder"}
    assert not list(tmp_path.iterdir())


def test_a_malformed_claim_line_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "claims.jsonl"
    path.write_text('{"claim": "a", "as_of": null, "label": "supported"}\n{"claim": "b", "label": "maybe"}\n')
    with pytest.raises(DatelineError, match=r"claims.jsonl:2"):
        load_claims(path)


def test_eval_check_scores_any_claim_folder(tmp_path: Path) -> None:
    folder = tmp_path / "claims"
    (folder / "articles").mkdir(parents=True)
    shutil.copy(DATA / "check_bridge.txt", folder / "articles" / "bridge.txt")
    text = read(RawInput(source="bridge.txt", data=(DATA / "check_bridge.txt").read_bytes())).text
    words = "The bridge was last closed in 2017"
    start = text.index(words)
    rows: list[dict[str, Any]] = [
        {
            "claim": "The Ashford bridge was last closed in 2012.",
            "as_of": "2023-09-14",
            "label": "contradicted",
            "kind": "date",
            "split": "tune",
            "evidence": [{"document": "bridge.txt", "start": start, "end": start + len(words)}],
        },
        {
            "claim": "Riverton council will build a new tram line.",
            "as_of": "2023-09-14",
            "label": "not_enough_info",
            "kind": "unrelated",
            "split": "heldout",
            "evidence": [],
        },
    ]
    (folder / "claims.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    result = evaluate(folder, "all").to_json()
    assert {"precision", "recall", "f1"} <= set(result) and result["baseline"]["name"].startswith("baseline")
    assert result["details"]["claims"] == 2 and result["details"]["per_kind"] == {
        "date": 1.0,
        "unrelated": 1.0,
    }
    assert {o["name"] for o in result["others"]} >= {"dateline check (tune)", "dateline check (heldout)"}
    assert result["details"]["evidence_recall"] == 1.0 and result["details"]["accuracy"] == 1.0


def test_eval_check_without_claims_is_one_clear_error(tmp_path: Path) -> None:
    done = dateline("eval", "check", "--data", str(tmp_path))
    assert done.returncode == 1 and "no claims.jsonl" in done.stderr and "Traceback" not in done.stderr


# ---------- the web page ----------


@pytest.fixture(scope="module")
def server(db: Path) -> Iterator[str]:
    with serving(db) as url:
        yield url


def test_check_page_shows_evidence_in_its_article(server: str) -> None:
    sync = pytest.importorskip("playwright.sync_api")
    if shutil.which(CHROMIUM) is None:
        skip_without("chromium", f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    with sync.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"]
        )
        page = browser.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(f"{server}/")
        sync.expect(page.locator("nav a", has_text="Check")).to_have_attribute("href", "/static/check.html")
        page.goto(f"{server}/static/check.html")
        page.fill("#claim", "Marlow said all Estlandic troops will leave Sarvia by the end of 2022")
        page.fill("#as-of", "2022-05-15")
        page.click("#check-button")
        sync.expect(page.locator("#verdict")).to_have_text("Contradicted")
        supports = page.locator("#evidence li.evidence.supports").first
        sync.expect(supports).to_contain_text("Helena Marlow")
        supports.locator("button.show-article").click()
        marked = supports.locator(".in-article mark").first
        sync.expect(marked).to_be_visible()
        assert "Estlandic army will end its combat mission" in "".join(
            supports.locator(".in-article mark").all_text_contents()
        )
        (REPO / "test-artifacts").mkdir(exist_ok=True)
        page.screenshot(path=str(REPO / "test-artifacts" / "check-page.png"), full_page=True)
        browser.close()
    assert errors == []
