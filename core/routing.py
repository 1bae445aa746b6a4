"""Who is told about a concern, in what order, and over which transports.

The chain is the profile's safeguarding team in its order (DSL, deputies, then CEO/chair). A concern
about the DSL never reaches the DSL. Urgent concerns go to the DSL and the first deputy at once.
"""

from __future__ import annotations

from core.profile import Profile, TeamMember
from core.settings import Settings


def escalation_plan(profile: Profile, *, urgent: bool, about_dsl: bool) -> list[list[TeamMember]]:
    """Steps of the chain: step 0 is notified at once, each later step when the previous goes unanswered."""
    chain = [m for m in profile.safeguarding_team if not (about_dsl and m.role == "dsl")]
    if urgent and len(chain) > 1 and chain[1].role == "deputy":
        return [chain[:2], *([m] for m in chain[2:])]
    return [[m] for m in chain]


def transports_for(member: TeamMember, settings: Settings) -> list[str]:
    """Every configured way to reach this member; each becomes its own outbox row."""
    names = []
    if member.email:
        names.append("email")
    if member.telegram_user_id is not None and settings.telegram_token:
        names.append("telegram")
    if member.teams_user_id and settings.teams_app_id:
        names.append("teams")
    if settings.webhook_url:
        names.append("webhook")
    return names
