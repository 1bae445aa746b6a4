"""Statutory clocks, and the case list's response time with 10,000 cases (bench/casebook_list.py)."""

from __future__ import annotations

import os
import threading
from datetime import UTC, datetime, timedelta

from werkzeug.serving import make_server

from bench.casebook_list import measure, seed
from casebook.app import create_app
from core.casework.clocks import acknowledgement_clock, add_working_day, chase_clock, referral_clock
from core.settings import Settings
from core.store.migrate import upgrade

FRIDAY_3PM = datetime(2026, 3, 13, 15, 0, tzinfo=UTC)


def test_working_day_skips_the_weekend(profile) -> None:
    assert add_working_day(FRIDAY_3PM, profile) == datetime(2026, 3, 16, 15, 0, tzinfo=UTC)
    assert add_working_day(FRIDAY_3PM - timedelta(days=1), profile) == FRIDAY_3PM


def test_clock_states(profile) -> None:
    clock = referral_clock(FRIDAY_3PM, None)
    assert clock.state(FRIDAY_3PM + timedelta(hours=1)) == "running"
    assert clock.state(FRIDAY_3PM + timedelta(hours=21)) == "due-soon"
    assert clock.state(FRIDAY_3PM + timedelta(hours=25)) == "overdue"
    assert referral_clock(FRIDAY_3PM, FRIDAY_3PM + timedelta(hours=2)).state(FRIDAY_3PM) == "met"
    assert referral_clock(FRIDAY_3PM, FRIDAY_3PM + timedelta(hours=30)).state(FRIDAY_3PM) == "late"
    ack = acknowledgement_clock(FRIDAY_3PM, None, profile)
    assert ack.state(FRIDAY_3PM + timedelta(days=2)) != "overdue"  # the weekend does not count
    assert ack.state(FRIDAY_3PM + timedelta(days=3, hours=1)) == "overdue"
    assert chase_clock(FRIDAY_3PM, None).state(FRIDAY_3PM + timedelta(days=8)) == "overdue"


def test_case_list_with_10000_cases_is_fast(sqlite_url, org_profile_path) -> None:
    upgrade(sqlite_url)
    secret = seed(sqlite_url, 10_000)
    settings = Settings(database_url=sqlite_url, org_profile=org_profile_path,
                       secret_key="bench", casebook_url="http://127.0.0.1")  # fmt: skip
    server = make_server("127.0.0.1", 0, create_app(settings), threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        results = measure(f"http://127.0.0.1:{server.server_port}", secret, 10)
    finally:
        server.shutdown()
    for label, (median, _p95) in results.items():
        print(f"{label}: median {median:.0f} ms")
        assert median < float(os.environ.get("SG_BENCH_MAX_MS", "1000")), label
