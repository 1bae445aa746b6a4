"""The engine with the production stores, for real: a report in progress survives `kill -9` of the engine
(restarted with two Sanic workers), Redis never holds what the person typed, and with Redis down the
person still gets the safety answer. Needs the trained model (scripts/test.sh runs this after training)."""

from __future__ import annotations

import asyncio
import json
import secrets
from collections.abc import Iterator

import pytest

from bench.report_flow import SPARSE, Conversation, question_in, reference_in
from channels.gateway import fallback_replies, forward
from core.profile import load_profile
from core.settings import Settings
from core.store.base import make_engine, make_sessionmaker
from core.store.concerns import find_by_reference
from core.store.crypto import generate_key
from core.store.migrate import upgrade
from tests.conftest import pg_database, use_keys
from tests.production.engine.stack import MODEL, Stack, get
from tests.services import RedisServer, services_required

TTL_SECONDS = 900
REPORTER = SPARSE  # few facts in the first message: the form asks, so there is a form to interrupt
TYPED = ("carry packages", "other towns", "hurt mum", "lunch yesterday")


@pytest.fixture(scope="module")
def stack(redis_server: RedisServer, pg_available: bool, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    if not MODEL.exists():
        if services_required():
            pytest.fail(f"no trained model at {MODEL}", pytrace=False)
        pytest.skip(f"no trained model at {MODEL} (make train)")
    if not pg_available:
        pytest.skip("PostgreSQL not reachable")
    data = tmp_path_factory.mktemp("stack")
    with pg_database() as database_url:
        upgrade(database_url)
        env = {
            "SG_DATABASE_URL": database_url,
            "SG_DATA_DIR": str(data),
            "SG_ENCRYPTION_KEYS": generate_key(),
            "SG_REDIS_HOST": redis_server.host,
            "SG_REDIS_PORT": str(redis_server.port),
            "SG_TRACKER_TTL_SECONDS": str(TTL_SECONDS),
            "SG_ACTIONS_TOKEN": secrets.token_urlsafe(32),
        }
        stack = Stack(env, data)
        try:
            stack.start_actions()
            stack.start_engine(workers=1)
            yield stack
        finally:
            stack.stop()


def test_report_in_progress_resumes_after_the_engine_is_killed(
    stack: Stack, redis_server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    chat = Conversation(stack.engine_url)
    chat.sender = "webchat:restart-test"
    asked: list[str] = []

    def answer_next(reply: str) -> str:
        key = question_in(reply) or ("start" if not asked else None)
        assert key, f"no question in {reply!r}"
        asked.append(key)
        return chat.say(REPORTER.answer(key))

    reply = chat.say(REPORTER.opening)
    while "words" not in asked:  # up to and including the child's exact words
        reply = answer_next(reply)
        assert len(asked) < 12, asked

    stored = redis_server.raw_values()
    assert "0/sg:tracker:webchat:restart-test" in stored
    for key, value in stored.items():
        assert not any(word.encode() in value for word in TYPED), f"plain text in Redis at {key}"
    ttl = redis_server.ttl("0", "sg:tracker:webchat:restart-test")
    assert 0 < ttl <= TTL_SECONDS

    stack.kill_engine()
    assert get(f"{stack.engine_url}/")[0] == 0
    seconds = stack.start_engine(workers=2)  # a restart may also change the number of workers
    print(f"engine back and ready in {seconds:.0f} s")

    reply = answer_next(reply)
    assert question_in(reply) not in ("danger", "words", None)  # the form carried on where it stopped
    while "confirm" not in asked:
        reply = answer_next(reply)
        assert len(asked) < 30, asked
    reference = reference_in(reply)
    assert reference, reply
    use_keys(monkeypatch, stack.env["SG_ENCRYPTION_KEYS"])
    engine = make_engine(stack.env["SG_DATABASE_URL"])
    with make_sessionmaker(engine)() as session:
        concern = find_by_reference(session, reference)
        assert concern is not None and "carry packages to other towns" in concern.child_words
    engine.dispose()


def test_redis_down_still_gives_the_safety_answer(stack: Stack, redis_server: RedisServer) -> None:
    settings = Settings(rasa_url=stack.engine_url)
    profile = load_profile(settings.org_profile)
    redis_server.stop()
    try:
        status, body = get(f"{stack.engine_url}/webhooks/health/ready")
        assert status == 503 and json.loads(body)["tracker_store"] is False
        replies = asyncio.run(
            forward("webchat:redis-down", "my dad hit me and im scared", "webchat", settings=settings, profile=profile)
        )
        assert replies == fallback_replies(profile)
        assert "999" in replies[0].text and "Childline 0800 1111" in replies[0].text
    finally:
        redis_server.start()
    # Redis back (empty: the test server keeps nothing on disk): the engine answers again by itself.
    replies = asyncio.run(
        forward("webchat:redis-back", "hello", "webchat", settings=settings, profile=profile, timeout=30)
    )
    assert replies != fallback_replies(profile)
    assert get(f"{stack.engine_url}/webhooks/health/ready")[0] == 200
