"""The one web process (127.0.0.1:8000): the web chat at /, the DSL casebook at /casebook, /healthz and /readyz.

`create_app(settings)` is the only Flask app factory; `casebook/wsgi.py` builds the settings once and calls it.
The web chat is a channel (channels/webchat) mounted here because both share one process and one port; this
factory is the only place casebook imports from channels.
"""

from __future__ import annotations

import logging
import secrets

from flask import Flask

from casebook import health, web
from casebook.web.hardening import harden
from channels import webchat
from core.profile import profile_for
from core.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings) -> Flask:
    profile = profile_for(settings)  # once per app: no request reads the YAML again
    app = Flask(__name__)
    if not settings.secret_key:
        log.warning("SG_SECRET_KEY is not set: using a random key, so sessions end when the app restarts")
    app.config.update(
        SECRET_KEY=settings.secret_key or secrets.token_hex(32),
        SESSION_COOKIE_HTTPONLY=True,
        # Lax, not Strict: a DSL following a notification link from e-mail, Telegram or Teams is a top-level
        # GET from another site, and must arrive signed in. Lax still withholds the cookie from cross-site
        # POSTs and embeds, and every form carries a CSRF token.
        SESSION_COOKIE_SAMESITE="Lax",
        # Browsers treat 127.0.0.1/localhost as secure contexts; anywhere else the casebook needs https.
        SESSION_COOKIE_SECURE=not settings.casebook_url.startswith(("http://127.0.0.1", "http://localhost")),
        WTF_CSRF_TIME_LIMIT=3600,
    )
    harden(app, settings)
    webchat.init_app(app, settings, profile)
    web.init_app(app, settings, profile)
    app.register_blueprint(health.create())
    return app
