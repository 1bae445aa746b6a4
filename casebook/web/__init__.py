"""The DSL casebook web app: blueprints for sign-in, cases, reports and user administration.

The combined app calls `register(app)` (or registers `create_blueprints()`); `create_app()` builds a
casebook-only app for tests and small installs. All pages are under /casebook.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, Response, request

from casebook.web import admin, auth, cases, reports
from casebook.web.hardening import harden
from casebook.web.state import CasebookState, close_db, utc_now
from core.profile import load_profile
from core.settings import Settings
from core.store.base import make_engine, make_sessionmaker

URL_PREFIX = "/casebook"
log = logging.getLogger(__name__)


def create_blueprints(settings: Settings | None = None) -> list[Blueprint]:
    blueprints = [auth.create(), cases.create(), reports.create(), admin.create()]
    blueprints[0].record_once(lambda setup: _init_app(setup.app, settings or Settings.from_env()))
    return blueprints


def register(app: Flask, settings: Settings | None = None) -> None:
    for blueprint in create_blueprints(settings):
        app.register_blueprint(blueprint)


def create_app(settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    harden(app, settings)
    register(app, settings)
    return app


def _init_app(app: Flask, settings: Settings) -> None:
    if settings.secret_key:
        app.secret_key = settings.secret_key
    elif not app.secret_key:
        raise RuntimeError("SG_SECRET_KEY is not set: the casebook needs it to sign sessions and CSRF tokens")
    else:
        log.warning("SG_SECRET_KEY is not set: casebook sessions end when the app restarts")
    local = settings.casebook_url.startswith(("http://127.0.0.1", "http://localhost"))
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        # Keep a stricter choice the host app made; Lax still lets a notification link open a case.
        SESSION_COOKIE_SAMESITE=app.config.get("SESSION_COOKIE_SAMESITE") or "Lax",
        # Browsers treat 127.0.0.1/localhost as secure contexts; anywhere else the casebook needs https.
        SESSION_COOKIE_SECURE=not local,
        WTF_CSRF_TIME_LIMIT=3600,
    )
    app.extensions["casebook"] = CasebookState(
        settings=settings,
        profile=load_profile(settings.org_profile),
        sessions=make_sessionmaker(make_engine(settings.database_url)),
        clock=utc_now,
    )
    app.teardown_appcontext(close_db)
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
