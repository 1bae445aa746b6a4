"""The concern store API, shared by the action server, the channels, the worker and the casebook.

Every function works inside the caller's transaction and never commits, so one `with sessions.begin():`
covers a concern, its chronology and its outbox rows together:

    with sessions.begin() as session:
        concern = record_concern(session, fields, profile, datetime.now(timezone.utc))
    # committed: the worker will notify the first step of the chain

Times are aware datetimes. Event details carry ids and reasons, never disclosure text.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.profile import Profile, TeamMember
from core.routing import escalation_plan, transports_for
from core.settings import Settings
from core.store.models import (
    CATEGORIES,
    ENCRYPTED_FIELDS,
    EVENT_KINDS,
    HIGH_RISK_CATEGORIES,
    Concern,
    ConcernEvent,
    OutboxMessage,
    ReferenceCounter,
)

# Field names record_concern accepts besides the encrypted ones.
PLAIN_FIELDS = (
    "client_id",
    "concern_at",
    "category",
    "immediate_danger",
    "about_staff",
    "about_dsl",
    "child_age",
    "channel",
)


class ConcernNotFound(LookupError):
    pass


class NotAllowedToAcknowledge(PermissionError):
    """Not in the safeguarding team, or the DSL acknowledging a concern about themselves."""


def find_by_reference(session: Session, reference: str) -> Concern | None:
    return session.scalar(select(Concern).where(Concern.reference == reference.strip().upper()))


def urgency_of(category: str, immediate_danger: bool | None) -> str:
    """Urgent when there is (or may be) immediate danger, or the category is high-risk."""
    return "urgent" if immediate_danger is not False or category in HIGH_RISK_CATEGORIES else "standard"


def escalation_window(profile: Profile, urgency: str) -> timedelta:
    e = profile.escalation
    return timedelta(
        minutes=e.urgent_acknowledge_within_minutes if urgency == "urgent" else e.acknowledge_within_minutes
    )


def record_concern(
    session: Session, fields: dict[str, Any], profile: Profile, now: datetime, *, settings: Settings
) -> Concern:
    """Store a concern with its "created" event and the outbox rows for the first step of the chain.

    `fields` keys: the names in ENCRYPTED_FIELDS and PLAIN_FIELDS (text values, None for unknown;
    concern_at an aware datetime; child_age int; immediate_danger/about_staff/about_dsl bools). Unknown keys
    are an error. Idempotent on fields["client_id"]: a repeated submission returns the stored concern.
    """
    unknown = set(fields) - set(ENCRYPTED_FIELDS) - set(PLAIN_FIELDS)
    if unknown:
        raise ValueError(f"unknown concern fields: {sorted(unknown)}")
    fields = {name: _storable(value) if name in PLAIN_FIELDS else value for name, value in fields.items()}
    client_id = str(fields.get("client_id") or uuid.uuid4())
    existing = session.scalar(select(Concern).where(Concern.client_id == client_id))
    if existing is not None:
        return existing

    category = str(fields["category"]) if fields.get("category") in CATEGORIES else "other"
    danger = fields.get("immediate_danger")
    urgency = urgency_of(category, danger)
    concern = Concern(
        client_id=client_id,
        reference=_next_reference(session, now.astimezone(ZoneInfo(profile.organisation.time_zone)).year),
        created_at=now,
        concern_at=fields.get("concern_at"),
        category=category,
        urgency=urgency,
        immediate_danger=danger,
        about_staff=bool(fields.get("about_staff")),
        about_dsl=bool(fields.get("about_dsl")),
        status="new",
        escalation_step=0,
        escalation_due_at=now + escalation_window(profile, urgency),
        child_age=fields.get("child_age"),
        channel=fields.get("channel"),
        **{name: fields.get(name) for name in ENCRYPTED_FIELDS},
    )
    session.add(concern)
    session.flush()
    record_event(
        session,
        concern,
        "created",
        actor=concern.channel or "reporter",
        now=now,
        category=category,
        urgency=urgency,
        lado_route=concern.about_staff,
        about_dsl=concern.about_dsl,
    )
    notify_step(session, concern, 0, profile, settings, now)
    return concern


def _storable(value: Any) -> Any:
    """PostgreSQL text cannot hold NUL: one such answer once blocked every spooled report behind it.
    Encrypted fields are bytes and keep exactly what was typed; plain ones get U+FFFD in its place."""
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


def acknowledge(
    session: Session, reference: str, member_id: str, via: str, now: datetime, *, profile: Profile
) -> Concern:
    """Mark a concern acknowledged by a safeguarding-team member; stops escalation. Idempotent."""
    member = profile.member(member_id)
    concern = find_by_reference(session, reference)
    if concern is None:
        raise ConcernNotFound(reference)
    if member is None or (concern.about_dsl and member.role == "dsl"):
        raise NotAllowedToAcknowledge(member_id)
    if concern.acknowledged_at is not None:
        return concern
    concern.acknowledged_at = now
    concern.acknowledged_by = member.id
    if concern.status == "new":
        concern.status = "acknowledged"
    concern.escalation_due_at = None
    record_event(session, concern, "acknowledged", actor=member.id, now=now, via=via)
    return concern


def record_event(session: Session, concern: Concern, kind: str, *, actor: str, now: datetime, **detail: Any) -> None:
    """Add to the chronology. `detail` must hold ids, channels and reasons only, never disclosure text."""
    if kind not in EVENT_KINDS:
        raise ValueError(f"unknown event kind {kind!r}")
    session.add(ConcernEvent(concern_id=concern.id, kind=kind, at=now, actor=actor, detail=detail))


def step_members(profile: Profile, concern: Concern, step: int) -> list[TeamMember]:
    """Who step `step` notifies; past the end of the chain, everyone in it is reminded each round."""
    plan = escalation_plan(profile, urgent=concern.urgency == "urgent", about_dsl=concern.about_dsl)
    if step < len(plan):
        return plan[step]
    return [m for members in plan for m in members]


def notify_step(
    session: Session, concern: Concern, step: int, profile: Profile, settings: Settings, now: datetime
) -> list[TeamMember]:
    """Queue one outbox row per member and transport for this escalation step; returns the members."""
    members = step_members(profile, concern, step)
    for member in members:
        transports = transports_for(member, settings)
        if not transports:
            reason = "no transport configured for this member"
            record_event(
                session,
                concern,
                "delivery_failed",
                actor="system",
                now=now,
                recipient=member.id,
                step=step,
                reason=reason,
            )
        for transport in transports:
            session.add(
                OutboxMessage(
                    concern_id=concern.id,
                    recipient_id=member.id,
                    transport=transport,
                    escalation_step=step,
                    idempotency_key=f"{concern.reference}:{member.id}:{transport}:{step}",
                    attempts=0,
                    created_at=now,
                    next_attempt_at=now,
                )
            )
    session.flush()
    return members


def _next_reference(session: Session, year: int) -> str:
    """SG-<year>-<nnnn>, sequential per year; the counter row is locked until the caller commits."""
    bump = (
        update(ReferenceCounter)
        .where(ReferenceCounter.year == year)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
    )
    number = session.scalar(bump)
    if number is None:
        try:
            with session.begin_nested():
                session.execute(insert(ReferenceCounter).values(year=year, last=1))
            number = 1
        except IntegrityError:  # another writer created the year's row first
            number = session.scalar(bump)
    return f"SG-{year}-{number:04d}"
