"""Sign-in rate limiting, kept in the database so every worker process shares the count."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from casebook.access.models import SignInAttempt

WINDOW = timedelta(minutes=15)
MAX_PER_USERNAME = 5
MAX_PER_ADDRESS = 20


def blocked(session: Session, username: str, address: str, now: datetime) -> bool:
    since = now - WINDOW
    by_user = session.scalar(
        select(func.count()).where(SignInAttempt.username == username.lower(), SignInAttempt.at > since)
    )
    by_address = session.scalar(select(func.count()).where(SignInAttempt.address == address, SignInAttempt.at > since))
    return (by_user or 0) >= MAX_PER_USERNAME or (by_address or 0) >= MAX_PER_ADDRESS


def record_failure(session: Session, username: str, address: str, now: datetime) -> None:
    session.execute(delete(SignInAttempt).where(SignInAttempt.at <= now - WINDOW))
    session.add(SignInAttempt(at=now, username=username.lower()[:64], address=address[:64]))


def clear(session: Session, username: str) -> None:
    session.execute(delete(SignInAttempt).where(SignInAttempt.username == username.lower()))
