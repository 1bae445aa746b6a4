"""Nothing leaks by inference or into logs: report counts, failed SQL, odd dates."""

from __future__ import annotations

import logging

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from core.store.base import make_engine
from tests.casebook.conftest import csrf_of, sign_in

PHONE = "07700 900999"


def test_reports_count_only_what_the_reader_may_open(app, add_user, add_concern, dsl_client) -> None:
    add_concern(category="physical")
    add_concern(category="fgm", about_dsl=True)
    dsl_view = dsl_client.get("/casebook/reports/categories.csv").get_data(as_text=True)
    assert "fgm" not in dsl_view and "physical" in dsl_view
    assert "female genital" not in dsl_client.get("/casebook/reports/").get_data(as_text=True).lower()
    deputy = app.test_client()
    sign_in(deputy, add_user("priya", "deputy", "deputy"))
    assert "fgm" in deputy.get("/casebook/reports/categories.csv").get_data(as_text=True)


def test_a_failed_statement_never_carries_its_parameters(sqlite_url) -> None:
    engine = make_engine(sqlite_url)
    with engine.connect() as conn, pytest.raises(DBAPIError) as failed:
        conn.execute(text("INSERT INTO no_such_table VALUES (:phone)"), {"phone": PHONE})
    assert PHONE not in str(failed.value)


def test_a_zoned_date_is_refused_not_a_500_with_the_form_in_the_log(dsl_client, add_concern, caplog) -> None:
    ref = add_concern()
    case = f"/casebook/cases/{ref}"
    token = csrf_of(dsl_client.get(case).get_data(as_text=True))
    caplog.set_level(logging.DEBUG)
    for when in ("2026-03-10T10:20+05:00", "0001-01-01T00:00", "2026-03-10T10:20Z"):
        form = {"agency": "mash", "person": "Kim Social", "phone": PHONE, "referred_at": when, "csrf_token": token}
        assert dsl_client.post(f"{case}/refer", data=form).status_code < 500
        follow = {"due_at": when, "note": f"ring {PHONE}", "csrf_token": token}
        assert dsl_client.post(f"{case}/follow-up", data=follow).status_code < 500
    assert PHONE not in caplog.text and "Kim Social" not in caplog.text


def test_the_reporters_role_is_encrypted_at_rest_including_old_rows(database_url, org_profile_path) -> None:
    from alembic import command

    from core.store.migrate import alembic_config, upgrade
    from core.store.models import Concern

    role = "TA to Mrs Khan at Oak Lane"
    command.upgrade(alembic_config(database_url), "0006_accounts")
    engine = make_engine(database_url)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO concerns (client_id, reference, created_at, category, urgency, about_staff, about_dsl,"
                " status, escalation_step, reporter_role) VALUES ('c1', 'SG-2026-0001', CURRENT_TIMESTAMP, 'other',"
                " 'standard', false, false, 'new', 0, :role)"
            ),
            {"role": role},
        )
    upgrade(database_url)
    with engine.connect() as conn:
        raw = conn.execute(text("SELECT reporter_role FROM concerns")).scalar()
    assert role.encode() not in bytes(raw)
    from sqlalchemy.orm import Session

    with Session(engine) as s:
        assert s.query(Concern).one().reporter_role == role
