"""Measure the case list's response time over real HTTP with 10,000 cases.

    .venv-app/bin/python bench/casebook_list.py [DATABASE_URL] [--cases 10000] [--requests 30]

With no URL, a fresh SQLite file under a temporary directory is used. Prints the median and 95th
percentile of GET /casebook/cases/ (first page, a later page, and a filtered page) for a signed-in DSL.
"""

from __future__ import annotations

import argparse
import logging
import os
import random
import statistics
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pyotp
import requests
from sqlalchemy import insert
from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.access.models import User  # noqa: E402
from core.access.passwords import hash_password  # noqa: E402
from core.casework.models import Decision, Referral  # noqa: E402
from core.settings import Settings  # noqa: E402
from core.store.base import open_store  # noqa: E402
from core.store.crypto import generate_key  # noqa: E402
from core.store.migrate import upgrade  # noqa: E402
from core.store.models import CATEGORIES, Concern  # noqa: E402

PASSWORD = "bench password, not real"


def seed(url: str, cases: int) -> str:
    """`cases` concerns spread over two years, a third decided and referred; returns a TOTP secret."""
    sessions = open_store(Settings(database_url=url))
    rng = random.Random(7)
    start = datetime.now(UTC) - timedelta(days=730)
    statuses = ("new", "acknowledged", "decided", "referred", "closed", "closed", "closed")
    rows = []
    for n in range(cases):
        created = start + timedelta(minutes=rng.randrange(730 * 24 * 60))
        status = rng.choice(statuses)
        rows.append(
            {
                "id": n + 1, "client_id": uuid.uuid4().hex, "reference": f"SG-{created.year}-{n + 1:05d}",
                "created_at": created, "concern_at": created - timedelta(minutes=20),
                "category": rng.choice(CATEGORIES), "urgency": rng.choice(("urgent", "standard", "standard")),
                "immediate_danger": False, "about_staff": False, "about_dsl": False, "status": status,
                "acknowledged_at": None if status == "new" else created + timedelta(minutes=rng.randrange(5, 240)),
                "escalation_step": 0, "child_age": rng.randrange(4, 18), "child_words": "bench text",
            }
        )  # fmt: skip
    secret = pyotp.random_base32()
    with sessions.begin() as s:
        s.execute(insert(Concern), rows)
        decided = [r for r in rows if r["status"] in ("decided", "referred", "closed")]
        s.execute(
            insert(Decision),
            [{"concern_id": r["id"], "at": r["created_at"] + timedelta(hours=3), "by": "sam", "outcome": "mash",
              "rationale": "bench reason"} for r in decided],
        )  # fmt: skip
        s.execute(
            insert(Referral),
            [{"concern_id": r["id"], "agency": "mash", "referred_at": r["created_at"] + timedelta(hours=4),
              "recorded_by": "sam", "recorded_at": r["created_at"] + timedelta(hours=4)}
             for r in decided if r["status"] == "referred"],
        )  # fmt: skip
        s.add(User(username="sam", role="dsl", member_id="dsl", password_hash=hash_password(PASSWORD),
                   totp_secret=secret, totp_last_step=0, session_version=1, active=True,
                   created_at=datetime.now(UTC)))  # fmt: skip
    return secret


def measure(base: str, secret: str, requests_per_page: int) -> dict[str, tuple[float, float]]:
    http = requests.Session()

    def token(path: str) -> str:
        page = http.get(base + path, timeout=30).text
        return page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]

    http.post(base + "/casebook/sign-in", data={"username": "sam", "password": PASSWORD,
              "csrf_token": token("/casebook/sign-in")}, timeout=30)  # fmt: skip
    http.post(base + "/casebook/sign-in/code", data={"code": pyotp.TOTP(secret).now(),
              "csrf_token": token("/casebook/sign-in/code")}, timeout=30)  # fmt: skip
    results = {}
    for label, path in (
        ("first page, open cases", "/casebook/cases/"),
        ("page 40, all cases", "/casebook/cases/?status=all&page=40"),
        ("filtered: urgent sexual abuse, all", "/casebook/cases/?status=all&category=sexual&urgency=urgent"),
    ):
        timings = []
        for _ in range(requests_per_page):
            began = time.perf_counter()
            response = http.get(base + path, timeout=30)
            timings.append((time.perf_counter() - began) * 1000)
            assert response.status_code == 200 and "Statutory clocks" in response.text, response.status_code
        timings.sort()
        results[label] = (statistics.median(timings), timings[int(len(timings) * 0.95) - 1])
    return results


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("url", nargs="?")
    parser.add_argument("--cases", type=int, default=10_000)
    parser.add_argument("--requests", type=int, default=30)
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    os.environ.setdefault("SG_ENCRYPTION_KEYS", generate_key())
    tmp = tempfile.mkdtemp(prefix="casebook-bench-")
    url = args.url or f"sqlite:///{tmp}/bench.db"
    upgrade(url)
    began = time.perf_counter()
    secret = seed(url, args.cases)
    print(f"seeded {args.cases} cases in {time.perf_counter() - began:.1f}s ({url.split(':', 1)[0]})")

    from casebook.app import create_app

    settings = Settings(database_url=url, secret_key="bench", casebook_url="http://127.0.0.1")
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        for label, (median, p95) in measure(f"http://127.0.0.1:{server.server_port}", secret, args.requests).items():
            print(f"GET case list ({label}): median {median:.1f} ms, p95 {p95:.1f} ms over {args.requests} requests")
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
