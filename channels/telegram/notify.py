"""Telegram notifications through the Bot API (python-telegram-bot), base URL from settings."""

from __future__ import annotations

from telegram import Bot

from core.delivery.notification import Notification
from core.profile import TeamMember
from core.settings import Settings


class TelegramTransport:
    name = "telegram"

    def __init__(self, settings: Settings) -> None:
        if not settings.telegram_token:
            raise ValueError("SG_TELEGRAM_TOKEN is not set")
        self.settings = settings

    async def send(self, note: Notification, member: TeamMember) -> None:
        if member.telegram_user_id is None:
            raise ValueError("member has no Telegram user id")
        async with Bot(self.settings.telegram_token, base_url=self.settings.telegram_api_url) as bot:
            await bot.send_message(chat_id=member.telegram_user_id, text=note.text(chat_ack=True))
