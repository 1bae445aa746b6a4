"""Creating users and resetting their secrets (used by the admin pages and the CLI)."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.access.audit import audit
from core.access.models import CASE_ROLES, ROLES, User
from core.access.passwords import hash_password, verify_password
from core.profile import Profile, TeamMember

SETUP_LINK_LIFETIME = timedelta(hours=48)
_USERNAME = re.compile(r"^[a-z0-9_.-]{2,64}$")


class UserError(ValueError):
    pass


def find_user(session: Session, username: str) -> User | None:
    return session.scalar(select(User).where(User.username == username.strip().lower()))


def create_user(
    session: Session,
    username: str,
    role: str,
    password: str | None,
    actor: str,
    now: datetime,
    member_id: str | None = None,
) -> User:
    """A new account. Without a password (the admin pages), nobody can sign in as it until its
    owner follows the one-time link from `issue_setup_link`."""
    username = username.strip().lower()
    if not _USERNAME.match(username):
        raise UserError("usernames are 2-64 lower-case letters, digits, dots, dashes or underscores")
    if role not in ROLES:
        raise UserError(f"role must be one of {', '.join(ROLES)}")
    if find_user(session, username):
        raise UserError(f"user {username!r} already exists")
    if member_id and session.scalar(select(User.id).where(User.member_id == member_id)):
        raise UserError(f"team member {member_id!r} already has an account")
    try:
        # No password yet: a random one nobody knows, replaced through the set-up link.
        password_hash = hash_password(password if password is not None else secrets.token_urlsafe(32))
    except ValueError as exc:
        raise UserError(str(exc)) from exc
    user = User(username=username, role=role, member_id=member_id or None, password_hash=password_hash, created_at=now)
    session.add(user)
    audit(session, actor, "user.create", detail=f"user={username} role={role}", now=now)
    return user


def check_member(profile: Profile, role: str, member_id: str | None) -> TeamMember | None:
    """Case-reading accounts belong to a profile team member of the same role (as the CLI checks)."""
    if role not in CASE_ROLES:
        return None
    member = profile.member(member_id) if member_id else None
    if member is None:
        raise UserError("DSL and deputy accounts need the safeguarding-team member they belong to")
    if member.role != role:
        raise UserError(f"team member {member_id!r} is the {member.role}, not a {role}")
    return member


def issue_setup_link(session: Session, user: User, actor: str, now: datetime) -> str:
    """A one-time token for the owner to set their own password; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    user.setup_token_hash = _digest(token)
    user.setup_expires_at = now + SETUP_LINK_LIFETIME
    user.session_version += 1
    audit(session, actor, "user.setup_link", detail=f"user={user.username}", now=now)
    return token


def redeem_setup_link(session: Session, token: str, password: str, now: datetime) -> User:
    user = session.scalar(select(User).where(User.setup_token_hash == _digest(token)))
    expires = user.setup_expires_at if user else None
    if user is None or expires is None or expires < now or not user.active:
        raise UserError("this link has expired or was already used: ask for a new one")
    user.setup_token_hash, user.setup_expires_at = None, None
    set_password(session, user, password, user.username, now)
    return user


def change_own_password(session: Session, user: User, current: str, new: str, now: datetime) -> None:
    if not verify_password(user.password_hash, current):
        raise UserError("the current password is wrong")
    set_password(session, user, new, user.username, now)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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
