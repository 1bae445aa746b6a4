"""DSL acknowledgement against the real concern store (SQLite), as Telegram and Teams call it."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from channels.ack import REFUSAL, Acknowledger, parse_reference
from core.profile import load_profile
from core.settings import Settings
from core.store import registry
from core.store.base import make_engine, make_sessionmaker
from core.store.concerns import find_by_reference, record_concern
from core.store.crypto import generate_key
from tests.conftest import use_keys

NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)


@pytest.fixture
def acknowledger(monkeypatch, sqlite_url, org_profile_path):
    use_keys(monkeypatch, generate_key())
    engine = make_engine(sqlite_url)
    registry.metadata().create_all(engine)
    sessions = make_sessionmaker(engine)
    profile = load_profile(org_profile_path)
    with sessions.begin() as session:
        fields = {"category": "physical", "immediate_danger": False, "channel": "webchat"}
        reference = record_concern(session, fields, profile, NOW, settings=Settings()).reference
    yield Acknowledger(profile, sessions), sessions, reference
    engine.dispose()


def test_parse_reference():
    assert parse_reference("/ack sg-2026-0042") == "SG-2026-0042"
    assert parse_reference("ack SG-2026-0042") == "SG-2026-0042"
    assert parse_reference("/ack@sg_bot SG-2026-0042") == "SG-2026-0042"
    assert parse_reference("please ack SG-2026-0042 now") is None


async def test_team_member_acknowledges_through_the_store(acknowledger):
    ack, sessions, reference = acknowledger
    answer = await ack.handle("telegram", 700000002, reference)
    assert f"{reference} is acknowledged" in answer
    with sessions() as session:
        assert find_by_reference(session, reference).acknowledged_by == "deputy"


async def test_unknown_reference_and_strangers(acknowledger):
    ack, sessions, reference = acknowledger
    assert "could not find SG-2026-9999" in await ack.handle("teams", "29:example-dsl-aad-id", "SG-2026-9999")
    assert await ack.handle("telegram", 123, reference) == REFUSAL
    with sessions() as session:
        assert find_by_reference(session, reference).acknowledged_at is None
