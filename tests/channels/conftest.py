"""Fixtures for channel tests: settings pointing at local fakes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.profile import Profile, load_profile
from core.settings import Settings
from tests.channels.fakes import FakeRasa, ServerThread


@pytest.fixture
def fake_rasa() -> Iterator[tuple[FakeRasa, ServerThread]]:
    rasa = FakeRasa()
    with ServerThread(rasa.app) as server:
        yield rasa, server


@pytest.fixture
def settings(fake_rasa: tuple[FakeRasa, ServerThread], org_profile_path: Path, sqlite_url: str) -> Settings:
    return Settings(
        rasa_url=fake_rasa[1].url, org_profile=org_profile_path, secret_key="test-secret", database_url=sqlite_url
    )


@pytest.fixture
def profile(org_profile_path: Path) -> Profile:
    return load_profile(org_profile_path)


@pytest.fixture(autouse=True)
def short_engine_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SG_ENGINE_TIMEOUT", "1")
