from __future__ import annotations

import re

import pytest

from casebook.app import create_app


@pytest.fixture
def client(settings):
    app = create_app(settings)
    return app.test_client()


def _token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_page_is_accessible_and_honest(client):
    response = client.get("/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'role="log"' in page and 'aria-live="polite"' in page
    assert '<label for="message">' in page and "Quick exit" in page
    assert "confidential" not in page.lower()
    assert "HttpOnly" in response.headers["Set-Cookie"] and "SameSite=Strict" in response.headers["Set-Cookie"]


def test_chat_round_trip(client, fake_rasa):
    rasa, _ = fake_rasa
    token = _token(client)
    response = client.post("/chat/api", json={"message": "menu"}, headers={"X-CSRFToken": token})
    [reply] = response.get_json()["replies"]
    assert reply["text"] == "You said: menu"
    assert reply["buttons"][1] == {"title": "I need help", "payload": "/need_help"}
    assert rasa.received[0]["sender"].startswith("web:")
    cookie = client.get_cookie("sg_chat").value
    assert cookie not in rasa.received[0]["sender"]


def test_cross_site_requests_are_refused(client, fake_rasa):
    token = _token(client)
    assert client.post("/chat/api", json={"message": "hi"}).status_code == 403
    assert client.post("/chat/api", data={"message": "hi"}, headers={"X-CSRFToken": token}).status_code == 403
    cross = {"X-CSRFToken": token, "Origin": "https://evil.example.org"}
    assert client.post("/chat/api", json={"message": "hi"}, headers=cross).status_code == 403
    assert client.post("/chat/api", json={"message": " "}, headers={"X-CSRFToken": token}).status_code == 400
    assert fake_rasa[0].received == []


def test_one_app_serves_the_web_chat_and_the_casebook(settings):
    client = create_app(settings).test_client()
    assert client.get("/").status_code == 200
    assert client.get("/casebook/").status_code == 302  # to sign-in
    assert client.get("/healthz").status_code == 200


def test_the_profile_is_read_once_per_app_not_per_request(settings, fake_rasa, tmp_path):
    copy = tmp_path / "organisation.yml"
    copy.write_bytes(settings.org_profile.read_bytes())
    client = create_app(settings.model_copy(update={"org_profile": copy})).test_client()
    copy.unlink()  # any later read of the file would fail
    assert client.get("/").status_code == 200
    response = client.post("/chat/api", json={"message": "hello"}, headers={"X-CSRFToken": _token(client)})
    assert response.status_code == 200 and response.get_json()["replies"]


@pytest.mark.parametrize("body", [[1, 2], "a string", 42, {"text": "no message"}, {"message": 7}, {"message": None}])
def test_any_malformed_body_gets_400_with_the_safety_lines(client, fake_rasa, body):
    # Issue 13/14: a JSON list body got HTTP 500 and no safety line.
    response = client.post("/chat/api", json=body, headers={"X-CSRFToken": _token(client)})
    assert response.status_code == 400
    [reply] = response.get_json()["replies"]
    assert "999" in reply["text"] and "Childline 0800 1111" in reply["text"] and "07700 900123" in reply["text"]
    assert fake_rasa[0].received == []


def test_a_too_long_message_gets_a_kind_answer_with_the_safety_lines_first(client, fake_rasa):
    token = _token(client)
    response = client.post("/chat/api", json={"message": "x" * 4001}, headers={"X-CSRFToken": token})
    [reply] = response.get_json()["replies"]
    assert response.status_code == 200
    assert reply["text"].startswith("If anyone is in immediate danger, call 999 now.")
    assert "shorter parts" in reply["text"]
    huge = client.post("/chat/api", json={"message": "x" * 1_000_000}, headers={"X-CSRFToken": token})
    assert huge.status_code == 413 and "999" in huge.get_json()["replies"][0]["text"]
    assert fake_rasa[0].received == []
    ok = client.post("/chat/api", json={"message": "y" * 4000}, headers={"X-CSRFToken": token})
    assert ok.get_json()["replies"][0]["text"] == "You said: " + "y" * 4000
