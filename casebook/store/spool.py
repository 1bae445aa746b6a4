"""A durable local spool for concerns submitted while the database is unreachable.

Each concern is one encrypted file (Fernet, the same keys as the database) written to a temporary name,
fsynced, then atomically renamed, so a crash never leaves a half-written concern. `drain()` stores them
when the database is back; the client id makes that idempotent if it runs twice or crashes midway.
"""

from __future__ import annotations

import json
import logging
import os
import uuid
from collections.abc import Callable
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from casebook.profile import Profile
from casebook.settings import Settings
from casebook.store import crypto
from casebook.store.concerns import record_concern

log = logging.getLogger(__name__)
SUFFIX = ".concern"


def spool_dir(settings: Settings | None = None) -> Path:
    return (settings or Settings.from_env()).data_dir / "spool"


def write(fields: dict[str, Any], received_at: datetime, *, directory: Path | None = None) -> str:
    """Spool one concern; returns its client id (generated if fields has none)."""
    client_id = str(fields.get("client_id") or uuid.uuid4())
    directory = directory or spool_dir()
    directory.mkdir(parents=True, exist_ok=True)
    payload = {
        "fields": {**fields, "client_id": client_id},
        "received_at": received_at.isoformat(),
    }
    token = crypto.encrypt(json.dumps(payload, default=_isoformat))
    tmp = directory / f".{client_id}.tmp"
    with open(tmp, "wb") as fh:
        fh.write(token)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, directory / f"{client_id}{SUFFIX}")
    _fsync_dir(directory)
    return client_id


def pending(directory: Path | None = None) -> list[Path]:
    directory = directory or spool_dir()
    return sorted(directory.glob(f"*{SUFFIX}")) if directory.is_dir() else []


def drain(session_factory: Callable[[], Session], profile: Profile, *, directory: Path | None = None) -> list[str]:
    """Store every spooled concern (one transaction each) and remove its file; returns the references."""
    references = []
    for path in pending(directory):
        payload = json.loads(crypto.decrypt(path.read_bytes()))
        fields = payload["fields"]
        if fields.get("concern_at"):
            fields["concern_at"] = datetime.fromisoformat(fields["concern_at"])
        received_at = datetime.fromisoformat(payload["received_at"])
        with session_factory() as session, session.begin():
            # The record keeps when it was received; escalation runs from now, as nobody has been told yet.
            concern = record_concern(session, fields, profile, datetime.now(timezone.utc))
            concern.created_at = received_at
            references.append(concern.reference)
        path.unlink()
        log.info("stored spooled concern as %s", concern.reference)
    if references:
        _fsync_dir(directory or spool_dir())
    return references


def _isoformat(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot spool a {type(value).__name__}")


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
