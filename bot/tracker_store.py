"""The engine's persistent tracker store: Rasa's RedisTrackerStore with every stored tracker encrypted.

Referenced from deploy/endpoints.production.yml as `bot.tracker_store.EncryptedRedisTrackerStore`.
A conversation survives an engine restart and is shared by every engine worker, but what a person
typed never sits in Redis in plain text: each tracker is one Fernet token made with SG_ENCRYPTION_KEYS
(newest first, the same keys as the concern store), and it expires `record_exp` seconds after the last
message. Keys are `tracker:<sender id>`; the gateway's sender ids are HMACs, not platform user ids.
"""

from __future__ import annotations

import logging
import os
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from rasa.core.tracker_store import RedisTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker

log = logging.getLogger(__name__)

DEFAULT_TTL_SECONDS = 2 * 60 * 60  # longer than the domain's 60-minute session, so a session ends first
SOCKET_TIMEOUT_SECONDS = 2.0  # a hung Redis must fail the turn (the gateway then answers), not stall it


class TrackerStoreNotConfigured(RuntimeError):
    """Refuse to start rather than keep conversations in clear or without expiry."""


def cipher_from_env(env: dict[str, str] | None = None) -> MultiFernet:
    """SG_ENCRYPTION_KEYS as core.store.crypto reads it (comma-separated, newest first)."""
    raw = (env if env is not None else os.environ).get("SG_ENCRYPTION_KEYS", "")
    keys = [k.strip() for k in raw.split(",") if k.strip()]
    if not keys:
        raise TrackerStoreNotConfigured("SG_ENCRYPTION_KEYS is not set: the tracker store will not store plain text")
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except ValueError as exc:
        raise TrackerStoreNotConfigured(f"SG_ENCRYPTION_KEYS holds an invalid Fernet key: {exc}") from exc


class EncryptedRedisTrackerStore(RedisTrackerStore):
    def __init__(
        self,
        domain: Domain,
        host: str = "localhost",
        port: int | str = 6379,
        db: int | str = 0,
        record_exp: float | str | None = None,
        **kwargs: Any,
    ) -> None:
        # Values substituted from the environment in the endpoints file arrive as strings.
        ttl = int(float(record_exp)) if record_exp not in (None, "") else DEFAULT_TTL_SECONDS
        if ttl <= 0:
            raise TrackerStoreNotConfigured("record_exp must be a positive number of seconds")
        self.cipher = cipher_from_env()
        super().__init__(domain, host=host or "localhost", port=int(port), db=int(db), record_exp=ttl, **kwargs)
        self.red.connection_pool.connection_kwargs.update(
            socket_timeout=SOCKET_TIMEOUT_SECONDS, socket_connect_timeout=SOCKET_TIMEOUT_SECONDS
        )

    # Rasa declares serialise_tracker a staticmethod but calls it on self; this one needs self.cipher.
    def serialise_tracker(self, tracker: DialogueStateTracker) -> str:  # type: ignore[override]
        return self.cipher.encrypt(super().serialise_tracker(tracker).encode("utf-8")).decode("ascii")

    def deserialise_tracker(self, sender_id: str, serialised_tracker: str | bytes) -> DialogueStateTracker:
        token = serialised_tracker.encode("ascii") if isinstance(serialised_tracker, str) else serialised_tracker
        try:
            plaintext = self.cipher.decrypt(token)
        except InvalidToken:
            # A key dropped too early, or a stray value: start the conversation afresh rather than fail every turn.
            log.warning("a stored conversation cannot be decrypted with SG_ENCRYPTION_KEYS; starting it afresh")
            return self.init_tracker(sender_id)
        return super().deserialise_tracker(sender_id, plaintext.decode("utf-8"))

    def ping(self) -> bool:
        """For the readiness endpoint."""
        try:
            return bool(self.red.ping())
        except Exception:
            return False
