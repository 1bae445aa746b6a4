from __future__ import annotations

import json
import time
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any

import aiohttp
import jwt
import pytest
from aiohttp.test_utils import TestServer
from cryptography.hazmat.primitives.asymmetric import rsa
from microsoft_agents.activity import Activity
from sqlalchemy import create_engine

from channels.ack import Acknowledger
from channels.teams.app import WELCOME, TeamsChannel
from channels.teams.auth import BotFrameworkTokenValidator
from channels.teams.connector import connector_from
from channels.teams.notify import NoConversation, TeamsTransport
from core.delivery.notification import Notification
from core.profile import load_profile
from core.store.base import make_sessionmaker
from core.store.references import ConversationReference
from tests.channels.fakes import FakeBotFramework, ServerThread

APP_ID = "00000000-0000-0000-0000-0000000000aa"
TENANT = "11111111-1111-1111-1111-111111111111"
ISSUER = "https://api.botframework.com"
DSL_ID = "29:example-dsl-aad-id"


def _key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


SIGNING_KEY = _key()
FORGER_KEY = _key()


class StandInStore:
    """Stands in for core.store.concerns.acknowledge only."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, str]] = []

    def __call__(self, session: Any, reference: str, member_id: str, via: str, now: datetime, **_: Any) -> None:
        self.calls.append((reference, member_id, via))


@pytest.fixture
def bot_framework():
    jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(SIGNING_KEY.public_key()))
    fake = FakeBotFramework({**jwk, "kid": "k1", "use": "sig", "endorsements": ["msteams"]})
    with ServerThread(fake.app) as server:
        yield fake, server


@pytest.fixture
def store() -> StandInStore:
    return StandInStore()


@pytest.fixture
def sessions(sqlite_url):
    engine = create_engine(sqlite_url)
    ConversationReference.__table__.create(engine)
    return make_sessionmaker(engine)


@pytest.fixture
def teams_settings(settings, bot_framework, monkeypatch):
    _, server = bot_framework
    return settings.model_copy(
        update=dict(
            teams_app_id=APP_ID,
            teams_app_password="test-password",
            teams_tenant_id=TENANT,
            teams_openid_url=f"{server.url}/openid",
            teams_token_url=f"{server.url}/token",
        )
    )


@pytest.fixture
def connector(teams_settings):
    return connector_from(teams_settings)


@pytest.fixture
async def endpoint(teams_settings, connector, sessions, store, org_profile_path) -> AsyncIterator[str]:
    profile = load_profile(org_profile_path)
    channel = TeamsChannel(
        teams_settings,
        profile,
        BotFrameworkTokenValidator(teams_settings.teams_openid_url, teams_settings.teams_issuer, APP_ID),
        connector,
        sessions,
        Acknowledger(profile, sessions, store),
    )
    async with TestServer(channel.app(), host="127.0.0.1") as server:
        yield str(server.make_url("/api/messages"))


def token(service_url: str, key: rsa.RSAPrivateKey = SIGNING_KEY, **overrides: Any) -> str:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": APP_ID, "exp": now + 600, "nbf": now - 10, "serviceurl": service_url}
    claims.update(overrides)
    claims = {k: v for k, v in claims.items() if v is not None}
    return jwt.encode(claims, key, algorithm="RS256", headers={"kid": "k1"})


def activity(service_url: str, text: str = "hello", user_id: str = "29:someone", **extra: Any) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "act-1",
        "text": text,
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": user_id, "aadObjectId": "aad-" + user_id[-4:], "name": "Teams User"},
        "recipient": {"id": f"28:{APP_ID}"},
        "conversation": {"id": "a:conv-1", "tenantId": TENANT, "conversationType": "personal"},
        **extra,
    }


async def post(url: str, body: dict[str, Any], bearer: str | None) -> int:
    headers = {"Authorization": f"Bearer {bearer}"} if bearer else {}
    async with aiohttp.ClientSession() as http, http.post(url, json=body, headers=headers) as response:
        return response.status


async def test_message_round_trip_with_buttons(endpoint, bot_framework, fake_rasa):
    fake, server = bot_framework
    rasa, _ = fake_rasa
    assert await post(endpoint, activity(server.url, "menu"), token(server.url)) == 200
    path, auth, body = fake.posted[-1]
    assert path == "/v3/conversations/a:conv-1/activities/act-1"
    assert auth == "Bearer app-token"
    assert body["text"] == "You said: menu"
    assert [a["title"] for a in body["suggestedActions"]["actions"]] == ["I'm worried about a child", "I need help"]
    assert fake.posted[0][2]["type"] == "typing"
    assert rasa.received[0]["sender"].startswith("teams:") and "someone" not in rasa.received[0]["sender"]
    assert rasa.received[0]["metadata"]["display_name"] == "Teams User"  # prefills a reporter's name
    assert await post(endpoint, activity(server.url, "I need help"), token(server.url)) == 200
    assert rasa.received[1]["message"] == "/need_help"


def _forgeries(service_url: str) -> dict[str, tuple[dict[str, Any], str | None]]:
    body = activity(service_url)
    unsigned = jwt.encode({"iss": ISSUER, "aud": APP_ID, "exp": int(time.time()) + 600}, None, algorithm="none")
    return {
        "missing": (body, None),
        "garbage": (body, "not-a-jwt"),
        "unsigned": (body, unsigned),
        "forged signature": (body, token(service_url, key=FORGER_KEY)),
        "expired": (body, token(service_url, exp=int(time.time()) - 3600)),
        "wrong audience": (body, token(service_url, aud="someone-else")),
        "wrong issuer": (body, token(service_url, iss="https://evil.example.org")),
        "no service url claim": (body, token(service_url, serviceurl=None)),
        "service url mismatch": (activity("https://evil.example.org/"), token(service_url)),
        # A real Bot Framework token, but the key endorses only msteams (Bot Framework's endorsement rule).
        "channel not endorsed": (activity(service_url, channelId="webchat"), token(service_url)),
        "no channel": (activity(service_url, channelId=None), token(service_url)),
    }


async def test_forged_requests_are_rejected_and_never_reach_the_assistant(endpoint, bot_framework, fake_rasa):
    fake, server = bot_framework
    rasa, _ = fake_rasa
    for name, (body, bearer) in _forgeries(server.url).items():
        assert await post(endpoint, body, bearer) == 401, name
    assert rasa.received == [] and fake.posted == []


async def test_other_tenant_is_refused(endpoint, bot_framework, fake_rasa):
    fake, server = bot_framework
    body = activity(server.url)
    body["conversation"]["tenantId"] = "22222222-2222-2222-2222-222222222222"
    assert await post(endpoint, body, token(server.url)) == 403
    assert fake_rasa[0].received == [] and fake.posted == []


async def test_no_tenant_configured_refuses_every_tenant(teams_settings, connector, sessions, store, org_profile_path):
    import channels.teams.__main__ as teams_main

    settings = teams_settings.model_copy(update=dict(teams_tenant_id=""))
    with pytest.raises(SystemExit):
        teams_main.build(settings)
    profile = load_profile(org_profile_path)
    channel = TeamsChannel(settings, profile, None, connector, sessions, Acknowledger(profile, sessions, store))
    assert not channel._our_tenant(Activity.model_validate(activity("https://x.example/")))


async def test_welcome_on_install_and_other_activities_ignored(endpoint, bot_framework):
    fake, server = bot_framework
    update = activity(server.url, type="conversationUpdate", membersAdded=[{"id": "29:someone"}])
    del update["text"]
    assert await post(endpoint, update, token(server.url)) == 200
    assert fake.messages()[-1]["text"] == WELCOME
    reaction = activity(server.url, type="messageReaction", reactionsAdded=[{"type": "like"}])
    assert await post(endpoint, reaction, token(server.url)) == 200
    assert len(fake.posted) == 1


async def test_dsl_ack_then_proactive_notification(
    endpoint, bot_framework, store, teams_settings, sessions, org_profile_path
):
    fake, server = bot_framework
    bearer = token(server.url)
    assert await post(endpoint, activity(server.url, "ack SG-2026-0042", user_id=DSL_ID), bearer) == 200
    assert store.calls == [("SG-2026-0042", "dsl", "teams")]
    assert "SG-2026-0042 is acknowledged" in fake.messages()[-1]["text"]

    assert await post(endpoint, activity(server.url, "ack SG-2026-0042"), bearer) == 200
    assert fake.messages()[-1]["text"].startswith("Sorry, only the safeguarding team")
    assert len(store.calls) == 1

    profile = load_profile(org_profile_path)
    note = Notification("SG-2026-0043", "physical", "urgent", "http://casebook/cases/SG-2026-0043", False, 0, "k1")
    transport = TeamsTransport(teams_settings, sessions)
    assert transport.name == "teams"
    await transport.send(note, profile.dsl)
    path, auth, body = fake.posted[-1]
    assert path == "/v3/conversations/a:conv-1/activities"
    assert auth == "Bearer app-token"
    assert body["recipient"]["id"] == DSL_ID and "ack SG-2026-0043" in body["text"]
    # What the DSL reads in Teams: the reference, category, urgency and the casebook link, and nothing else.
    assert body["text"] == note.text(chat_ack=True)
    assert all(part in body["text"] for part in ("SG-2026-0043", "http://casebook/cases/SG-2026-0043"))
    assert "urgent" in body["text"].lower() and "physical" in body["text"].lower()

    with pytest.raises(NoConversation):
        await transport.send(note, profile.deputies[0])


async def test_a_too_long_message_gets_the_safety_lines_and_never_reaches_engine(endpoint, bot_framework, fake_rasa):
    # Issue 14, finding 6.
    fake, server = bot_framework
    assert await post(endpoint, activity(server.url, "x" * 5000), token(server.url)) == 200
    text = fake.posted[-1][2]["text"]
    assert text.startswith("If anyone is in immediate danger, call 999 now.") and "shorter parts" in text
    assert fake_rasa[0].received == []
