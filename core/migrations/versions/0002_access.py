"""Casebook: users, sign-in attempts, the append-only audit log and the DSL's casework tables.

Revision ID: 0002_access
Revises: 0001_concerns
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002_access"
down_revision = "0001_concerns"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)

# The audit log refuses UPDATE and DELETE at the database, whatever the client.
_PG_GUARD = """
CREATE FUNCTION casebook_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'casebook_audit_log is append-only';
END $$;
CREATE TRIGGER casebook_audit_log_no_update BEFORE UPDATE OR DELETE ON casebook_audit_log
  FOR EACH ROW EXECUTE FUNCTION casebook_audit_log_append_only();
CREATE TRIGGER casebook_audit_log_no_truncate BEFORE TRUNCATE ON casebook_audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION casebook_audit_log_append_only();
"""
_SQLITE_GUARD = (
    """CREATE TRIGGER casebook_audit_log_no_update BEFORE UPDATE ON casebook_audit_log
    BEGIN SELECT RAISE(ABORT, 'casebook_audit_log is append-only'); END""",
    """CREATE TRIGGER casebook_audit_log_no_delete BEFORE DELETE ON casebook_audit_log
    BEGIN SELECT RAISE(ABORT, 'casebook_audit_log is append-only'); END""",
)


def upgrade() -> None:
    op.create_table(
        "casebook_users",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("member_id", sa.String(64)),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("totp_secret", sa.LargeBinary()),
        sa.Column("totp_last_step", sa.Integer(), nullable=False),
        sa.Column("session_version", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", _TS, nullable=False),
        sa.Column("last_sign_in_at", _TS),
    )
    op.create_table(
        "casebook_sign_in_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
    op.create_index("ix_casebook_sign_in_attempts_at", "casebook_sign_in_attempts", ["at"])
    op.create_index("ix_casebook_sign_in_attempts_username_at", "casebook_sign_in_attempts", ["username", "at"])
    op.create_index("ix_casebook_sign_in_attempts_address_at", "casebook_sign_in_attempts", ["address", "at"])
    op.create_table(
        "casebook_audit_log",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("reference", sa.String(32)),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.Column("address", sa.String(64)),
    )
    op.create_index("ix_casebook_audit_log_at", "casebook_audit_log", ["at"])
    op.create_index("ix_casebook_audit_log_reference", "casebook_audit_log", ["reference"])
    op.create_table(
        "casebook_case_files",
        sa.Column("concern_id", sa.Integer(), sa.ForeignKey("concerns.id"), primary_key=True),
        sa.Column("legal_hold", sa.Boolean(), nullable=False),
        sa.Column("legal_hold_reason", sa.LargeBinary()),
        sa.Column("outcome", sa.LargeBinary()),
        sa.Column("closed_at", _TS),
        sa.Column("closed_by", sa.String(64)),
    )
    op.create_table(
        "casebook_decisions",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("concern_id", sa.Integer(), sa.ForeignKey("concerns.id"), nullable=False),
        sa.Column("at", _TS, nullable=False),
        sa.Column("by", sa.String(64), nullable=False),
        sa.Column("outcome", sa.String(16), nullable=False),
        sa.Column("rationale", sa.LargeBinary(), nullable=False),
    )
    op.create_index("ix_casebook_decisions_concern_id", "casebook_decisions", ["concern_id"])
    op.create_table(
        "casebook_referrals",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("concern_id", sa.Integer(), sa.ForeignKey("concerns.id"), nullable=False),
        sa.Column("agency", sa.String(16), nullable=False),
        sa.Column("person", sa.LargeBinary()),
        sa.Column("person_role", sa.LargeBinary()),
        sa.Column("phone", sa.LargeBinary()),
        sa.Column("referred_at", _TS, nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
        sa.Column("recorded_at", _TS, nullable=False),
        sa.Column("acknowledged_at", _TS),
        sa.Column("outcome_received_at", _TS),
    )
    op.create_index("ix_casebook_referrals_concern_id", "casebook_referrals", ["concern_id"])
    op.create_table(
        "casebook_responses",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("concern_id", sa.Integer(), sa.ForeignKey("concerns.id"), nullable=False),
        sa.Column("referral_id", sa.Integer(), sa.ForeignKey("casebook_referrals.id"), nullable=False),
        sa.Column("received_at", _TS, nullable=False),
        sa.Column("summary", sa.LargeBinary(), nullable=False),
        sa.Column("is_outcome", sa.Boolean(), nullable=False),
        sa.Column("recorded_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_casebook_responses_concern_id", "casebook_responses", ["concern_id"])
    op.create_index("ix_casebook_responses_referral_id", "casebook_responses", ["referral_id"])
    op.create_table(
        "casebook_follow_ups",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("concern_id", sa.Integer(), sa.ForeignKey("concerns.id"), nullable=False),
        sa.Column("due_at", _TS, nullable=False),
        sa.Column("note", sa.LargeBinary(), nullable=False),
        sa.Column("created_by", sa.String(64), nullable=False),
        sa.Column("done_at", _TS),
        sa.Column("done_by", sa.String(64)),
    )
    op.create_index("ix_casebook_follow_ups_concern_id", "casebook_follow_ups", ["concern_id"])
    op.create_index("ix_casebook_follow_ups_due_at", "casebook_follow_ups", ["due_at"])
    # The case list sorts open cases by status and time; this keeps it quick at tens of thousands.
    op.create_index("ix_casebook_concerns_list", "concerns", ["status", "created_at"])

    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_GUARD)
    elif op.get_bind().dialect.name == "sqlite":
        for statement in _SQLITE_GUARD:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS casebook_audit_log_no_truncate ON casebook_audit_log")
        op.execute("DROP TRIGGER IF EXISTS casebook_audit_log_no_update ON casebook_audit_log")
        op.execute("DROP FUNCTION IF EXISTS casebook_audit_log_append_only()")
    op.drop_index("ix_casebook_concerns_list", table_name="concerns")
    for table in (
        "casebook_follow_ups",
        "casebook_responses",
        "casebook_referrals",
        "casebook_decisions",
        "casebook_case_files",
        "casebook_audit_log",
        "casebook_sign_in_attempts",
        "casebook_users",
    ):
        op.drop_table(table)
