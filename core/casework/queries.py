"""Reading cases for the casebook: the paginated list with its clocks, and one case with its casework."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Select, case, func, select
from sqlalchemy.orm import Session, load_only

from core.access.models import User
from core.access.types import aware
from core.casework import clocks
from core.casework.clocks import Clock
from core.casework.models import AgencyResponse, CaseFile, Decision, FollowUp, Referral
from core.profile import Profile
from core.store.models import Concern

PER_PAGE = 50
OPEN_STATUSES = ("new", "acknowledged", "decided", "referred")


@dataclass(frozen=True)
class Filters:
    status: str = "open"  # open | all | one of the statuses
    category: str = ""
    urgency: str = ""
    query: str = ""  # a reference, or part of one: narrative fields are encrypted and not searchable


@dataclass
class ListRow:
    concern: Concern
    clocks: list[Clock] = field(default_factory=list)
    next_follow_up: datetime | None = None


def visible_to(user: User) -> list:
    # Need-to-know: a concern about the DSL is for the deputies (and the chair), not the DSL.
    return [Concern.about_dsl.is_(False)] if user.role == "dsl" else []


def _filtered(user: User, filters: Filters) -> Select:
    stmt = select(Concern).where(*visible_to(user))
    if filters.status == "open":
        stmt = stmt.where(Concern.status.in_(OPEN_STATUSES))
    elif filters.status != "all":
        stmt = stmt.where(Concern.status == filters.status)
    if filters.category:
        stmt = stmt.where(Concern.category == filters.category)
    if filters.urgency:
        stmt = stmt.where(Concern.urgency == filters.urgency)
    if filters.query:
        stmt = stmt.where(Concern.reference.contains(filters.query.strip().upper(), autoescape=True))
    return stmt


def list_cases(
    session: Session, user: User, filters: Filters, page: int, profile: Profile, now: datetime
) -> tuple[list[ListRow], int]:
    """One page of cases (unacknowledged first, then urgent, newest first) and the total matching."""
    stmt = _filtered(user, filters)
    total = session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    order = (
        case((Concern.status == "new", 0), (Concern.status == "closed", 2), else_=1),
        case((Concern.urgency == "urgent", 0), else_=1),
        Concern.created_at.desc(),
    )
    # Only the clear-text columns: the list never decrypts narrative fields.
    columns = load_only(
        Concern.id, Concern.reference, Concern.created_at, Concern.concern_at, Concern.category, Concern.urgency,
        Concern.status, Concern.child_age, Concern.about_staff, Concern.about_dsl, Concern.acknowledged_at,
    )  # fmt: skip
    concerns = session.scalars(stmt.options(columns).order_by(*order).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    rows = [ListRow(c) for c in concerns]
    _attach_clocks(session, rows, profile, now)
    return rows, total


def _attach_clocks(session: Session, rows: list[ListRow], profile: Profile, now: datetime) -> None:
    by_id = {row.concern.id: row for row in rows}
    if not by_id:
        return
    decided = dict(
        session.execute(
            select(Decision.concern_id, func.min(Decision.at))
            .where(Decision.concern_id.in_(by_id))
            .group_by(Decision.concern_id)
        ).all()
    )
    referrals = session.scalars(
        select(Referral)
        .options(
            load_only(Referral.concern_id, Referral.referred_at, Referral.acknowledged_at, Referral.outcome_received_at)
        )
        .where(Referral.concern_id.in_(by_id))
    ).all()
    follow_ups = dict(
        session.execute(
            select(FollowUp.concern_id, func.min(FollowUp.due_at))
            .where(FollowUp.concern_id.in_(by_id), FollowUp.done_at.is_(None))
            .group_by(FollowUp.concern_id)
        ).all()
    )
    for concern_id, row in by_id.items():
        row.clocks = case_clocks(
            row.concern, aware(decided.get(concern_id)), [r for r in referrals if r.concern_id == concern_id], profile
        )
        row.next_follow_up = aware(follow_ups.get(concern_id))


def case_clocks(
    concern: Concern, first_decision_at: datetime | None, referrals: list[Referral], profile: Profile
) -> list[Clock]:
    found = [clocks.referral_clock(concern.concern_at or concern.created_at, first_decision_at)]
    for referral in referrals:
        found.append(clocks.acknowledgement_clock(referral.referred_at, referral.acknowledged_at, profile))
        found.append(clocks.chase_clock(referral.referred_at, referral.outcome_received_at))
    return found


@dataclass
class CaseDetail:
    concern: Concern
    case_file: CaseFile | None
    decisions: list[Decision]
    referrals: list[Referral]
    responses: list[AgencyResponse]
    follow_ups: list[FollowUp]
    clocks: list[Clock]


def case_detail(session: Session, concern: Concern, profile: Profile) -> CaseDetail:
    def rows(model: Any, order: Any) -> list[Any]:
        return list(session.scalars(select(model).where(model.concern_id == concern.id).order_by(order)))

    decisions = rows(Decision, Decision.at)
    referrals = rows(Referral, Referral.referred_at)
    return CaseDetail(
        concern=concern,
        case_file=session.get(CaseFile, concern.id),
        decisions=decisions,
        referrals=referrals,
        responses=rows(AgencyResponse, AgencyResponse.received_at),
        follow_ups=rows(FollowUp, FollowUp.due_at),
        clocks=case_clocks(concern, decisions[0].at if decisions else None, referrals, profile),
    )


def search_terms_ok(query: str) -> bool:
    return len(query) <= 24 and all(ch.isalnum() or ch == "-" for ch in query)
