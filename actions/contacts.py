"""Who a reporter should phone, worded from the organisation profile (never from code)."""

from __future__ import annotations

from datetime import datetime

from core.profile import Profile, TeamMember
from core.routing import escalation_plan

ROLE_NAMES = {"dsl": "Designated Safeguarding Lead", "deputy": "deputy DSL", "ceo": "CEO", "chair": "chair"}
WHISTLEBLOWING = "NSPCC whistleblowing advice line: 0800 028 0285."


def people_to_phone(profile: Profile, *, about_dsl: bool) -> list[TeamMember]:
    """The first two people in the chain: the DSL and a deputy, or, about the DSL, the deputy and the next."""
    chain = [m for step in escalation_plan(profile, urgent=False, about_dsl=about_dsl) for m in step]
    return chain[:2]


def phone_line(member: TeamMember) -> str:
    return f"{member.name} ({ROLE_NAMES[member.role]}) on {member.phone}"


def local_lines(profile: Profile, now: datetime, *, about_staff: bool = False) -> list[str]:
    la = profile.local_authority
    lines = [f"If you can't reach them, call {la.name} children's services (MASH) on {la.mash.phone}."]
    if not profile.in_office_hours(now):
        lines.append(f"It is outside office hours: the Emergency Duty Team is on {la.edt.phone}, or the police on 101.")
    if about_staff:
        lines.append(f"The Local Authority Designated Officer (LADO) is on {la.lado.phone}.")
    return lines
