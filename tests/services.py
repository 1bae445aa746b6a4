"""Real PostgreSQL and Redis for the tests, in both environments (standard library only).

In CI (CI=true) or with SG_TEST_REQUIRE_SERVICES=1 a missing service fails the test run loudly; on a
developer's machine it skips. Where the server is installed but stopped, it is started first.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

PG_ADMIN_URL = os.environ.get("SG_TEST_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")


def services_required() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true") or os.environ.get("SG_TEST_REQUIRE_SERVICES") == "1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_open(host: str, port: int, timeout: float = 1.0) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def start_postgres() -> str:
    """Start a local PostgreSQL that is installed but stopped; returns what was tried, for the error."""
    tried = []
    clusters = shutil.which("pg_lsclusters")
    if clusters and shutil.which("pg_ctlcluster"):
        out = subprocess.run([clusters, "-h"], capture_output=True, text=True, timeout=30).stdout
        for line in out.splitlines():
            version, name, *_ = line.split()
            tried.append(f"pg_ctlcluster {version} {name} start")
            subprocess.run(["pg_ctlcluster", version, name, "start"], capture_output=True, timeout=60)
    elif shutil.which("service"):
        tried.append("service postgresql start")
        subprocess.run(["service", "postgresql", "start"], capture_output=True, timeout=60)
    return "; ".join(tried) or "nothing (no pg_ctlcluster or service command)"


class RedisServer:
    """A private redis-server on a free loopback port, with no persistence, for one test session.

    Private so tests never see another process's keys, and so a test can stop it to play "Redis down".
    """

    def __init__(self) -> None:
        self.binary = shutil.which("redis-server")
        self.host = "127.0.0.1"
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None
        self.directory = Path(tempfile.mkdtemp(prefix="sg-redis-"))

    @property
    def url(self) -> str:
        return f"redis://{self.host}:{self.port}"

    def start(self) -> RedisServer:
        if self.binary is None:
            raise FileNotFoundError("redis-server is not installed (Debian: apt-get install redis-server)")
        self.process = subprocess.Popen(
            [self.binary, "--port", str(self.port), "--bind", self.host, "--save", "", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while not port_open(self.host, self.port, 0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)
        return self

    def stop(self) -> None:
        if self.process is not None:
            self.process.kill()
            self.process.wait(10)
            self.process = None

    def ttl(self, db: str, key: str) -> int:
        out = subprocess.run(
            ["redis-cli", "-h", self.host, "-p", str(self.port), "-n", db, "TTL", key],
            capture_output=True,
            text=True,
            timeout=10,
        )
        return int(out.stdout.strip())

    def raw_values(self) -> dict[str, bytes]:
        """Every key in the two databases the engine uses, with its raw value (redis-cli: the app has no client)."""
        values = {}
        for db in ("0", "1"):
            for key in subprocess.run(
                ["redis-cli", "-h", self.host, "-p", str(self.port), "-n", db, "--raw", "--scan"],
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.split():
                value = subprocess.run(
                    ["redis-cli", "-h", self.host, "-p", str(self.port), "-n", db, "--raw", "GET", key],
                    capture_output=True,
                    timeout=10,
                ).stdout
                values[f"{db}/{key}"] = value
        return values


def private_redis() -> Iterator[RedisServer]:
    """Body of the session-wide `redis_server` fixture in both environments' conftests."""
    import pytest

    try:
        server = RedisServer().start()
    except (FileNotFoundError, RuntimeError) as exc:
        if services_required():
            pytest.fail(f"Redis is required in CI: {exc}", pytrace=False)
        pytest.skip(str(exc))
    yield server
    server.stop()
