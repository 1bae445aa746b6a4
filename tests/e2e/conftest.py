"""The served assistant for the e2e tests (scripts/test.sh serves the freshly trained model, sets
SG_E2E_ENGINE_URL, and exports SG_ACTIONS_URL and SERVE_ACTIONS_PID for its action server)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.conftest import ROOT

ENGINE = os.environ.get("SG_E2E_ENGINE_URL", "")


class ActionServer:
    """The action server the engine calls: stopped and started again by a test, on the same port."""

    def __init__(self) -> None:
        self.port = urlsplit(os.environ["SG_ACTIONS_URL"]).port
        self.adopted = int(os.environ["SERVE_ACTIONS_PID"]) if os.environ.get("SERVE_ACTIONS_PID") else None
        self.process: subprocess.Popen | None = None

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=2):
                return True
        except urllib.error.HTTPError:
            return True  # it answers (a server that wants its token says 401)
        except OSError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None
        elif self.adopted is not None:
            os.kill(self.adopted, signal.SIGTERM)
            self.adopted = None
        deadline = time.monotonic() + 30
        while self.healthy() and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not self.healthy(), "the action server did not stop"

    def start(self) -> None:
        # The same command scripts/serve.sh uses.
        command = [sys.executable, "-m", "actions.server", "--port", str(self.port)]
        self.process = subprocess.Popen(
            command,
            cwd=ROOT, env={**os.environ, "SANIC_HOST": "127.0.0.1"},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 120
        while not self.healthy():
            assert time.monotonic() < deadline and self.process.poll() is None, "the action server did not start"
            time.sleep(0.3)


@pytest.fixture(scope="session")
def action_server() -> Iterator[ActionServer]:
    if not os.environ.get("SG_ACTIONS_URL") or not os.environ.get("SERVE_ACTIONS_PID"):
        pytest.skip("needs scripts/serve.sh's action server (SERVE_ACTIONS_PID)")
    server = ActionServer()
    yield server
    if server.process is not None:
        server.process.terminate()
        server.process.wait(timeout=30)
