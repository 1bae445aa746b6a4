"""The form's validation and the submit action, with rasa_sdk's Tracker and CollectingDispatcher,
and one round trip through a real action server."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy import select

from actions import runtime
from actions.concern_form import FORM_SLOTS, ValidateConcernForm
from actions.concern_submit import ActionSubmitConcern
from actions.concern_summary import ActionConcernSummary
from actions.parsing import NOT_KNOWN
from actions.who_is_dsl import ActionWhoIsDsl
from core.settings import Settings
from core.store import spool
from core.store.models import Concern, OutboxMessage
from tests.conftest import ROOT, free_port
from tests.handoff.conftest import IN_HOURS, OUT_OF_HOURS, SECRET_WORDS

# Words that would promise a child or reporter something the system cannot keep.
NEVER_PROMISED = re.compile(r"confidential|secret|promise|between us|won'?t tell|only you", re.IGNORECASE)
DOMAIN = {"forms": {"concern_form": {"required_slots": list(FORM_SLOTS)}}, "slots": {}}
ANSWERS = {
    "immediate_danger": False,
    "reporter_name": "Jo Reporter",
    "reporter_role": "mentor",
    "reporter_contact": "07700 900321",
    "child_name": "A.B.",
    "child_age": 12,
    "child_setting": "Tuesday football group",
    "child_needs": NOT_KNOWN,
    "concern_when": "2026-03-09T15:00:00+00:00",
    "child_words": SECRET_WORDS,
    "observed": "bruise on the left forearm",
    "questions_asked": "none",
    "present": NOT_KNOWN,
    "source": "told me in person",
    "concern_category": "physical",
    "about_staff": False,
    "about_dsl": False,
    "discussed_with": "nobody",
    "actions_taken": "wrote it down",
}


@pytest.fixture(autouse=True)
def action_env(monkeypatch, sqlite_url, org_profile_path, encryption_key):
    monkeypatch.setenv("SG_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SG_ORG_PROFILE", str(org_profile_path))
    monkeypatch.setattr(runtime, "now", lambda: IN_HOURS)
    runtime.configure(Settings())  # as actions/server.py does, from this environment


def tracker(slots: dict, *, just_set: dict | None = None, channel: str = "webchat") -> Tracker:
    events = [{"event": "user", "timestamp": 1_700_000_000.0, "text": "x", "input_channel": channel}]
    events += [{"event": "slot", "name": k, "value": v} for k, v in (just_set or {}).items()]
    return Tracker(
        sender_id="reporter-1",
        slots={**slots, **(just_set or {}), "requested_slot": next(iter(just_set or {None: 0}))},
        latest_message={"text": "x", "intent": {"name": "inform"}},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={"name": "concern_form"},
        latest_action_name="action_listen",
    )


async def validate(slot: str, text: str) -> tuple[dict, list[str]]:
    dispatcher = CollectingDispatcher()
    events = await ValidateConcernForm().run(dispatcher, tracker({}, just_set={slot: text}), DOMAIN)
    values = {e["name"]: e["value"] for e in events if e["event"] == "slot" and e["name"] != "requested_slot"}
    return values, [m["text"] for m in dispatcher.messages]


async def test_validation_reads_ages_times_unknowns_and_keeps_words_verbatim():
    assert (await validate("child_age", "she's twelve"))[0] == {"child_age": 12}
    assert (await validate("child_age", "dont know"))[0] == {"child_age": NOT_KNOWN}
    values, said = await validate("child_age", "old enough")
    assert values == {"child_age": None} and "in years" in said[0]
    # IN_HOURS is Tuesday 10 March 2026 10:00 (GMT): "yesterday at 3" is Monday 15:00.
    assert (await validate("concern_when", "yesterday at 3"))[0] == {"concern_when": "2026-03-09T15:00:00+00:00"}
    assert (await validate("concern_when", "just now"))[0] == {"concern_when": IN_HOURS.isoformat()}
    assert (await validate("concern_when", "skip"))[0] == {"concern_when": NOT_KNOWN}
    words = "  I don't know what to do, he hits me wiv the belt  "
    assert (await validate("child_words", words))[0] == {"child_words": words.strip()}
    assert (await validate("observed", "I don't know"))[0] == {"observed": NOT_KNOWN}
    assert (await validate("concern_category", "county lines"))[0] == {"concern_category": "cce"}


async def test_danger_points_to_999_and_a_concern_about_the_dsl_is_flagged():
    values, said = await validate("immediate_danger", "yes")
    assert values == {"immediate_danger": True} and "999" in said[0]
    values, said = await validate("about_staff", "yes, it's Sam")
    assert values == {"about_staff": True, "about_dsl": True} and "deputy" in said[0]
    assert (await validate("about_staff", "no"))[0] == {"about_staff": False, "about_dsl": False}


async def test_summary_reads_the_record_back():
    dispatcher = CollectingDispatcher()
    await ActionConcernSummary().run(dispatcher, tracker(ANSWERS), DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert f'"{SECRET_WORDS}"' in text and "Monday 09 March 2026, 15:00" in text and "Is this right?" in text
    assert not NEVER_PROMISED.search(text)


async def submit(slots: dict) -> tuple[list[dict], str]:
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitConcern().run(dispatcher, tracker(slots), DOMAIN)
    [message] = dispatcher.messages
    assert not NEVER_PROMISED.search(message["text"])
    return events, message["text"]


async def test_submit_stores_the_concern_and_says_what_happens_next(sqlite_url):
    from core.store.migrate import upgrade

    upgrade(sqlite_url)
    events, text = await submit({**ANSWERS, "summary_confirmed": True})
    assert "SG-2026-0001" in text and "07700 900123" in text and "07700 900456" in text and "01632 960001" in text
    assert "Emergency Duty Team" not in text and "999" in text
    assert {"event": "slot", "name": "concern_reference", "value": "SG-2026-0001", "timestamp": None} in events
    assert {"event": "slot", "name": "child_words", "value": None, "timestamp": None} in events
    await submit({**ANSWERS, "summary_confirmed": True})  # the same turn retried: stored once
    with runtime.sessions()() as s:
        [concern] = s.scalars(select(Concern)).all()
        assert concern.child_words == SECRET_WORDS and concern.child_needs == NOT_KNOWN
        assert concern.channel == "webchat" and concern.urgency == "standard" and concern.child_age == 12
        assert s.scalars(select(OutboxMessage.recipient_id)).all() == ["dsl"]


async def test_out_of_hours_reply_gives_the_emergency_duty_team(sqlite_url, monkeypatch):
    from core.store.migrate import upgrade

    upgrade(sqlite_url)
    monkeypatch.setattr(runtime, "now", lambda: OUT_OF_HOURS)
    _, text = await submit({**ANSWERS, "about_staff": True, "about_dsl": True})
    assert "Emergency Duty Team is on 01632 960002" in text
    assert "07700 900123" not in text and "07700 900456" in text  # about the DSL: deputy and chair
    assert "0800 028 0285" in text and "01632 960003" in text


async def test_database_down_spools_and_still_gives_numbers(monkeypatch, settings):
    monkeypatch.setenv("SG_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    runtime.configure(Settings())
    _, text = await submit(ANSWERS)
    assert "saved safely" in text and "07700 900123" in text and "SG-" not in text
    [path] = spool.pending(spool.spool_dir(settings))
    assert SECRET_WORDS.encode() not in path.read_bytes()


async def test_database_and_spool_down_still_gives_dsl_phone_and_999(monkeypatch, tmp_path):
    monkeypatch.setenv("SG_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    monkeypatch.setenv("SG_DATA_DIR", str(blocker))
    runtime.configure(Settings())
    events, text = await submit(ANSWERS)
    assert events == [] and "could not save" in text and "07700 900123" in text and "999" in text


async def test_who_is_dsl_comes_from_the_profile():
    dispatcher = CollectingDispatcher()
    await ActionWhoIsDsl().run(dispatcher, tracker({}), DOMAIN)
    text = dispatcher.messages[0]["text"]
    assert "Sam Okafor" in text and "07700 900123" in text and "Priya Shah" in text and "999" in text


ACTION_TOKEN = "t" * 43


def _call(port: int, body: bytes, headers: dict[str, str]) -> tuple[int, dict]:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/webhook", body, {"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as exc:
        return exc.code, json.load(exc)


def test_real_action_server_answers_the_engine_and_refuses_anyone_else(org_profile_path, encryption_key):
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SG_ORG_PROFILE": str(Path(org_profile_path)),
        "SG_ACTIONS_TOKEN": ACTION_TOKEN,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "actions.server", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    body = json.dumps(
        {
            "next_action": "action_who_is_dsl",
            "sender_id": "x",
            "tracker": {"sender_id": "x", "slots": {}, "latest_message": {}, "events": [], "paused": False},
            "domain": DOMAIN,
            "version": "3.6.21",
        }
    ).encode()
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                status, reply = _call(port, body, {"X-SG-Action-Token": ACTION_TOKEN})
                break
            except OSError:
                assert time.monotonic() < deadline, "action server did not start"
                time.sleep(0.3)
        # A local process without the engine's secret (the forged-concern attack) is refused.
        refused = [_call(port, body, h)[0] for h in ({}, {"X-SG-Action-Token": "t" * 42 + "u"})]
    finally:
        server.kill()  # Sanic's graceful shutdown is slow; nothing here needs it
        server.wait(10)
    assert status == 200 and "07700 900123" in reply["responses"][0]["text"]
    assert refused == [401, 401]


def test_action_server_will_not_start_without_a_strong_secret(monkeypatch) -> None:
    from actions.server import action_token

    for weak in ("", "a", "x" * 31):
        with pytest.raises(SystemExit):
            action_token(Settings(actions_token=weak))


def test_engine_api_is_off_and_engine_sends_the_action_secret() -> None:
    """The engine's HTTP API (trackers, events, PUT/DELETE /model) is never started; the REST channel is enough."""
    for script in ("scripts/run.sh", "scripts/serve.sh"):
        text = (ROOT / script).read_text()
        assert "rasa run" in text and "--enable-api" not in text, script
        assert "python -m actions.server" in text and "-m rasa_sdk" not in text, script
    for endpoints in ("bot/endpoints.yml", "deploy/endpoints.production.yml"):
        assert "X-SG-Action-Token: ${SG_ACTIONS_TOKEN}" in (ROOT / endpoints).read_text(), endpoints


def test_every_way_of_starting_the_action_server_checks_the_secret() -> None:
    """rasa_sdk's own server skips the shared secret and the settings: production, benchmarks and the
    production tests start actions.server like make run does."""
    for path in (
        "deploy/systemd/safeguarding-actions.service",
        "bench/serve_production.sh",
        "tests/production/engine/stack.py",
    ):
        text = (ROOT / path).read_text()
        assert "actions.server" in text and "rasa_sdk" not in text.replace("rasa_sdk's own server", ""), path
