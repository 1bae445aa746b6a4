"""Accounts: admin needs a second factor, never sets anyone's password, and can't mint a case reader quietly."""

from __future__ import annotations

import email
import email.policy
import re
from collections.abc import Iterator

import pyotp
import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SMTPSession
from sqlalchemy import select

from casebook.app import create_app
from core.access.models import AuditEntry, User
from tests.casebook.conftest import PASSWORD, csrf_of, sign_in
from tests.conftest import free_port

NEW_PASSWORD = "a brand new long password"


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str]] = []
        self.port = 0

    async def handle_DATA(self, server: SMTP, session: SMTPSession, envelope: Envelope) -> str:
        body = email.message_from_bytes(envelope.content, policy=email.policy.default).get_content()
        self.messages.append((envelope.rcpt_tos, body))
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[Inbox]:
    box, port = Inbox(), free_port()
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    box.port = port
    yield box
    controller.stop()


@pytest.fixture
def admin_app(settings, inbox):
    app = create_app(settings.model_copy(update=dict(smtp_host="127.0.0.1", smtp_port=inbox.port)))
    app.config["TESTING"] = True
    return app


def _admin(app, add_user):
    client = app.test_client()
    sign_in(client, add_user("ada", "admin"))
    return client


def _create(client, **form: str):
    token = csrf_of(client.get("/casebook/admin/users").get_data(as_text=True))
    return client.post("/casebook/admin/users", data={"csrf_token": token, **form}, follow_redirects=True)


def test_admin_without_an_authenticator_must_enrol_before_managing_users(admin_app, add_user) -> None:
    add_user("ada", "admin", with_totp=False)
    client = admin_app.test_client()
    page = client.get("/casebook/sign-in").get_data(as_text=True)
    r = client.post("/casebook/sign-in", data={"username": "ada", "password": PASSWORD, "csrf_token": csrf_of(page)})
    assert r.headers["Location"].endswith("/casebook/sign-in/enrol")
    assert client.get("/casebook/admin/users").status_code == 302


def test_a_new_deputy_sets_their_own_password_and_the_dsl_and_chair_are_told(admin_app, add_user, inbox, sessions):
    admin = _admin(admin_app, add_user)
    page = _create(
        admin, username="priya", role="deputy", member_id="deputy", password="admin chose this one"
    ).get_data(as_text=True)
    assert "e-mailed" in page
    with sessions() as s:
        priya = s.scalar(select(User).where(User.username == "priya"))
        actions = [a.action for a in s.scalars(select(AuditEntry))]
    assert "user.create" in actions and "user.setup_link" in actions
    # The admin's chosen password does nothing; the link went to the deputy, not to the admin's page.
    other = admin_app.test_client()
    token = csrf_of(other.get("/casebook/sign-in").get_data(as_text=True))
    refused = other.post(
        "/casebook/sign-in", data={"username": "priya", "password": "admin chose this one", "csrf_token": token}
    )
    assert refused.status_code == 401
    (to_deputy, mail), (to_watchers, alert) = inbox.messages
    assert to_deputy == ["deputy@example.org"] and "priya" in alert
    assert sorted(to_watchers) == sorted(["dsl@example.org", "chair@example.org"])
    link = re.search(r"(/casebook/setup/\S+)", mail).group(1)
    assert link.split("/")[-1] not in page
    form = other.get(link).get_data(as_text=True)
    data = {"password": NEW_PASSWORD, "again": NEW_PASSWORD, "csrf_token": csrf_of(form)}
    assert other.post(link, data=data).status_code == 302
    assert other.post(link, data=data).status_code == 400  # once only
    token = csrf_of(other.get("/casebook/sign-in").get_data(as_text=True))
    ok = other.post("/casebook/sign-in", data={"username": "priya", "password": NEW_PASSWORD, "csrf_token": token})
    assert ok.headers["Location"].endswith("/casebook/sign-in/enrol") and priya.password_hash


def test_member_ids_are_checked_and_belong_to_one_account(admin_app, add_user, inbox, sessions) -> None:
    add_user("sam", "dsl", "dsl")
    admin = _admin(admin_app, add_user)
    for form in (
        {"username": "x1", "role": "deputy", "member_id": "nobody"},
        {"username": "x2", "role": "deputy", "member_id": ""},
        {"username": "x3", "role": "deputy", "member_id": "dsl"},  # a deputy posing as the DSL
        {"username": "x4", "role": "dsl", "member_id": "dsl"},  # a second account for the DSL
    ):
        assert "Not created" in _create(admin, **form).get_data(as_text=True), form
    with sessions() as s:
        assert s.scalars(select(User.username).where(User.username.like("x%"))).all() == []
    assert inbox.messages == []


def test_nothing_is_created_when_the_dsl_and_chair_cannot_be_told(settings, add_user, sessions) -> None:
    app = create_app(settings.model_copy(update=dict(smtp_host="127.0.0.1", smtp_port=free_port())))
    admin = _admin(app, add_user)
    assert "Not created" in _create(admin, username="priya", role="deputy", member_id="deputy").get_data(as_text=True)
    with sessions() as s:
        assert s.scalar(select(User).where(User.username == "priya")) is None


def test_people_change_their_own_password(app, add_user, sessions) -> None:
    user = add_user("sam", "dsl", "dsl")
    client = app.test_client()
    sign_in(client, user)
    page = client.get("/casebook/account/password").get_data(as_text=True)
    wrong = {"current": "not it at all", "password": NEW_PASSWORD, "again": NEW_PASSWORD, "csrf_token": csrf_of(page)}
    assert client.post("/casebook/account/password", data=wrong).status_code == 400
    right = {**wrong, "current": PASSWORD}
    assert client.post("/casebook/account/password", data=right).status_code == 302
    assert client.get("/casebook/cases/").status_code == 302  # sessions end with the change
    with sessions() as s:
        assert "user.set_password" in [a.action for a in s.scalars(select(AuditEntry))]
    fresh = app.test_client()
    token = csrf_of(fresh.get("/casebook/sign-in").get_data(as_text=True))
    r = fresh.post("/casebook/sign-in", data={"username": "sam", "password": NEW_PASSWORD, "csrf_token": token})
    assert r.status_code == 302 and pyotp
