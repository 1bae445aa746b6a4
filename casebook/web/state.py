"""Per-app casebook state and per-request helpers: database session, signed-in user, access checks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import wraps
from typing import Any

from flask import abort, current_app, g, redirect, request, session, url_for
from sqlalchemy.orm import Session, sessionmaker

from core.access.models import User
from core.casework.service import Actor
from core.profile import Profile
from core.settings import Settings
from core.store.models import Concern

IDLE_TIMEOUT = timedelta(minutes=30)
ABSOLUTE_TIMEOUT = timedelta(hours=12)


@dataclass
class CasebookState:
    settings: Settings
    profile: Profile
    sessions: sessionmaker
    clock: Callable[[], datetime]


def state() -> CasebookState:
    return current_app.extensions["casebook"]


def now() -> datetime:
    return state().clock()


def db() -> Session:
    if "casebook_db" not in g:
        g.casebook_db = state().sessions()
    return g.casebook_db


def close_db(_exc: BaseException | None = None) -> None:
    found = g.pop("casebook_db", None)
    if found is not None:
        found.close()


def client_address() -> str:
    # Behind a proxy, configure werkzeug's ProxyFix in the app factory; never trust headers here.
    return request.remote_addr or "unknown"


def current_user() -> User | None:
    if "casebook_user" in g:
        return g.casebook_user
    user = None
    uid, version = session.get("cb_uid"), session.get("cb_ver")
    seen, started = session.get("cb_seen", 0), session.get("cb_started", 0)
    t = now().timestamp()
    if uid is not None and t - seen < IDLE_TIMEOUT.total_seconds() and t - started < ABSOLUTE_TIMEOUT.total_seconds():
        found = db().get(User, uid)
        if found is not None and found.active and found.session_version == version:
            user = found
            session["cb_seen"] = int(t)
    g.casebook_user = user
    return user


def signed_in() -> User:
    """The user of a view behind `requires`, which has already sent anyone else away."""
    user = current_user()
    assert user is not None
    return user


def actor() -> Actor:
    user = signed_in()
    return Actor(user.username, user.member_id, client_address())


def requires(*roles: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Signed in with one of `roles`; anyone else is sent to sign in (anonymous) or refused (403)."""

    def wrap(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def inner(*args: Any, **kwargs: Any) -> Any:
            user = current_user()
            if user is None:
                return redirect(url_for("casebook_auth.sign_in", next=request.full_path))
            if user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return inner

    return wrap


def hides_about_dsl(user: User | None) -> bool:
    """Concerns about the DSL are hidden from the DSL: records, lists and report counts alike."""
    return user is None or user.role == "dsl"


def may_read(user: User, concern: Concern) -> bool:
    """Need-to-know: the safeguarding team reads cases, except a DSL reading a concern about the DSL."""
    return user.reads_cases and not (concern.about_dsl and hides_about_dsl(user))


def utc_now() -> datetime:
    return datetime.now(UTC)
