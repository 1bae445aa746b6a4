"""The transport interface every notification channel implements (e-mail, Telegram, Teams, webhook).

A transport sends one notification to one team member and raises on any failure; the worker retries
with backoff and records the outcome. Implementations must not log the notification's recipient address.
The Teams side implements this as channels.teams.notify.TeamsTransport(settings, sessions).
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
