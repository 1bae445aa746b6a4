"""Time helpers for the casebook's own tables (the column type itself lives with the store)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import overload

from core.store.models import UTCDateTime

__all__ = ["UTCDateTime", "aware"]


@overload
def aware(value: datetime) -> datetime: ...
@overload
def aware(value: None) -> None: ...
def aware(value: datetime | None) -> datetime | None:
    """Aware UTC datetime from a column that may come back naive on SQLite."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
