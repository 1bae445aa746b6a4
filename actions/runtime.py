"""What every action needs, set once per process by the action server (actions/server.py): settings, the
organisation profile, the database. rasa-sdk makes the actions itself, so they cannot be handed these."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache

from sqlalchemy.orm import sessionmaker

from core.profile import Profile, profile_for
from core.settings import Settings
from core.store.base import open_store

_settings: Settings | None = None


def configure(settings: Settings) -> None:
    """Called by the entry point (and by tests, as the entry point would)."""
    global _settings
    _settings = settings


def now() -> datetime:
    """The clock every action reads (one place to pin it in tests)."""
    return datetime.now(UTC)


def settings() -> Settings:
    if _settings is None:
        raise RuntimeError("actions.runtime.configure(settings) was not called by the entry point")
    return _settings


@lru_cache(maxsize=4)
def _profile_of(settings: Settings) -> Profile:
    return profile_for(settings)


def profile() -> Profile:
    return _profile_of(settings())


@lru_cache(maxsize=4)
def _sessions_for(current: Settings) -> sessionmaker:
    # A short connect timeout: if the database is down the reporter gets the spool and phone numbers fast.
    connect_args = {"connect_timeout": 3} if current.database_url.startswith("postgresql") else {"timeout": 5}
    return open_store(current, connect_args=connect_args)


def sessions() -> sessionmaker:
    return _sessions_for(settings())
