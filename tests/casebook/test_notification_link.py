"""A notification's link, followed in the app `make run` serves (casebook/wsgi.py: web chat + casebook),
leads through sign-in and the six-digit code to that case; the session cookie survives the cross-site
arrival from an e-mail, Telegram or Teams link."""

from __future__ import annotations

from urllib.parse import urlsplit

import pyotp
from flask import Flask

from casebook.app import create_app
from core.delivery.notification import case_link
from core.settings import Settings
from tests.casebook.conftest import PASSWORD, csrf_of


def served_app(settings: Settings) -> Flask:
    # The same construction as casebook/wsgi.py.
    app = create_app(settings)
    app.config["TESTING"] = True
    return app


def test_notification_link_points_into_the_casebook_mount(settings) -> None:
    assert case_link(settings, "SG-2026-0001") == "http://127.0.0.1:8000/casebook/cases/SG-2026-0001"

    own = settings.model_copy(update=dict(casebook_url="https://example.org/casebook/"))
    assert case_link(own, "SG-2026-0001") == "https://example.org/casebook/cases/SG-2026-0001"


def test_following_the_link_signed_out_leads_through_sign_in_and_code_to_the_case(
    settings, add_user, add_concern
) -> None:
    reference = add_concern()
    user = add_user("sam", "dsl", "dsl")
    client = served_app(settings).test_client()
    path = urlsplit(case_link(settings, reference)).path

    response = client.get(path)
    assert response.status_code == 302 and "/casebook/sign-in" in response.headers["Location"]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert path in page  # carried through the form as `next`
    response = client.post(
        "/casebook/sign-in",
        data={"username": "sam", "password": PASSWORD, "csrf_token": csrf_of(page), "next": path},
    )
    assert "SameSite=Lax" in response.headers["Set-Cookie"]
    page = client.get("/casebook/sign-in/code").get_data(as_text=True)
    response = client.post(
        "/casebook/sign-in/code", data={"code": pyotp.TOTP(user.totp_secret).now(), "csrf_token": csrf_of(page)}
    )
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == path
    case = client.get(path)
    assert case.status_code == 200 and reference in case.get_data(as_text=True)
