"""What every casebook blueprint shares: template helpers (CSRF is app-wide: casebook/web/hardening.py)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Blueprint
from flask_wtf.csrf import generate_csrf

from casebook.web.state import current_user, now, state

TEMPLATES = "templates"


def blueprint(name: str, import_name: str, url_prefix: str, static: bool = False) -> Blueprint:
    bp = Blueprint(
        name, import_name, url_prefix=url_prefix, template_folder=TEMPLATES,
        static_folder="static" if static else None, static_url_path="/static" if static else None,
    )  # fmt: skip

    @bp.context_processor
    def _helpers() -> dict[str, object]:
        return {"csrf_token": generate_csrf, "user": current_user(), "local_time": local_time, "now": now()}

    return bp


def local_time(value: datetime | None, with_day: bool = True) -> str:
    if value is None:
        return ""
    local = value.astimezone(ZoneInfo(state().profile.organisation.time_zone))
    return local.strftime("%a %d %b %Y %H:%M" if with_day else "%d %b %Y %H:%M")


def parse_local(value: str | None) -> datetime | None:
    """A datetime-local form value, read in the organisation's time zone."""
    if not value:
        return None
    try:
        naive = datetime.fromisoformat(value)
    except ValueError:
        return None
    # A datetime-local field never carries a zone; one that does, or a far-off year, was not sent by our form.
    if naive.tzinfo is not None or not 1900 <= naive.year <= 2999:
        return None
    return naive.replace(tzinfo=ZoneInfo(state().profile.organisation.time_zone))
