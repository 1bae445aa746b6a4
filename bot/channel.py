"""The engine's REST channel, guarded: every request gets an answer with the safety lines, none logs text.

Rasa's own RestInput answers a JSON list or string body with HTTP 500, passes a message of any size to
the pipeline (1 MB took 144 s and 5 GB and stalled every other conversation), and logs the person's
words at ERROR when handling fails or the caller gives up. This subclass keeps the same URL
(/webhooks/rest/webhook) and fixes all three; it also never answers with nothing, and gets a looping
dialogue listening again. Importing it bounds how long the engine waits for the action server (Rasa
hard-codes 300 s), because credentials.yml loads it before any message.
"""

from __future__ import annotations

import logging
import os
from asyncio import CancelledError
from collections.abc import Awaitable, Callable
from functools import lru_cache
from pathlib import Path
from typing import Any

import rasa.core.actions.action
import rasa.utils.endpoints
import yaml
from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.shared.core.constants import ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME
from rasa.shared.core.events import ActionExecuted
from sanic import Blueprint, response
from sanic.exceptions import PayloadTooLarge
from sanic.request import Request
from sanic.response import HTTPResponse

from bot.context import CONTEXT_KEY, conversation_context

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parent.parent
MAX_MESSAGE_CHARS = int(os.environ.get("SG_MAX_MESSAGE_CHARS", "4000"))
# Below the gateway's wait (SG_ENGINE_TIMEOUT), so a hung action server still leaves time for an answer.
ACTION_TIMEOUT_SECONDS = int(os.environ.get("SG_ACTION_TIMEOUT", "8"))
rasa.core.actions.action.DEFAULT_REQUEST_TIMEOUT = ACTION_TIMEOUT_SECONDS
rasa.utils.endpoints.DEFAULT_REQUEST_TIMEOUT = ACTION_TIMEOUT_SECONDS


@lru_cache(maxsize=1)
def safety_lines() -> str:
    """core/safety.py's lines, kept here: the engine imports none of the app's packages (pydantic 1, not 2)."""
    dsl = ""
    try:
        path = os.environ.get("SG_ORG_PROFILE") or ROOT / "bot" / "organisation.example.yml"
        team = yaml.safe_load(Path(path).read_text(encoding="utf-8"))["safeguarding_team"]
        first = next(m for m in team if m.get("role") == "dsl")
        dsl = f": {first['name']} on {first['phone']}"
    except Exception as exc:  # the lines without a number beat no lines at all
        log.error("organisation profile unreadable for the safety lines: %s", type(exc).__name__)
    return (
        "If anyone is in immediate danger, call 999 now. "
        "Children and young people: Childline 0800 1111 (free, any time). "
        f"Adults: tell your Designated Safeguarding Lead now{dsl}; NSPCC helpline 0808 800 5000."
    )


def too_long_reply() -> str:
    return (
        safety_lines() + f" Your message is longer than I can read at once (over {MAX_MESSAGE_CHARS:,} "
        "characters), so I haven't read it: please send it again in shorter parts."
    )


def _answer(texts: list[str], recipient: str | None, status: int = 200) -> HTTPResponse:
    return response.json([{"recipient_id": recipient, "text": t} for t in texts], status=status)


class GuardedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        webhook = Blueprint("guarded_rest_webhook", __name__)

        @webhook.exception(PayloadTooLarge)
        async def too_large(_: Request, __: Exception) -> HTTPResponse:
            # A body over SANIC_REQUEST_MAX_SIZE (set in scripts/run.sh), refused before it is read.
            log.warning("request body over the size limit refused")
            return _answer([too_long_reply()], None, status=413)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                body = request.json
            except Exception:  # Sanic raises on a body that is not JSON
                body = None
            sender = body.get("sender") if isinstance(body, dict) else None
            text = body.get("message") if isinstance(body, dict) else None
            if not isinstance(sender, str) or not sender or not isinstance(text, str) or not text.strip():
                log.warning("malformed REST request refused")
                return _answer([safety_lines()], None, status=400)
            if len(text) > MAX_MESSAGE_CHARS:
                log.warning("message of %d characters refused", len(text))
                return _answer([too_long_reply()], sender)
            metadata = dict(body["metadata"]) if isinstance(body.get("metadata"), dict) else {}
            # The conversation's topic comes from the tracker, never from the caller.
            metadata[CONTEXT_KEY] = await _context(getattr(request.app.ctx, "agent", None), sender)
            collector = CollectingOutputChannel()
            try:
                await on_new_message(UserMessage(text, collector, sender, input_channel="rest", metadata=metadata))
            except CancelledError:
                # The caller gave up (the gateway has already sent the static message); never log the words.
                log.warning("message handling cancelled")
                raise
            except Exception as exc:
                log.error("message handling failed: %s", type(exc).__name__)
                return _answer([safety_lines()], sender, status=500)
            await _listen_again(getattr(request.app.ctx, "agent", None), sender)
            if not collector.messages:  # every message gets an answer, whatever state the dialogue is in
                log.warning("the dialogue gave no answer")
                return _answer([safety_lines()], sender)
            # A looping dialogue once sent the same reply ten times in one answer: once is enough.
            replies = [m for i, m in enumerate(collector.messages) if i == 0 or m != collector.messages[i - 1]]
            return response.json(replies)

        return webhook


async def _context(agent: Any, sender: str) -> dict[str, str]:
    try:
        return await conversation_context(agent, sender)
    except Exception as exc:  # an unreadable tracker means a message read alone, never a failed answer
        log.error("could not read the conversation's topic: %s", type(exc).__name__)
        return {}


async def _listen_again(agent: Any, sender: str) -> None:
    """Rasa stops predicting after ten actions without listening, and counts back only to the last
    action_listen: if the dialogue ever loops, every later message (a disclosure too) trips the limit at
    once and gets nothing, for good (issue 14, finding 2). Putting the listen back ends that."""
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return
    try:
        async with agent.lock_store.lock(sender):
            tracker = await store.retrieve(sender)
            events = reversed(tracker.events) if tracker else iter(())
            last = next((e for e in events if isinstance(e, ActionExecuted)), None)
            if last is not None and last.action_name not in (ACTION_LISTEN_NAME, ACTION_SESSION_START_NAME):
                tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
                await store.save(tracker)
                log.warning("the dialogue stopped without listening; listening again")
    except Exception as exc:  # never fail the answer for this
        log.error("could not check the dialogue state: %s", type(exc).__name__)
