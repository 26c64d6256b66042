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
    expect(first.locator("ul.outlets li")).to_have_count(3)
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
    for n, name in ((1, "ovpr.txt"), (2, "lakeshore-wire.txt")):
        page.get_by_label(f"Article {n}", exact=False).first.fill(
            (sample_dir() / name).read_text(encoding="utf-8")
        )
    page.screenshot(path=str(ARTIFACTS / "compare-form.png"))
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("#h-conflicts")).to_be_visible(timeout=60_000)
    expect(page.locator(".source")).to_have_count(2)
    page.screenshot(path=str(ARTIFACTS / "compare-brief.png"))
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
