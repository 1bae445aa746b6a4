"""User administration for the admin role (who never sees cases)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from casebook.web.common import blueprint
from casebook.web.state import actor, db, now, requires, state
from core.access import notices
from core.access import users as user_admin
from core.access.audit import audit
from core.access.models import ROLES, User


def create() -> Blueprint:
    bp = blueprint("casebook_admin", __name__, "/casebook/admin")

    @bp.get("/users")
    @requires("admin")
    def users() -> str:
        s = db()
        audit(s, actor().username, "users.list", address=actor().address, now=now())
        s.commit()
        found = s.scalars(select(User).order_by(User.username)).all()
        team = state().profile.safeguarding_team
        return render_template("casebook/users.html", users=found, roles=ROLES, team=team)

    @bp.post("/users")
    @requires("admin")
    def create_user() -> Response:
        f, s, t, who = request.form, db(), now(), actor().username
        role, member_id = f.get("role", ""), f.get("member_id") or None
        try:
            member = user_admin.check_member(state().profile, role, member_id)
            user = user_admin.create_user(s, f.get("username", ""), role, None, who, t, member_id=member_id)
            s.flush()
            link = state().settings.casebook_url.rstrip("/") + url_for(
                "casebook_auth.setup", token=user_admin.issue_setup_link(s, user, who, t)
            )
            if member is None:  # an admin account: the creating admin hands the link over
                flash(f"User created. Give {user.username} this one-time link (48 hours) to set a password: {link}")
            else:
                _tell_about_case_reader(user.username, role, member.name, member.email, link, who)
                flash(f"User created. {member.name} is e-mailed a link to set a password; the DSL and chair are told.")
            s.commit()
        except (user_admin.UserError, notices.NoticeFailed) as exc:
            s.rollback()
            flash(f"Not created: {exc}", "error")
        return redirect(url_for(".users"))

    @bp.post("/users/<int:user_id>/<change>")
    @requires("admin")
    def change(user_id: int, change: str) -> Response:
        s = db()
        user = s.get(User, user_id)
        if user is None:
            abort(404)
        if change == "reset-2fa":
            user_admin.reset_second_factor(s, user, actor().username, now())
        elif change in ("disable", "enable"):
            if user.username == actor().username:
                abort(400, "You cannot disable yourself.")
            user_admin.set_active(s, user, change == "enable", actor().username, now())
        else:
            abort(404)
        s.commit()
        flash(f"{user.username}: done.")
        return redirect(url_for(".users"))

    return bp


def _tell_about_case_reader(username: str, role: str, name: str, email: object, link: str, by: str) -> None:
    """The person gets their own link; the DSL and chair learn that someone new can read cases."""
    settings, profile = state().settings, state().profile
    if not email:
        raise notices.NoticeFailed(f"the profile has no e-mail address for {name}")
    notices.send(
        settings, [str(email)], "Your safeguarding casebook account",
        f"An account ({username}, {role}) has been made for you. Set your password within 48 hours: {link}\n"
        "You will then set up an authenticator app. If you did not expect this, tell your DSL.",
    )  # fmt: skip
    notices.send(
        settings, notices.watchers(profile), "New casebook account that can read cases",
        f"Administrator {by} created the account {username} ({role}) for {name}. "
        "It can read every case. If this is not expected, disable it in the casebook now.",
    )  # fmt: skip
