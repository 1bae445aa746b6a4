"""The DSL casebook web app: blueprints for sign-in, cases, reports and user administration, under /casebook.

The app factory (casebook/app.py) calls `init_app`; sessions, cookies and the secret key are set there.
"""

from __future__ import annotations

import threading

from flask import Flask, Response, request

from casebook.pdf import prepare_fonts
from casebook.web import admin, auth, cases, reports
from casebook.web.state import CasebookState, close_db, utc_now
from core.profile import Profile
from core.settings import Settings
from core.store.base import open_store

URL_PREFIX = "/casebook"


def init_app(app: Flask, settings: Settings, profile: Profile) -> None:
    """Mount the casebook's blueprints on the web app (casebook/app.py) with its state."""
    if "csrf" not in app.extensions:  # fail closed: every casebook form relies on it
        raise RuntimeError("the casebook needs an app set up with casebook.web.hardening.harden (CSRF protection)")
    for blueprint in (auth.create(), cases.create(), reports.create(), admin.create()):
        app.register_blueprint(blueprint)
    app.extensions["casebook"] = CasebookState(
        settings=settings,
        profile=profile,
        sessions=open_store(settings),
        clock=utc_now,
    )
    app.teardown_appcontext(close_db)
    threading.Thread(target=prepare_fonts, name="pdf-fonts", daemon=True).start()
    app.after_request(_protect_pages)


def _protect_pages(response: Response) -> Response:
    if request.path.startswith(URL_PREFIX):
        # Case pages hold special-category data: never cached, never framed, no third-party anything.
        response.headers["Cache-Control"] = "no-store"
        response.headers["Content-Security-Policy"] = (
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'none'; "
            "frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        )
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
    return response
