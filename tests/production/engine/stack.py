"""The production stack on loopback for tests: action server and engine(s) with the production endpoints
(encrypted Redis tracker store, Redis lock store) and credentials (REST + health channels)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from tests.conftest import ROOT, free_port

ENGINE_PYTHON = ROOT / ".venv-engine" / "bin" / "python"
MODEL = ROOT / "models" / "current.tar.gz"
LOAD_TIMEOUT = float(os.environ.get("SG_TEST_ENGINE_LOAD_TIMEOUT", "420"))  # a busy 2-core machine is slow


def get(url: str, timeout: float = 5.0) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


class Stack:
    def __init__(self, env: dict[str, str], logs: Path) -> None:
        self.env = {**os.environ, **env, "PYTHONPATH": str(ROOT), "RASA_TELEMETRY_ENABLED": "false"}
        self.logs = logs
        self.actions_port, self.engine_port = free_port(), free_port()
        self.env["SG_ACTIONS_URL"] = f"http://127.0.0.1:{self.actions_port}/webhook"
        self.actions: subprocess.Popen[bytes] | None = None
        self.engine: subprocess.Popen[bytes] | None = None
        self.starts = 0

    @property
    def engine_url(self) -> str:
        return f"http://127.0.0.1:{self.engine_port}"

    def start_actions(self) -> None:
        self.actions = self._spawn(
            "actions", [sys.executable, "-m", "actions.server", "--port", str(self.actions_port)], {},
        )  # fmt: skip

    def start_engine(self, workers: int = 1) -> float:
        """Start the engine and wait until it is ready; returns the seconds it took."""
        self.starts += 1
        command = [str(ENGINE_PYTHON), "-m", "rasa", "run", "-i", "127.0.0.1", "-p", str(self.engine_port),
                   "--model", str(MODEL), "--endpoints", "deploy/endpoints.production.yml",
                   "--credentials", "deploy/credentials.production.yml"]  # fmt: skip
        began = time.monotonic()
        self.engine = self._spawn(f"engine{self.starts}", command, {"SANIC_WORKERS": str(workers)})
        while get(f"{self.engine_url}/webhooks/health/ready")[0] != 200:
            if self.engine.poll() is not None or time.monotonic() - began > LOAD_TIMEOUT:
                log = (self.logs / f"engine{self.starts}.log").read_text()[-3000:]
                raise RuntimeError(f"the engine did not become ready:\n{log}")
            time.sleep(1)
        return time.monotonic() - began

    def kill_engine(self) -> None:
        """kill -9: no shutdown hook runs, as in a crash or an OOM kill."""
        assert self.engine is not None
        os.killpg(self.engine.pid, signal.SIGKILL)  # Sanic workers are children: kill the whole group
        self.engine.wait(10)

    def stop(self) -> None:
        for process in (self.engine, self.actions):
            if process is not None and process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(20)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)

    def _spawn(self, name: str, command: list[str], extra: dict[str, str]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{name}.log").open("wb")
        return subprocess.Popen(
            command, cwd=ROOT, env={**self.env, **extra}, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
