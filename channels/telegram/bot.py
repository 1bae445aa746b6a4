"""The Telegram conversation: forwards to the assistant, buttons as reply keyboards, quick exit, DSL /ack."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TypeVar

from telegram import Chat, KeyboardButton, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update, User
from telegram.constants import ChatAction
from telegram.error import TelegramError
from telegram.ext import Application, CommandHandler, ContextTypes, MessageHandler, filters

from channels import gateway
from channels.ack import REFUSAL, Acknowledger, parse_reference
from channels.telegram import texts
from core.profile import Profile
from core.settings import Settings

log = logging.getLogger(__name__)

# Messages we may delete on quick exit; Telegram only allows deleting recent ones anyway.
T = TypeVar("T")
TRACKED_PER_CHAT = 300
TYPING_REFRESH_SECONDS = 4

Forward = Callable[..., Awaitable[list[gateway.Reply]]]


class TelegramChannel:
    def __init__(
        self, settings: Settings, profile: Profile, acknowledger: Acknowledger, forward: Forward = gateway.forward
    ) -> None:
        self.settings = settings
        self.profile = profile
        self.acknowledger = acknowledger
        self.forward = forward
        # In memory on purpose: message ids and button choices are short-lived and not worth a table.
        self.tracked: dict[int, deque[int]] = defaultdict(lambda: deque(maxlen=TRACKED_PER_CHAT))
        self.choices: dict[int, dict[str, str]] = {}

    def build(self) -> Application:
        app = Application.builder().token(self.settings.telegram_token).base_url(self.settings.telegram_api_url).build()
        private = filters.ChatType.PRIVATE
        new = filters.UpdateType.MESSAGE
        app.add_handler(CommandHandler("start", self.start, filters=private & new))
        app.add_handler(CommandHandler("help", self.help, filters=private & new))
        app.add_handler(CommandHandler("exit", self.quick_exit, filters=private & new))
        app.add_handler(CommandHandler("ack", self.ack, filters=private & new))
        app.add_handler(CommandHandler(["start", "help"], self.private_only, filters=~private & new))
        app.add_handler(MessageHandler(private & new & filters.TEXT & ~filters.COMMAND, self.message))
        app.add_handler(MessageHandler(private & filters.UpdateType.EDITED_MESSAGE, self.edited))
        app.add_handler(MessageHandler(private & new & ~filters.TEXT & ~filters.StatusUpdate.ALL, self.not_text))
        # Channel posts, group chatter, member changes: no handler, so they are ignored.
        app.add_error_handler(self.error)
        return app

    def _keyboard(self, chat_id: int, buttons: list[gateway.Button]) -> ReplyKeyboardMarkup:
        self.choices[chat_id] = {b.title: b.payload for b in buttons}
        rows = [[KeyboardButton(b.title)] for b in buttons] + [[KeyboardButton(texts.EXIT_BUTTON)]]
        return ReplyKeyboardMarkup(rows, resize_keyboard=True)

    async def _say(self, update: Update, text: str, buttons: list[gateway.Button] | None = None) -> None:
        chat_id = _chat(update).id
        sent = await _chat(update).send_message(text, reply_markup=self._keyboard(chat_id, buttons or []))
        self.tracked[chat_id].append(sent.message_id)

    def _remember(self, message: Message | None) -> None:
        if message is not None:
            self.tracked[message.chat_id].append(message.message_id)

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self._remember(update.message)
        await self._say(update, texts.WELCOME)

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self._remember(update.message)
        await self._say(update, texts.HELP)

    async def private_only(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await _message(update).reply_text(texts.PRIVATE_ONLY)

    async def edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._say(update, texts.EDITED)

    async def not_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self._remember(update.message)
        await self._say(update, texts.NOT_TEXT)

    async def quick_exit(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = _chat(update).id
        self._remember(update.message)
        ids = list(self.tracked.pop(chat_id, ()))
        self.choices.pop(chat_id, None)
        for message_id in ids:
            # Telegram refuses old messages (over 48 hours) and some others; clear what it allows.
            with contextlib.suppress(TelegramError):
                await context.bot.delete_message(chat_id, message_id)
        await _chat(update).send_message(texts.EXITED, reply_markup=ReplyKeyboardRemove())

    async def ack(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        reference = parse_reference(_message(update).text or "")
        user_id = _user(update).id
        if reference is None:
            answer = REFUSAL if self.acknowledger.refuses("telegram", user_id) else "Use: /ack SG-2026-0042"
        else:
            answer = await self.acknowledger.handle("telegram", user_id, reference)
        await _message(update).reply_text(answer)

    async def message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat_id = _chat(update).id
        self._remember(update.message)
        text = _message(update).text or ""
        if text == texts.EXIT_BUTTON:
            await self.quick_exit(update, context)
            return
        text = self.choices.get(chat_id, {}).get(text, text)
        sender = gateway.sender_id("telegram", _user(update).id, self.settings.secret_key)
        async with self._typing(update):
            # The profile name prefills the reporter's name if a report is taken (shown back before sending).
            identity = {"display_name": _user(update).full_name} if _user(update).full_name else {}
            replies = await self.forward(
                sender, text, "telegram", identity, settings=self.settings, profile=self.profile
            )
        for reply in replies:
            await self._say(update, reply.text, reply.buttons)

    @contextlib.asynccontextmanager
    async def _typing(self, update: Update) -> AsyncIterator[None]:
        async def keep_typing() -> None:
            while True:
                with contextlib.suppress(TelegramError):
                    await _chat(update).send_action(ChatAction.TYPING)
                await asyncio.sleep(TYPING_REFRESH_SECONDS)

        task = asyncio.create_task(keep_typing())
        try:
            yield
        finally:
            task.cancel()

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.warning("telegram update failed: %s", type(context.error).__name__)


# build() registers every handler for private-chat messages, which always carry a chat, a message and a sender.
def _chat(update: Update) -> Chat:
    return _present(update.effective_chat)


def _message(update: Update) -> Message:
    return _present(update.effective_message)


def _user(update: Update) -> User:
    return _present(update.effective_user)


def _present(value: T | None) -> T:
    if value is None:
        raise ValueError("a Telegram update without the chat, message or sender its handler's filter requires")
    return value
