"""The reporter's role is free text (people write "Mrs Khan's TA at Oak Lane"): encrypt it like the rest.

Needs SG_ENCRYPTION_KEYS when there are rows to convert. Plain column drop/rename (SQLite 3.35+), not a
batch copy: recreating `concerns` would cascade into the append-only chronology.

Revision ID: 0007_reporter_role_encrypted
Revises: 0006_accounts
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

from core.store.crypto import decrypt, encrypt

revision = "0007_reporter_role_encrypted"
down_revision = "0006_accounts"
branch_labels = None
depends_on = None


def _convert(source: str, target: str, change: Callable[[Any], Any]) -> None:
    conn = op.get_bind()
    rows = conn.execute(sa.text(f"SELECT id, {source} FROM concerns WHERE {source} IS NOT NULL")).all()
    for concern_id, value in rows:
        conn.execute(
            sa.text(f"UPDATE concerns SET {target} = :v WHERE id = :id"), {"v": change(value), "id": concern_id}
        )


def upgrade() -> None:
    op.add_column("concerns", sa.Column("reporter_role_sealed", sa.LargeBinary()))
    _convert("reporter_role", "reporter_role_sealed", encrypt)
    op.drop_column("concerns", "reporter_role")
    op.alter_column("concerns", "reporter_role_sealed", new_column_name="reporter_role")


def downgrade() -> None:
    op.add_column("concerns", sa.Column("reporter_role_plain", sa.String(64)))
    _convert("reporter_role", "reporter_role_plain", lambda v: decrypt(bytes(v))[:64])
    op.drop_column("concerns", "reporter_role")
    op.alter_column("concerns", "reporter_role_plain", new_column_name="reporter_role")
