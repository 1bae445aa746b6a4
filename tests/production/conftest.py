"""Fixtures for the production-profile tests: the handoff's keys, profile and SMTP server, and
PostgreSQL only (several notifiers at once, and the spool's exactly-once, are PostgreSQL guarantees)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.conftest import PG_ADMIN_URL, pg_database
from tests.handoff.conftest import encryption_key, profile, settings, smtp, sqlite_sessions  # noqa: F401 (fixtures)


@pytest.fixture
def pg_url(pg_available: bool) -> Iterator[str]:
    if not pg_available:
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    with pg_database() as url:
        yield url
