"""Shared fixtures: a database of its own for each test, on SQLite and on PostgreSQL."""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from werkzeug.serving import make_server

from core.settings import Settings
from core.store import crypto
from tests.services import PG_ADMIN_URL, private_redis, services_required, start_postgres

if TYPE_CHECKING:
    from flask import Flask
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parent.parent

# tests/engine needs Rasa, which lives in the engine's environment (Python 3.10): there scripts/test.sh runs
# `.venv-engine/bin/python -m pytest tests/engine -c tests/engine/pytest.ini`. Here, not collected, and said so.
ENGINE_TESTS_ELSEWHERE = importlib.util.find_spec("rasa") is None
collect_ignore = ["engine"] if ENGINE_TESTS_ELSEWHERE else []


def pytest_report_header() -> str | None:
    if ENGINE_TESTS_ELSEWHERE:
        return "tests/engine skipped: Rasa is not in this environment (run it with .venv-engine, see scripts/test.sh)"
    return None


def use_keys(monkeypatch: pytest.MonkeyPatch, keys: str) -> None:
    """Set the encryption keys as an entry point would, and in the environment for processes a test starts."""
    monkeypatch.setenv("SG_ENCRYPTION_KEYS", keys)
    monkeypatch.setattr(crypto.KEYS, "keys", Settings().encryption_keys)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_ADMIN_URL, connect_timeout=2):
            return True
    except Exception:
        return False


@pytest.fixture(scope="session")
def pg_available() -> bool:
    """PostgreSQL reachable, started first if installed but stopped; in CI its absence fails the run."""
    if _pg_reachable():
        return True
    tried = start_postgres()
    for _ in range(20):
        if _pg_reachable():
            return True
        time.sleep(0.5)
    if services_required():
        pytest.fail(f"PostgreSQL is required in CI but not reachable at {PG_ADMIN_URL} (tried: {tried})", pytrace=False)
    return False


# A private Redis for this test session; in CI a missing redis-server fails the run.
redis_server = pytest.fixture(scope="session")(private_redis)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path, pg_available: bool) -> Iterator[str]:
    """An empty database that belongs to this test alone."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    if not pg_available:
        pytest.skip(f"PostgreSQL not reachable at {PG_ADMIN_URL}")
    with pg_database() as url:
        yield url


@contextmanager
def pg_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards; yields its SQLAlchemy URL."""
    import psycopg

    name = f"sg_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield PG_ADMIN_URL.rsplit("/", 1)[0].replace("postgresql://", "postgresql+psycopg://") + f"/{name}"
    finally:
        with psycopg.connect(PG_ADMIN_URL, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'test.db'}"


@pytest.fixture
def org_profile_path() -> Path:
    return ROOT / "bot" / "organisation.example.yml"


@contextmanager
def serve_wsgi(app: Flask) -> Iterator[str]:
    """A real HTTP server for a Flask app on a free loopback port, for browser tests."""
    port = free_port()
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.shutdown()
        thread.join(5)


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]  # fmt: skip


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Debian's Chromium driven by Playwright (installed by scripts/browser.sh if missing; never downloaded)."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        subprocess.run(["bash", str(ROOT / "scripts" / "browser.sh")], check=True, timeout=600)
    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, timeout=30_000)
        yield chromium
        chromium.close()


@pytest.fixture
def mail_sink(tmp_path: Path) -> Iterator[tuple[int, str]]:
    """The local mail sink `make run` starts (devtools/mailsink.py), as a real process: (SMTP port, page URL)."""
    smtp_port, http_port = free_port(), free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "devtools.mailsink", "--dir", str(tmp_path / "mail"),
         "--smtp-port", str(smtp_port), "--http-port", str(http_port)],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    url = f"http://127.0.0.1:{http_port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url + "/messages.json", timeout=2).close()
            break
        except OSError:
            assert time.monotonic() < deadline and process.poll() is None, "the mail sink did not start"
            time.sleep(0.1)
    yield smtp_port, url
    process.terminate()
    process.wait(timeout=10)
