"""The web UI in real Chromium (Debian's, driven by Playwright): read an article, click its facts, browse.

Screenshots go to test-artifacts/ in the repository root.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

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


@contextlib.contextmanager
def serving(db: Path, writable: bool = False) -> Iterator[str]:
    port = free_port()
    app = create_app(db, token="", writable=writable)
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
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
def ui_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build(tmp_path_factory.mktemp("ui") / "ui.duckdb")


@pytest.fixture(scope="module")
def server(ui_db: Path) -> Iterator[str]:
    with serving(ui_db) as url:
        yield url


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
    page.goto(f"{server}/articles/{document_id(page, server, 'Biden in Baghdad')}")
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
    playwright.expect(details.locator(".quote-text")).to_have_text("Iraq deserves a stable future")
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
    # the address of an article before /articles/ still opens it
    page.goto(f"{server}/#/doc/{document_id(page, server, '<b>Hostile</b> article')}")
    playwright.expect(page).to_have_url(re.compile(r"/articles/[0-9a-f]+$"))
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


def chart(page: playwright.Page, name: str) -> playwright.Locator:
    drawn = page.locator(f".{name}[data-ready=true]")
    playwright.expect(drawn).to_have_count(1)
    return drawn


def chosen_words(page: playwright.Page) -> str:
    """The words the page highlights as the chosen fact (CSS Custom Highlight API)."""
    page.wait_for_function("() => CSS.highlights.has('chosen')")
    return str(page.evaluate("() => Array.from(CSS.highlights.get('chosen') || []).map(String).join('|')"))


def test_entity_page_with_chronology(page: playwright.Page, server: str) -> None:
    page.goto(f"{server}/#/entities?q=Joe")
    playwright.expect(page.locator("ul.entities li")).to_contain_text(["named in 2 articles · 2 mentions"])
    page.click("text=Joe Biden")
    playwright.expect(page.locator("#entity-name")).to_have_text("Joe Biden")
    playwright.expect(page.locator(".quotes li")).to_have_count(2)
    marks = chart(page, "timeline-chart").locator("g.mark-symbol path")
    playwright.expect(marks).to_have_count(3)  # one event and two quotes, each a mark on the time axis
    shot(page, "entity-page")
    # the tooltip says what a mark is; a click opens the article at its words
    marks.first.hover()
    playwright.expect(page.locator("#vg-tooltip-element")).to_contain_text("Baghdad")
    marks.first.click()
    playwright.expect(page).to_have_url(re.compile(r"/articles/[0-9a-f]+#fact=event-0$"))
    playwright.expect(page.locator("#article-text .fact.selected")).to_have_text("visited")
    assert chosen_words(page) == "Joe Biden visited Baghdad on Tuesday to meet Iraqi leaders."
    playwright.expect(page.locator("#fact-details dl.fact-event")).to_contain_text("movement")


def test_chronology_zooms_along_time(page: playwright.Page, server: str) -> None:
    page.goto(f"{server}/#/entities?q=Joe")
    page.click("text=Joe Biden")
    drawn = chart(page, "timeline-chart")
    ticks = drawn.locator("g.role-axis-label text")
    playwright.expect(ticks.first).to_be_visible()
    before = ticks.all_text_contents()
    box = drawn.locator("svg").bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -600)  # zoom in: fewer days on the axis, other tick labels
    page.wait_for_function(
        "before => Array.from(document.querySelectorAll('.timeline-chart g.role-axis-label text'))"
        ".map(t => t.textContent).join('|') !== before",
        arg="|".join(before),
    )


def test_fact_to_article_to_highlighted_words(page: playwright.Page, server: str) -> None:
    page.goto(f"{server}/#/quotes?speaker=Joe%20Biden")
    row = page.locator(".quotes li", has_text="We will keep our promises to Iraq.")
    row.locator("a.source").click()
    playwright.expect(page).to_have_url(re.compile(r"/articles/[0-9a-f]+#fact=quote-0$"))
    selected = page.locator("#article-text .fact.selected").first
    playwright.expect(selected).to_contain_text("We will keep our promises to")
    playwright.expect(selected).to_be_in_viewport()
    assert chosen_words(page) == "We will keep our promises to Iraq."
    playwright.expect(page.locator("#fact-details .quote-text")).to_have_text(
        "We will keep our promises to Iraq."
    )
    shot(page, "fact-link")

    # the address is the link to share: opened afresh it shows the same; a new #fact= picks another fact
    shared = page.url
    page.goto(f"{server}/")
    page.goto(shared)
    playwright.expect(page.locator("#fact-details .quote-text")).to_be_visible()
    assert chosen_words(page) == "We will keep our promises to Iraq."
    page.evaluate("location.hash = '#fact=entity-0'")
    playwright.expect(page.locator("#fact-details dl.fact-entity")).to_contain_text("President Biden")
    playwright.expect(page.locator("#article-text .fact.selected")).to_have_text("President Biden")
    # clicking a fact makes the address a link to it
    page.locator("#article-text .fact.event").click()
    playwright.expect(page).to_have_url(re.compile(r"#fact=event-0$"))
    # a fact the article does not have says so
    page.evaluate("location.hash = '#fact=quote-9'")
    playwright.expect(page.locator("#fact-details .error")).to_contain_text("quote-9")

    # a search hit opens its article at the word searched for
    page.goto(f"{server}/#/search?q=memoir")
    page.locator("ul.hits a").first.click()
    playwright.expect(page).to_have_url(re.compile(r"/articles/[0-9a-f]+#at=\d+-\d+$"))
    playwright.expect(page.locator("#article-title")).to_have_text("Hunter Biden memoir")
    page.wait_for_function("() => CSS.highlights.has('chosen')")
    assert chosen_words(page).lower() == "memoir"


def story_of(db: Path, title: str) -> str:
    import duckdb

    with duckdb.connect(str(db), read_only=True) as con:
        row = con.execute(
            "SELECT m.story_id FROM story_members m JOIN documents d ON d.id = m.document_id WHERE d.title = ?",
            [title],
        ).fetchone()
    assert row is not None
    return str(row[0])


def test_story_chronology_opens_the_words(page: playwright.Page, server: str, ui_db: Path) -> None:
    story = story_of(ui_db, "Biden in Baghdad")
    page.goto(f"{server}/#/story/{story}")
    marks = chart(page, "timeline-chart").locator("g.mark-symbol path")
    playwright.expect(marks).to_have_count(1)  # the visit, reported by two articles: one event
    playwright.expect(page.locator(".events li")).to_contain_text(["Joe Biden · visit · Baghdad"])
    # its date as the timeline says it (a day of its own: no "reported on"), at its precision
    playwright.expect(page.locator(".events li")).to_contain_text(["2024-03-05 (to the day)"])
    shot(page, "story-page")
    marks.first.click()
    playwright.expect(page).to_have_url(re.compile(r"/articles/[0-9a-f]+#fact=event-0$"))
    assert chosen_words(page) == "Joe Biden visited Baghdad on Tuesday to meet Iraqi leaders."


def test_stories_page_lists_stories(page: playwright.Page, server: str) -> None:
    if page.request.get(f"{server}/stories").status == 404:
        pytest.skip("GET /stories comes with the story timelines of issue 20, not merged on this branch")
    page.goto(f"{server}/#/stories")
    listed = page.locator("ul.stories li")
    playwright.expect(listed.first).to_be_visible()
    shot(page, "stories")
    listed.filter(has_text="Baghdad").first.locator(
        "a"
    ).first.click()  # latest first: Hunter Biden's has no events
    marks = chart(page, "timeline-chart").locator("g.mark-symbol path, g.mark-rect path")
    playwright.expect(marks.first).to_be_visible()
    marks.first.click()
    playwright.expect(page).to_have_url(re.compile(r"/articles/[0-9a-f]+#fact=event-\d+$"))


def test_search_trends_quotes(page: playwright.Page, server: str) -> None:
    page.goto(f"{server}/#/search")
    page.fill("input[name=q]", "memoir")
    page.press("input[name=q]", "Enter")
    playwright.expect(page.locator("ul.list li")).to_have_count(1)
    page.click("text=Hunter Biden memoir")
    playwright.expect(page.locator("#article-title")).to_have_text("Hunter Biden memoir")

    page.goto(f"{server}/#/quotes?speaker=Hunter%20Biden")
    playwright.expect(page.locator(".quotes li")).to_have_count(1)
    playwright.expect(page.locator(".quotes li")).to_contain_text("It is time,")


def line_opacity(drawn: playwright.Locator) -> list[str]:
    return [str(p.get_attribute("opacity")) for p in drawn.locator("g.mark-line path").all()]


def test_trends_legend_toggles_and_points_open_their_articles(page: playwright.Page, server: str) -> None:
    page.goto(f"{server}/#/trends")
    drawn = chart(page, "trends-chart")
    # only the weeks that hold articles: 2024-03-04, 2024-04-01 (the hostile one), 2024-04-08 (the memoir)
    bars = drawn.locator("g.mark-rect path")
    playwright.expect(bars).to_have_count(3)
    labels = drawn.locator("g.role-axis-label text")
    assert {"2024-03-04", "2024-04-01", "2024-04-08"} <= set(labels.all_text_contents())
    titles = drawn.locator("g.role-axis-title text").all_text_contents()
    assert "articles" in titles and any(t.startswith("week starting") for t in titles)
    shot(page, "trends")

    legend = drawn.locator("g.role-legend-label text")
    assert "Hunter Biden (PERSON)" in legend.all_text_contents()
    before = line_opacity(drawn)
    assert set(before) == {"1"}
    legend.filter(has_text="Hunter Biden (PERSON)").click()
    # that entity's line alone stays; the other entities fade; the event chart is untouched
    playwright.expect(drawn.locator("g.mark-line path[opacity='1']")).to_have_count(2)
    shot(page, "trends-legend")
    legend.filter(has_text="Hunter Biden (PERSON)").click()
    playwright.expect(drawn.locator("g.mark-line path[opacity='1']")).to_have_count(len(before))

    # a bar opens the list of the articles it counts
    bars.first.hover()
    playwright.expect(page.locator("#vg-tooltip-element")).to_contain_text("2024-03-04")
    bars.first.click()
    playwright.expect(page).to_have_url(re.compile(r"/#/\?from=2024-03-04&to=2024-03-10$"))
    playwright.expect(page.locator("ul.documents li")).to_have_count(3)
    playwright.expect(page.locator("#documents-heading")).to_contain_text("published from 2024-03-04")


def test_vendored_charting_library_is_served_from_here(page: playwright.Page, server: str) -> None:
    vendor = REPO / "src" / "dateline" / "web" / "static" / "vendor"
    readme = (vendor / "README.md").read_text(encoding="utf-8")
    for script in ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js"):
        digest = hashlib.sha256((vendor / script).read_bytes()).hexdigest()
        assert f"| {script} |" in readme and digest in readme, f"{script}: its sum in vendor/README.md"
        assert (vendor / script.replace(".min.js", ".LICENSE")).is_file()
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    page.goto(f"{server}/#/trends")
    chart(page, "trends-chart")
    assert requested and all(url.startswith(server) or url.startswith("data:") for url in requested), (
        requested
    )


@pytest.fixture
def writable_server(tmp_path: Path) -> Iterator[str]:
    with serving(build(tmp_path / "save.duckdb"), writable=True) as url:
        yield url


def test_save_from_the_page(page: playwright.Page, writable_server: str) -> None:
    page.goto(writable_server)
    page.fill("#article-input", ARTICLE)
    page.fill("#article-published", "2024-03-04")
    page.click("#extract-button")
    playwright.expect(page.locator("#extract-result #article-text")).to_have_text(ARTICLE, timeout=120_000)
    save = page.locator("#save-button")
    playwright.expect(save).to_be_visible()
    shot(page, "save")
    save.click()
    # the stored article opens at once, at its own address
    playwright.expect(page).to_have_url(re.compile(r"/articles/[0-9a-f]+$"), timeout=120_000)
    playwright.expect(page.locator("#article-text")).to_have_text(ARTICLE)
    playwright.expect(page.locator("#article-link")).to_be_visible()
    saved = page.url.rsplit("/", 1)[-1]
    page.goto(writable_server)
    playwright.expect(page.locator("ul.documents li")).to_have_count(6)
    playwright.expect(page.locator(f"ul.documents a[href='/articles/{saved}']")).to_have_count(1)


def test_read_only_server_says_how_to_save(page: playwright.Page, server: str) -> None:
    page.goto(server)
    page.fill("#article-input", ARTICLE)
    page.click("#extract-button")
    playwright.expect(page.locator("#save-off")).to_contain_text("--writable", timeout=120_000)
    assert page.locator("#save-button").count() == 0


def test_ingest_while_serve_has_the_database_open(page: playwright.Page, tmp_path: Path) -> None:
    """`dateline ingest` writes the file `dateline serve` is serving; the new article shows in the UI."""
    db = build(tmp_path / "live.duckdb")
    article = tmp_path / "council.txt"
    article.write_text(
        "Council approves new harbour wall\n\nThe harbour council approved a new sea wall on Monday.\n",
        encoding="utf-8",
    )
    port = free_port()
    serve = subprocess.Popen(
        [sys.executable, "-m", "dateline", "serve", "--db", str(db), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                if page.request.get(f"{url}/info").ok:
                    break
            except playwright.Error:
                pass
            assert time.monotonic() < deadline and serve.poll() is None, "the server did not start"
            time.sleep(0.2)
        page.goto(url)
        playwright.expect(page.locator("ul.documents li")).to_have_count(5)
        ingest = subprocess.Popen(
            [sys.executable, "-m", "dateline", "ingest", str(article), "--db", str(db), "--no-facts"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        # the page keeps asking the server while the writer runs: both get their turn
        while ingest.poll() is None:
            assert page.request.get(f"{url}/documents").ok
            time.sleep(0.1)
        _, err = ingest.communicate()
        assert ingest.returncode == 0, err
        assert "1 new of 1 documents stored" in err
        assert "lock" not in err.lower()
        page.reload()
        playwright.expect(page.locator("ul.documents li")).to_have_count(6)
        page.click("text=Council approves new harbour wall")
        playwright.expect(page.locator("#article-text")).to_contain_text("approved a new sea wall")
        shot(page, "ingested-while-serving")
    finally:
        serve.terminate()
        serve.wait(timeout=30)
    assert serve.stderr is not None and "Traceback" not in serve.stderr.read()
