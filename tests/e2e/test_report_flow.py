"""The whole handoff through the REST channel, against a served assistant
(scripts/test.sh serves the freshly trained model and sets SG_E2E_ENGINE_URL):
guidance, the report form with a danger interruption, confirmation, the stored
record, and the DSL's e-mail from the notifier through a real SMTP server."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from bench import report_flow
from bench.report_flow import ANSWERS, CHILD_WORDS
from casebook.profile import load_profile
from casebook.settings import Settings
from casebook.store.base import make_engine, make_sessionmaker
from casebook.store.concerns import find_by_reference
from tests.conftest import free_port

ENGINE = os.environ.get("SG_E2E_ENGINE_URL", "")
pytestmark = pytest.mark.skipif(not ENGINE, reason="needs a served assistant (scripts/test.sh sets SG_E2E_ENGINE_URL)")


class Conversation(report_flow.Conversation):
    def __init__(self) -> None:
        super().__init__(ENGINE)


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message) -> None:  # type: ignore[no-untyped-def]
        self.messages.append(message)


def test_a_report_taken_in_chat_is_stored_and_reaches_the_dsl_without_detail() -> None:
    chat = Conversation()
    first = chat.say(report_flow.OPENING)
    assert "999" in first and "DSL" in first and "exact words" in first

    assert "immediate danger" in chat.say("yes, take the report")  # the form's first question
    replies = [chat.say(answer) for answer in ANSWERS[:3]]
    # A danger message mid-form gets 999 at once, and the form carries on.
    interrupted = chat.say("wait, her dad is outside the hall now with a knife shouting he'll kill her")
    assert "999" in interrupted
    assert "phone number or e-mail" in interrupted
    replies += [chat.say(answer) for answer in ANSWERS[3:]]
    read_back = replies[-1]
    assert "daddy hits me with his belt" in read_back
    confirmation = chat.say("/affirm")
    reference = report_flow.reference_in(confirmation)
    assert reference

    settings = Settings.from_env()
    sessions = make_sessionmaker(make_engine(settings.database_url))
    with sessions() as session:
        concern = find_by_reference(session, reference)
        assert concern is not None
        assert concern.child_words == CHILD_WORDS
        assert concern.category == "physical"

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = {**os.environ, "SG_SMTP_HOST": "127.0.0.1", "SG_SMTP_PORT": str(port)}
        deadline = time.monotonic() + 30
        while not inbox.messages and time.monotonic() < deadline:
            subprocess.run(
                [sys.executable, "-m", "casebook.delivery.worker", "--once"], env=env, check=True, timeout=60
            )
    finally:
        controller.stop()
    assert inbox.messages, "the DSL was not e-mailed"
    mail = message_from_bytes(inbox.messages[0].as_bytes())
    body = mail.get_payload(decode=True) if not mail.is_multipart() else mail.get_payload(0).get_payload(decode=True)
    text = (mail["Subject"] or "") + body.decode()
    assert reference in text
    dsl_email = load_profile(Path(settings.org_profile)).dsl.email
    assert dsl_email in mail["To"]
    for detail in ("belt", "bruise", "Jo Example", "A.B.", "daddy"):
        assert detail not in text
