"""The web chat in headless Chromium: typing, keyboard-only use, buttons, a 375px-wide screen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from casebook.app import create_app
from tests.conftest import serve_wsgi

pytestmark = pytest.mark.browser
SCREENSHOT = Path("/tmp/webchat-375.png")


@pytest.fixture
def site(settings) -> Iterator[str]:
    with serve_wsgi(create_app(settings)) as url:
        yield url + "/"


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


def test_a_too_long_message_is_kept_whole_and_the_person_is_told(page, site, fake_rasa):
    # Issue 14, finding 6: maxlength cut pasted text off at 4,000 characters without a word.
    rasa, _ = fake_rasa
    page.goto(site)
    box = page.get_by_label("Your message")
    box.fill("x" * 4500)
    assert len(box.input_value()) == 4500
    expect(page.locator("#message-length")).to_contain_text("4,500 characters")
    page.keyboard.press("Enter")
    expect(page.locator("#message-length")).to_contain_text("shorter parts")
    assert rasa.received == [] and len(box.input_value()) == 4500
