"""Where channels remember how to reach people: conversation references for proactive messages."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, DateTime, String, UniqueConstraint, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from core.store.base import Base


class ConversationReference(Base):
    """One row per channel user: enough to open a conversation with them later (Teams proactive messages)."""

    __tablename__ = "channel_conversation_refs"
    __table_args__ = (UniqueConstraint("channel", "user_id", name="uq_channel_conversation_refs_user"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(32))
    user_id: Mapped[str] = mapped_column(String(255))
    reference: Mapped[dict[str, Any]] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def save_reference(session: Session, channel: str, user_id: str, reference: dict[str, Any], now: datetime) -> None:
    row = session.scalar(
        select(ConversationReference).where(
            ConversationReference.channel == channel, ConversationReference.user_id == user_id
        )
    )
    # Round-trip through JSON so only plain data is stored, whatever model produced it.
    reference = json.loads(json.dumps(reference))
    if row is None:
        session.add(ConversationReference(channel=channel, user_id=user_id, reference=reference, updated_at=now))
    else:
        row.reference = reference
        row.updated_at = now


def get_reference(session: Session, channel: str, user_id: str) -> dict[str, Any] | None:
    return session.scalar(
        select(ConversationReference.reference).where(
            ConversationReference.channel == channel, ConversationReference.user_id == user_id
        )
    )
