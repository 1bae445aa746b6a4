"""The concern store on SQLite and PostgreSQL: references, routing, acknowledgement, encryption at rest."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, text

from core.store.concerns import (
    ConcernNotFound,
    NotAllowedToAcknowledge,
    acknowledge,
    find_by_reference,
    record_concern,
)
from core.store.models import ConcernEvent, OutboxMessage
from tests.handoff.conftest import FIELDS, IN_HOURS, SECRET_WORDS


def test_record_concern_writes_concern_event_and_outbox(sessions, profile, settings):
    with sessions.begin() as s:
        concern = record_concern(s, FIELDS, profile, IN_HOURS, settings=settings)
    assert concern.reference == "SG-2026-0001"
    assert concern.urgency == "standard" and concern.status == "new"
    with sessions() as s:
        stored = find_by_reference(s, "sg-2026-0001")
        assert stored.child_words == SECRET_WORDS and stored.created_at == IN_HOURS
        kinds = s.scalars(select(ConcernEvent.kind)).all()
        rows = s.scalars(select(OutboxMessage)).all()
    assert kinds == ["created"]
    assert [(r.recipient_id, r.transport, r.escalation_step) for r in rows] == [("dsl", "email", 0)]
    assert stored.escalation_due_at == IN_HOURS + timedelta(minutes=60)


def test_references_are_sequential_per_year_and_client_id_is_idempotent(sessions, profile, settings):
    refs = []
    for i in range(3):
        with sessions.begin() as s:
            refs.append(
                record_concern(s, {**FIELDS, "client_id": f"c{i}"}, profile, IN_HOURS, settings=settings).reference
            )
    with sessions.begin() as s:
        again = record_concern(s, {**FIELDS, "client_id": "c1"}, profile, IN_HOURS, settings=settings)
    with sessions.begin() as s:
        next_year = record_concern(s, FIELDS, profile, IN_HOURS.replace(year=2027), settings=settings)
    assert refs == ["SG-2026-0001", "SG-2026-0002", "SG-2026-0003"]
    assert again.reference == "SG-2026-0002"
    assert next_year.reference == "SG-2027-0001"


def test_sensitive_fields_are_encrypted_at_rest(sessions, profile, settings):
    with sessions.begin() as s:
        record_concern(s, FIELDS, profile, IN_HOURS, settings=settings)
    with sessions() as s:
        raw = s.execute(text("SELECT * FROM concerns")).mappings().one()
        events = s.execute(text("SELECT detail FROM concern_events")).all()
    dump = repr(dict(raw)).encode() + repr(events).encode()
    for secret in ("belt", "Jo Reporter", "900321", "A.B.", "football", "forearm"):
        assert secret.encode() not in dump
    assert bytes(raw["child_words"]).startswith(b"gAAAA")  # a Fernet token


def test_urgent_when_danger_or_high_risk_category_and_notifies_deputy_too(sessions, profile, settings):
    with sessions.begin() as s:
        danger = record_concern(s, {**FIELDS, "immediate_danger": True}, profile, IN_HOURS, settings=settings)
        sexual = record_concern(s, {**FIELDS, "category": "sexual"}, profile, IN_HOURS, settings=settings)
        unknown = record_concern(s, {**FIELDS, "immediate_danger": None}, profile, IN_HOURS, settings=settings)
    assert (danger.urgency, sexual.urgency, unknown.urgency) == ("urgent", "urgent", "urgent")
    assert danger.escalation_due_at == IN_HOURS + timedelta(minutes=15)
    with sessions() as s:
        first = s.scalars(select(OutboxMessage.recipient_id).where(OutboxMessage.concern_id == danger.id)).all()
    assert sorted(first) == ["deputy", "dsl"]


def test_concern_about_the_dsl_never_reaches_the_dsl(sessions, profile, settings):
    with sessions.begin() as s:
        about_dsl = {**FIELDS, "about_staff": True, "about_dsl": True}
        concern = record_concern(s, about_dsl, profile, IN_HOURS, settings=settings)
    with sessions() as s:
        recipients = s.scalars(select(OutboxMessage.recipient_id)).all()
    assert recipients == ["deputy"]
    with sessions.begin() as s, pytest.raises(NotAllowedToAcknowledge):
        acknowledge(s, concern.reference, "dsl", "casebook", IN_HOURS, profile=profile)


def test_acknowledge_is_idempotent_and_team_only(sessions, profile, settings):
    with sessions.begin() as s:
        ref = record_concern(s, FIELDS, profile, IN_HOURS, settings=settings).reference
    later = IN_HOURS + timedelta(minutes=5)
    with sessions.begin() as s:
        acknowledge(s, ref, "dsl", "telegram", later, profile=profile)
    with sessions.begin() as s:
        again = acknowledge(s, ref, "deputy", "casebook", later + timedelta(minutes=1), profile=profile)
    assert (again.status, again.acknowledged_by, again.acknowledged_at) == ("acknowledged", "dsl", later)
    assert again.escalation_due_at is None
    with sessions.begin() as s, pytest.raises(NotAllowedToAcknowledge):
        acknowledge(s, ref, "stranger", "telegram", later, profile=profile)
    with sessions.begin() as s, pytest.raises(ConcernNotFound):
        acknowledge(s, "SG-2026-9999", "dsl", "telegram", later, profile=profile)
    with sessions() as s:
        kinds = s.scalars(select(ConcernEvent.kind).order_by(ConcernEvent.id)).all()
    assert kinds == ["created", "acknowledged"]


def test_unknown_fields_are_refused(sessions, profile, settings):
    with sessions.begin() as s, pytest.raises(ValueError, match="unknown concern fields"):
        record_concern(s, {**FIELDS, "childs_words": "typo"}, profile, IN_HOURS, settings=settings)
