"""Casework tables, kept beside (not inside) the concern store. Narrative fields are encrypted."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from core.access.types import UTCDateTime
from core.store.base import Base
from core.store.crypto import EncryptedText

# Decision outcomes, in the order the form offers them. Referral agencies are the referring outcomes.
OUTCOMES: dict[str, str] = {
    "mash": "Refer to MASH / children's social care",
    "lado": "Refer to the LADO (allegation about someone working with children)",
    "police": "Refer to the police",
    "prevent": "Prevent referral",
    "early_help": "Early help",
    "nfa": "No further action",
}
AGENCIES: dict[str, str] = {
    "mash": "MASH / children's social care",
    "lado": "LADO",
    "police": "Police",
    "prevent": "Prevent",
    "early_help": "Early help",
    "ceop": "CEOP",
    "other": "Other",
}


class CaseFile(Base):
    """What the DSL adds to a concern as a whole: closing outcome and legal hold."""

    __tablename__ = "casebook_case_files"

    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), primary_key=True)
    legal_hold: Mapped[bool] = mapped_column(Boolean, default=False)
    legal_hold_reason: Mapped[str | None] = mapped_column(EncryptedText)
    outcome: Mapped[str | None] = mapped_column(EncryptedText)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    closed_by: Mapped[str | None] = mapped_column(String(64))


class Decision(Base):
    __tablename__ = "casebook_decisions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    by: Mapped[str] = mapped_column(String(64))
    outcome: Mapped[str] = mapped_column(String(16))
    rationale: Mapped[str] = mapped_column(EncryptedText)


class Referral(Base):
    __tablename__ = "casebook_referrals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    agency: Mapped[str] = mapped_column(String(16))
    person: Mapped[str | None] = mapped_column(EncryptedText)
    person_role: Mapped[str | None] = mapped_column(EncryptedText)
    phone: Mapped[str | None] = mapped_column(EncryptedText)
    referred_at: Mapped[datetime] = mapped_column(UTCDateTime)
    recorded_by: Mapped[str] = mapped_column(String(64))
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # Set by the first response received (the agency's acknowledgement) and the first that gives
    # the agency's decision; the statutory clocks stop on these.
    acknowledged_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    outcome_received_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class AgencyResponse(Base):
    __tablename__ = "casebook_responses"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    referral_id: Mapped[int] = mapped_column(ForeignKey("casebook_referrals.id"), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime)
    summary: Mapped[str] = mapped_column(EncryptedText)
    is_outcome: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_by: Mapped[str] = mapped_column(String(64))


class FollowUp(Base):
    __tablename__ = "casebook_follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    concern_id: Mapped[int] = mapped_column(ForeignKey("concerns.id"), index=True)
    due_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    note: Mapped[str] = mapped_column(EncryptedText)
    created_by: Mapped[str] = mapped_column(String(64))
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    done_by: Mapped[str | None] = mapped_column(String(64))
