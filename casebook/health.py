"""Liveness and readiness for the web app: GET /healthz and GET /readyz.

/healthz is 200 while the process serves requests. /readyz is 200 only when the database answers
`SELECT 1` (through the casebook's own connection pool when the casebook is mounted), so a proxy or
monitor can tell "web up but database down" apart. Neither needs a session or reveals any data.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import text

from core.settings import Settings
from core.store.base import make_engine, make_sessionmaker


def create(settings: Settings | None = None) -> Blueprint:
    bp = Blueprint("health", __name__)
    fallback: dict[str, object] = {}

    def _sessions():  # type: ignore[no-untyped-def]
        casebook = current_app.extensions.get("casebook")
        if casebook is not None:
            return casebook.sessions
        if "sessions" not in fallback:  # web chat without the casebook: a pool of its own, made once
            url = (settings or Settings.from_env()).database_url
            fallback["sessions"] = make_sessionmaker(make_engine(url, connect_args=_timeout(url)))
        return fallback["sessions"]

    @bp.get("/healthz")
    def healthz() -> Response:
        return jsonify(status="ok")

    @bp.get("/readyz")
    def readyz() -> tuple[Response, int]:
        try:
            with _sessions()() as session:
                session.execute(text("SELECT 1"))
        except Exception as exc:  # any failure means not ready; only the class is shown
            return jsonify(status="unavailable", database=type(exc).__name__), 503
        return jsonify(status="ok", database="ok"), 200

    return bp


def _timeout(url: str) -> dict[str, object]:
    return {"connect_timeout": 3} if url.startswith("postgresql") else {}
