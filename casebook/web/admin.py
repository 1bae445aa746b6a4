"""User administration for the admin role (who never sees cases)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from casebook.access import users as user_admin
from casebook.access.audit import audit
from casebook.access.models import ROLES, User
from casebook.web.common import blueprint
from casebook.web.state import actor, db, now, requires, state


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
        f, s = request.form, db()
        try:
            user_admin.create_user(
                s, f.get("username", ""), f.get("role", ""), f.get("password", ""), actor().username, now(),
                member_id=f.get("member_id") or None,
            )  # fmt: skip
            s.commit()
            flash("User created. They set up their authenticator at first sign-in.")
        except user_admin.UserError as exc:
            s.rollback()
            flash(str(exc), "error")
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
