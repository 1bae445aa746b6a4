"""Every change the DSL makes to a case: each writes its row, a chronology event and an audit entry
in the caller's transaction, so the three can never disagree."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.access.audit import audit
from core.casework.models import AGENCIES, OUTCOMES, AgencyResponse, CaseFile, Decision, FollowUp, Referral
from core.profile import Profile
from core.store import concerns as concern_store
from core.store.models import Concern

MIN_RATIONALE = 20
# A decision not to refer is the one most often challenged later: it needs a fuller reason.
MIN_NFA_RATIONALE = 60
MAX_TEXT = 5000


class CaseworkError(ValueError):
    """A change refused for a reason the user can fix; the message is shown to them."""


@dataclass(frozen=True)
class Actor:
    username: str
    member_id: str | None = None
    address: str | None = None


def _text(value: str | None, what: str, minimum: int = 1) -> str:
    value = (value or "").strip()
    if len(value) < minimum:
        raise CaseworkError(f"{what} is required" if minimum <= 1 else f"{what} needs at least {minimum} characters")
    if len(value) > MAX_TEXT:
        raise CaseworkError(f"{what} is too long (at most {MAX_TEXT} characters)")
    return value


def _optional(value: str | None) -> str | None:
    value = (value or "").strip()
    return value[:MAX_TEXT] or None


def _event(session: Session, concern: Concern, kind: str, actor: Actor, now: datetime, **detail: Any) -> None:
    concern_store.record_event(session, concern, kind, actor=actor.username, now=now, **detail)


def _audit(session: Session, actor: Actor, action: str, concern: Concern, now: datetime, detail: str = "") -> None:
    audit(session, actor.username, action, concern.reference, detail, actor.address, now)


def case_file(session: Session, concern: Concern) -> CaseFile:
    found = session.get(CaseFile, concern.id)
    if found is None:
        found = CaseFile(concern_id=concern.id, legal_hold=False)
        session.add(found)
    return found


def record_view(session: Session, concern: Concern, actor: Actor, now: datetime, what: str = "record") -> None:
    _event(session, concern, "viewed", actor, now, what=what)
    _audit(session, actor, f"case.view.{what}", concern, now)


def acknowledge(session: Session, concern: Concern, actor: Actor, now: datetime, profile: Profile) -> None:
    if concern.acknowledged_at is not None:
        return
    # The concern store stops the escalation chain and writes its own chronology event.
    try:
        concern_store.acknowledge(session, concern.reference, actor.member_id or "", "casebook", now, profile=profile)
    except concern_store.NotAllowedToAcknowledge as exc:
        raise CaseworkError(
            "your account is not linked to a safeguarding-team member who may acknowledge this"
        ) from exc
    _audit(session, actor, "case.acknowledge", concern, now)


def decide(
    session: Session, concern: Concern, actor: Actor, outcome: str, rationale: str, now: datetime, profile: Profile
) -> Decision:
    if concern.status == "closed":
        raise CaseworkError("this case is closed")
    if outcome not in OUTCOMES:
        raise CaseworkError("choose a decision")
    minimum = MIN_NFA_RATIONALE if outcome == "nfa" else MIN_RATIONALE
    rationale = _text(rationale, "The reason for the decision", minimum)
    acknowledge(session, concern, actor, now, profile)
    decision = Decision(concern_id=concern.id, at=now, by=actor.username, outcome=outcome, rationale=rationale)
    session.add(decision)
    session.flush()
    if concern.status in ("new", "acknowledged"):
        concern.status = "decided"
    _event(session, concern, "decided", actor, now, decision_id=decision.id, outcome=outcome)
    _audit(session, actor, "case.decide", concern, now, f"outcome={outcome}")
    return decision


def record_referral(
    session: Session,
    concern: Concern,
    actor: Actor,
    agency: str,
    referred_at: datetime,
    now: datetime,
    profile: Profile,
    person: str | None = None,
    person_role: str | None = None,
    phone: str | None = None,
) -> Referral:
    if concern.status == "closed":
        raise CaseworkError("this case is closed")
    if agency not in AGENCIES:
        raise CaseworkError("choose the agency referred to")
    if referred_at > now:
        raise CaseworkError("the referral time is in the future")
    acknowledge(session, concern, actor, now, profile)
    referral = Referral(
        concern_id=concern.id,
        agency=agency,
        person=_optional(person),
        person_role=_optional(person_role),
        phone=_optional(phone),
        referred_at=referred_at,
        recorded_by=actor.username,
        recorded_at=now,
    )
    session.add(referral)
    session.flush()
    concern.status = "referred"
    _event(session, concern, "referred", actor, now, referral_id=referral.id, agency=agency)
    _audit(session, actor, "case.refer", concern, now, f"agency={agency}")
    return referral


def record_response(
    session: Session,
    concern: Concern,
    actor: Actor,
    referral_id: int,
    received_at: datetime,
    summary: str,
    now: datetime,
    is_outcome: bool = False,
) -> AgencyResponse:
    referral = session.get(Referral, referral_id)
    # A referral id from another case is treated as unknown: ids never cross cases.
    if referral is None or referral.concern_id != concern.id:
        raise CaseworkError("unknown referral")
    if received_at > now:
        raise CaseworkError("the time received is in the future")
    response = AgencyResponse(
        concern_id=concern.id,
        referral_id=referral.id,
        received_at=received_at,
        summary=_text(summary, "What the agency said"),
        is_outcome=is_outcome,
        recorded_by=actor.username,
    )
    session.add(response)
    if referral.acknowledged_at is None or received_at < referral.acknowledged_at:
        referral.acknowledged_at = received_at
    if is_outcome and (referral.outcome_received_at is None or received_at < referral.outcome_received_at):
        referral.outcome_received_at = received_at
    session.flush()
    _event(session, concern, "response_received", actor, now, referral_id=referral.id, response_id=response.id)
    _audit(session, actor, "case.response", concern, now, f"referral={referral.id}")
    return response


def add_follow_up(
    session: Session, concern: Concern, actor: Actor, due_at: datetime, note: str, now: datetime
) -> FollowUp:
    if concern.status == "closed":
        raise CaseworkError("this case is closed")
    follow_up = FollowUp(
        concern_id=concern.id, due_at=due_at, note=_text(note, "The follow-up"), created_by=actor.username
    )
    session.add(follow_up)
    session.flush()
    _event(session, concern, "follow_up_set", actor, now, follow_up_id=follow_up.id, due_at=due_at.isoformat())
    _audit(session, actor, "case.follow_up.add", concern, now, f"follow_up={follow_up.id}")
    return follow_up


def complete_follow_up(session: Session, concern: Concern, actor: Actor, follow_up_id: int, now: datetime) -> None:
    follow_up = session.get(FollowUp, follow_up_id)
    if follow_up is None or follow_up.concern_id != concern.id:
        raise CaseworkError("unknown follow-up")
    if follow_up.done_at is None:
        follow_up.done_at, follow_up.done_by = now, actor.username
        _event(session, concern, "follow_up_done", actor, now, follow_up_id=follow_up.id)
        _audit(session, actor, "case.follow_up.done", concern, now, f"follow_up={follow_up.id}")


def close(session: Session, concern: Concern, actor: Actor, outcome: str, now: datetime) -> None:
    if concern.status == "closed":
        raise CaseworkError("this case is already closed")
    if session.scalar(select(Decision.id).where(Decision.concern_id == concern.id).limit(1)) is None:
        raise CaseworkError("record a decision and its reason before closing")
    record = case_file(session, concern)
    record.outcome = _text(outcome, "The outcome")
    record.closed_at, record.closed_by = now, actor.username
    concern.status = "closed"
    _event(session, concern, "closed", actor, now)
    _audit(session, actor, "case.close", concern, now)


def set_legal_hold(session: Session, concern: Concern, actor: Actor, hold: bool, reason: str, now: datetime) -> None:
    """A held record is never deleted by the retention job (e.g. it may concern an abuse inquiry)."""
    record = case_file(session, concern)
    record.legal_hold = hold
    record.legal_hold_reason = _text(reason, "The reason for the legal hold") if hold else None
    _event(session, concern, "legal_hold", actor, now, on=hold)
    _audit(session, actor, "case.legal_hold.on" if hold else "case.legal_hold.off", concern, now)
