"""Handoff latency: from record_concern's commit to the SMTP server accepting the DSL's e-mail.

    .venv-app/bin/python bench/handoff.py [--runs 30] [--poll 1.0] [--database-url URL]

Runs a real delivery worker (subprocess) against a local aiosmtpd server and a fresh database
(SQLite in a temporary directory unless --database-url is given), then prints p50/p95/max.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from aiosmtpd.smtp import SMTP, Envelope
from aiosmtpd.smtp import Session as SMTPSession

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from core.profile import load_profile  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.store.base import make_engine, open_store  # noqa: E402
from core.store.concerns import record_concern  # noqa: E402
from core.store.crypto import generate_key  # noqa: E402
from core.store.migrate import upgrade  # noqa: E402


class Arrivals:
    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.changed = threading.Condition()

    async def handle_DATA(self, server: SMTP, session: SMTPSession, envelope: Envelope) -> str:
        match = re.search(rb"SG-\d{4}-\d+", envelope.content)
        with self.changed:
            self.at.setdefault(match.group().decode(), time.monotonic())
            self.changed.notify_all()
        return "250 OK"

    def wait_for(self, reference: str, timeout: float) -> float:
        with self.changed:
            if not self.changed.wait_for(lambda: reference in self.at, timeout):
                raise TimeoutError(reference)
            return self.at[reference]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--poll", type=float, default=1.0, help="worker poll interval (SG_DELIVERY_POLL_SECONDS)")
    parser.add_argument("--database-url")
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="sg-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    port = free_port()
    os.environ.update(
        SG_DATABASE_URL=url,
        SG_ENCRYPTION_KEYS=os.environ.get("SG_ENCRYPTION_KEYS") or generate_key(),
        SG_SMTP_HOST="127.0.0.1",
        SG_SMTP_PORT=str(port),
        SG_DATA_DIR=str(tmp / "data"),
        SG_DELIVERY_POLL_SECONDS=str(args.poll),
    )
    settings = Settings()
    profile = load_profile(settings.org_profile)
    upgrade(url)
    sessions = open_store(settings)
    arrivals = Arrivals()
    smtp = Controller(arrivals, hostname="127.0.0.1", port=port)
    smtp.start()
    worker = subprocess.Popen([sys.executable, "-m", "channels.notifier"], cwd=ROOT, stderr=subprocess.DEVNULL)
    fields = {"category": "neglect", "immediate_danger": False, "child_words": "bench", "channel": "bench"}
    latencies = []
    try:
        for run in range(args.runs + 1):
            time.sleep(random.uniform(0, args.poll))  # spread submissions across the poll cycle
            with sessions.begin() as session:
                reference = record_concern(session, fields, profile, datetime.now(UTC), settings=settings).reference
            committed = time.monotonic()
            latency = arrivals.wait_for(reference, timeout=60) - committed
            if run:  # the first one waits for the worker to start
                latencies.append(latency)
    finally:
        worker.terminate()
        worker.wait(10)
        smtp.stop()
    ms = sorted(x * 1000 for x in latencies)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(
        f"handoff commit->SMTP accepted over {len(ms)} runs ({make_engine(url).dialect.name}, poll {args.poll}s): "
        f"p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
