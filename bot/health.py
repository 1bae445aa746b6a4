"""Liveness and readiness for the engine, as a Rasa input channel (it sends no messages).

Listed in deploy/credentials.production.yml as `bot.health.HealthInput`, which mounts:
  GET /webhooks/health/live   200 while the process answers HTTP (Rasa's own `/` says the same)
  GET /webhooks/health/ready  200 once the model is loaded and the tracker and lock stores answer,
                              503 otherwise, so a proxy or supervisor sends no traffic to a worker
                              that would only produce the gateway's fallback.
Neither needs the engine's API token, and neither reveals anything about a conversation.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse


def _store_answers(store: Any) -> bool:
    """Ping a Redis-backed store; in-memory stores (the `make run` default) always answer."""
    inner = getattr(store, "_tracker_store", store)  # unwrap Rasa's AwaitableTrackerStore
    red = getattr(inner, "red", None)
    if red is None:
        return True
    try:
        return bool(red.ping())
    except Exception:
        return False


def readiness(agent: Any) -> dict[str, bool]:
    model = bool(agent is not None and agent.is_ready())
    return {
        "model": model,
        "tracker_store": model and _store_answers(agent.tracker_store),
        "lock_store": model and _store_answers(agent.lock_store),
    }


class HealthInput(InputChannel):
    @classmethod
    def name(cls) -> str:
        return "health"

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        health = Blueprint("health_webhook", __name__)

        @health.route("/live", methods=["GET"])
        async def live(request: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @health.route("/ready", methods=["GET"])
        async def ready(request: Request) -> HTTPResponse:
            checks = readiness(getattr(request.app.ctx, "agent", None))
            ok = all(checks.values())
            return response.json({"status": "ok" if ok else "unavailable", **checks}, status=200 if ok else 503)

        return health
