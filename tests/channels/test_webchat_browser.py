"""The web chat in headless Chromium: typing, keyboard-only use, buttons, a 375px-wide screen."""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect, sync_playwright
from werkzeug.serving import make_server

from channels.webapp import create_app
from tests.conftest import ROOT, free_port

pytestmark = pytest.mark.browser
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]  # fmt: skip
SCREENSHOT = Path("/tmp/webchat-375.png")


@pytest.fixture
def site(settings) -> Iterator[str]:
    port = free_port()
    server = make_server("127.0.0.1", port, create_app(settings=settings), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/"
    server.shutdown()
    thread.join(5)


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        subprocess.run(["bash", str(ROOT / "scripts" / "browser.sh")], check=True, timeout=600)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, timeout=30_000)
        yield browser
        browser.close()


@pytest.fixture
def page(browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 375, "height": 740})
    page = context.new_page()
    page.set_default_timeout(5_000)
    yield page
    context.close()


def test_type_and_see_the_reply(page, site, fake_rasa):
    page.goto(site)
    page.get_by_label("Your message").fill("hello there")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("log")).to_contain_text("You said: hello there")


def test_keyboard_only_with_buttons_at_375px(page, site, fake_rasa):
    rasa, _ = fake_rasa
    page.goto(site)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Quick exit")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.type("menu")
    page.keyboard.press("Enter")
    expect(page.get_by_role("button", name="I need help")).to_be_visible()
    expect(page.get_by_label("Your message")).to_be_focused()
    page.keyboard.press("Shift+Tab")  # back from the message box to the last choice
    expect(page.get_by_role("button", name="I need help")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("log")).to_contain_text("You said: /need_help")
    assert rasa.received[-1]["message"] == "/need_help"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"page scrolls sideways at 375px ({width}px)"
    page.screenshot(path=str(SCREENSHOT), full_page=True)


def test_engine_down_still_shows_safety_information(page, site, fake_rasa):
    page.goto(site)
    page.get_by_label("Your message").fill("boom")
    page.keyboard.press("Enter")
    expect(page.get_by_role("log")).to_contain_text("If anyone is in immediate danger, call 999 now.")


def test_quick_exit_leaves_the_page(page, site):
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(body="weather", content_type="text/plain"))
    page.goto(site)
    page.get_by_role("button", name="Quick exit").click()
    page.wait_for_url("https://www.bbc.co.uk/weather")
    page.go_back()  # the chat was replaced in history, so Back does not return to it
    assert not page.url.startswith(site)
