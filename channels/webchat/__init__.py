"""Web chat: an accessible chat page and a same-origin JSON endpoint that goes through the gateway."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Response, current_app, jsonify, render_template, request
from flask_wtf.csrf import generate_csrf, validate_csrf
from wtforms.validators import ValidationError

from channels import gateway
from channels.safety import MAX_MESSAGE_CHARS, safety_message, too_long_message
from channels.webchat.limit import PER_ADDRESS, PER_CHAT, SlidingWindow
from core.profile import Profile
from core.settings import Settings

bp = Blueprint("webchat", __name__, template_folder="templates", static_folder="static", static_url_path="/chat/static")

COOKIE = "sg_chat"
# A body this big is refused unread (4,000 characters of JSON-escaped text fit several times over).
MAX_BODY_BYTES = 64 * 1024
CSRF_HEADER = "X-CSRFToken"


@dataclass(frozen=True)
class WebChat:
    """What the web chat needs, made once per app by the app factory (casebook/app.py)."""

    settings: Settings
    profile: Profile


def init_app(app: Flask, settings: Settings, profile: Profile) -> None:
    app.extensions["webchat"] = WebChat(settings, profile)
    app.register_blueprint(bp, url_prefix="/")
    # Exempt from the app-wide CSRFProtect (set up by harden) because _refuse_cross_site checks the same token
    # itself (X-CSRFToken), plus JSON only and same origin, and answers in JSON with a reason, not an HTML 400.
    app.extensions["csrf"].exempt(chat)


def _chat() -> WebChat:
    return current_app.extensions["webchat"]


@bp.get("/")
def page() -> Response:
    profile = _chat().profile
    html = render_template(
        "webchat/index.html",
        organisation=profile.organisation.name,
        safety=safety_message(profile),
        csrf_token=generate_csrf(),
        max_chars=MAX_MESSAGE_CHARS,
    )
    response = Response(html)
    if not request.cookies.get(COOKIE):
        _set_chat_cookie(response, secrets.token_urlsafe(24))
    return response


@bp.post("/chat/api")
def chat() -> tuple[Response, int] | Response:
    problem = _refuse_cross_site()
    if problem:
        return jsonify(error=problem), 403
    settings, profile = _chat().settings, _chat().profile
    if (request.content_length or 0) > MAX_BODY_BYTES:
        return _replies(too_long_message(profile)), 413
    body = request.get_json(silent=True)
    message = body.get("message") if isinstance(body, dict) else None
    if not isinstance(message, str) or not message.strip():
        # Whatever arrives, the answer carries the safety lines (a JSON list once got a 500 here).
        return _replies(safety_message(profile), error="Please type a message."), 400
    if len(message) > MAX_MESSAGE_CHARS:
        return _replies(too_long_message(profile))
    chat_id = request.cookies.get(COOKIE) or secrets.token_urlsafe(24)
    if not _within_limits(chat_id, len(message)):
        # Still the safety message: someone typing fast may be in danger.
        return _replies(safety_message(profile), error="Too many messages at once. Wait a moment."), 429
    sender = gateway.sender_id("web", chat_id, settings.secret_key)
    replies = gateway.forward_sync(sender, message.strip(), "web", {}, settings=settings, profile=profile)
    response = jsonify(
        replies=[
            {"text": r.text, "buttons": [{"title": b.title, "payload": b.payload} for b in r.buttons]} for r in replies
        ]
    )
    if not request.cookies.get(COOKIE):
        _set_chat_cookie(response, chat_id)
    return response


def _replies(text: str, **extra: str) -> Response:
    return jsonify(replies=[{"text": text, "buttons": []}], **extra)


def _within_limits(chat_id: str, characters: int) -> bool:
    # Kept on the app, so each app (and each test) counts from zero.
    by_address, by_chat = current_app.extensions.setdefault(
        "sg_chat_limits", (SlidingWindow(PER_ADDRESS), SlidingWindow(PER_CHAT))
    )
    return by_address.allow(request.remote_addr or "-", characters) and by_chat.allow(chat_id, characters)


@bp.after_request
def _protect(response: Response) -> Response:
    # The page may run only its own script and talk only to its own origin; never framed.
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        "object-src 'none'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
    )
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def _refuse_cross_site() -> str | None:
    # JSON only (a plain HTML form cannot send it), same origin, and the page's CSRF token.
    if not request.is_json:
        return "JSON only"
    origin = request.headers.get("Origin")
    if origin and urlsplit(origin).netloc != request.host:
        return "cross-origin request"
    try:
        validate_csrf(request.headers.get(CSRF_HEADER))
    except ValidationError:
        return "missing or invalid CSRF token"
    return None


def _set_chat_cookie(response: Response, value: str) -> None:
    # A session cookie only: nothing identifying survives closing the browser.
    response.set_cookie(COOKIE, value, httponly=True, samesite="Strict", secure=request.is_secure)
