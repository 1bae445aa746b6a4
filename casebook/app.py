"""A minimal Flask app factory: the web chat, plus any blueprints other parts of the project add."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Iterable

from flask import Blueprint, Flask

from casebook.web.hardening import harden
from channels.webchat import bp as webchat
from core.settings import Settings

log = logging.getLogger(__name__)


def create_app(extra_blueprints: Iterable[Blueprint] = (), settings: Settings | None = None) -> Flask:
    settings = settings or Settings.from_env()
    app = Flask(__name__)
    if not settings.secret_key:
        log.warning("SG_SECRET_KEY is not set: using a random key, so sessions end when the app restarts")
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        SG_SETTINGS=settings,
        SESSION_COOKIE_HTTPONLY=True,
        # Lax, not Strict: a DSL following a notification link from e-mail, Telegram or Teams is a top-level
        # GET from another site, and must arrive signed in. Lax still withholds the cookie from cross-site
        # POSTs and embeds, and every form carries a CSRF token.
        SESSION_COOKIE_SAMESITE="Lax",
    )
    harden(app, settings)
    app.register_blueprint(webchat, url_prefix="/")
    for blueprint in extra_blueprints:
        app.register_blueprint(blueprint)
    return app
