"""The web app as production serves it: the command from deploy/systemd/safeguarding-web.service (gunicorn,
its workers and threads, the WSGI entry point) in a subprocess, asked over HTTP for the health check, the
web chat and the casebook, then stopped."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.store.crypto import generate_key
from core.store.migrate import upgrade
from tests.conftest import ROOT, free_port

UNIT = ROOT / "deploy" / "systemd" / "safeguarding-web.service"
START_SECONDS = 90  # two workers importing the app on a busy machine


def _served_command(port: int) -> list[str]:
    line = next(x for x in UNIT.read_text(encoding="utf-8").splitlines() if x.startswith("ExecStart="))
    program, *args = shlex.split(line.removeprefix("ExecStart="))
    assert Path(program).name == "gunicorn", line
    bind = args.index("--bind")
    args[bind + 1] = f"127.0.0.1:{port}"
    return [sys.executable, "-m", "gunicorn", *args]  # this environment's gunicorn, as the unit runs its own


def _get(url: str, data: bytes | None = None) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


@pytest.fixture
def served(tmp_path: Path, sqlite_url: str, org_profile_path: Path) -> Iterator[str]:
    upgrade(sqlite_url)
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SG_DATABASE_URL": sqlite_url,
        "SG_ORG_PROFILE": str(org_profile_path),
        "SG_DATA_DIR": str(tmp_path / "data"),
        "SG_ENCRYPTION_KEYS": generate_key(),
        "SG_SECRET_KEY": "served-wsgi-test-key-not-for-production",
        "SG_CASEBOOK_URL": f"http://127.0.0.1:{port}",
    }
    log = (tmp_path / "gunicorn.log").open("w")
    server = subprocess.Popen(
        _served_command(port), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert server.poll() is None, (tmp_path / "gunicorn.log").read_text()
            try:
                if _get(f"{base}/healthz")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, (tmp_path / "gunicorn.log").read_text()
            time.sleep(0.5)
        yield base
    finally:
        os.killpg(server.pid, signal.SIGTERM)  # gunicorn's graceful stop, for the master and its workers
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
        log.close()


def test_the_served_app_answers_health_chat_and_casebook(served: str) -> None:
    status, body = _get(f"{served}/healthz")
    assert status == 200 and '"ok"' in body
    assert _get(f"{served}/readyz")[0] == 200
    status, page = _get(f"{served}/")
    assert status == 200 and 'name="csrf-token"' in page and "0800 1111" in page
    status, page = _get(f"{served}/casebook/")  # signed out: redirected to sign in
    assert status == 200 and 'name="csrf_token"' in page and "Sign in" in page
    status, _ = _get(f"{served}/casebook/sign-in", data=b"username=x&password=y")  # no CSRF token
    assert status == 400
