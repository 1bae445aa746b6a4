"""Sign-in: password (Argon2), then a TOTP code for case roles; rate-limited; sessions renewed on sign-in."""

from __future__ import annotations

import math
from datetime import timedelta
from typing import Any, cast
from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask.typing import ResponseReturnValue
from sqlalchemy import CursorResult, Update, update
from werkzeug.wrappers import Response

from casebook.web.common import blueprint
from casebook.web.state import client_address, current_user, db, now, state
from core.access import ratelimit, totp, users
from core.access.audit import audit
from core.access.models import User
from core.access.passwords import hash_password, needs_rehash, verify_password
from core.access.users import find_user
from core.store.crypto import EncryptionNotConfigured, decrypt, encrypt

PENDING_SECONDS = 300


def create() -> Blueprint:
    bp = blueprint("casebook_auth", __name__, "/casebook", static=True)

    @bp.get("/")
    def home() -> Response:
        user = current_user()
        if user is None:
            return redirect(url_for(".sign_in"))
        return redirect(url_for("casebook_cases.case_list" if user.reads_cases else "casebook_admin.users"))

    @bp.route("/sign-in", methods=["GET", "POST"])
    def sign_in() -> ResponseReturnValue:
        if request.method == "GET":
            return render_template("casebook/sign_in.html", next=request.args.get("next", ""))
        username = request.form.get("username", "").strip().lower()[:64]
        password = request.form.get("password", "")
        s, t, address = db(), now(), client_address()
        user = find_user(s, username) if username else None
        # Only a real account's name is logged: a password typed into the username box must not be.
        who = user.username if user else "-"
        wait = ratelimit.take_attempt(s, username, address, t)
        if wait is not None:
            audit(s, who, "signin.throttled", address=address, now=t)
            s.commit()
            return _too_many("casebook/sign_in.html", wait)
        if not verify_password(user.password_hash if user else None, password) or user is None or not user.active:
            audit(s, who, "signin.failed", detail="" if user else "unknown username", address=address, now=t)
            s.commit()
            return render_template("casebook/sign_in.html", error="Wrong username or password."), 401
        if needs_rehash(user.password_hash):
            user.password_hash = hash_password(password)
        s.commit()
        session.clear()
        session["cb_pending"] = {"uid": user.id, "ver": user.session_version, "at": int(t.timestamp())}
        session["cb_next"] = _safe_next(request.form.get("next", ""))
        if user.totp_secret:
            return redirect(url_for(".code"))
        if user.needs_totp:
            return redirect(url_for(".enrol"))
        return _complete(user)

    @bp.route("/sign-in/code", methods=["GET", "POST"])
    def code() -> ResponseReturnValue:
        user = _pending_user()
        if user is None or not user.totp_secret:
            return redirect(url_for(".sign_in"))
        if request.method == "GET":
            return render_template("casebook/code.html")
        s, t, address = db(), now(), client_address()
        wait = ratelimit.take_attempt(s, user.username, address, t)
        if wait is not None:
            return _too_many("casebook/code.html", wait)
        step = totp.accepted_step(user.totp_secret, request.form.get("code", ""), user.totp_last_step, t)
        # Using the code and signing in are one step: the conditional update lets one request win.
        if step is None or not _use_step(user, step):
            audit(s, user.username, "signin.code_failed", address=address, now=t)
            s.commit()
            return render_template("casebook/code.html", error="That code did not work. Try the current one."), 401
        return _complete(user)

    @bp.route("/sign-in/enrol", methods=["GET", "POST"])
    def enrol() -> ResponseReturnValue:
        user = _pending_user()
        if user is None or user.totp_secret:
            return redirect(url_for(".sign_in"))
        # The session is a signed, not encrypted, cookie: the new secret goes in it encrypted.
        sealed = session.get("cb_enrol_secret")
        secret = _unseal(sealed) if isinstance(sealed, str) else None
        if secret is None:
            secret = totp.new_secret()
            session["cb_enrol_secret"] = encrypt(secret).decode()
        issuer = state().profile.organisation.name
        uri = totp.provisioning_uri(secret, user.username, issuer)
        if request.method == "GET":
            return render_template("casebook/enrol.html", secret=secret, uri=uri)
        s, t, address = db(), now(), client_address()
        wait = ratelimit.take_attempt(s, user.username, address, t)
        if wait is not None:
            return _too_many("casebook/enrol.html", wait, secret=secret, uri=uri)
        step = totp.accepted_step(secret, request.form.get("code", ""), 0, t)
        if step is None:
            return render_template("casebook/enrol.html", secret=secret, uri=uri, error="That code did not work."), 400
        done = _rows_updated(
            update(User)
            .where(User.id == user.id, User.totp_secret.is_(None), User.session_version == user.session_version)
            .values(totp_secret=secret, totp_last_step=step)
        )
        if done != 1:
            s.rollback()
            return redirect(url_for(".sign_in"))
        audit(s, user.username, "user.enrol_2fa", address=address, now=t)
        s.commit()
        s.refresh(user)
        return _complete(user)

    @bp.route("/setup/<token>", methods=["GET", "POST"])
    def setup(token: str) -> Response | str | tuple[str, int]:
        # The one-time link from account creation: the owner, and only the owner, sets the password.
        if request.method == "GET":
            return render_template("casebook/password.html", current=False)
        s, t = db(), now()
        try:
            _new_password_matches()
            user = users.redeem_setup_link(s, token, request.form.get("password", ""), t)
        except users.UserError as exc:
            s.rollback()
            return render_template("casebook/password.html", current=False, error=str(exc)), 400
        s.commit()
        session.clear()
        flash(f"Password set. Sign in as {user.username}.")
        return redirect(url_for(".sign_in"))

    @bp.route("/account/password", methods=["GET", "POST"])
    def change_password() -> Response | str | tuple[str, int]:
        user = current_user()
        if user is None:
            return redirect(url_for(".sign_in"))
        if request.method == "GET":
            return render_template("casebook/password.html", current=True)
        s, t = db(), now()
        try:
            _new_password_matches()
            users.change_own_password(s, user, request.form.get("current", ""), request.form.get("password", ""), t)
        except users.UserError as exc:
            s.rollback()
            return render_template("casebook/password.html", current=True, error=str(exc)), 400
        s.commit()
        session.clear()  # every session ended with the change (session_version); sign in again
        flash("Password changed. Sign in again.")
        return redirect(url_for(".sign_in"))

    @bp.post("/sign-out")
    def sign_out() -> Response:
        user = current_user()
        if user is not None:
            # Signed cookies cannot be revoked one by one: end every session of this user instead.
            user.session_version += 1
            audit(db(), user.username, "signout", address=client_address(), now=now())
            db().commit()
        session.clear()
        flash("You have signed out.")
        return redirect(url_for(".sign_in"))

    return bp


def _pending_user() -> User | None:
    pending = session.get("cb_pending")
    if not pending or now().timestamp() - pending["at"] > PENDING_SECONDS:
        return None
    user = db().get(User, pending["uid"])
    if user is None or not user.active or user.session_version != pending["ver"]:
        return None
    return user


def _new_password_matches() -> None:
    if request.form.get("password", "") != request.form.get("again", ""):
        raise users.UserError("the two new passwords differ")


def _rows_updated(statement: Update) -> int:
    # An UPDATE's result is a CursorResult; Session.execute is typed with the general Result.
    return cast("CursorResult[Any]", db().execute(statement)).rowcount


def _use_step(user: User, step: int) -> bool:
    """Mark the code's time step used, if no other request has used it or a later one."""
    s = db()
    done = _rows_updated(update(User).where(User.id == user.id, User.totp_last_step < step).values(totp_last_step=step))
    s.commit()
    if done != 1:
        return False
    s.refresh(user)
    return True


def _unseal(sealed: str) -> str | None:
    try:
        return decrypt(sealed.encode())
    except EncryptionNotConfigured:
        return None


def _too_many(template: str, wait: timedelta, **context: str) -> tuple[str, int, dict[str, str]]:
    seconds = max(1, math.ceil(wait.total_seconds()))
    error = f"Too many attempts. Try again in {seconds} seconds."
    return render_template(template, error=error, **context), 429, {"Retry-After": str(seconds)}


def _complete(user: User) -> Response:
    s, t = db(), now()
    user.last_sign_in_at = t
    ratelimit.succeeded(s, user.username, client_address(), t)
    audit(s, user.username, "signin", address=client_address(), now=t)
    s.commit()
    target = session.get("cb_next") or url_for(".home")
    # A fresh session on every sign-in: nothing from before it (fixation) survives.
    session.clear()
    session.update(
        cb_uid=user.id, cb_ver=user.session_version, cb_seen=int(t.timestamp()), cb_started=int(t.timestamp())
    )
    return redirect(target)


def _safe_next(value: str) -> str:
    """Only a path inside the casebook: never an open redirect."""
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not parts.path.startswith("/casebook/") or value.startswith("//"):
        return ""
    return value
