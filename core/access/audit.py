"""The append-only audit writer. Nothing here can change or remove an entry once written."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import event
from sqlalchemy.orm import Session

from core.access.models import AuditEntry


class AuditLogIsAppendOnly(RuntimeError):
    pass


def audit(
    session: Session,
    actor: str,
    action: str,
    reference: str | None = None,
    detail: str = "",
    address: str | None = None,
    now: datetime | None = None,
) -> AuditEntry:
    """Add an entry to the session; it is written with the change it describes (same commit)."""
    entry = AuditEntry(
        at=now or datetime.now(UTC), actor=actor, action=action, reference=reference, detail=detail, address=address
    )
    session.add(entry)
    return entry


@event.listens_for(Session, "before_flush")
def _refuse_changes(session: Session, _context: object, _instances: object) -> None:
    # The database triggers are the real guard; this catches mistakes early and on any backend.
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEntry) and (obj in session.deleted or session.is_modified(obj)):
            raise AuditLogIsAppendOnly("audit entries cannot be changed or deleted")
