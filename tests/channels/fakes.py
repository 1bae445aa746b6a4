"""Local stand-ins for the HTTP peers the channels talk to, each on its own thread and free port."""

from __future__ import annotations

import asyncio
import itertools
import json
import threading
import time
from collections.abc import Callable
from typing import Any

from aiohttp import web

from tests.conftest import free_port


class ServerThread:
    """Runs an aiohttp app on 127.0.0.1 in a background thread, so sync and async tests can both use it."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._loop = asyncio.new_event_loop()
        self._started = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        asyncio.set_event_loop(self._loop)
        self._runner = web.AppRunner(self.app)
        self._loop.run_until_complete(self._runner.setup())
        self._loop.run_until_complete(web.TCPSite(self._runner, "127.0.0.1", self.port).start())
        self._started.set()
        self._loop.run_forever()

    def __enter__(self) -> ServerThread:
        self._thread.start()
        assert self._started.wait(5)
        return self

    def __exit__(self, *exc: object) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(5)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)


async def wait_for(predicate: Callable[[], Any], timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if result := predicate():
            return result
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


class FakeRasa:
    """The engine's REST channel: echoes, offers buttons, fails or stalls on request."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.app = web.Application()
        self.app.router.add_post("/webhooks/rest/webhook", self.webhook)

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.json()
        self.received.append(body)
        message = body["message"]
        if message == "boom":
            return web.Response(status=500, text="Traceback (most recent call last): secret internals")
        if message == "slow":
            await asyncio.sleep(2)
        if message == "silent":
            return web.json_response([])
        reply: dict[str, Any] = {"recipient_id": body["sender"], "text": f"You said: {message}"}
        if message == "menu":
            reply["buttons"] = [
                {"title": "I'm worried about a child", "payload": "/worried_about_child"},
                {"title": "I need help", "payload": "/need_help"},
            ]
        return web.json_response([reply])


class FakeTelegram:
    """Enough of the Bot API for python-telegram-bot: getMe, getUpdates, sendMessage and friends."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.updates: list[dict[str, Any]] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1000)
        self.app = web.Application()
        self.app.router.add_post(f"/bot{token}/{{method}}", self.method)

    def push(self, **update: Any) -> None:
        self.updates.append({"update_id": next(self._update_ids), **update})

    def user_message(self, user_id: int, text: str, **extra: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": user_id, "type": "private", "first_name": "Test"},
            "from": {"id": user_id, "is_bot": False, "first_name": "Test"},
            **({"text": text} if text is not None else {}),
            **extra,
        }

    def sent(self, method: str) -> list[dict[str, Any]]:
        return [params for name, params in self.calls if name == method]

    async def method(self, request: web.Request) -> web.Response:
        name = request.match_info["method"]
        params = {k: _decode(v) for k, v in (await request.post()).items()}
        self.calls.append((name, params))
        handler = getattr(self, f"_{name}", None)
        result = await handler(params) if handler else True
        return web.json_response({"ok": True, "result": result})

    async def _getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"id": 42, "is_bot": True, "first_name": "Safeguarding", "username": "sg_test_bot"}

    async def _getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        for _ in range(25):
            pending = [u for u in self.updates if u["update_id"] >= offset]
            if pending:
                return pending
            await asyncio.sleep(0.02)
        return []

    async def _sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private"},
            "text": params["text"],
        }


def _decode(value: Any) -> Any:
    try:
        return json.loads(value)
    except (TypeError, ValueError):
        return value


class FakeBotFramework:
    """Bot Framework OpenID metadata and JWKS, the Entra token endpoint and the connector service."""

    def __init__(self, public_jwk: dict[str, Any]) -> None:
        self.public_jwk = public_jwk
        self.posted: list[tuple[str, str, dict[str, Any]]] = []
        self.app = web.Application()
        self.app.router.add_get("/openid", self.openid)
        self.app.router.add_get("/keys", self.keys)
        self.app.router.add_post("/token", self.token)
        self.app.router.add_post("/v3/conversations/{conversation}/activities", self.activity)
        self.app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self.activity)

    async def openid(self, request: web.Request) -> web.Response:
        base = f"http://{request.host}"
        return web.json_response({"issuer": "https://api.botframework.com", "jwks_uri": f"{base}/keys"})

    async def keys(self, request: web.Request) -> web.Response:
        return web.json_response({"keys": [self.public_jwk]})

    async def token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("grant_type") != "client_credentials" or not form.get("client_secret"):
            return web.json_response({"error": "invalid_client"}, status=401)
        return web.json_response({"access_token": "app-token", "token_type": "Bearer", "expires_in": 3600})

    async def activity(self, request: web.Request) -> web.Response:
        self.posted.append((request.path, request.headers.get("Authorization", ""), await request.json()))
        return web.json_response({"id": f"reply-{len(self.posted)}"})

    def messages(self) -> list[dict[str, Any]]:
        return [body for _, _, body in self.posted if body.get("type") == "message"]
