"""The whole handoff through the REST channel, against a served assistant (see conftest.py): realistic
reporters (bench/report_flow.py) from their first message to a stored record, a danger interruption
mid-form, the DSL's e-mail through a real SMTP server, and the action server down at confirmation."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from email import message_from_bytes
from email.message import Message as Mail
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.handlers import Message

from bench import report_flow
from bench.report_flow import PARENT, RICH, SPARSE
from core.profile import load_profile
from core.settings import Settings
from core.store.base import open_store
from core.store.concerns import find_by_reference
from core.store.models import Concern
from tests.conftest import free_port
from tests.e2e.conftest import ENGINE

pytestmark = pytest.mark.skipif(not ENGINE, reason="needs a served assistant (scripts/test.sh sets SG_E2E_ENGINE_URL)")


class Inbox(Message):
    def __init__(self) -> None:
        super().__init__()
        self.messages: list = []

    def handle_message(self, message: Mail) -> None:
        self.messages.append(message)


def stored(reference: str) -> Concern:
    sessions = open_store(Settings())
    with sessions() as session:
        concern = find_by_reference(session, reference)
        assert concern is not None
        session.expunge(concern)
        return concern


def delivered(reference: str) -> str:
    """Run the notifier against a real SMTP server until the DSL's e-mail about `reference` arrives; its text."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        env = {**os.environ, "SG_SMTP_HOST": "127.0.0.1", "SG_SMTP_PORT": str(port)}
        deadline = time.monotonic() + 30
        while not mail_about(inbox, reference) and time.monotonic() < deadline:
            subprocess.run([sys.executable, "-m", "channels.notifier", "--once"], env=env, check=True, timeout=60)
    finally:
        controller.stop()
    mail = mail_about(inbox, reference)
    assert mail is not None, "the DSL was not e-mailed"
    settings = Settings()
    assert load_profile(Path(settings.org_profile)).dsl.email in mail["To"]
    body = mail.get_payload(decode=True) if not mail.is_multipart() else mail.get_payload(0).get_payload(decode=True)
    return (mail["Subject"] or "") + "\n" + body.decode()


def mail_about(inbox: Inbox, reference: str) -> Mail | None:
    mails = [message_from_bytes(m.as_bytes()) for m in inbox.messages]
    return next((m for m in mails if reference in (m["Subject"] or "")), None)


def test_the_first_messages_facts_reach_the_record_without_being_asked_again() -> None:
    outcome = report_flow.run(ENGINE, RICH)
    assert outcome.reference, outcome.replies[-1]
    for fact in ("words", "age", "when", "danger", "category", "about_staff", "setting"):
        assert fact not in outcome.asked, f"asked again for {fact}: {outcome.asked}"
    assert outcome.turns <= 10
    concern = stored(outcome.reference)
    assert concern.child_words == "he hits me with his belt when mum's not there and I'm scared to go home"
    assert concern.child_age == 13 and concern.category == "physical" and concern.immediate_danger is False
    assert concern.about_staff is False and concern.child_name == "Jess" and concern.reporter_role == "mentor"

    text = delivered(outcome.reference)
    assert f"/casebook/cases/{outcome.reference}" in text
    for detail in ("belt", "Jess", "Jo Example", "stepdad", "scared"):
        assert detail not in text


def test_a_reporter_with_few_facts_answering_in_sentences_and_negations_reaches_a_sent_record() -> None:
    # A danger message mid-form gets 999 at once, and the form carries on.
    reporter = report_flow.Reporter(
        SPARSE.label,
        SPARSE.opening,
        SPARSE.knows,
        interruptions={4: "wait, his brother's mates are outside the school gate now with a knife"},
    )
    outcome = report_flow.run(ENGINE, reporter)
    interrupted = outcome.replies[5]
    assert "999" in interrupted and "name (or just initials) and age" in interrupted
    assert outcome.reference, outcome.replies[-1]
    concern = stored(outcome.reference)
    assert concern.child_words == SPARSE.knows["words"].strip('"')
    assert concern.immediate_danger is False and concern.child_age == 13 and concern.category == "cce"
    assert concern.present == "nobody else" and concern.reporter_contact == "sam.teacher@example.org"


def test_with_the_action_server_down_at_confirmation_the_person_gets_the_dsls_number_and_can_send_again(
    action_server,
) -> None:
    chat = report_flow.Conversation(ENGINE)
    reply = chat.say(RICH.opening)
    reply = chat.say("/report_concern")
    for _ in range(12):
        key = report_flow.question_in(reply)
        if key == "confirm":
            break
        reply = chat.say(RICH.answer(key or "none"))
    assert "Here is what I have recorded" in reply

    action_server.stop()
    try:
        sending = chat.say("/affirm")
    finally:
        action_server.start()
    dsl = load_profile(Path(Settings().org_profile)).dsl
    assert "NOT been sent" in sending and dsl.phone in sending and "999" in sending
    assert report_flow.reference_in(sending) is None

    again = chat.say("yes")
    reference = report_flow.reference_in(again)
    assert reference, again
    assert stored(reference).child_words.startswith("he hits me with his belt")


def test_a_parent_is_asked_a_parents_questions_and_the_record_takes_the_lado_route() -> None:
    outcome = report_flow.run(ENGINE, PARENT)
    assert outcome.reference, outcome.replies[-1]
    assert any("Your child's first name" in reply for reply in outcome.replies)
    assert "about_staff" not in outcome.asked and "when" not in outcome.asked
    concern = stored(outcome.reference)
    assert concern.reporter_role == "parent" and concern.about_staff is True and concern.category == "online"
    assert concern.reporter_name == "Alex Parent" and concern.child_age == 12
