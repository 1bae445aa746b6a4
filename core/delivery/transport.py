"""The transport interface every notification channel implements (e-mail, Telegram, Teams, webhook).

A transport sends one notification to one team member and raises on any failure; the worker retries
with backoff and records the outcome. Implementations must not log the notification's recipient address.
Core implements e-mail and webhook; channels implement Telegram and Teams, and the notifier's entry point
(channels/notifier.py) registers them all with the worker, so core never imports a channel.
"""

from __future__ import annotations

from typing import Protocol

from core.delivery.notification import Notification
from core.profile import TeamMember


class Transport(Protocol):
    name: str

    async def send(self, note: Notification, member: TeamMember) -> None: ...


class TransportUnavailable(RuntimeError):
    """This transport is not configured or not installed in this deployment."""
