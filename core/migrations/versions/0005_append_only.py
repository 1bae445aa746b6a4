"""Append-only guards: the audit log refuses replacement, the chronology refuses change.

SQLite's INSERT OR REPLACE deletes the old row without firing DELETE triggers, so a BEFORE INSERT
trigger refuses an id that exists. The chronology (concern_events) refuses UPDATE always and
DELETE unless its concern is closed (the retention job deletes closed records whole).

Revision ID: 0005_append_only
Revises: 0004_sign_in_throttle
"""

from __future__ import annotations

from alembic import op

revision = "0005_append_only"
down_revision = "0004_sign_in_throttle"
branch_labels = None
depends_on = None

_SQLITE = (
    """CREATE TRIGGER casebook_audit_log_no_replace BEFORE INSERT ON casebook_audit_log
    WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM casebook_audit_log WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'casebook_audit_log is append-only'); END""",
    """CREATE TRIGGER concern_events_no_replace BEFORE INSERT ON concern_events
    WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM concern_events WHERE id = NEW.id)
    BEGIN SELECT RAISE(ABORT, 'concern_events is append-only'); END""",
    """CREATE TRIGGER concern_events_no_update BEFORE UPDATE ON concern_events
    BEGIN SELECT RAISE(ABORT, 'concern_events is append-only'); END""",
    """CREATE TRIGGER concern_events_no_delete BEFORE DELETE ON concern_events
    WHEN (SELECT status FROM concerns WHERE id = OLD.concern_id) IS NOT 'closed'
    BEGIN SELECT RAISE(ABORT, 'concern_events is append-only'); END""",
)
_PG = """
CREATE FUNCTION concern_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF (SELECT status FROM concerns WHERE id = OLD.concern_id) IS NOT DISTINCT FROM 'closed' THEN
      RETURN OLD;
    END IF;
  END IF;
  RAISE EXCEPTION 'concern_events is append-only';
END $$;
CREATE TRIGGER concern_events_no_change BEFORE UPDATE OR DELETE ON concern_events
  FOR EACH ROW EXECUTE FUNCTION concern_events_append_only();
CREATE TRIGGER concern_events_no_truncate BEFORE TRUNCATE ON concern_events
  FOR EACH STATEMENT EXECUTE FUNCTION concern_events_append_only();
"""


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute(_PG)
    elif dialect == "sqlite":
        for statement in _SQLITE:
            op.execute(statement)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS concern_events_no_truncate ON concern_events")
        op.execute("DROP TRIGGER IF EXISTS concern_events_no_change ON concern_events")
        op.execute("DROP FUNCTION IF EXISTS concern_events_append_only()")
    elif dialect == "sqlite":
        for name in ("casebook_audit_log_no_replace", "concern_events_no_replace", "concern_events_no_update",
                     "concern_events_no_delete"):  # fmt: skip
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
