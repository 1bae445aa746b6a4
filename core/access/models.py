"""Casebook users, sign-in attempts and the audit log (append-only)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from core.access.types import UTCDateTime
from core.store.base import Base
from core.store.crypto import EncryptedText

ROLES = ("dsl", "deputy", "admin")
CASE_ROLES = ("dsl", "deputy")  # admin manages users but never reads cases
TOTP_ROLES = ROLES  # admin too: an admin password alone must not manage who reads cases


class User(Base):
    __tablename__ = "casebook_users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    # Links the user to the profile's safeguarding_team entry (acknowledgement, need-to-know); one account each.
    member_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255))
    totp_secret: Mapped[str | None] = mapped_column(EncryptedText)
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    # Bumped on password or 2FA reset and on disabling: every older session stops working.
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    # A one-time link to set their own password: only its SHA-256 is kept, and it expires.
    setup_token_hash: Mapped[str | None] = mapped_column(String(64))
    setup_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    @property
    def reads_cases(self) -> bool:
        return self.role in CASE_ROLES

    @property
    def needs_totp(self) -> bool:
        return self.role in TOTP_ROLES


class SignInThrottle(Base):
    """One sign-in counter (account at an address, address, or account): see access/ratelimit.py."""

    __tablename__ = "casebook_sign_in_throttle"

    key: Mapped[str] = mapped_column(String(140), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    next_allowed_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class AuditEntry(Base):
    """Who did what, when. Never updated or deleted (database triggers refuse it).

    `detail` holds identifiers and choices only, never case text.
    """

    __tablename__ = "casebook_audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    actor: Mapped[str] = mapped_column(String(64))
    action: Mapped[str] = mapped_column(String(64))
    # The concern's reference, not a foreign key: the log outlives deleted records.
    reference: Mapped[str | None] = mapped_column(String(32), index=True)
    detail: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str | None] = mapped_column(String(64))
