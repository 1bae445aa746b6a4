"""Two notifier processes on one PostgreSQL database: every notification delivered, none twice for a step."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select, update

from core.settings import Settings
from core.store.base import make_engine, make_sessionmaker
from core.store.concerns import record_concern
from core.store.migrate import upgrade
from core.store.models import Concern, OutboxMessage
from tests.conftest import ROOT
from tests.handoff.conftest import FIELDS

REFERENCE = re.compile(rb"SG-\d{4}-\d{4}")


def _worker(pg_url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "SG_DATABASE_URL": pg_url, "PYTHONPATH": str(ROOT), "SG_DELIVERY_POLL_SECONDS": "0.05"}
    return subprocess.Popen(
        [sys.executable, "-m", "channels.notifier"],
        cwd=ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def test_two_notifiers_deliver_each_notification_once_per_step(pg_url, profile, smtp, tmp_path):
    upgrade(pg_url)
    engine = make_engine(pg_url)
    sessions = make_sessionmaker(engine)
    settings = Settings()
    now = datetime.now(UTC)
    with sessions.begin() as s:
        for i in range(12):  # standard, urgent (DSL + deputy) and about-the-DSL concerns
            fields = {**FIELDS, "immediate_danger": i % 3 == 1, "about_dsl": i % 3 == 2}
            record_concern(s, fields, profile, now, settings=settings)
        # Half are already overdue, so both workers race to escalate them as well.
        s.execute(update(Concern).where(Concern.id % 2 == 0).values(escalation_due_at=now - timedelta(minutes=1)))

    workers = [_worker(pg_url, tmp_path / f"worker{i}.log") for i in (1, 2)]
    try:
        deadline = time.monotonic() + 60
        while True:
            with sessions() as s:
                rows = s.scalars(select(OutboxMessage)).all()
                escalated = s.scalars(select(Concern.escalation_step)).all()
            if rows and all(r.sent_at for r in rows) and sum(escalated) == 6 and len(smtp.messages) == len(rows):
                break
            assert time.monotonic() < deadline, f"{sum(r.sent_at is not None for r in rows)}/{len(rows)} sent"
            time.sleep(0.2)
        time.sleep(1.0)  # a second delivery, if any, would arrive now
    finally:
        for w in workers:
            w.terminate()
        for w in workers:
            w.wait(15)

    with sessions() as s:
        rows = s.scalars(select(OutboxMessage)).all()
        references = dict(s.execute(select(Concern.id, Concern.reference)).all())
    engine.dispose()
    # One row per member, transport and step (the idempotency key), each sent on its first claim.
    assert len({r.idempotency_key for r in rows}) == len(rows)
    assert {r.escalation_step for r in rows} == {0, 1}
    assert all(r.attempts == 1 for r in rows)
    wanted = Counter((profile.member(r.recipient_id).email, references[r.concern_id]) for r in rows)
    got = Counter(
        (rcpt, REFERENCE.search(content).group().decode()) for rcpts, content, _ in smtp.messages for rcpt in rcpts
    )
    assert got == wanted
    # Both processes took part (the lease is per row, not per worker).
    delivered = [(tmp_path / f"worker{i}.log").read_text().count(" delivered ") for i in (1, 2)]
    assert sum(delivered) == len(rows)
    print(f"deliveries per notifier: {delivered}, outbox rows {len(rows)}")
