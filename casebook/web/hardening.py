"""What every web app of the project sets up the same way: the client's address behind a proxy, HSTS."""

from __future__ import annotations

from flask import Flask, Response
from werkzeug.middleware.proxy_fix import ProxyFix

from core.settings import Settings

HSTS = "max-age=31536000; includeSubDomains"


def harden(app: Flask, settings: Settings) -> None:
    if settings.trusted_proxies:
        # Only as many X-Forwarded-* hops as there are proxies we run: a client cannot forge its address.
        n = settings.trusted_proxies
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)  # type: ignore[method-assign]
    if settings.casebook_url.startswith("https://"):

        @app.after_request
        def _hsts(response: Response) -> Response:
            response.headers["Strict-Transport-Security"] = HSTS
            return response
