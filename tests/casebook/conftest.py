"""Fixtures for the casebook: a migrated database, users with authenticators, concerns, a signed-in client."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pyotp
import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import sessionmaker

from casebook.app import create_app
from core.access.models import User
from core.access.passwords import hash_password
from core.profile import Profile, load_profile
from core.settings import Settings
from core.store.base import make_engine, make_sessionmaker
from core.store.concerns import record_concern
from core.store.crypto import generate_key
from core.store.migrate import upgrade
from core.store.models import Concern
from tests.conftest import use_keys

PASSWORD = "correct horse battery staple"
SECRET_WORDS = "He said <script>alert('x')</script> I am scared to go home"
NOW = datetime(2026, 3, 10, 10, 0, tzinfo=UTC)  # a Tuesday


@pytest.fixture(autouse=True)
def environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    use_keys(monkeypatch, generate_key())
    monkeypatch.setenv("SG_DATA_DIR", str(tmp_path / "data"))


@pytest.fixture
def profile(org_profile_path: Path) -> Profile:
    return load_profile(org_profile_path)


@pytest.fixture
def settings(database_url: str, org_profile_path: Path) -> Settings:
    upgrade(database_url)
    return Settings(
        database_url=database_url,
        org_profile=org_profile_path,
        secret_key="test-secret-key-not-for-production",
        casebook_url="http://127.0.0.1:8000",
    )


@pytest.fixture
def sessions(settings: Settings) -> sessionmaker:
    return make_sessionmaker(make_engine(settings.database_url))


@pytest.fixture
def app(settings: Settings) -> Flask:
    app = create_app(settings)
    app.config["TESTING"] = True
    return app


@pytest.fixture
def add_user(sessions: sessionmaker) -> Callable[..., User]:
    def add(username: str, role: str, member_id: str | None = None, with_totp: bool = True) -> User:
        with sessions.begin() as s:
            user = User(
                username=username, role=role, member_id=member_id, password_hash=hash_password(PASSWORD),
                totp_secret=pyotp.random_base32() if with_totp else None, totp_last_step=0, session_version=1,
                active=True, created_at=NOW,
            )  # fmt: skip
            s.add(user)
        return user

    return add


@pytest.fixture
def add_concern(sessions: sessionmaker, profile: Profile, settings: Settings) -> Callable[..., str]:
    def add(when: datetime = NOW, **fields: Any) -> str:
        values = {
            "reporter_name": "Jo Reporter", "reporter_role": "mentor", "reporter_contact": "07700 900321",
            "child_name": "A.B.", "child_age": 12, "child_words": SECRET_WORDS, "category": "physical",
            "immediate_danger": False, "concern_at": when - timedelta(minutes=30), "channel": "webchat",
        }  # fmt: skip
        values.update(fields)
        with sessions.begin() as s:
            return record_concern(s, values, profile, when, settings=settings).reference

    return add


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token on the page"
    return match.group(1)


def sign_in(client: FlaskClient, user: User) -> None:
    page = client.get("/casebook/sign-in").get_data(as_text=True)
    response = client.post(
        "/casebook/sign-in", data={"username": user.username, "password": PASSWORD, "csrf_token": csrf_of(page)}
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    if user.totp_secret:
        page = client.get("/casebook/sign-in/code").get_data(as_text=True)
        code = pyotp.TOTP(user.totp_secret).now()
        response = client.post("/casebook/sign-in/code", data={"code": code, "csrf_token": csrf_of(page)})
        assert response.status_code == 302, response.get_data(as_text=True)


@pytest.fixture
def dsl_client(app: Flask, add_user: Callable[..., User]) -> FlaskClient:
    client = app.test_client()
    sign_in(client, add_user("sam", "dsl", "dsl"))
    return client


def find(sessions: sessionmaker, reference: str) -> Concern:
    with sessions() as s:
        from core.store.concerns import find_by_reference

        found = find_by_reference(s, reference)
        assert found is not None
        return found
