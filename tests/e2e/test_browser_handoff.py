"""In a browser, the whole handoff as `make run` serves it: a report typed in the web chat (the app
casebook/wsgi.py builds, talking to the served engine) → the notifier e-mails the DSL at the local mail
sink (devtools/mailsink.py, a real SMTP server) → the link on the sink's page, opened in a fresh browser,
leads through sign-in and the six-digit code to that case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime

import pyotp
import pytest
from playwright.sync_api import Page, expect

from bench import report_flow
from bench.report_flow import RICH
from casebook.app import create_app
from core.access.models import User
from core.access.passwords import hash_password
from core.settings import Settings
from core.store.base import open_store
from tests.conftest import free_port, serve_wsgi
from tests.e2e.conftest import ENGINE

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not ENGINE, reason="needs a served assistant (scripts/test.sh sets SG_E2E_ENGINE_URL)"),
]
PASSWORD = "correct horse battery staple"


@pytest.fixture
def dsl_user() -> tuple[str, str]:
    """A DSL with an authenticator, in the served assistant's database: (username, TOTP secret)."""
    username, secret = f"dsl-{free_port()}", pyotp.random_base32()
    fields = {"role": "dsl", "member_id": "dsl", "totp_last_step": 0, "session_version": 1, "active": True}
    sessions = open_store(Settings())
    with sessions.begin() as s:
        s.add(
            User(
                username=username,
                password_hash=hash_password(PASSWORD),
                totp_secret=secret,
                created_at=datetime.now(UTC),
                **fields,
            )
        )
    return username, secret


def chat_turn(page: Page, text: str | None = None, *, button: str | None = None) -> str:
    """Type a message (or tap a button) and return the assistant's reply once it has arrived."""
    before = page.locator(".msg.bot").count()
    if button:
        page.get_by_role("button", name=button).last.click()
    else:
        page.get_by_label("Your message").fill(text or "")
        page.get_by_role("button", name="Send").click()
    expect(page.locator("#status")).to_have_text("", timeout=30_000)
    bots = page.locator(".msg.bot")
    assert bots.count() > before, "no reply"
    return "\n".join(bots.nth(i).inner_text() for i in range(before, bots.count()))


def test_a_report_in_the_web_chat_reaches_the_dsl_whose_link_opens_the_case_after_sign_in(
    browser, mail_sink, dsl_user
) -> None:
    smtp_port, sink_url = mail_sink
    settings = Settings(rasa_url=ENGINE, secret_key="e2e-secret-key")
    with serve_wsgi(create_app(settings)) as site:
        chat = browser.new_context().new_page()
        chat.set_default_timeout(30_000)
        chat.goto(site + "/")
        reply = chat_turn(chat, RICH.opening)
        reply = chat_turn(chat, button="Yes, take the report")
        for _ in range(12):
            key = report_flow.question_in(reply)
            if key == "confirm":
                break
            reply = chat_turn(chat, RICH.answer(key or "none"))
        reply = chat_turn(chat, button="Send it to the DSL")
        reference = report_flow.reference_in(reply)
        assert reference, reply

        env = {**os.environ, "SG_SMTP_HOST": "127.0.0.1", "SG_SMTP_PORT": str(smtp_port), "SG_CASEBOOK_URL": site}
        deadline = time.monotonic() + 60
        mine: list = []
        while not mine and time.monotonic() < deadline:
            subprocess.run([sys.executable, "-m", "channels.notifier", "--once"], env=env, timeout=60)
            messages = json.loads(urllib.request.urlopen(sink_url + "/messages.json", timeout=5).read())
            mine = [m for m in messages if reference in m["subject"]]
        assert mine, "the DSL's notification did not reach the mail sink"

        # A fresh browser: the DSL, signed out, follows the link from the sink's page.
        dsl = browser.new_context().new_page()
        dsl.set_default_timeout(15_000)
        dsl.goto(sink_url + "/")
        dsl.get_by_role("link", name=f"{site}/casebook/cases/{reference}").click()
        username, secret = dsl_user
        dsl.get_by_label("Username").fill(username)
        dsl.get_by_label("Password").fill(PASSWORD)
        dsl.get_by_role("button", name="Continue").click()
        dsl.get_by_label("Six-digit code").fill(pyotp.TOTP(secret).now())
        dsl.get_by_role("button", name="Sign in").click()
        expect(dsl).to_have_url(f"{site}/casebook/cases/{reference}")
        expect(dsl.locator("body")).to_contain_text(reference)
