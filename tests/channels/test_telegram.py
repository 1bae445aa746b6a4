from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import aiohttp
import pytest
from aiohttp.test_utils import TestServer
from sqlalchemy import create_engine
from telegram.ext import Application

from channels.ack import Acknowledger
from channels.telegram import texts
from channels.telegram.bot import TelegramChannel
from channels.telegram.webhook import SECRET_HEADER, WEBHOOK_PATH, WeakWebhookSecret, webhook_app
from core.profile import load_profile
from core.store.base import make_sessionmaker
from tests.channels.fakes import FakeTelegram, ServerThread, wait_for
from tests.conftest import free_port

TOKEN = "123456:TEST-token"
CHILD = 555001
DSL = 700000001


class StandInStore:
    """Stands in for core.store.concerns.acknowledge only."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, session: Any, reference: str, member_id: str, via: str, now: datetime, **_: Any) -> None:
        if reference == "SG-2026-9999":
            raise LookupError(reference)  # as ConcernNotFound
        self.calls.append((reference, member_id, via))


@pytest.fixture
def store() -> StandInStore:
    return StandInStore()


@pytest.fixture
def telegram():
    fake = FakeTelegram(TOKEN)
    with ServerThread(fake.app) as server:
        yield fake, server


@pytest.fixture
def run_bot(settings, telegram, store, org_profile_path):
    @contextlib.asynccontextmanager
    async def run(**overrides: Any) -> AsyncIterator[Application]:
        bot_settings = settings.model_copy(
            update=dict(telegram_token=TOKEN, telegram_api_url=f"{telegram[1].url}/bot", **overrides)
        )
        sessions = make_sessionmaker(create_engine("sqlite://"))
        profile = load_profile(org_profile_path)
        app = TelegramChannel(bot_settings, profile, Acknowledger(profile, sessions, store)).build()
        async with app:
            await app.start()
            try:
                yield app
            finally:
                if app.updater.running:
                    await app.updater.stop()
                await app.stop()

    return run


@pytest.fixture
async def application(run_bot) -> AsyncIterator[Application]:
    async with run_bot() as app:
        yield app


@pytest.fixture
async def polling(application):
    await application.updater.start_polling(poll_interval=0, timeout=1)
    return application


def texts_to(fake: FakeTelegram, chat_id: int) -> list[str]:
    return [p["text"] for p in fake.sent("sendMessage") if int(p["chat_id"]) == chat_id]


async def test_start_and_help(polling, telegram):
    fake, _ = telegram
    fake.push(message=fake.user_message(CHILD, "/start", entities=[{"type": "bot_command", "offset": 0, "length": 6}]))
    fake.push(message=fake.user_message(CHILD, "/help", entities=[{"type": "bot_command", "offset": 0, "length": 5}]))
    await wait_for(lambda: len(texts_to(fake, CHILD)) == 2)
    welcome, help_text = texts_to(fake, CHILD)
    assert "999" in welcome and "not a secret" in welcome
    assert "Childline 0800 1111" in help_text


async def test_message_round_trip_with_buttons_and_typing(polling, telegram, fake_rasa):
    fake, _ = telegram
    rasa, _ = fake_rasa
    fake.push(message=fake.user_message(CHILD, "menu"))
    await wait_for(lambda: texts_to(fake, CHILD))
    [sent] = fake.sent("sendMessage")
    assert sent["text"] == "You said: menu"
    titles = [row[0]["text"] for row in sent["reply_markup"]["keyboard"]]
    assert titles == ["I'm worried about a child", "I need help", texts.EXIT_BUTTON]
    assert fake.sent("sendChatAction")[0]["action"] == "typing"
    assert rasa.received[0]["sender"].startswith("telegram:") and str(CHILD) not in rasa.received[0]["sender"]
    assert rasa.received[0]["metadata"]["display_name"] == "Test"  # prefills a reporter's name

    fake.push(message=fake.user_message(CHILD, "I need help"))
    await wait_for(lambda: len(rasa.received) == 2)
    assert rasa.received[1]["message"] == "/need_help"


async def test_engine_down_still_gives_safety_information(run_bot, telegram):
    fake, _ = telegram
    async with run_bot(rasa_url=f"http://127.0.0.1:{free_port()}") as app:
        await app.updater.start_polling(poll_interval=0, timeout=1)
        fake.push(message=fake.user_message(CHILD, "he hits me"))
        [text] = await wait_for(lambda: texts_to(fake, CHILD))
    assert text.startswith("If anyone is in immediate danger, call 999 now.")


async def test_quick_exit_deletes_messages(polling, telegram):
    fake, _ = telegram
    first = fake.user_message(CHILD, "hello")
    fake.push(message=first)
    await wait_for(lambda: texts_to(fake, CHILD))
    fake.push(message=fake.user_message(CHILD, texts.EXIT_BUTTON))
    await wait_for(lambda: texts.EXITED in texts_to(fake, CHILD))
    deleted = {int(p["message_id"]) for p in fake.sent("deleteMessage")}
    bot_reply = first["message_id"] + 1  # the fake numbers every message in one sequence
    assert deleted == {first["message_id"], bot_reply, bot_reply + 1}  # + the Quick exit tap itself
    exit_message = fake.sent("sendMessage")[-1]
    assert exit_message["reply_markup"] == {"remove_keyboard": True}


async def test_exit_command(polling, telegram):
    fake, _ = telegram
    fake.push(message=fake.user_message(CHILD, "/exit", entities=[{"type": "bot_command", "offset": 0, "length": 5}]))
    await wait_for(lambda: texts.EXITED in texts_to(fake, CHILD))


async def test_dsl_ack_and_refusals(polling, telegram, store):
    fake, _ = telegram
    cmd = [{"type": "bot_command", "offset": 0, "length": 4}]
    fake.push(message=fake.user_message(DSL, "/ack SG-2026-0042", entities=cmd))
    await wait_for(lambda: texts_to(fake, DSL))
    assert store.calls == [("SG-2026-0042", "dsl", "telegram")]
    assert "SG-2026-0042 is acknowledged" in texts_to(fake, DSL)[0]

    fake.push(message=fake.user_message(DSL, "/ack SG-2026-9999", entities=cmd))
    await wait_for(lambda: len(texts_to(fake, DSL)) == 2)
    assert "could not find SG-2026-9999" in texts_to(fake, DSL)[1]

    fake.push(message=fake.user_message(CHILD, "/ack SG-2026-0042", entities=cmd))
    await wait_for(lambda: texts_to(fake, CHILD))
    assert texts_to(fake, CHILD)[0].startswith("Sorry, only the safeguarding team")
    assert len(store.calls) == 1


async def test_odd_updates_never_crash(polling, telegram, fake_rasa):
    fake, _ = telegram
    rasa, _ = fake_rasa
    edited = fake.user_message(CHILD, "changed", edit_date=1)
    fake.push(edited_message=edited)
    fake.push(channel_post={"message_id": 1, "date": 1, "chat": {"id": -100, "type": "channel"}, "text": "post"})
    fake.push(
        my_chat_member={
            "chat": {"id": CHILD, "type": "private"},
            "from": {"id": CHILD, "is_bot": False, "first_name": "T"},
            "date": 1,
            "old_chat_member": {"status": "member", "user": {"id": 42, "is_bot": True, "first_name": "B"}},
            "new_chat_member": {
                "status": "kicked",
                "until_date": 0,
                "user": {"id": 42, "is_bot": True, "first_name": "B"},
            },
        }
    )
    fake.push(
        message=fake.user_message(
            CHILD,
            None,
            sticker={
                "file_id": "x",
                "file_unique_id": "y",
                "type": "regular",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
            },
        )
    )
    fake.push(message=fake.user_message(CHILD, "still here"))
    await wait_for(lambda: "You said: still here" in texts_to(fake, CHILD))
    sent = texts_to(fake, CHILD)
    assert texts.EDITED in sent and texts.NOT_TEXT in sent
    assert [r["message"] for r in rasa.received] == ["still here"]
    assert not [p for p in fake.sent("sendMessage") if int(p["chat_id"]) == -100]


STRONG = "s" * 32


def test_webhook_refuses_to_start_with_a_weak_secret(application):
    for weak in ("", "a", "right-secret", "x" * 31, "has spaces in it but is long enough ok"):
        with pytest.raises(WeakWebhookSecret):
            webhook_app(application, weak)


async def test_webhook_processes_a_replayed_update_once_and_refuses_non_objects(application, telegram, fake_rasa):
    fake, _ = telegram
    rasa, _ = fake_rasa
    update = {"update_id": 7, "message": fake.user_message(CHILD, "only once")}
    async with TestServer(webhook_app(application, STRONG), host="127.0.0.1") as hook:
        url = str(hook.make_url(WEBHOOK_PATH))
        async with aiohttp.ClientSession() as http:
            for body in ([update], [], "x", 3, {"message": {}}):
                async with http.post(url, json=body, headers={SECRET_HEADER: STRONG}) as odd:
                    assert odd.status == 400
            for _ in range(3):
                async with http.post(url, json=update, headers={SECRET_HEADER: STRONG}) as again:
                    assert again.status == 200
        await wait_for(lambda: texts_to(fake, CHILD))
        await asyncio.sleep(0.5)
    assert [r["message"] for r in rasa.received] == ["only once"]


async def test_webhook_rejects_wrong_or_missing_secret(application, telegram, fake_rasa):
    fake, _ = telegram
    rasa, _ = fake_rasa
    update = {"update_id": 1, "message": fake.user_message(CHILD, "via webhook")}
    # Served on the test's own loop, like in production where it shares the bot's loop.
    async with TestServer(webhook_app(application, STRONG), host="127.0.0.1") as hook:
        url = str(hook.make_url(WEBHOOK_PATH))
        async with aiohttp.ClientSession() as http:
            async with http.post(url, json=update) as missing:
                assert missing.status == 401
            async with http.post(url, json=update, headers={SECRET_HEADER: "wrong"}) as wrong:
                assert wrong.status == 403
            assert application.update_queue.empty()
            async with http.post(url, json=update, headers={SECRET_HEADER: STRONG}) as right:
                assert right.status == 200
        await wait_for(lambda: texts_to(fake, CHILD))
    assert [r["message"] for r in rasa.received] == ["via webhook"]


async def test_a_too_long_message_gets_the_safety_lines_and_never_reaches_the_engine(polling, telegram, fake_rasa):
    # Issue 14, finding 6: Telegram allows 4,096 characters; the assistant reads 4,000.
    fake, _ = telegram
    fake.push(message=fake.user_message(CHILD, "x" * 4090))
    [text] = await wait_for(lambda: texts_to(fake, CHILD))
    assert text.startswith("If anyone is in immediate danger, call 999 now.") and "shorter parts" in text
    assert fake_rasa[0].received == []
