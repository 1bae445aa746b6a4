"""Health and readiness endpoints of the web app and the notifier (the engine's: tests/engine and
tests/production/engine; the action server's /health comes with rasa-sdk, tests/handoff/test_actions.py)."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import pytest

from casebook.app import create_app
from core.delivery import health as notifier_health
from core.delivery.worker import Timing, Worker
from core.settings import Settings
from core.store.base import make_engine, make_sessionmaker
from core.store.migrate import upgrade
from tests.conftest import free_port


def _get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


@pytest.mark.parametrize("reachable", [True, False])
def test_web_readiness_follows_the_database(sqlite_url, monkeypatch, reachable):
    if reachable:
        upgrade(sqlite_url)
    url = sqlite_url if reachable else "postgresql+psycopg://nobody@127.0.0.1:1/none"
    monkeypatch.setenv("SG_DATABASE_URL", url)
    client = create_app(Settings()).test_client()
    assert client.get("/healthz").status_code == 200
    ready = client.get("/readyz")
    assert ready.status_code == (200 if reachable else 503)
    assert ready.json["status"] == ("ok" if reachable else "unavailable")


async def test_notifier_health_turns_ready_after_a_round_and_stale_when_stuck(sqlite_sessions, profile, settings):
    worker = Worker(sqlite_sessions, profile, settings, {}, Timing(poll=0.05))
    port = free_port()
    server = notifier_health.serve(worker.heartbeat, port)
    try:
        base = f"http://127.0.0.1:{port}"
        assert _get(f"{base}/readyz")[0] == 503  # no round yet
        await worker.run_round()
        assert _get(f"{base}/healthz") == (200, {"status": "ok", "database": True})
        assert _get(f"{base}/readyz")[0] == 200
        worker.heartbeat.last_round = time.monotonic() - 3600  # the loop has stopped going round
        assert _get(f"{base}/healthz")[0] == 503
    finally:
        server.shutdown()


async def test_notifier_not_ready_while_the_database_is_down(tmp_path, profile, settings):
    sessions = make_sessionmaker(
        make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1})
    )
    worker = Worker(sessions, profile, settings, {})
    await worker.run_round()
    assert worker.heartbeat.status() == (True, False)
