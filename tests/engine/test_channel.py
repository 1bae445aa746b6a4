"""The engine's guarded REST channel on a real Sanic server, and the bounded wait for the action server
(issue 14 findings 4, 6, 7 and 9). The message handler stands in for Rasa's Agent, which needs a model."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from rasa.core.actions.action import RemoteAction
from rasa.core.agent import Agent
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.lock_store import InMemoryLockStore
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.exceptions import RasaException
from rasa.utils.endpoints import EndpointConfig
from sanic import Sanic

from bot.channel import ACTION_TIMEOUT_SECONDS, MAX_MESSAGE_CHARS, GuardedRestInput
from bot.context import CONTEXT_KEY

WORDS = "uncle keeps coming into my room at night"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# The conversation slots the channel reads for the NLU (bot/context.py).
DOMAIN = Domain.from_dict(
    {"slots": {slot: {"type": "text", "mappings": [{"type": "custom"}]} for slot in ("topic", "writer")}}
)
AGENT = Agent(domain=DOMAIN, tracker_store=InMemoryTrackerStore(DOMAIN), lock_store=InMemoryLockStore())


async def _loop_like_rasa(message: UserMessage) -> None:
    """What Rasa's processor did with "stop" and no rule for it: ten fallback answers, then its action
    limit, with no action_listen at the end (the stand-in for Rasa's Agent writes the same events)."""
    tracker = await AGENT.tracker_store.get_or_create_tracker(message.sender_id)
    tracker.update(UserUttered(message.text))
    for _ in range(10):
        tracker.update(ActionExecuted("utter_default"))
        await message.output_channel.send_text_message(message.sender_id, "Sorry, I didn't quite follow. 999.")
    await AGENT.tracker_store.save(tracker)


async def _handle(message: UserMessage) -> None:
    if message.text.startswith("loop"):
        return await _loop_like_rasa(message)
    if message.text.startswith("say nothing"):
        return None
    if message.text.startswith("context"):
        context = (message.metadata or {}).get(CONTEXT_KEY)
        return await message.output_channel.send_text_message(message.sender_id, json.dumps(context, sort_keys=True))
    if message.text.startswith("crash"):
        raise RuntimeError("the pipeline failed")
    if message.text.startswith("slow"):
        await asyncio.sleep(30)
    await message.output_channel.send_text_message(message.sender_id, f"heard {len(message.text)}")


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    """One real Sanic server in a thread of its own (Sanic 21.12 allows one app per process)."""
    app = Sanic("channel_test")
    app.config.REQUEST_MAX_SIZE = 65536  # as scripts/run.sh sets it
    app.ctx.agent = AGENT
    app.blueprint(GuardedRestInput().blueprint(_handle), url_prefix="/webhooks/rest")
    port = _free_port()
    loop = asyncio.new_event_loop()
    server = loop.run_until_complete(app.create_server(host="127.0.0.1", port=port, return_asyncio_server=True))
    loop.run_until_complete(server.startup())
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}/webhooks/rest/webhook"
    loop.call_soon_threadsafe(server.close)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def _post(url: str, **kwargs: Any) -> tuple[int, list[dict]]:
    response = requests.post(url, timeout=10, **kwargs)
    return response.status_code, response.json()


def _has_safety_lines(replies: list[dict]) -> bool:
    text = " ".join(r["text"] for r in replies)
    return all(s in text for s in ("999", "Childline 0800 1111", "07700 900123"))


@pytest.mark.parametrize(
    "body",
    [[1, 2], "a string", {"message": "no sender"}, {"sender": "a"}, {"sender": "a", "message": 42}],
)
def test_a_malformed_request_gets_400_with_the_safety_lines(url: str, body: object) -> None:
    status, replies = _post(url, json=body)
    assert status == 400
    assert _has_safety_lines(replies)


def test_a_body_that_is_not_json_gets_the_safety_lines(url: str) -> None:
    status, replies = _post(url, data=b"{not json", headers={"Content-Type": "application/json"})
    assert status == 400 and _has_safety_lines(replies)


def test_a_too_long_message_is_not_read_and_gets_a_kind_answer_fast(url: str) -> None:
    started = time.monotonic()
    status, replies = _post(url, json={"sender": "a", "message": "x" * (MAX_MESSAGE_CHARS + 1)})
    assert status == 200 and time.monotonic() - started < 1
    assert "shorter parts" in replies[0]["text"] and _has_safety_lines(replies)
    status, replies = _post(url, json={"sender": "a", "message": "x" * 1_000_000})
    assert status == 413 and "shorter parts" in replies[0]["text"] and _has_safety_lines(replies)
    status, replies = _post(url, json={"sender": "a", "message": "x" * MAX_MESSAGE_CHARS})
    assert replies == [{"recipient_id": "a", "text": f"heard {MAX_MESSAGE_CHARS}"}]


def test_a_failure_answers_with_the_safety_lines_and_never_logs_the_words(
    url: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    status, replies = _post(url, json={"sender": "a", "message": f"crash {WORDS}"})
    assert status == 500 and _has_safety_lines(replies)
    # The caller giving up (the gateway's timeout) must not log the words either.
    with pytest.raises(requests.Timeout):
        requests.post(url, json={"sender": "b", "message": f"slow {WORDS}"}, timeout=1)
    time.sleep(0.5)
    assert "RuntimeError" in caplog.text
    assert WORDS not in caplog.text


def test_a_hung_action_server_costs_the_bounded_wait_not_five_minutes() -> None:
    # A real socket that accepts connections and never answers: the action server with its worker killed.
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    action = RemoteAction("action_submit_concern", EndpointConfig(f"http://127.0.0.1:{listener.getsockname()[1]}"))
    tracker = DialogueStateTracker("hung", [])
    started = time.monotonic()
    try:
        with pytest.raises((RasaException, asyncio.TimeoutError)):
            nlg = TemplatedNaturalLanguageGenerator({})
            asyncio.run(action.run(CollectingOutputChannel(), nlg, tracker, Domain.empty()))
    finally:
        listener.close()
    assert ACTION_TIMEOUT_SECONDS - 1 < time.monotonic() - started < ACTION_TIMEOUT_SECONDS + 3


def test_a_looping_dialogue_answers_once_and_listens_again(url: str) -> None:
    # Issue 14, finding 2: after Rasa's action limit, every later message got nothing, for good.
    status, replies = _post(url, json={"sender": "looper", "message": "loop stop"})
    assert status == 200 and len(replies) == 1 and "999" in replies[0]["text"]
    tracker = asyncio.run(AGENT.tracker_store.retrieve("looper"))
    last = [e for e in tracker.events if isinstance(e, ActionExecuted)][-1]
    assert last.action_name == "action_listen"


def test_no_answer_from_the_dialogue_still_gets_the_safety_lines(url: str) -> None:
    status, replies = _post(url, json={"sender": "quiet", "message": "say nothing"})
    assert status == 200 and _has_safety_lines(replies)


def test_the_nlu_reads_the_conversations_topic_and_writer_from_the_tracker_never_from_the_caller(url: str) -> None:
    async def open_topic() -> None:
        tracker = await AGENT.tracker_store.get_or_create_tracker("ctx")
        tracker.update(SlotSet("topic", "boundaries"))
        tracker.update(SlotSet("writer", "adult"))
        await AGENT.tracker_store.save(tracker)

    asyncio.run(open_topic())
    forged = {"sender": "ctx", "message": "context?", "metadata": {CONTEXT_KEY: {"topic": "everyday"}, "a": 1}}
    status, replies = _post(url, json=forged)
    assert status == 200
    assert json.loads(replies[0]["text"]) == {"topic": "boundaries", "writer": "adult"}
    _, replies = _post(url, json={"sender": "new-ctx", "message": "context?"})
    assert json.loads(replies[0]["text"]) == {}
