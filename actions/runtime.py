"""What every action needs, loaded once per process: settings, the organisation profile, the database."""

from __future__ import annotations

from datetime import datetime, timezone
from functools import lru_cache

from sqlalchemy.orm import sessionmaker

from core.profile import Profile, load_profile
from core.settings import Settings
from core.store.base import make_engine, make_sessionmaker


def now() -> datetime:
    """The clock every action reads (one place to pin it in tests)."""
    return datetime.now(timezone.utc)


def settings() -> Settings:
    return Settings.from_env()


@lru_cache(maxsize=4)
def _profile_at(path: str) -> Profile:
    return load_profile(path)


def profile() -> Profile:
    return _profile_at(str(settings().org_profile))


@lru_cache(maxsize=4)
def _sessions_for(url: str) -> sessionmaker:
    # A short connect timeout: if the database is down the reporter gets the spool and phone numbers fast.
    connect_args = {"connect_timeout": 3} if url.startswith("postgresql") else {"timeout": 5}
    return make_sessionmaker(make_engine(url, connect_args=connect_args))


def sessions() -> sessionmaker:
    return _sessions_for(settings().database_url)
