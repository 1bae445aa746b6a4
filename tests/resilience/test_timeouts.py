"""Issue 14, finding 10: a save that waited 5.2 s on a locked SQLite database succeeded, but the gateway had
given up at 6 s and the person saw only the static message. Each wait must be longer than the one inside it."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import text

from core.settings import Settings
from core.store.base import make_engine
from tests.conftest import ROOT


def test_the_gateway_outwaits_the_action_call_which_outwaits_the_database(
    sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("SG_ENGINE_TIMEOUT", "SG_ACTION_TIMEOUT"):
        monkeypatch.delenv(name, raising=False)
    engine = make_engine(sqlite_url, connect_args={"timeout": 5})  # as actions/runtime.py opens it
    with engine.connect() as conn:
        database_wait = conn.execute(text("PRAGMA busy_timeout")).scalar() / 1000
    engine.dispose()
    # bot/channel.py runs in the engine's environment (Rasa is not installed here): read its default.
    source = (ROOT / "bot" / "channel.py").read_text()
    found = re.search(r'"SG_ACTION_TIMEOUT", "(\d+)"', source)
    assert found, "bot/channel.py no longer reads SG_ACTION_TIMEOUT"
    action_wait = float(found[1])
    gateway_wait = Settings().engine_timeout
    # A second for the engine's own work on each side.
    assert database_wait + 1 < action_wait
    assert action_wait + 2 < gateway_wait
