"""Telegram notifications go through the Bot API at the configured base URL (a local fake here)."""

from __future__ import annotations

from datetime import UTC, datetime

from aiohttp import web

from channels.telegram.notify import TelegramTransport
from core.delivery.worker import Timing, Worker
from core.store.concerns import record_concern
from tests.conftest import free_port
from tests.handoff.conftest import FIELDS, SECRET_WORDS

BOT = {"id": 1, "is_bot": True, "first_name": "Safeguarding", "username": "sg_bot"}


async def test_worker_sends_telegram_message_without_disclosure(sqlite_sessions, profile, settings):
    sent: list[dict] = []

    async def api(request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if method == "getMe":
            return web.json_response({"ok": True, "result": BOT})
        data = dict(await request.post()) or await request.json()
        sent.append(data)
        chat = {"id": int(data["chat_id"]), "type": "private"}
        message = {"message_id": 1, "date": 0, "chat": chat, "text": data["text"]}
        return web.json_response({"ok": True, "result": message})

    app = web.Application()
    app.router.add_post("/bot{token}/{method}", api)
    runner = web.AppRunner(app)
    await runner.setup()
    port = free_port()
    await web.TCPSite(runner, "127.0.0.1", port).start()
    try:
        tg = settings.model_copy(update=dict(telegram_token="123:abc", telegram_api_url=f"http://127.0.0.1:{port}/bot"))
        with sqlite_sessions.begin() as s:
            ref = record_concern(s, FIELDS, profile, datetime.now(UTC), settings=tg).reference
        worker = Worker(sqlite_sessions, profile, tg, {"telegram": TelegramTransport(tg)}, Timing(lease=5))
        assert await worker.run_round() == 1  # the e-mail row has no transport here and waits
    finally:
        await runner.cleanup()
    [message] = sent
    assert str(message["chat_id"]) == "700000001"
    assert ref in message["text"] and f"ack {ref}" in message["text"] and SECRET_WORDS not in message["text"]
