"""Signed webhook notifications: JSON body, HMAC-SHA256 over "<timestamp>.<body>".

Headers: X-SG-Timestamp (unix seconds), X-SG-Signature ("sha256=<hex>"), Idempotency-Key.
Receivers call verify() and drop repeated Idempotency-Keys (delivery is at least once).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time

import httpx

from core.delivery.notification import Notification
from core.profile import TeamMember
from core.settings import Settings

MAX_SKEW_SECONDS = 300


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return "sha256=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, now: float | None = None) -> bool:
    """True if the signature matches and the timestamp is fresh (limits replays)."""
    try:
        fresh = abs((now if now is not None else time.time()) - int(timestamp)) <= MAX_SKEW_SECONDS
    except ValueError:
        return False
    return fresh and hmac.compare_digest(sign(secret, timestamp, body), signature)


class WebhookTransport:
    name = "webhook"

    def __init__(self, settings: Settings, timeout: float = 15.0) -> None:
        if not settings.webhook_url or not settings.webhook_secret:
            raise ValueError("SG_WEBHOOK_URL and SG_WEBHOOK_SECRET must both be set")
        self.settings = settings
        self.timeout = timeout

    async def send(self, note: Notification, member: TeamMember) -> None:
        body = json.dumps(note.payload(member.id), separators=(",", ":")).encode()
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": "application/json",
            "X-SG-Timestamp": timestamp,
            "X-SG-Signature": sign(self.settings.webhook_secret, timestamp, body),
            "Idempotency-Key": note.idempotency_key,
        }
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            response = await client.post(self.settings.webhook_url, content=body, headers=headers)
            response.raise_for_status()
