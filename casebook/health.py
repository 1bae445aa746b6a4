"""Liveness and readiness for the web app: GET /healthz and GET /readyz.

/healthz is 200 while the process serves requests. /readyz is 200 only when the database answers
`SELECT 1` through the casebook's connection pool, so a proxy or
monitor can tell "web up but database down" apart. Neither needs a session or reveals any data.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text


def create() -> Blueprint:
    bp = Blueprint("health", __name__)

    @bp.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @bp.get("/readyz")
    def readyz() -> tuple[Response, int]:
        try:
            with current_app.extensions["casebook"].sessions() as session:
                session.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means not ready; only the class is shown
            return jsonify(status="unavailable", database=type(exc).__name__), 503
        return jsonify(status="ok", database="ok"), 200

    return bp
