"""Fixtures for the handoff: an encryption key, a migrated database, a profile and a real SMTP server."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SMTPSession
from sqlalchemy.orm import sessionmaker

from core.profile import Profile, load_profile
from core.settings import Settings
from core.store.base import make_engine, make_sessionmaker
from core.store.crypto import generate_key
from core.store.migrate import upgrade
from tests.conftest import free_port, use_keys

# A Tuesday, 10:00 in London: inside the example profile's office hours.
IN_HOURS = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)
# A Saturday night: outside them.
OUT_OF_HOURS = datetime(2026, 3, 14, 22, 0, tzinfo=UTC)

SECRET_WORDS = "He hit me with the belt again last night"

FIELDS = {
    "reporter_name": "Jo Reporter",
    "reporter_role": "mentor",
    "reporter_contact": "07700 900321",
    "child_name": "A.B.",
    "child_age": 12,
    "child_setting": "Tuesday football group",
    "child_words": SECRET_WORDS,
    "observed": "bruise on the left forearm",
    "category": "physical",
    "immediate_danger": False,
    "about_staff": False,
    "channel": "webchat",
}


@pytest.fixture(autouse=True)
def encryption_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> str:
    key = generate_key()
    use_keys(monkeypatch, key)
    monkeypatch.setenv("SG_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("SG_CASEBOOK_URL", "https://casebook.example.org")
    return key


@pytest.fixture
def profile(org_profile_path: Path) -> Profile:
    return load_profile(org_profile_path)


@pytest.fixture
def settings(encryption_key: str) -> Settings:
    return Settings()


@pytest.fixture
def sessions(database_url: str) -> Iterator[sessionmaker]:
    upgrade(database_url)
    engine = make_engine(database_url)
    yield make_sessionmaker(engine)
    engine.dispose()


@pytest.fixture
def sqlite_sessions(sqlite_url: str) -> Iterator[sessionmaker]:
    upgrade(sqlite_url)
    engine = make_engine(sqlite_url)
    yield make_sessionmaker(engine)
    engine.dispose()


class Inbox:
    """Collects what the SMTP server accepted."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], bytes, float]] = []

    async def handle_DATA(self, server: SMTP, session: SMTPSession, envelope: Envelope) -> str:
        self.messages.append((list(envelope.rcpt_tos), envelope.content, time.monotonic()))
        return "250 OK"

    def recipients(self) -> list[str]:
        return [r for rcpts, _, _ in self.messages for r in rcpts]


@pytest.fixture
def smtp(monkeypatch: pytest.MonkeyPatch) -> Iterator[Inbox]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SG_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SG_SMTP_PORT", str(port))
    yield inbox
    controller.stop()


def with_webhook(settings: Settings, url: str, secret: str = "test-secret") -> Settings:
    return settings.model_copy(update=dict(webhook_url=url, webhook_secret=secret))
