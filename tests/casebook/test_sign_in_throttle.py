"""Sign-in throttling: atomic under concurrency, per account and per address, back-off, behind a proxy."""

from __future__ import annotations

import threading
from datetime import timedelta

import pyotp
from sqlalchemy import select

from casebook.app import create_app
from core.access.models import AuditEntry
from tests.casebook.conftest import NOW, PASSWORD, csrf_of, sign_in

WRONG = "wrong password!!"


def _post(client, username: str, password: str, address: str = "192.0.2.1"):
    token = csrf_of(client.get("/casebook/sign-in").get_data(as_text=True))
    return client.post(
        "/casebook/sign-in",
        data={"username": username, "password": password, "csrf_token": token},
        environ_base={"REMOTE_ADDR": address},
    )


def _actions(sessions, action: str) -> list[AuditEntry]:
    with sessions() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def _together(n: int, work) -> list[int]:
    """Run `work(i)` in n threads released at the same moment."""
    barrier, results = threading.Barrier(n, timeout=60), [0] * n

    def run(i: int) -> None:
        prepared = work(i)
        barrier.wait()
        results[i] = prepared()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    return results


def test_concurrent_guesses_check_no_more_passwords_than_the_limit(app, add_user, sessions) -> None:
    add_user("sam", "dsl", "dsl")

    def guess(_i: int):
        client = app.test_client()
        token = csrf_of(client.get("/casebook/sign-in").get_data(as_text=True))
        data = {"username": "sam", "password": WRONG, "csrf_token": token}
        return lambda: client.post("/casebook/sign-in", data=data).status_code

    codes = _together(24, guess)
    assert codes.count(401) == 5 and codes.count(429) == 19, codes
    assert len(_actions(sessions, "signin.failed")) == 5


def test_a_strangers_failures_never_lock_the_dsl_out(app, add_user) -> None:
    add_user("sam", "dsl", "dsl")
    stranger = app.test_client()
    for n in range(25):  # other usernames from the DSL's own office address
        assert _post(stranger, f"user{n}", WRONG, "192.0.2.1").status_code == 401
    for _ in range(8):  # and the DSL's username from somewhere else
        _post(stranger, "sam", WRONG, "203.0.113.9")
    dsl = app.test_client()
    assert _post(dsl, "sam", PASSWORD, "192.0.2.1").status_code == 302


def test_back_off_doubles_and_then_lets_the_person_try_again(app, add_user) -> None:
    add_user("sam", "dsl", "dsl")
    clock = {"t": NOW}
    app.extensions["casebook"].clock = lambda: clock["t"]
    client = app.test_client()
    assert [_post(client, "sam", WRONG).status_code for _ in range(5)] == [401] * 5
    blocked = _post(client, "sam", PASSWORD)
    assert blocked.status_code == 429 and blocked.headers["Retry-After"] == "30"
    clock["t"] += timedelta(seconds=31)
    assert _post(client, "sam", WRONG).status_code == 401
    assert _post(client, "sam", PASSWORD).headers["Retry-After"] == "60"
    clock["t"] += timedelta(seconds=61)
    assert _post(client, "sam", PASSWORD).status_code == 302


def test_one_totp_code_signs_in_one_session_only(app, add_user) -> None:
    user = add_user("sam", "dsl", "dsl")

    def prepare(i: int):
        client = app.test_client()
        client.environ_base["REMOTE_ADDR"] = f"192.0.2.{i + 10}"  # six people, six places
        assert _post(client, "sam", PASSWORD, f"192.0.2.{i + 10}").status_code == 302
        token = csrf_of(client.get("/casebook/sign-in/code").get_data(as_text=True))
        code = pyotp.TOTP(user.totp_secret).now()
        return lambda: client.post("/casebook/sign-in/code", data={"code": code, "csrf_token": token}).status_code

    codes = _together(6, prepare)
    assert codes.count(302) == 1 and codes.count(401) == 5


def test_a_password_typed_as_a_username_is_not_kept_in_the_audit_log(app, add_user, sessions) -> None:
    add_user("sam", "dsl", "dsl")
    _post(app.test_client(), PASSWORD, "oops")
    _post(app.test_client(), "sam", WRONG)
    actors = [e.actor for e in _actions(sessions, "signin.failed")]
    assert actors == ["-", "sam"]
    with sessions() as s:
        assert not any(PASSWORD in f"{e.actor} {e.detail}" for e in s.scalars(select(AuditEntry)))


def test_behind_a_trusted_proxy_the_audit_has_the_clients_address(settings, add_user, sessions) -> None:
    users = {1: add_user("sam", "dsl", "dsl"), 0: add_user("priya", "deputy", "deputy")}
    for proxies, expected in ((1, "198.51.100.7"), (0, "127.0.0.1")):
        user = users[proxies]
        app = create_app(settings.model_copy(update=dict(trusted_proxies=proxies)))
        client = app.test_client()
        client.environ_base.update(HTTP_X_FORWARDED_FOR="198.51.100.7", REMOTE_ADDR="127.0.0.1")
        sign_in(client, user)
        with sessions() as s:
            last = s.scalars(select(AuditEntry).where(AuditEntry.action == "signin").order_by(AuditEntry.id.desc()))
            assert last.first().address == expected


def test_the_enrolment_secret_is_not_readable_in_the_session_cookie(app, add_user) -> None:
    import base64
    import re
    import zlib

    add_user("sam", "dsl", "dsl", with_totp=False)
    client = app.test_client()
    _post(client, "sam", PASSWORD)
    page = client.get("/casebook/sign-in/enrol").get_data(as_text=True)
    secret = re.search(r"[A-Z2-7]{32}", page).group(0)
    cookie = client.get_cookie("session").value
    payload = cookie.lstrip(".").split(".")[0]
    raw = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4))
    if cookie.startswith("."):
        raw = zlib.decompress(raw)
    assert secret.encode() not in raw
    # and enrolment still works with it
    token = csrf_of(page)
    done = client.post("/casebook/sign-in/enrol", data={"code": pyotp.TOTP(secret).now(), "csrf_token": token})
    assert done.status_code == 302
