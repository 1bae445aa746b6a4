"""The audit log and the chronology cannot be rewritten: not by SQL tricks, not by the app's own role."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import create_engine, select, text
from sqlalchemy.exc import DBAPIError

from core.access.audit import audit
from core.access.models import AuditEntry
from core.store.models import ConcernEvent
from core.store.roles import grant_app_role
from tests.casebook.conftest import NOW


def test_sqlite_insert_or_replace_cannot_rewrite_an_audit_entry(sessions, settings) -> None:
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("SQLite's REPLACE conflict resolution")
    with sessions.begin() as s:
        entry = audit(s, "sam", "case.view.record", "SG-2026-0001", now=NOW)
        s.flush()
        entry_id = entry.id
    with sessions() as s, pytest.raises(DBAPIError):
        s.execute(
            text(
                "INSERT OR REPLACE INTO casebook_audit_log (id, at, actor, action, detail) "
                "VALUES (:id, '2026-01-01', 'nobody', 'nothing', '')"
            ),
            {"id": entry_id},
        )
        s.commit()
    with sessions() as s:
        assert s.get(AuditEntry, entry_id).actor == "sam"


def test_the_chronology_refuses_change_while_the_case_is_open(sessions, add_concern) -> None:
    add_concern()
    for statement in ("UPDATE concern_events SET actor = 'nobody'", "DELETE FROM concern_events"):
        with sessions() as s, pytest.raises(DBAPIError):
            s.execute(text(statement))
            s.commit()
    with sessions() as s:
        assert {e.actor for e in s.scalars(select(ConcernEvent))} != {"nobody"}
        assert s.scalar(select(ConcernEvent.id)) is not None
    # Retention still deletes a closed record whole.
    with sessions.begin() as s:
        s.execute(text("UPDATE concerns SET status = 'closed'"))
        s.execute(text("DELETE FROM concern_events"))
    with sessions() as s:
        assert s.scalar(select(ConcernEvent.id)) is None


def test_the_apps_postgresql_role_can_only_append_to_the_audit_log(settings, sessions) -> None:
    url = settings.database_url
    if not url.startswith("postgresql"):
        pytest.skip("roles are PostgreSQL's")
    role = f"sg_app_{uuid.uuid4().hex[:8]}"
    grant_app_role(url, role)
    app_url = url.replace("://postgres@", f"://{role}@")
    app_engine = create_engine(app_url)
    try:
        with app_engine.begin() as conn:  # what the app does works
            conn.execute(
                text("INSERT INTO casebook_audit_log (at, actor, action, detail) VALUES (now(), 'sam', 'x', '')")
            )
        for attack in (
            "ALTER TABLE casebook_audit_log DISABLE TRIGGER casebook_audit_log_no_update",
            "ALTER TABLE concern_events DISABLE TRIGGER ALL",
            "DELETE FROM casebook_audit_log",
            "UPDATE casebook_audit_log SET actor = 'nobody'",
            "TRUNCATE casebook_audit_log",
            "DROP TABLE casebook_audit_log",
        ):
            with app_engine.begin() as conn, pytest.raises(DBAPIError):
                conn.execute(text(attack))
        with sessions() as s:
            assert s.scalar(select(AuditEntry.actor)) == "sam"
    finally:
        app_engine.dispose()
        owner = create_engine(url)
        with owner.begin() as conn:
            conn.execute(text(f'DROP OWNED BY "{role}"'))
            conn.execute(text(f'DROP ROLE "{role}"'))
        owner.dispose()
