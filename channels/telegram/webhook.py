"""Webhook mode: an aiohttp endpoint that accepts only updates carrying Telegram's secret token."""

from __future__ import annotations

import hmac
import logging

from aiohttp import web
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
APPLICATION = web.AppKey("telegram_application", Application)
SECRET = web.AppKey("telegram_secret", str)


async def receive(request: web.Request) -> web.Response:
    given = request.headers.get(SECRET_HEADER)
    if given is None:
        return web.Response(status=401)
    if not hmac.compare_digest(given.encode(), request.app[SECRET].encode()):
        return web.Response(status=403)
    application = request.app[APPLICATION]
    try:
        update = Update.de_json(await request.json(), application.bot)
    except (ValueError, TypeError, KeyError) as exc:
        log.warning("unreadable telegram update: %s", type(exc).__name__)
        return web.Response(status=400)
    # Queue it and answer at once, so Telegram never retries because the engine was slow.
    await application.update_queue.put(update)
    return web.Response(status=200)


def webhook_app(application: Application, secret: str) -> web.Application:
    if not secret:
        raise ValueError("SG_TELEGRAM_WEBHOOK_SECRET must be set in webhook mode")
    app = web.Application(client_max_size=1024 * 1024)
    app[APPLICATION] = application
    app[SECRET] = secret
    app.router.add_post(WEBHOOK_PATH, receive)
    return app
