"""Sign-in throttling with back-off, shared by every worker process through the database.

Three counters, each with a few free failures and then a doubling wait (never a hard lockout):
- account at one address: one guesser against one account;
- address, across usernames: one guesser spraying many accounts;
- account, across addresses: many guessers against one account; its wait is capped low, so
  strangers can slow an account's sign-in a little but never lock its owner out.

An attempt is *taken* (counted, under a lock) before the password is checked, so concurrent
guesses cannot all read "under the limit" and all be checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from core.access.models import SignInThrottle


@dataclass(frozen=True)
class Rule:
    prefix: str
    free: int  # failures allowed before any wait
    first_wait: timedelta
    max_wait: timedelta


ACCOUNT_AT_ADDRESS = Rule("ua", 5, timedelta(seconds=30), timedelta(minutes=15))
ADDRESS = Rule("a", 30, timedelta(seconds=30), timedelta(minutes=15))
ACCOUNT = Rule("u", 20, timedelta(seconds=5), timedelta(seconds=60))
IDLE_RESET = timedelta(hours=24)
# Never "now": requests started a moment apart must not see each other's now as the future.
LONG_AGO = datetime(2000, 1, 1, tzinfo=UTC)  # a counter untouched this long starts again


def _keys(username: str, address: str) -> list[tuple[Rule, str]]:
    user, addr = username.lower()[:64], address[:64]
    return [(ACCOUNT_AT_ADDRESS, f"ua:{user}|{addr}"), (ADDRESS, f"a:{addr}"), (ACCOUNT, f"u:{user}")]


def wait_after(rule: Rule, failures: int) -> timedelta:
    if failures < rule.free:
        return timedelta(0)
    return min(rule.first_wait * (2 ** min(failures - rule.free, 20)), rule.max_wait)


def take_attempt(session: Session, username: str, address: str, now: datetime) -> timedelta | None:
    """Count one attempt against every counter, or return how long to wait (nothing counted).

    Commits: the count is visible to every process before the password is checked.
    Call `succeeded` after a right answer, which forgives the account's failures.
    """
    keys = sorted(_keys(username, address), key=lambda rk: rk[1])
    for _rule, key in keys:
        _ensure_row(session, key)
    session.commit()
    # Lock the rows first (a no-op write, in key order): PostgreSQL holds the row locks and SQLite the
    # database's write lock until commit, so reading and counting below is one atomic step.
    for _rule, key in keys:
        session.execute(update(SignInThrottle).where(SignInThrottle.key == key).values(key=key))
    rows = {
        r.key: r for r in session.scalars(select(SignInThrottle).where(SignInThrottle.key.in_([k for _, k in keys])))
    }
    if len(rows) < len(keys):  # an idle row was swept away meanwhile: start again
        session.rollback()
        return take_attempt(session, username, address, now)
    waits = [rows[key].next_allowed_at - now for _rule, key in keys if rows[key].next_allowed_at > now]
    if waits:
        session.rollback()
        return max(waits)
    for rule, key in keys:
        row = rows[key]
        failures = (0 if now - row.updated_at > IDLE_RESET else row.failures) + 1
        row.failures, row.updated_at = failures, now
        wait = wait_after(rule, failures)
        if wait:  # otherwise leave it in the past: a request that began a moment earlier still passes
            row.next_allowed_at = now + wait
    session.commit()
    return None


def succeeded(session: Session, username: str, address: str, now: datetime) -> None:
    """A right answer: forget the account's failures; the address forgives only this attempt,
    so an office sharing one address is never slowed by its own sign-ins."""
    keys = sorted(_keys(username, address), key=lambda rk: rk[1])  # the lock order take_attempt uses
    for rule, key in keys:
        if rule is ADDRESS:
            forgive = update(SignInThrottle).where(SignInThrottle.key == key, SignInThrottle.failures > 0)
            session.execute(forgive.values(failures=SignInThrottle.failures - 1, next_allowed_at=LONG_AGO))
        else:
            forget = update(SignInThrottle).where(SignInThrottle.key == key)
            session.execute(forget.values(failures=0, next_allowed_at=LONG_AGO))
    mine = SignInThrottle.key.in_([key for _, key in keys])
    session.execute(delete(SignInThrottle).where(SignInThrottle.updated_at < now - IDLE_RESET, ~mine))


def _ensure_row(session: Session, key: str) -> None:
    # updated_at LONG_AGO too: a new row reads as idle, so it starts from zero.
    values = {"key": key, "failures": 0, "next_allowed_at": LONG_AGO, "updated_at": LONG_AGO}
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    session.execute(insert(SignInThrottle).values(**values).on_conflict_do_nothing(index_elements=["key"]))
