"""Issue 14's faults against the served engine (scripts/test.sh serves it and sets SG_E2E_ENGINE_URL; its
log is $SG_DATA_DIR/engine.log): no silence after "stop", malformed and huge requests answered with the
safety lines at once, and no message text in the engine's log."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path

import pytest
import requests

ENGINE = os.environ.get("SG_E2E_ENGINE_URL", "")
pytestmark = pytest.mark.skipif(not ENGINE, reason="needs a served assistant (scripts/test.sh sets SG_E2E_ENGINE_URL)")
WEBHOOK = f"{ENGINE}/webhooks/rest/webhook"
DISCLOSURE = "my mums boyfriend comes in my room at nite and touches me under the covers"


def say(sender: str, text: str, timeout: float = 30) -> str:
    response = requests.post(WEBHOOK, json={"sender": sender, "message": text}, timeout=timeout)
    return " ".join(r.get("text", "") for r in response.json())


def test_stop_first_never_silences_the_conversation() -> None:
    sender = f"faults-stop-{time.time_ns()}"
    for _ in range(12):
        assert "999" in say(sender, "stop")
    assert "Childline" in say(sender, DISCLOSURE)


@pytest.mark.parametrize("body", [[1, 2], "a string", {"sender": "x"}, {"sender": "x", "message": 5}])
def test_malformed_requests_get_400_and_the_safety_lines(body: object) -> None:
    response = requests.post(WEBHOOK, json=body, timeout=10)
    assert response.status_code == 400
    assert "999" in response.text and "Childline 0800 1111" in response.text


def test_a_huge_message_is_answered_at_once_and_others_are_not_held_up() -> None:
    results: dict[str, float] = {}

    def other() -> None:
        started = time.monotonic()
        say(f"faults-other-{time.time_ns()}", "hello")
        results["other"] = time.monotonic() - started

    thread = threading.Thread(target=other)
    started = time.monotonic()
    thread.start()
    for size in (50_000, 1_000_000):
        response = requests.post(WEBHOOK, json={"sender": "faults-big", "message": "a" * size}, timeout=30)
        assert response.status_code in (200, 413)
        if response.status_code == 200:
            assert "shorter parts" in response.text and "999" in response.text
    results["big"] = time.monotonic() - started
    thread.join(30)
    print(f"50 kB + 1 MB messages: {results['big']:.2f} s; another conversation: {results['other']:.2f} s")
    assert results["big"] < 5 and results["other"] < 10


def test_the_engine_log_never_holds_message_text() -> None:
    log = Path(os.environ.get("SG_DATA_DIR", "/nonexistent")) / "engine.log"
    if not log.exists():
        pytest.skip("engine log not found")
    say(f"faults-log-{time.time_ns()}", DISCLOSURE)
    assert DISCLOSURE not in log.read_text(errors="replace")
