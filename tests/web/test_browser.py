"""The pages in real headless Chromium (Debian's, driven by Playwright) against uvicorn on a
random loopback port: story list, a story built from real articles, highlighting a conflict in
each source, the compare form, and a stored article full of script payloads that must not run.
Screenshots go to artifacts/web/ for a person to look at."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from newsprism.cli import sample_dir
from tests.web.conftest import ARTIFACTS, WebCase

CHROMIUM = Path("/usr/bin/chromium")
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() or shutil.which("chromium") is None,
    reason="Debian chromium is not installed: run scripts/ensure-chromium.sh",
)


@pytest.fixture(scope="module")
def base_url(web_case: WebCase) -> Iterator[str]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(web_case.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser(base_url: str) -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS, headless=True)
        real_new_page = b.new_page

        def new_page(**kwargs: object) -> object:
            # A story's first brief loads the models (tens of seconds on a busy 2-core machine).
            page = real_new_page(**kwargs)  # type: ignore[arg-type]
            page.set_default_timeout(180_000)
            page.set_default_navigation_timeout(180_000)
            return page

        b.new_page = new_page  # type: ignore[method-assign]
        yield b
        b.close()


def test_story_list_then_story_then_conflict(
    browser: object, base_url: str, web_case: WebCase
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/?order=biggest")
    first = page.locator("ol.stories li.story").first
    expect(first).to_contain_text("Carverton")
    expect(first.locator("ul.outlets li")).to_have_count(4)
    expect(first).to_contain_text("independent origin")
    page.screenshot(path=str(ARTIFACTS / "story-list.png"), full_page=True)
    # keyboard: the search box is labelled and reachable
    page.get_by_label("Search stories").fill("derailment")
    page.keyboard.press("Enter")
    expect(page.locator("ol.stories li.story").first).to_contain_text("Carverton")

    page.goto(base_url + "/?order=biggest")
    first.locator("h2 a").click()
    page.wait_for_url(f"**/stories/{web_case.derailment}")
    conflict = page.locator('button[data-item^="conf-"]').first
    expect(conflict).to_be_visible(timeout=30_000)
    conflict.click()
    expect(conflict).to_have_attribute("aria-pressed", "true")
    item = conflict.get_attribute("data-item")
    hit_boxes = page.evaluate(
        """(item) => {
            const marks = [...document.querySelectorAll('mark.hit')].filter(m =>
                m.dataset.items.split(' ').some(t => t === item || t.startsWith(item + '.v')));
            return [...new Set(marks.map(m => m.closest('.text').dataset.label))];
        }""",
        item,
    )
    assert len(hit_boxes) >= 2, hit_boxes  # both sides' spans, each in its own source
    expect(page.locator("#status")).to_contain_text("Highlighted in")
    page.screenshot(path=str(ARTIFACTS / "story-conflict.png"), full_page=False)
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    page.locator('button[data-item^="conf-"]').first.click()
    page.screenshot(path=str(ARTIFACTS / "story-phone.png"), full_page=False)
    page.close()


def test_compare_page_gives_a_brief(browser: object, base_url: str) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(base_url + "/compare")
    for n, name, outlet, when in (
        (1, "ovpr.txt", "Ohio Valley Public Radio", "2026-11-18 18:12 -05:00"),
        (2, "lakeshore-wire.txt", "Lakeshore Wire", "2026-11-18 06:05 -05:00"),
    ):
        page.locator(f"#article-{n}").fill((sample_dir() / name).read_text(encoding="utf-8"))
        page.get_by_label("Outlet").nth(n - 1).fill(outlet)
        page.get_by_label("Published").nth(n - 1).fill(when)
    page.locator("#url-2").fill("https://lakeshorewire.example/carverton")
    page.screenshot(path=str(ARTIFACTS / "compare-form-desktop.png"), full_page=True)
    page.get_by_role("button", name="Compare").click()
    page.wait_for_url("**/compare/c*", timeout=90_000)
    expect(page.locator("#h-conflicts")).to_be_visible(timeout=60_000)
    expect(page.locator(".source")).to_have_count(2)
    # each pasted article is named by its outlet, with its date
    expect(page.locator(".tabs")).to_contain_text("Ohio Valley Public Radio")
    expect(page.locator(".tabs")).to_contain_text("Lakeshore Wire")
    expect(page.locator("#source-S1, #source-S2").first).to_contain_text("2026-11-18")
    page.screenshot(path=str(ARTIFACTS / "compare-result-desktop.png"))
    # the result has an address: opened again (shared), it shows the same comparison
    shared = page.url
    other = browser.new_page(viewport={"width": 390, "height": 844})
    other.goto(shared)
    expect(other.locator("#h-conflicts")).to_be_visible()
    expect(other.locator("header.top")).to_contain_text(shared.split("/")[-1])
    _fits_phone(other)
    other.screenshot(path=str(ARTIFACTS / "compare-result-phone.png"))
    other.goto(base_url + "/compare")
    _fits_phone(other)
    other.screenshot(path=str(ARTIFACTS / "compare-form-phone.png"))
    other.close()
    page.close()


def test_script_payload_never_runs(browser: object, base_url: str, web_case: WebCase) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    for path in (f"/stories/{web_case.payload_story}", "/search?q=pantry", "/?q=pantry"):
        page.goto(base_url + path)
        page.wait_for_load_state("load")
        page.locator("body").click(position={"x": 5, "y": 5})
        for link in page.locator("mark, button[data-item]").all()[:5]:
            if link.is_visible():
                link.click()
        assert page.evaluate("() => window.__pwned === undefined"), path
    page.goto(base_url + f"/stories/{web_case.payload_story}")
    expect(page.locator(".source .text").first).to_contain_text("<script>window.__pwned = 1;")
    expect(page.locator(".source .text").first).to_contain_text('onerror="window.__pwned = 2"')
    page.screenshot(path=str(ARTIFACTS / "payload-story.png"), full_page=True)
    assert dialogs == []
    page.close()


def _fits_phone(page: object) -> None:
    """Nothing wider than the screen: no sideways scrolling on a phone."""
    from playwright.sync_api import Page

    assert isinstance(page, Page)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] if page.viewport_size else True, width


def test_story_list_shows_conflicts_at_desktop_and_phone(
    browser: object, base_url: str, web_case: WebCase, client: object
) -> None:
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    # The derailment has been briefed (opened) by now or is opened here: its marks are known.
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base_url + f"/stories/{web_case.derailment}")
    expect(page.locator("#h-conflicts")).to_be_visible(timeout=60_000)
    page.goto(base_url + "/?order=conflicts")
    first = page.locator("ol.stories li.story").first
    expect(first).to_contain_text("Carverton")
    expect(first.locator(".flags .badge.conflict")).to_be_visible()
    # The store is shared with the API tests, which may have added stories by now (xdist order).
    assert isinstance(client, TestClient)
    total = client.get("/api/stories").json()["total"]
    assert total >= 3
    expect(page.locator("#count")).to_contain_text(f"of {total}")
    page.screenshot(path=str(ARTIFACTS / "story-list-desktop.png"), full_page=True)
    # the filter keeps only stories with conflicts or updates
    page.locator("#has").select_option("any")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("ol.stories li.story")).to_have_count(1)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(base_url + "/?order=conflicts")
    _fits_phone(page)
    page.screenshot(path=str(ARTIFACTS / "story-list-phone.png"), full_page=True)
    page.close()


def test_first_conflict_evidence_in_one_screen(
    browser: object, base_url: str, web_case: WebCase
) -> None:
    """A reader reaches the first conflict and its evidence (each side's sentence), why it was
    flagged and the confidence, without scrolling, on a desktop screen; on a phone the page is
    no wider than the screen and a conflict is the first item."""
    from playwright.sync_api import Browser, expect

    assert isinstance(browser, Browser)
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.goto(base_url + f"/stories/{web_case.derailment}")
    card = page.locator("button.conflict-card").first
    expect(card).to_be_visible(timeout=60_000)
    for part in (card.locator(".side").first, card.locator(".side").nth(1), card.locator(".why")):
        box = part.bounding_box()
        assert box is not None and box["y"] + box["height"] <= 800, box
    expect(card.locator(".why")).to_contain_text("Why flagged")
    expect(card.locator(".confidence")).to_contain_text("Confidence")
    assert page.evaluate("() => window.scrollY") == 0
    # no machine-shaped value or label reaches the reader
    text = page.locator("#brief").inner_text()
    assert "e+0" not in text and ": be" not in text
    # selecting it shows its source in the full-height pane, with the passages counted
    card.click()
    pane = page.locator("article.source.shown")
    expect(pane).to_have_count(1)
    pane_box = pane.bounding_box()
    assert pane_box is not None and pane_box["height"] > 500, pane_box
    expect(page.locator(".tab .hits").first).not_to_be_empty()
    page.screenshot(path=str(ARTIFACTS / "story-desktop.png"))
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator("button.conflict-card").first).to_be_visible()
    _fits_phone(page)
    first_item = page.locator("#brief button.item").first
    assert "conflict-card" in (first_item.get_attribute("class") or "")
    page.screenshot(path=str(ARTIFACTS / "story-phone.png"))
    # the phone page holds one source at a time, not every source's whole text
    height = page.evaluate("() => document.documentElement.scrollHeight")
    assert height < 20_000, height
    page.close()


def test_api_docs_work_with_the_network_off(browser: object, base_url: str) -> None:
    from playwright.sync_api import Browser, Route, expect

    assert isinstance(browser, Browser)
    for name, viewport in (
        ("desktop", {"width": 1280, "height": 800}),
        ("phone", {"width": 390, "height": 844}),
    ):
        context = browser.new_context(viewport=viewport)
        elsewhere: list[str] = []

        def offline(route: Route, elsewhere: list[str] = elsewhere) -> None:
            if route.request.url.startswith(base_url):
                route.continue_()
            else:  # the network is off: anything not on this server fails
                elsewhere.append(route.request.url)
                route.abort()

        context.route("**/*", offline)
        page = context.new_page()
        page.goto(base_url + "/docs")
        expect(page.locator(".swagger-ui .info .title")).to_contain_text(
            "newsprism", timeout=30_000
        )
        expect(page.locator(".opblock").first).to_be_visible()
        page.screenshot(path=str(ARTIFACTS / f"docs-{name}.png"))
        assert elsewhere == [], elsewhere
        context.close()
