"""Accounts: one account per team member, and one-time links for people to set their own password.

Revision ID: 0006_accounts
Revises: 0005_append_only
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006_accounts"
down_revision = "0005_append_only"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("casebook_users") as batch:
        batch.add_column(sa.Column("setup_token_hash", sa.String(64)))
        batch.add_column(sa.Column("setup_expires_at", sa.DateTime(timezone=True)))
        batch.create_unique_constraint("uq_casebook_users_member_id", ["member_id"])


def downgrade() -> None:
    with op.batch_alter_table("casebook_users") as batch:
        batch.drop_constraint("uq_casebook_users_member_id", type_="unique")
        batch.drop_column("setup_expires_at")
        batch.drop_column("setup_token_hash")
