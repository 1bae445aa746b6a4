"""CSRF is Flask-WTF's CSRFProtect, app-wide: in the app `make run` serves, every route that takes a POST refuses
one without the session's token (400), except the web chat's JSON API, which checks the token itself."""

from __future__ import annotations

import re

import pytest
from flask import Flask

from casebook.app import create_app
from tests.casebook.conftest import csrf_of, find, sign_in

CHAT_API = "/chat/api"


@pytest.fixture
def served(settings) -> Flask:  # the same construction as casebook/wsgi.py
    app = create_app(settings)
    app.config["TESTING"] = True
    return app


def _post_paths(app: Flask) -> list[str]:
    paths = []
    for rule in app.url_map.iter_rules():
        if "POST" in (rule.methods or ()):
            paths.append(
                re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "1" if m[1].endswith("id") else "SG-2026-0001", rule.rule)
            )
    return sorted(paths)


def test_every_post_route_but_the_chat_api_refuses_a_post_without_a_token(served, add_user) -> None:
    paths = _post_paths(served)
    assert CHAT_API in paths and "/casebook/sign-in" in paths and len(paths) >= 8
    client = served.test_client()
    sign_in(client, add_user("sam", "dsl", "dsl"))
    for path in paths:
        if path == CHAT_API:
            continue
        response = client.post(path, data={"note": "x"})
        assert response.status_code == 400, path
        assert "The form has expired" in response.get_data(as_text=True), path


def test_a_form_with_the_pages_token_is_accepted(served, add_user, add_concern, sessions) -> None:
    reference = add_concern()
    client = served.test_client()
    sign_in(client, add_user("sam", "dsl", "dsl"))
    case = f"/casebook/cases/{reference}"
    forged = client.post(f"{case}/acknowledge", data={"csrf_token": "forged"})
    assert forged.status_code == 400 and find(sessions, reference).status == "new"
    token = csrf_of(client.get(case).get_data(as_text=True))
    assert client.post(f"{case}/acknowledge", data={"csrf_token": token}).status_code == 302
    assert find(sessions, reference).status != "new"


def test_the_token_in_the_header_is_accepted_too(served, add_user) -> None:
    client = served.test_client()
    token = csrf_of(client.get("/casebook/sign-in").get_data(as_text=True))
    response = client.post(
        "/casebook/sign-in", data={"username": "nobody", "password": "x"}, headers={"X-CSRFToken": token}
    )
    assert response.status_code == 401  # past the CSRF check, refused by the sign-in itself


def test_the_chat_api_is_exempt_but_still_needs_its_token(served) -> None:
    client = served.test_client()
    refused = client.post(CHAT_API, json={"message": "hello"})
    assert refused.status_code == 403 and refused.get_json()["error"] == "missing or invalid CSRF token"
