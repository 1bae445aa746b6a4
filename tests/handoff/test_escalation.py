"""Escalation along the chain when nobody acknowledges, with the clock passed in."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from core.delivery.escalation import escalate_due
from core.store.concerns import acknowledge, record_concern
from core.store.models import ConcernEvent, OutboxMessage
from tests.handoff.conftest import FIELDS, IN_HOURS


def _recipients_by_step(sessions, concern_id):
    with sessions() as s:
        rows = s.scalars(select(OutboxMessage).where(OutboxMessage.concern_id == concern_id)).all()
    steps: dict[int, list[str]] = {}
    for r in rows:
        steps.setdefault(r.escalation_step, []).append(r.recipient_id)
    return {k: sorted(v) for k, v in steps.items()}


def test_unacknowledged_concern_climbs_the_chain_until_acknowledged(sessions, profile, settings):
    with sessions.begin() as s:
        concern = record_concern(s, FIELDS, profile, IN_HOURS, settings=settings)
    t = IN_HOURS
    for minutes in (59, 61, 122, 183):
        with sessions.begin() as s:
            escalate_due(s, profile, settings, t + timedelta(minutes=minutes))
    # 59: not yet; 61: deputy; 122: chair; 183: everyone reminded.
    assert _recipients_by_step(sessions, concern.id) == {
        0: ["dsl"],
        1: ["deputy"],
        2: ["chair"],
        3: ["chair", "deputy", "dsl"],
    }
    with sessions.begin() as s:
        acknowledge(s, concern.reference, "chair", "casebook", t + timedelta(minutes=190), profile=profile)
    with sessions.begin() as s:
        assert escalate_due(s, profile, settings, t + timedelta(hours=10)) == []
    with sessions() as s:
        kinds = s.scalars(select(ConcernEvent.kind).order_by(ConcernEvent.id)).all()
    assert kinds == ["created", "escalated", "escalated", "escalated", "acknowledged"]


def test_urgent_escalates_sooner(sqlite_sessions, profile, settings):
    with sqlite_sessions.begin() as s:
        record_concern(s, {**FIELDS, "immediate_danger": True}, profile, IN_HOURS, settings=settings)
    with sqlite_sessions.begin() as s:
        assert escalate_due(s, profile, settings, IN_HOURS + timedelta(minutes=16)) == ["SG-2026-0001"]
