"""`python -m channels.telegram`: long polling, or webhook mode when SG_TELEGRAM_WEBHOOK_URL is set."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from telegram import Update
from telegram.ext import Application, Updater

from channels.ack import Acknowledger
from channels.telegram.bot import TelegramChannel
from channels.telegram.webhook import WeakWebhookSecret, check_secret, webhook_app
from core.profile import profile_for
from core.settings import Settings
from core.store.base import open_store


def _updater(application: Application) -> Updater:
    # ApplicationBuilder gives every application an Updater unless told not to; ours is never told.
    if application.updater is None:
        raise RuntimeError("the Telegram application was built without an Updater")
    return application.updater


async def run(settings: Settings) -> None:
    if not settings.telegram_token:
        raise SystemExit("SG_TELEGRAM_TOKEN is not set")
    if settings.telegram_webhook_url:
        try:
            check_secret(settings.telegram_webhook_secret)  # before Telegram is told to use it
        except WeakWebhookSecret as exc:
            raise SystemExit(str(exc)) from exc
    profile = profile_for(settings)
    acknowledger = Acknowledger(profile, open_store(settings))
    application = TelegramChannel(settings, profile, acknowledger).build()
    async with application:
        await application.start()
        if settings.telegram_webhook_url:
            await application.bot.set_webhook(
                settings.telegram_webhook_url,
                secret_token=settings.telegram_webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
            runner = web.AppRunner(webhook_app(application, settings.telegram_webhook_secret))
            await runner.setup()
            await web.TCPSite(runner, settings.telegram_webhook_host, settings.telegram_webhook_port).start()
        else:
            await application.bot.delete_webhook()
            await _updater(application).start_polling(allowed_updates=Update.ALL_TYPES)
        try:
            await asyncio.Event().wait()
        finally:
            if application.updater is not None and application.updater.running:
                await application.updater.stop()
            await application.stop()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    # httpx logs every request URL at INFO, and Telegram URLs contain the bot token.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    asyncio.run(run(Settings()))
