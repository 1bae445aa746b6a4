"""Who may see what: anonymous and wrong-role refused, CSRF, escaping, need-to-know, audit, rate limit."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from core.access.audit import AuditLogIsAppendOnly
from core.access.models import AuditEntry
from tests.casebook.conftest import PASSWORD, csrf_of, find, sign_in


def test_anonymous_is_sent_to_sign_in(app, add_concern) -> None:
    ref = add_concern()
    client = app.test_client()
    for path in (
        "/casebook/cases/",
        f"/casebook/cases/{ref}",
        f"/casebook/cases/{ref}/referral.pdf",
        "/casebook/reports/",
    ):
        response = client.get(path)
        assert response.status_code == 302 and "/casebook/sign-in" in response.headers["Location"]


def test_admin_manages_users_but_cannot_read_cases(app, add_user, add_concern) -> None:
    ref = add_concern()
    client = app.test_client()
    sign_in(client, add_user("ada", "admin"))
    assert client.get("/casebook/admin/users").status_code == 200
    for path in (
        "/casebook/cases/",
        f"/casebook/cases/{ref}",
        f"/casebook/cases/{ref}/referral.pdf",
        "/casebook/reports/",
    ):
        assert client.get(path).status_code == 403


def test_case_roles_cannot_manage_users(dsl_client) -> None:
    assert dsl_client.get("/casebook/admin/users").status_code == 403


def test_totp_is_required_for_the_dsl(app, add_user, add_concern) -> None:
    ref = add_concern()
    user = add_user("sam", "dsl", "dsl")
    client = app.test_client()
    page = client.get("/casebook/sign-in").get_data(as_text=True)
    client.post("/casebook/sign-in", data={"username": "sam", "password": PASSWORD, "csrf_token": csrf_of(page)})
    # Password alone is not a session.
    assert client.get(f"/casebook/cases/{ref}").status_code == 302
    page = client.get("/casebook/sign-in/code").get_data(as_text=True)
    wrong = client.post("/casebook/sign-in/code", data={"code": "000000", "csrf_token": csrf_of(page)})
    assert wrong.status_code == 401
    code = pyotp.TOTP(user.totp_secret).now()
    assert client.post("/casebook/sign-in/code", data={"code": code, "csrf_token": csrf_of(page)}).status_code == 302
    assert client.get(f"/casebook/cases/{ref}").status_code == 200


def test_dsl_without_authenticator_must_enrol(app, add_user) -> None:
    add_user("sam", "dsl", "dsl", with_totp=False)
    client = app.test_client()
    page = client.get("/casebook/sign-in").get_data(as_text=True)
    r = client.post("/casebook/sign-in", data={"username": "sam", "password": PASSWORD, "csrf_token": csrf_of(page)})
    assert r.headers["Location"].endswith("/casebook/sign-in/enrol")
    assert client.get("/casebook/cases/").status_code == 302


def test_sign_in_is_rate_limited(app, add_user) -> None:
    add_user("sam", "dsl", "dsl")
    client = app.test_client()
    page = client.get("/casebook/sign-in").get_data(as_text=True)
    codes = [
        client.post(
            "/casebook/sign-in", data={"username": "sam", "password": "wrong password!", "csrf_token": csrf_of(page)}
        ).status_code
        for _ in range(6)
    ]
    assert codes == [401] * 5 + [429]
    right = client.post(
        "/casebook/sign-in", data={"username": "sam", "password": PASSWORD, "csrf_token": csrf_of(page)}
    )
    assert right.status_code == 429


def test_csrf_is_enforced(dsl_client, add_concern, sessions) -> None:
    ref = add_concern()
    assert dsl_client.post(f"/casebook/cases/{ref}/acknowledge").status_code == 400
    assert dsl_client.post(f"/casebook/cases/{ref}/acknowledge", data={"csrf_token": "forged"}).status_code == 400
    assert find(sessions, ref).status == "new"


def test_stored_html_is_escaped(dsl_client, add_concern) -> None:
    ref = add_concern(observed='<img src=x onerror="alert(1)">')
    page = dsl_client.get(f"/casebook/cases/{ref}").get_data(as_text=True)
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert "<img src=x" not in page
    assert "script-src 'none'" in dsl_client.get(f"/casebook/cases/{ref}").headers["Content-Security-Policy"]


def test_need_to_know_concern_about_the_dsl(app, add_user, add_concern, dsl_client) -> None:
    about_dsl = add_concern(about_dsl=True)
    ordinary = add_concern()
    assert dsl_client.get(f"/casebook/cases/{about_dsl}").status_code == 404
    assert dsl_client.get(f"/casebook/cases/{about_dsl}/referral.pdf").status_code == 404
    listing = dsl_client.get("/casebook/cases/").get_data(as_text=True)
    assert about_dsl not in listing and ordinary in listing
    deputy = app.test_client()
    sign_in(deputy, add_user("priya", "deputy", "deputy"))
    assert deputy.get(f"/casebook/cases/{about_dsl}").status_code == 200


def test_ids_of_one_case_cannot_touch_another(dsl_client, add_concern, sessions) -> None:
    first, second = add_concern(), add_concern()
    case = f"/casebook/cases/{first}"
    token = csrf_of(dsl_client.get(case).get_data(as_text=True))
    dsl_client.post(f"{case}/refer", data={"agency": "mash", "referred_at": "2026-03-10T10:20", "csrf_token": token})
    from core.casework.models import AgencyResponse, Referral

    with sessions() as s:
        referral_id = s.scalar(select(Referral.id))
    other = f"/casebook/cases/{second}"
    dsl_client.post(
        f"{other}/response",
        data={"referral_id": referral_id, "received_at": "2026-03-10T10:30", "summary": "x", "csrf_token": token},
    )
    with sessions() as s:
        assert s.scalar(select(AgencyResponse.id)) is None


def test_every_view_is_audited(dsl_client, add_concern, sessions) -> None:
    ref = add_concern()
    dsl_client.get(f"/casebook/cases/{ref}")
    dsl_client.get(f"/casebook/cases/{ref}/referral.pdf")
    dsl_client.get("/casebook/reports/")
    with sessions() as s:
        actions = [(a.actor, a.action, a.reference) for a in s.scalars(select(AuditEntry))]
    assert ("sam", "case.view.record", ref) in actions
    assert ("sam", "case.view.referral_pdf", ref) in actions
    assert ("sam", "reports.view", None) in actions
    assert ("sam", "signin", None) in actions


def test_audit_log_is_append_only(dsl_client, sessions) -> None:
    with sessions() as s:
        entry = s.scalar(select(AuditEntry))
        entry.action = "tampered"
        with pytest.raises(AuditLogIsAppendOnly):
            s.flush()
    # Below the ORM, the database itself refuses.
    for statement in (update(AuditEntry).values(action="tampered"), delete(AuditEntry)):
        with sessions() as s, pytest.raises(DBAPIError):
            s.execute(statement)
            s.commit()
    with sessions() as s:
        assert s.scalar(select(AuditEntry.action).where(AuditEntry.action == "tampered")) is None
        assert s.execute(text("select count(*) from casebook_audit_log")).scalar() > 0


def test_a_copied_session_cookie_dies_at_sign_out(app, dsl_client) -> None:
    stolen = dsl_client.get_cookie("session").value
    page = dsl_client.get("/casebook/cases/").get_data(as_text=True)
    dsl_client.post("/casebook/sign-out", data={"csrf_token": csrf_of(page)})
    thief = app.test_client()
    thief.set_cookie("session", stolen)
    assert thief.get("/casebook/cases/").status_code == 302
