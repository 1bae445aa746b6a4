"""Web chat hardening: CSP and HSTS headers, a message limit per address and per conversation."""

from __future__ import annotations

import re

from casebook.app import create_app
from channels.webchat.limit import Limit, SlidingWindow

LONG = "x" * 4000


def _client(settings):
    return create_app(settings).test_client()


def _token(client) -> str:
    page = client.get("/").get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def test_chat_page_has_a_content_security_policy(settings) -> None:
    headers = _client(settings).get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp and "connect-src 'self'" in csp
    assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert "Strict-Transport-Security" not in headers  # http on loopback: HSTS would be wrong


def test_hsts_when_the_public_url_is_https(settings) -> None:
    client = _client(settings.model_copy(update=dict(casebook_url="https://safeguarding.example.org")))
    for path in ("/", "/casebook/sign-in"):
        assert client.get(path).headers["Strict-Transport-Security"].startswith("max-age=31536000")


def test_a_flood_from_one_address_is_limited_but_still_gets_safety_information(settings, fake_rasa) -> None:
    rasa, _ = fake_rasa
    app = create_app(settings)
    statuses, limited = [], None
    for _ in range(31):
        # A fresh conversation each time: the address limit holds even when the cookie is dropped.
        client = app.test_client()
        response = client.post("/chat/api", json={"message": LONG}, headers={"X-CSRFToken": _token(client)})
        statuses.append(response.status_code)
        if response.status_code == 429:
            limited = response.get_json()
    assert statuses.count(200) == 10 and statuses[10:] == [429] * 21
    assert len(rasa.received) == 10
    assert "999" in limited["replies"][0]["text"]


def test_one_conversation_cannot_flood_either(settings, fake_rasa) -> None:
    client = _client(settings)
    token = _token(client)
    codes = [
        client.post("/chat/api", json={"message": "hi"}, headers={"X-CSRFToken": token}).status_code for _ in range(12)
    ]
    assert codes == [200] * 10 + [429] * 2


def test_proxied_addresses_are_counted_apart_only_when_the_proxy_is_trusted(settings, fake_rasa) -> None:
    def flood(app_settings) -> list[int]:
        app = create_app(app_settings)
        codes = []
        for n in range(12):
            client = app.test_client()
            token = _token(client)
            forwarded = {"X-Forwarded-For": f"198.51.100.{n}"}
            codes.append(
                client.post(
                    "/chat/api", json={"message": LONG}, headers={"X-CSRFToken": token, **forwarded}
                ).status_code
            )
        return codes

    assert flood(settings.model_copy(update=dict(trusted_proxies=1))) == [200] * 12
    # Without a trusted proxy the header is the client's own claim and is ignored.
    assert flood(settings).count(429) == 2


def test_sliding_window_forgets_old_messages() -> None:
    window = SlidingWindow(Limit(messages=2, characters=100, seconds=10))
    assert window.allow("a", 10, now=0) and window.allow("a", 10, now=1)
    assert not window.allow("a", 10, now=2) and window.allow("b", 10, now=2)
    assert not window.allow("c", 101, now=2)
    assert window.allow("a", 10, now=10.5)
