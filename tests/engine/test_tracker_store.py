"""The production tracker store against a real Redis: encrypted at rest, expiring, shared, rotatable."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest
import redis
from cryptography.fernet import Fernet
from rasa.core.lock_store import LockStore, RedisLockStore
from rasa.core.tracker_store import create_tracker_store
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import read_endpoint_config

from bot.health import readiness
from bot.tracker_store import EncryptedRedisTrackerStore, TrackerStoreNotConfigured
from tests.services import RedisServer

ROOT = Path(__file__).resolve().parents[2]
WORDS = "daddy hits me with his belt when I'm naughty"
DOMAIN = Domain.from_dict({"slots": {"child_words": {"type": "text", "mappings": [{"type": "custom"}]}}})


@pytest.fixture
def keys(monkeypatch: pytest.MonkeyPatch) -> str:
    key = Fernet.generate_key().decode()
    monkeypatch.setenv("SG_ENCRYPTION_KEYS", key)
    return key


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, redis_server: RedisServer, keys: str) -> RedisServer:
    monkeypatch.setenv("SG_REDIS_HOST", redis_server.host)
    monkeypatch.setenv("SG_REDIS_PORT", str(redis_server.port))
    monkeypatch.setenv("SG_TRACKER_TTL_SECONDS", "600")
    monkeypatch.setenv("SG_ACTIONS_URL", "http://127.0.0.1:1/webhook")
    monkeypatch.setenv("SG_ACTIONS_TOKEN", "t" * 43)
    redis.Redis(host=redis_server.host, port=redis_server.port).flushall()
    return redis_server


def _store(server: RedisServer, **kwargs: object) -> EncryptedRedisTrackerStore:
    return EncryptedRedisTrackerStore(DOMAIN, host=server.host, port=str(server.port), **kwargs)


def _tracker(sender: str) -> DialogueStateTracker:
    tracker = DialogueStateTracker(sender, DOMAIN.slots)
    tracker.update(UserUttered(WORDS, {"name": "inform"}))
    tracker.update(SlotSet("child_words", WORDS))
    return tracker


def test_production_endpoints_load_the_encrypted_store_and_redis_locks(env: RedisServer) -> None:
    # Rasa falls back to the in-memory store, silently, when a custom class fails to import.
    path = str(ROOT / "deploy" / "endpoints.production.yml")
    store = create_tracker_store(read_endpoint_config(path, "tracker_store"), DOMAIN)
    assert isinstance(store, EncryptedRedisTrackerStore)
    assert store.record_exp == 600 and store.key_prefix == "sg:tracker:"
    locks = LockStore.create(read_endpoint_config(path, "lock_store"))
    assert isinstance(locks, RedisLockStore)


def test_stored_conversation_is_a_token_that_expires_and_reads_back(env: RedisServer) -> None:
    store = _store(env, record_exp="600")
    asyncio.run(store.save(_tracker("webchat:abc")))
    raw = env.raw_values()
    assert list(raw) == ["0/tracker:webchat:abc"]
    value = raw["0/tracker:webchat:abc"]
    assert b"belt" not in value and b"child_words" not in value and b"inform" not in value
    assert Fernet(os.environ["SG_ENCRYPTION_KEYS"].encode()).decrypt(value.strip()).count(b"belt") >= 1
    assert 590 <= store.red.ttl("tracker:webchat:abc") <= 600

    # Another worker (another store object) resumes the same conversation.
    again = asyncio.run(_store(env).retrieve("webchat:abc"))
    assert again is not None and again.get_slot("child_words") == WORDS
    assert again.latest_message.text == WORDS


def test_rotated_keys_still_read_old_conversations(env: RedisServer, monkeypatch: pytest.MonkeyPatch) -> None:
    old = os.environ["SG_ENCRYPTION_KEYS"]
    asyncio.run(_store(env).save(_tracker("webchat:rot")))
    new = Fernet.generate_key().decode()
    monkeypatch.setenv("SG_ENCRYPTION_KEYS", f"{new},{old}")
    tracker = asyncio.run(_store(env).retrieve("webchat:rot"))
    assert tracker is not None and tracker.get_slot("child_words") == WORDS
    asyncio.run(_store(env).save(tracker))  # saved again: now under the newest key
    Fernet(new.encode()).decrypt(env.raw_values()["0/tracker:webchat:rot"].strip())


def test_a_conversation_no_key_opens_starts_afresh(env: RedisServer, monkeypatch: pytest.MonkeyPatch) -> None:
    asyncio.run(_store(env).save(_tracker("webchat:lost")))
    monkeypatch.setenv("SG_ENCRYPTION_KEYS", Fernet.generate_key().decode())
    tracker = asyncio.run(_store(env).retrieve("webchat:lost"))
    assert tracker is not None and tracker.get_slot("child_words") is None and not tracker.events


def test_refuses_to_run_without_keys_or_expiry(env: RedisServer, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(TrackerStoreNotConfigured):
        _store(env, record_exp="0")
    monkeypatch.delenv("SG_ENCRYPTION_KEYS")
    with pytest.raises(TrackerStoreNotConfigured):
        _store(env)


class _Agent:
    def __init__(self, tracker_store: object, lock_store: object) -> None:
        self.tracker_store, self.lock_store = tracker_store, lock_store

    def is_ready(self) -> bool:
        return True


def test_readiness_reports_redis_down(env: RedisServer, keys: str) -> None:
    other = RedisServer().start()
    store = _store(other)
    agent = _Agent(store, RedisLockStore(host=other.host, port=other.port))
    assert readiness(agent) == {"model": True, "tracker_store": True, "lock_store": True}
    other.stop()
    checks = readiness(agent)
    assert checks["model"] and not checks["tracker_store"] and not checks["lock_store"]
    assert readiness(None) == {"model": False, "tracker_store": False, "lock_store": False}


def test_production_endpoints_send_the_action_servers_secret(env: RedisServer) -> None:
    config = read_endpoint_config(str(ROOT / "deploy" / "endpoints.production.yml"), "action_endpoint")
    assert config is not None and config.headers == {"X-SG-Action-Token": "t" * 43}
