"""The web UI in real Chromium (Debian's, driven by Playwright): read an article, click its facts, browse.

Screenshots go to test-artifacts/ in the repository root.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from dateline.web import create_app
from tests.conftest import REPO, skip_without
from tests.web_data import HOSTILE, build

playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = REPO / "test-artifacts"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTICLE = (
    "The harbor council voted on Monday to close Port Veltra for repairs.\n\n"
    '"We cannot risk another storm," council leader Ana Ruiz said on Tuesday.'
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = build(tmp_path_factory.mktemp("ui") / "ui.duckdb")
    port = free_port()
    config = uvicorn.Config(create_app(db, token=""), host="127.0.0.1", port=port, log_level="warning")
    served = uvicorn.Server(config)
    thread = threading.Thread(target=served.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not served.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    served.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if shutil.which(CHROMIUM) is None:
        skip_without("chromium", f"{CHROMIUM} is missing: apt-get install -y chromium (.ci/run does)")
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: playwright.Browser, server: str) -> Iterator[playwright.Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    opened = context.new_page()
    dialogs: list[str] = []
    errors: list[str] = []
    opened.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    opened.on("pageerror", lambda e: errors.append(str(e)))
    opened.set_default_timeout(15_000)
    yield opened
    context.close()
    assert dialogs == [], f"a dialog opened: {dialogs}"
    assert errors == [], f"script errors on the page: {errors}"


def shot(page: playwright.Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def document_id(page: playwright.Page, server: str, title: str) -> str:
    listing = page.request.get(f"{server}/documents?limit=200").json()
    return str(next(d["id"] for d in listing["items"] if d["title"] == title))


def test_click_a_quote_to_see_speaker_and_date(page: playwright.Page, server: str) -> None:
    page.goto(f"{server}/#/doc/{document_id(page, server, 'Biden in Baghdad')}")
    quote = page.locator("#article-text .fact.quote")
    playwright.expect(quote).to_have_count(1)
    playwright.expect(quote).to_have_text("Iraq deserves a stable future")
    # every kind of fact is marked where its words are
    playwright.expect(page.locator("#article-text .fact.time")).to_have_text("Tuesday")
    playwright.expect(page.locator("#article-text .fact.event")).to_have_text("visited")
    assert page.locator("#article-text .fact.entity").count() >= 4
    quote.click()
    details = page.locator("#fact-details")
    playwright.expect(details.locator("dl.fact-quote")).to_contain_text("Biden")
    playwright.expect(details.locator("dl.fact-quote")).to_contain_text("2024-03-05 (article date)")
    # a direct quote is shown in quotation marks (reported speech never is)
    playwright.expect(details.locator(".quote-text")).to_have_text("“Iraq deserves a stable future”")
    # the clicked mark (the quote, or a name inside it) is outlined; the panel lists it and what holds it
    playwright.expect(page.locator("#article-text .fact.selected")).not_to_have_count(0)
    shot(page, "quote-details")

    # the text around the facts is the document's text, character for character
    stored = page.request.get(f"{server}/documents/{document_id(page, server, 'Biden in Baghdad')}").json()
    assert page.locator("#article-text").text_content() == stored["text"]

    page.locator("#article-text .fact.entity", has_text="Baghdad").first.click()
    playwright.expect(details.locator("dl.fact-entity")).to_contain_text("GPE")


def test_paste_an_article(page: playwright.Page, server: str) -> None:
    page.goto(server)
    page.fill("#article-input", ARTICLE)
    page.fill("#article-published", "2024-03-04")
    page.click("#extract-button")
    text = page.locator("#extract-result #article-text")
    # the first extraction loads the spaCy pipeline
    playwright.expect(text).to_have_text(ARTICLE, timeout=120_000)
    playwright.expect(page.locator("#extract-result")).to_contain_text("2024-03-04")
    marks = text.locator(".fact")
    if marks.count():  # with fact components installed, each mark opens its details
        marks.first.click()
        playwright.expect(page.locator("#fact-details dl")).to_be_visible()
    shot(page, "pasted-article")


def test_hostile_article_renders_as_text(page: playwright.Page, server: str) -> None:
    page.goto(f"{server}/#/doc/{document_id(page, server, '<b>Hostile</b> article')}")
    body = page.locator("#article-text")
    playwright.expect(body).to_have_text(HOSTILE)
    for tag in ("script", "img", "a", "b"):
        assert body.locator(tag).count() == 0, tag
    playwright.expect(page.locator("#article-title")).to_have_text("<b>Hostile</b> article")
    assert page.locator("#article-title b").count() == 0
    body.locator(".fact.quantity").click()
    playwright.expect(page.locator("#fact-details")).to_contain_text("<script>")
    assert page.evaluate("window.__pwned") is None
    shot(page, "hostile-article")

    # the same article pasted in, through POST /extract
    page.goto(server)
    page.fill("#article-input", HOSTILE)
    page.click("#extract-button")
    result = page.locator("#extract-result")
    playwright.expect(result.locator("#article-text, .error")).to_have_count(1)
    for tag in ("script", "img"):
        assert result.locator(tag).count() == 0, tag
    assert result.locator("#article-text a").count() == 0
    assert page.evaluate("window.__pwned") is None


def test_entity_page_with_timeline(page: playwright.Page, server: str) -> None:
    page.goto(f"{server}/#/entities?q=Joe")
    page.click("text=Joe Biden")
    playwright.expect(page.locator("#entity-name")).to_have_text("Joe Biden")
    playwright.expect(page.locator(".quotes li")).to_have_count(2)
    points = page.locator(".timeline-chart .point")
    playwright.expect(points).to_have_count(3)  # two quotes and one event
    points.first.click()
    playwright.expect(page.locator("#chart-detail")).to_contain_text("We will keep our promises to Iraq.")
    shot(page, "entity-page")


def test_search_trends_quotes(page: playwright.Page, server: str) -> None:
    page.goto(f"{server}/#/search")
    page.fill("input[name=q]", "memoir")
    page.press("input[name=q]", "Enter")
    playwright.expect(page.locator("ul.list li")).to_have_count(1)
    page.click("text=Hunter Biden memoir")
    playwright.expect(page.locator("#article-title")).to_have_text("Hunter Biden memoir")

    page.goto(f"{server}/#/trends")
    playwright.expect(page.locator(".trends-chart")).to_have_count(3)
    assert page.locator(".trends-chart polyline").count() >= 3
    shot(page, "trends")

    page.goto(f"{server}/#/quotes?speaker=Hunter%20Biden")
    playwright.expect(page.locator(".quotes li")).to_have_count(1)
    playwright.expect(page.locator(".quotes li")).to_contain_text("It is time,")
