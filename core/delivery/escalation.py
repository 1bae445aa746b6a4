"""Escalation: a concern nobody has acknowledged in time goes to the next person in the chain.

Windows come from the profile (urgent ones are shorter). Past the end of the chain, everyone in it is
reminded every window until someone acknowledges.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.profile import Profile
from core.settings import Settings
from core.store.concerns import escalation_window, notify_step, record_event
from core.store.models import Concern


def escalate_due(session: Session, profile: Profile, settings: Settings, now: datetime) -> list[str]:
    """Queue the next step for every overdue unacknowledged concern; returns their references."""
    overdue = session.scalars(
        select(Concern)
        .where(Concern.status == "new", Concern.acknowledged_at.is_(None), Concern.escalation_due_at <= now)
        .with_for_update(skip_locked=True)
    ).all()
    for concern in overdue:
        step = concern.escalation_step + 1
        members = notify_step(session, concern, step, profile, settings, now)
        concern.escalation_step = step
        concern.escalation_due_at = now + escalation_window(profile, concern.urgency)
        record_event(session, concern, "escalated", actor="system", now=now, step=step, to=[m.id for m in members])
    return [c.reference for c in overdue]
