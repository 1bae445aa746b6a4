"""The retention job: deletes closed records whose retention period has ended, unless on legal hold.

Retention follows the organisation profile: until the child's 26th birthday (the default) or a number of
years after last contact. The concern holds the child's age, not date of birth, so the 26th birthday is
taken at its latest possible date; with no age, the record is kept 26 years. A record never goes early.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from dateutil.relativedelta import relativedelta
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from core.access.audit import audit
from core.access.types import aware
from core.casework.models import AgencyResponse, CaseFile, Decision, FollowUp, Referral
from core.profile import Profile
from core.store.models import Concern, ConcernEvent, OutboxMessage

ACTOR = "retention-job"


@dataclass(frozen=True)
class Verdict:
    reference: str
    keep_until: datetime
    held: bool


def keep_until(concern: Concern, last_contact: datetime, profile: Profile) -> datetime:
    policy = profile.retention
    if policy.policy == "years_after_last_contact":
        return last_contact + relativedelta(years=policy.years_after_last_contact)
    # Aged n at the concern means born at most n years before it: the 26th birthday is at most 26-n years on.
    years = 26 - concern.child_age if concern.child_age is not None else 26
    return max(aware(concern.concern_at or concern.created_at) + relativedelta(years=max(years, 0)), last_contact)


def due_for_deletion(session: Session, profile: Profile, now: datetime) -> list[Verdict]:
    last_event = (
        select(ConcernEvent.concern_id, func.max(ConcernEvent.at).label("at"))
        .where(ConcernEvent.kind != "viewed")  # reading a record is not contact with the child
        .group_by(ConcernEvent.concern_id)
        .subquery()
    )
    rows = session.execute(
        select(Concern, last_event.c.at, CaseFile.legal_hold)
        .join(last_event, last_event.c.concern_id == Concern.id, isouter=True)
        .join(CaseFile, CaseFile.concern_id == Concern.id, isouter=True)
        .where(Concern.status == "closed")
    )
    found = []
    for concern, last_at, held in rows:
        until = keep_until(concern, aware(last_at) or aware(concern.created_at), profile)
        if until <= now:
            found.append(Verdict(concern.reference, until, bool(held)))
    return found


def run_retention(session: Session, profile: Profile, now: datetime, dry_run: bool = False) -> list[Verdict]:
    """Delete what is due (held records are reported, never deleted); the caller commits."""
    verdicts = due_for_deletion(session, profile, now)
    for verdict in verdicts:
        if verdict.held:
            audit(session, ACTOR, "retention.held", verdict.reference, now=now)
            continue
        if dry_run:
            continue
        concern_id = session.scalar(select(Concern.id).where(Concern.reference == verdict.reference))
        for model in (AgencyResponse, FollowUp, Referral, Decision, CaseFile, ConcernEvent, OutboxMessage):
            session.execute(delete(model).where(model.concern_id == concern_id))
        session.execute(delete(Concern).where(Concern.id == concern_id))
        audit(
            session,
            ACTOR,
            "retention.delete",
            verdict.reference,
            detail=f"kept_until={verdict.keep_until:%Y-%m-%d}",
            now=now,
        )
    return verdicts
