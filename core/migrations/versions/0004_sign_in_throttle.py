"""Sign-in throttling with back-off per account, per address and per account at an address.

Replaces the per-username/per-address attempt log, whose count-then-record raced under concurrency.

Revision ID: 0004_sign_in_throttle
Revises: 0003_channels
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004_sign_in_throttle"
down_revision = "0003_channels"
branch_labels = None
depends_on = None

_TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "casebook_sign_in_throttle",
        sa.Column("key", sa.String(140), primary_key=True),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("next_allowed_at", _TS, nullable=False),
        sa.Column("updated_at", _TS, nullable=False),
    )
    op.create_index("ix_casebook_sign_in_throttle_updated_at", "casebook_sign_in_throttle", ["updated_at"])
    op.drop_table("casebook_sign_in_attempts")


def downgrade() -> None:
    op.drop_table("casebook_sign_in_throttle")
    op.create_table(
        "casebook_sign_in_attempts",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("at", _TS, nullable=False),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("address", sa.String(64), nullable=False),
    )
