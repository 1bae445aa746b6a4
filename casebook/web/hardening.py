"""What every web app of the project sets up the same way: the client's address behind a proxy, HSTS, CSRF."""

from __future__ import annotations

from flask import Flask, Response
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

from core.settings import Settings

HSTS = "max-age=31536000; includeSubDomains"
# Every POST, PUT, PATCH and DELETE needs the session's token, in the form field `csrf_token` or the
# X-CSRFToken header; a view that proves its origin another way is exempted where it is defined.
csrf = CSRFProtect()


def harden(app: Flask, settings: Settings) -> None:
    csrf.init_app(app)
    app.register_error_handler(CSRFError, _expired_form)
    if settings.trusted_proxies:
        # Only as many X-Forwarded-* hops as there are proxies we run: a client cannot forge its address.
        # Replacing the wsgi_app method is Flask's documented way to add middleware; mypy forbids it by default.
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    if settings.casebook_url.startswith("https://"):

        @app.after_request
        def _hsts(response: Response) -> Response:
            response.headers["Strict-Transport-Security"] = HSTS
            return response


def _expired_form(_: CSRFError) -> tuple[str, int]:
    return "The form has expired or was not sent from this site. Go back, reload and try again.", 400
