"""Confirmation to the DSL notified, through the served assistant: the scripted reporter (report_flow.RICH)
confirms its record; a real notifier (subprocess) delivers to a local aiosmtpd server; the time from
sending "yes" to the SMTP server accepting the DSL's e-mail is measured.

    python bench/confirm_handoff.py ENGINE_URL [--runs 10]

Needs the environment of the served assistant (SG_DATABASE_URL, SG_ENCRYPTION_KEYS: scripts/serve.sh).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402

from bench import report_flow  # noqa: E402
from bench.handoff import Arrivals, free_port  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("engine_url")
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    port = free_port()
    arrivals = Arrivals()
    smtp = Controller(arrivals, hostname="127.0.0.1", port=port)
    smtp.start()
    env = {**os.environ, "SG_SMTP_HOST": "127.0.0.1", "SG_SMTP_PORT": str(port)}
    worker = subprocess.Popen([sys.executable, "-m", "channels.notifier"], cwd=ROOT, env=env, stderr=subprocess.DEVNULL)
    latencies = []
    try:
        for run in range(args.runs + 1):
            chat = report_flow.Conversation(args.engine_url)
            reply = chat.say(report_flow.RICH.opening)
            for _ in range(15):
                key = report_flow.question_in(reply) or "none"
                if key == "confirm":
                    break
                reply = chat.say(report_flow.RICH.answer(key))
            confirmed = time.monotonic()
            reference = report_flow.reference_in(chat.say("/affirm"))
            if reference is None:
                raise SystemExit("no reference: the record was not sent")
            latency = arrivals.wait_for(reference, timeout=60) - confirmed
            if run:  # the first one waits for the worker to start
                latencies.append(latency * 1000)
    finally:
        worker.terminate()
        worker.wait(10)
        smtp.stop()
    ms = sorted(latencies)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    print(
        f"confirmation -> DSL's SMTP server accepted over {len(ms)} runs: "
        f"p50 {statistics.median(ms):.0f} ms, p95 {p95:.0f} ms, max {ms[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
