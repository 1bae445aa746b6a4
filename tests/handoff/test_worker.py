"""The delivery worker against a real SMTP server and a real webhook receiver on loopback."""

from __future__ import annotations

import asyncio
import email
import email.policy
import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime

from aiohttp import web
from sqlalchemy import select

from core.delivery.email import EmailTransport
from core.delivery.webhook import WebhookTransport, verify
from core.delivery.worker import Timing, Worker
from core.settings import Settings
from core.store.concerns import record_concern
from core.store.models import ConcernEvent, OutboxMessage
from tests.conftest import ROOT, free_port
from tests.handoff.conftest import FIELDS, SECRET_WORDS

FAST = Timing(poll=0.05, lease=1.0, retry=0.1, retry_max=0.2)
PRIVATE = (SECRET_WORDS, "Jo Reporter", "900321", "A.B.", "football", "forearm")


def _now():
    return datetime.now(UTC)


async def test_worker_emails_reference_and_link_only(sessions, profile, smtp):
    settings = Settings()
    with sessions.begin() as s:
        ref = record_concern(s, {**FIELDS, "about_staff": True}, profile, _now(), settings=settings).reference
    worker = Worker(sessions, profile, settings, {"email": EmailTransport(settings)}, FAST)
    assert await worker.run_round() == 1
    assert smtp.recipients() == ["dsl@example.org"]
    mail = email.message_from_bytes(smtp.messages[0][1], policy=email.policy.default)
    body = mail["Subject"] + mail.get_content()
    assert ref in body and f"https://casebook.example.org/casebook/cases/{ref}" in body and "LADO" in body
    assert not [p for p in PRIVATE if p in body]
    with sessions() as s:
        row = s.scalars(select(OutboxMessage)).one()
        kinds = s.scalars(select(ConcernEvent.kind).order_by(ConcernEvent.id)).all()
    assert row.sent_at is not None and row.attempts == 1
    assert kinds == ["created", "notified"]
    assert await worker.run_round() == 0  # sent once, not again


async def test_failed_delivery_is_retried_with_backoff(sqlite_sessions, profile, smtp, monkeypatch):
    settings = Settings()
    down = settings.model_copy(update=dict(smtp_port=free_port()))  # nothing listens here yet
    with sqlite_sessions.begin() as s:
        record_concern(s, FIELDS, profile, _now(), settings=settings)
    worker = Worker(sqlite_sessions, profile, down, {"email": EmailTransport(down, timeout=2)}, FAST)
    assert await worker.run_round() == 0
    with sqlite_sessions() as s:
        row = s.scalars(select(OutboxMessage)).one()
        assert row.last_error == "ConnectionRefusedError" and row.sent_at is None
    worker.transports = {"email": EmailTransport(settings)}
    await asyncio.sleep(0.15)
    assert await worker.run_round() == 1
    assert smtp.recipients() == ["dsl@example.org"]


async def test_signed_webhook_is_delivered_and_verifiable(sqlite_sessions, profile, settings):
    received: list[tuple[dict, bool, str]] = []

    async def hook(request: web.Request) -> web.Response:
        body = await request.read()
        ok = verify("s3cret", request.headers["X-SG-Timestamp"], body, request.headers["X-SG-Signature"])
        received.append((json.loads(body), ok, request.headers["Idempotency-Key"]))
        return web.Response(status=204)

    app = web.Application()
    app.router.add_post("/hook", hook)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        hooked = settings.model_copy(update=dict(webhook_url=f"http://127.0.0.1:{port}/hook", webhook_secret="s3cret"))
        with sqlite_sessions.begin() as s:
            ref = record_concern(s, FIELDS, profile, _now(), settings=hooked).reference
        worker = Worker(sqlite_sessions, profile, hooked, {"webhook": WebhookTransport(hooked)}, FAST)
        await worker.run_round()  # the e-mail row has no transport here and waits; the webhook goes
    finally:
        await runner.cleanup()
    [(payload, ok, key)] = received
    assert ok and key == f"{ref}:dsl:webhook:0"
    assert payload == {
        "reference": ref,
        "category": "physical",
        "urgency": "standard",
        "lado_route": False,
        "escalation_step": 0,
        "recipient": "dsl",
        "link": f"https://casebook.example.org/casebook/cases/{ref}",
    }
    assert not verify("s3cret", "0", b"{}", "sha256=00")


def _start_worker(database_url: str, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "channels.notifier"],
        cwd=ROOT,
        env={**os.environ, **env, "SG_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def test_worker_killed_mid_delivery_then_restarted_misses_nobody(database_url, sessions, profile, smtp):
    settings = Settings()
    hang = {"on": True}
    original = smtp.handle_DATA

    async def slow_data(server, session, envelope):  # the first message hangs until the worker is killed
        if hang["on"]:
            await asyncio.sleep(30)
        return await original(server, session, envelope)

    smtp.handle_DATA = slow_data
    with sessions.begin() as s:
        record_concern(s, {**FIELDS, "immediate_danger": True}, profile, _now(), settings=settings)  # dsl + deputy
        record_concern(s, {**FIELDS, "about_dsl": True}, profile, _now(), settings=settings)  # deputy
    env = {"SG_DELIVERY_POLL_SECONDS": "0.1", "SG_DELIVERY_LEASE_SECONDS": "1", "SG_DELIVERY_RETRY_SECONDS": "0.2"}
    first = _start_worker(database_url, env)
    try:
        _wait_for(lambda: _attempted(sessions) >= 1, 20)
        time.sleep(0.3)
        first.send_signal(signal.SIGKILL)
        first.wait(5)
    finally:
        first.kill()
    assert _sent(sessions) == 0
    hang["on"] = False
    second = _start_worker(database_url, env)
    try:
        _wait_for(lambda: _sent(sessions) == 3, 30)
    finally:
        second.terminate()
        second.wait(10)
    assert sorted(set(smtp.recipients())) == ["deputy@example.org", "dsl@example.org"]
    assert len(smtp.recipients()) >= 3


def _attempted(sessions) -> int:
    with sessions() as s:
        return sum(s.scalars(select(OutboxMessage.attempts)).all())


def _sent(sessions) -> int:
    with sessions() as s:
        return len(s.scalars(select(OutboxMessage.id).where(OutboxMessage.sent_at.is_not(None))).all())


def _wait_for(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)
