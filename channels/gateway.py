"""The one way any channel talks to the assistant: the Rasa REST webhook, with a safety fallback."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx

from channels.safety import MAX_MESSAGE_CHARS, safety_message, timed_out_message, too_long_message
from core.profile import Profile
from core.settings import Settings

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Button:
    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    text: str
    buttons: list[Button] = field(default_factory=list)


def sender_id(channel: str, platform_id: str | int, secret: str) -> str:
    """A stable, namespaced id for the engine's tracker that does not reveal the platform's user id."""
    digest = hmac.new(secret.encode(), f"{channel}:{platform_id}".encode(), hashlib.sha256).hexdigest()
    return f"{channel}:{digest[:32]}"


def fallback_replies(profile: Profile) -> list[Reply]:
    return [Reply(safety_message(profile))]


def too_long_replies(profile: Profile) -> list[Reply]:
    return [Reply(too_long_message(profile))]


def _parse(payload: Any) -> list[Reply]:
    replies = []
    for item in payload if isinstance(payload, list) else []:
        if not isinstance(item, dict) or not item.get("text"):
            continue
        buttons = [
            Button(str(b["title"]), str(b.get("payload") or b["title"]))
            for b in item.get("buttons") or []
            if isinstance(b, dict) and b.get("title")
        ]
        replies.append(Reply(str(item["text"]), buttons))
    return replies


async def forward(
    sender_id: str,
    text: str,
    channel: str,
    metadata: dict[str, Any] | None = None,
    *,
    settings: Settings,
    profile: Profile,
    timeout: float | None = None,
) -> list[Reply]:
    """Send one message to the engine; any failure, delay or silence becomes the safety message."""
    if len(text) > MAX_MESSAGE_CHARS:
        # Never sent on: a 1 MB message held the engine for minutes and stalled everyone else.
        log.warning("message of %d characters not forwarded on %s", len(text), channel)
        return too_long_replies(profile)
    timeout = timeout if timeout is not None else settings.engine_timeout
    body = {"sender": sender_id, "message": text, "metadata": {**(metadata or {}), "channel": channel}}
    url = settings.rasa_url.rstrip("/") + "/webhooks/rest/webhook"
    try:
        async with httpx.AsyncClient(timeout=timeout) as client:
            # wait_for bounds the whole exchange, not just each socket read.
            response = await asyncio.wait_for(client.post(url, json=body), timeout)
        response.raise_for_status()
        replies = _parse(response.json())
    except (TimeoutError, httpx.TimeoutException) as exc:
        # The engine may still finish (a report may be saved after all): say so rather than guess.
        log.warning("engine too slow on %s: %s", channel, type(exc).__name__)
        return [Reply(timed_out_message(profile))]
    except (httpx.HTTPError, ValueError) as exc:
        log.warning("engine unavailable on %s: %s", channel, type(exc).__name__)
        return fallback_replies(profile)
    if not replies:
        log.warning("engine gave no reply on %s", channel)
        return fallback_replies(profile)
    return replies


def forward_sync(
    sender_id: str, text: str, channel: str, metadata: dict[str, Any] | None = None, **kwargs: Any
) -> list[Reply]:
    """For synchronous callers (Flask views)."""
    return asyncio.run(forward(sender_id, text, channel, metadata, **kwargs))
