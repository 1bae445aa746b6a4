"""Concerns, their chronology and the notification outbox.

Revision ID: 0001_concerns
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_concerns"
down_revision = None
branch_labels = None
depends_on = None

# Encrypted columns hold Fernet tokens (bytes); timestamps are stored in UTC.
_ENCRYPTED = (
    "reporter_name",
    "reporter_contact",
    "child_name",
    "child_setting",
    "child_needs",
    "child_words",
    "observed",
    "injuries",
    "questions_asked",
    "present",
    "source",
    "discussed_with",
    "actions_taken",
)


def _ts(name: str, nullable: bool = True) -> sa.Column:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "concern_reference_counters",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("last", sa.Integer(), nullable=False),
    )
    op.create_table(
        "concerns",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("client_id", sa.String(64), nullable=False, unique=True),
        sa.Column("reference", sa.String(24), nullable=False, unique=True),
        _ts("created_at", nullable=False),
        _ts("concern_at"),
        sa.Column("category", sa.String(32), nullable=False),
        sa.Column("urgency", sa.String(16), nullable=False),
        sa.Column("immediate_danger", sa.Boolean()),
        sa.Column("about_staff", sa.Boolean(), nullable=False),
        sa.Column("about_dsl", sa.Boolean(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        _ts("acknowledged_at"),
        sa.Column("acknowledged_by", sa.String(64)),
        sa.Column("escalation_step", sa.Integer(), nullable=False),
        _ts("escalation_due_at"),
        sa.Column("child_age", sa.Integer()),
        sa.Column("reporter_role", sa.String(64)),
        sa.Column("channel", sa.String(32)),
        *(sa.Column(name, sa.LargeBinary()) for name in _ENCRYPTED),
    )
    op.create_index("ix_concerns_escalation", "concerns", ["status", "escalation_due_at"])
    op.create_table(
        "concern_events",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("concern_id", sa.Integer(), sa.ForeignKey("concerns.id", ondelete="CASCADE"), nullable=False),
        sa.Column("kind", sa.String(32), nullable=False),
        _ts("at", nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
    )
    op.create_index("ix_concern_events_concern_id", "concern_events", ["concern_id"])
    op.create_table(
        "outbox_messages",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("concern_id", sa.Integer(), sa.ForeignKey("concerns.id", ondelete="CASCADE"), nullable=False),
        sa.Column("recipient_id", sa.String(64), nullable=False),
        sa.Column("transport", sa.String(32), nullable=False),
        sa.Column("escalation_step", sa.Integer(), nullable=False),
        sa.Column("idempotency_key", sa.String(160), nullable=False, unique=True),
        sa.Column("attempts", sa.Integer(), nullable=False),
        _ts("created_at", nullable=False),
        _ts("next_attempt_at", nullable=False),
        _ts("sent_at"),
        sa.Column("last_error", sa.String(200)),
        sa.UniqueConstraint("concern_id", "recipient_id", "transport", "escalation_step", name="uq_outbox_delivery"),
    )
    op.create_index("ix_outbox_messages_concern_id", "outbox_messages", ["concern_id"])
    op.create_index("ix_outbox_due", "outbox_messages", ["sent_at", "next_attempt_at"])


def downgrade() -> None:
    op.drop_table("outbox_messages")
    op.drop_table("concern_events")
    op.drop_table("concerns")
    op.drop_table("concern_reference_counters")
