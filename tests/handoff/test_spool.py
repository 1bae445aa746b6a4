"""The spool keeps concerns while the database is down and hands them over once it is back."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, select

from core.delivery.worker import Worker
from core.settings import Settings
from core.store import spool
from core.store.models import Concern, OutboxMessage
from tests.handoff.conftest import FIELDS, IN_HOURS, SECRET_WORDS


def test_spooled_concern_is_encrypted_on_disk_and_drained_once(tmp_path, sqlite_sessions, profile):
    directory = tmp_path / "spool"
    fields = {**FIELDS, "concern_at": IN_HOURS}
    client_id = spool.write(fields, IN_HOURS, Settings(), directory=directory)
    [path] = spool.pending(directory)
    raw = path.read_bytes()
    assert SECRET_WORDS.encode() not in raw and b"Jo Reporter" not in raw
    assert not list(directory.glob(".*.tmp"))

    assert spool.drain(sqlite_sessions, profile, Settings(), directory=directory) == ["SG-2026-0001"]
    assert spool.pending(directory) == []
    # A crash between commit and unlink leaves the file behind: draining it again stores nothing new.
    path.write_bytes(raw)
    assert spool.drain(sqlite_sessions, profile, Settings(), directory=directory) == ["SG-2026-0001"]
    with sqlite_sessions() as s:
        assert s.scalar(select(func.count()).select_from(Concern)) == 1
        concern = s.scalar(select(Concern))
        assert concern.client_id == client_id and concern.child_words == SECRET_WORDS
        assert concern.created_at == IN_HOURS and concern.concern_at == IN_HOURS
        assert s.scalar(select(func.count()).select_from(OutboxMessage)) == 1


async def test_worker_drains_the_spool_when_the_database_returns(tmp_path, sqlite_sessions, profile):
    settings = Settings()
    spool.write(FIELDS, datetime.now(UTC), Settings(), directory=spool.spool_dir(settings))
    broken = Worker(_unreachable_sessions(tmp_path), profile, settings, {})
    await broken.run_round()  # database down: nothing lost, no crash
    assert len(spool.pending(spool.spool_dir(settings))) == 1
    await Worker(sqlite_sessions, profile, settings, {}).run_round()
    assert spool.pending(spool.spool_dir(settings)) == []
    with sqlite_sessions() as s:
        assert s.scalar(select(Concern.reference)) == "SG-2026-0001"


def _unreachable_sessions(tmp_path):
    from core.store.base import make_engine, make_sessionmaker

    return make_sessionmaker(
        make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1})
    )
