"""Webhook mode: an aiohttp endpoint that accepts only updates carrying Telegram's secret token.

The secret must be strong (checked at start-up), and each update_id is processed once: Telegram
retries deliveries, and anyone who captured one request could otherwise replay it.
"""

from __future__ import annotations

import hmac
import logging
import re
from collections import OrderedDict

from aiohttp import web
from telegram import Update
from telegram.ext import Application

log = logging.getLogger(__name__)

WEBHOOK_PATH = "/telegram/webhook"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
# Telegram allows 1-256 of these characters; we ask for at least 32 (about 190 bits if random).
STRONG_SECRET = re.compile(r"^[A-Za-z0-9_-]{32,256}$")
RECENT_UPDATES = 10_000
APPLICATION = web.AppKey("telegram_application", Application)
SECRET = web.AppKey("telegram_secret", str)
SEEN = web.AppKey("telegram_seen_updates", OrderedDict)


class WeakWebhookSecret(ValueError):
    pass


def check_secret(secret: str) -> str:
    if not STRONG_SECRET.match(secret or ""):
        raise WeakWebhookSecret(
            "SG_TELEGRAM_WEBHOOK_SECRET must be 32-256 random characters from A-Z, a-z, 0-9, _ and - "
            "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(32))')"
        )
    return secret


def _first_time(seen: OrderedDict[int, None], update_id: int) -> bool:
    if update_id in seen:
        return False
    seen[update_id] = None
    while len(seen) > RECENT_UPDATES:
        seen.popitem(last=False)
    return True


async def receive(request: web.Request) -> web.Response:
    given = request.headers.get(SECRET_HEADER)
    if given is None:
        return web.Response(status=401)
    if not hmac.compare_digest(given.encode(), request.app[SECRET].encode()):
        return web.Response(status=403)
    application = request.app[APPLICATION]
    try:
        body = await request.json()
        if not isinstance(body, dict) or not isinstance(body.get("update_id"), int):
            raise TypeError("not an update object")
        update = Update.de_json(body, application.bot)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        log.warning("unreadable telegram update: %s", type(exc).__name__)
        return web.Response(status=400)
    if not _first_time(request.app[SEEN], update.update_id):
        log.info("ignored a repeated telegram update")
        return web.Response(status=200)  # 200, so Telegram stops retrying it
    # Queue it and answer at once, so Telegram never retries because the engine was slow.
    await application.update_queue.put(update)
    return web.Response(status=200)


def webhook_app(application: Application, secret: str) -> web.Application:
    app = web.Application(client_max_size=1024 * 1024)
    app[APPLICATION] = application
    app[SECRET] = check_secret(secret)
    app[SEEN] = OrderedDict()
    app.router.add_post(WEBHOOK_PATH, receive)
    return app
