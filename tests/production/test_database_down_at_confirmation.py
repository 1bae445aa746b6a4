"""PostgreSQL goes down just as a reporter confirms: the concern is spooled (encrypted), and stored exactly
once when the database returns, even with two notifiers draining the spool and the turn retried."""

from __future__ import annotations

import asyncio
import contextlib
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select
from sqlalchemy import text as sql

from actions import runtime
from core.delivery.worker import Worker
from core.settings import Settings
from core.store import spool
from core.store.base import make_engine, make_sessionmaker
from core.store.migrate import upgrade
from core.store.models import Concern, OutboxMessage
from tests.handoff.conftest import IN_HOURS, SECRET_WORDS
from tests.handoff.test_actions import ANSWERS, submit
from tests.production.faults import CuttableProxy


@pytest.fixture
def proxied_pg(pg_url: str, monkeypatch: pytest.MonkeyPatch, org_profile_path):
    """The test database behind a proxy the test can cut; the action server's settings point at the proxy."""
    upgrade(pg_url)
    target = urlsplit(pg_url)
    proxy = CuttableProxy(target.hostname or "127.0.0.1", target.port or 5432).restore()
    url = pg_url.replace(f"{target.hostname}:{target.port}", f"127.0.0.1:{proxy.port}")
    monkeypatch.setenv("SG_DATABASE_URL", url)
    monkeypatch.setenv("SG_ORG_PROFILE", str(org_profile_path))
    monkeypatch.setattr(runtime, "now", lambda: IN_HOURS)
    runtime.configure(Settings())  # as actions/server.py does, from this environment
    yield proxy, url
    proxy.cut()


def test_database_down_at_confirmation_is_spooled_then_stored_exactly_once(proxied_pg, profile):
    proxy, url = proxied_pg
    settings = Settings()
    directory = spool.spool_dir(settings)
    with runtime.sessions()() as s:  # the action server's pool holds a live connection, as it would
        s.execute(sql("SELECT 1"))

    proxy.cut()  # PostgreSQL unreachable, and the pooled connection is dead
    confirmed = {**ANSWERS, "summary_confirmed": True, "reporter_name": "Second Reporter"}
    _, text = asyncio.run(submit(confirmed))
    assert "saved safely" in text and "07700 900123" in text and "SG-" not in text
    asyncio.run(submit(confirmed))  # the same turn retried while still down: still one spooled concern
    [path] = spool.pending(directory)
    assert SECRET_WORDS.encode() not in path.read_bytes()

    proxy.restore()
    engine = make_engine(url)
    sessions = make_sessionmaker(engine)
    workers = [Worker(sessions, profile, settings, {}) for _ in range(2)]
    with ThreadPoolExecutor(2) as pool:  # two notifiers drain the same spool at once
        list(pool.map(_drain_quietly, workers))
    workers[0].drain_spool()  # whatever a losing drain left behind
    workers[1].drain_spool()
    assert spool.pending(directory) == []
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Concern)) == 1
        stored = s.scalar(select(Concern).where(Concern.reference == "SG-2026-0001"))
        assert stored.reporter_name == "Second Reporter" and stored.child_words == SECRET_WORDS
        assert (
            s.scalar(select(func.count()).select_from(OutboxMessage).where(OutboxMessage.concern_id == stored.id)) == 1
        )
    engine.dispose()


def _drain_quietly(worker: Worker) -> None:
    # The loser of the race sees the winner's row; the next round tidies the file.
    with contextlib.suppress(Exception):
        worker.drain_spool()
