"""Creating users and resetting their secrets (used by the admin pages and the CLI)."""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from casebook.access.audit import audit
from casebook.access.models import ROLES, User
from casebook.access.passwords import hash_password

_USERNAME = re.compile(r"^[a-z0-9_.-]{2,64}$")


class UserError(ValueError):
    pass


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def create_user(
    session: Session, username: str, role: str, password: str, actor: str, now: datetime, member_id: str | None = None
) -> User:
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise UserError("usernames are 2-64 lower-case letters, digits, dots, dashes or underscores")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if find_user(session, username):
        raise UserError(f"user {username!r} already exists")
    try:
        password_hash = hash_password(password)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    user = User(username=username, role=role, member_id=member_id or None, password_hash=password_hash, created_at=now)
    session.add(user)
    audit(session, actor, "user.create", detail=f"user={username} role={role}", now=now)
    return user


def reset_second_factor(session: Session, user: User, actor: str, now: datetime) -> None:
    """The user enrols a new authenticator at their next sign-in."""
    user.totp_secret = None
    user.totp_last_step = 0
    user.session_version += 1
    audit(session, actor, "user.reset_2fa", detail=f"user={user.username}", now=now)


def set_password(session: Session, user: User, password: str, actor: str, now: datetime) -> None:
    try:
        user.password_hash = hash_password(password)
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    user.session_version += 1
    audit(session, actor, "user.set_password", detail=f"user={user.username}", now=now)


def set_active(session: Session, user: User, active: bool, actor: str, now: datetime) -> None:
    user.active = active
    user.session_version += 1
    audit(session, actor, "user.enable" if active else "user.disable", detail=f"user={user.username}", now=now)
