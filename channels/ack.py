"""DSL acknowledgement from a chat: `ack SG-2026-0042`, only from people in the safeguarding team."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy.orm import sessionmaker

from core.profile import Profile, TeamMember

log = logging.getLogger(__name__)

ACK_COMMAND = re.compile(r"^\s*/?ack(?:@\w+)?\s+(SG-\d{4}-\d{1,8})\s*$", re.IGNORECASE)
REFUSAL = (
    "Sorry, only the safeguarding team can acknowledge a concern here. "
    "If you are worried about a child, tell your Designated Safeguarding Lead now."
)

# acknowledge(session, reference, member_id, via, now, *, profile), as in core.store.concerns.
Acknowledge = Callable[..., object]


def parse_reference(text: str) -> str | None:
    match = ACK_COMMAND.match(text or "")
    return match.group(1).upper() if match else None


def team_member(profile: Profile, channel: str, platform_id: str | int) -> TeamMember | None:
    for member in profile.safeguarding_team:
        known = member.telegram_user_id if channel == "telegram" else member.teams_user_id
        if known is not None and str(known) == str(platform_id):
            return member
    return None


def default_acknowledge() -> Acknowledge:
    from core.store.concerns import acknowledge

    return acknowledge


class Acknowledger:
    """Runs the store's acknowledge() for a verified team member and words the answer."""

    def __init__(self, profile: Profile, sessions: sessionmaker, acknowledge: Acknowledge | None = None) -> None:
        self.profile = profile
        self.sessions = sessions
        self._acknowledge = acknowledge

    def refuses(self, channel: str, platform_id: str | int) -> bool:
        return team_member(self.profile, channel, platform_id) is None

    async def handle(self, channel: str, platform_id: str | int, reference: str) -> str:
        member = team_member(self.profile, channel, platform_id)
        if member is None:
            return REFUSAL
        try:
            await asyncio.to_thread(self._run, reference, member.id, channel)
        except LookupError:  # ConcernNotFound
            return f"I could not find {reference}. Check the reference, or open the concern in the casebook."
        except PermissionError:  # NotAllowedToAcknowledge, e.g. a concern about the DSL themselves
            log.warning("acknowledge refused via %s for %s", channel, member.id)
            return f"You cannot acknowledge {reference}. It is routed to someone else in the safeguarding team."
        return f"Thank you, {member.name}. {reference} is acknowledged; the record shows it was you."

    def _run(self, reference: str, member_id: str, via: str) -> None:
        acknowledge = self._acknowledge or default_acknowledge()
        with self.sessions.begin() as session:
            acknowledge(session, reference, member_id, via, datetime.now(UTC), profile=self.profile)
