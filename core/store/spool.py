"""A durable local spool for concerns submitted while the database is unreachable.

Each concern is one encrypted file (Fernet, the same keys as the database) written to a temporary name,
fsynced, then atomically renamed, so a crash never leaves a half-written concern. `drain()` stores them
when the database is back; the client id makes that idempotent if it runs twice or crashes midway.

A write that fails (a full disk) removes its partial file and alerts. A file that fails to store
MAX_ATTEMPTS times while the database is up is moved to quarantine/ with an alert, so one bad concern
never holds back the others (it once did: a NUL in an answer on PostgreSQL). Kept by hand: it must work
exactly when the database (and anything like a queue beside it) is down, with the database's own keys.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import exc as sa_exc
from sqlalchemy import text
from sqlalchemy.orm import Session

from core import alerts
from core.profile import Profile
from core.settings import Settings
from core.store import crypto
from core.store.concerns import record_concern

log = logging.getLogger(__name__)
SUFFIX = ".concern"
MAX_ATTEMPTS = 3
QUARANTINE = "quarantine"
STALE_TMP_SECONDS = 600  # a .tmp this old belongs to a write that died; younger ones may be in progress
# The database being unreachable is not the file's fault: stop the round and keep every file as it is.
UNAVAILABLE = (sa_exc.OperationalError, sa_exc.InterfaceError, sa_exc.TimeoutError)


def spool_dir(settings: Settings) -> Path:
    return settings.data_dir / "spool"


def write(fields: dict[str, Any], received_at: datetime, settings: Settings, *, directory: Path | None = None) -> str:
    """Spool one concern; returns its client id (generated if fields has none)."""
    client_id = str(fields.get("client_id") or uuid.uuid4())
    directory = directory or spool_dir(settings)
    payload = {
        "fields": {**fields, "client_id": client_id},
        "received_at": received_at.isoformat(),
    }
    token = crypto.encrypt(json.dumps(payload, default=_isoformat))
    tmp = directory / f".{client_id}.tmp"
    try:
        directory.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as fh:
            fh.write(token)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, directory / f"{client_id}{SUFFIX}")
        _fsync_dir(directory)
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        alerts.alert("spool_write_failed", settings)
        raise
    return client_id


def pending(directory: Path) -> list[Path]:
    return sorted(directory.glob(f"*{SUFFIX}")) if directory.is_dir() else []


def drain(
    session_factory: Callable[[], Session], profile: Profile, settings: Settings, *, directory: Path | None = None
) -> list[str]:
    """Store every spooled concern (one transaction each) and remove its file; returns the references.

    Raises if the database is unreachable. Any other failure is counted against that file alone.
    """
    directory = directory or spool_dir(settings)
    _remove_stale_tmp(directory)
    files = pending(directory)
    if not files:
        return []
    with session_factory() as session:
        session.execute(text("SELECT 1"))
    references = []
    for path in files:
        try:
            references.append(_store(path, session_factory, profile, settings))
        except UNAVAILABLE:
            raise
        except Exception as exc:
            _failed(path, exc, settings)
    if references:
        _fsync_dir(directory)
    return references


def _store(path: Path, session_factory: Callable[[], Session], profile: Profile, settings: Settings) -> str:
    payload = json.loads(crypto.decrypt(path.read_bytes()))
    fields = payload["fields"]
    if fields.get("concern_at"):
        fields["concern_at"] = datetime.fromisoformat(fields["concern_at"])
    received_at = datetime.fromisoformat(payload["received_at"])
    with session_factory() as session, session.begin():
        # The record keeps when it was received; escalation runs from now, as nobody has been told yet.
        concern = record_concern(session, fields, profile, datetime.now(UTC), settings=settings)
        concern.created_at = received_at
        reference = concern.reference
    path.unlink()
    _attempts_file(path).unlink(missing_ok=True)
    log.info("stored spooled concern as %s", reference)
    return reference


def _failed(path: Path, exc: Exception, settings: Settings) -> None:
    counter = _attempts_file(path)
    attempts = (int(counter.read_text() or 0) if counter.exists() else 0) + 1
    log.warning(
        "spooled concern %s failed to store (%d of %d): %s", path.stem, attempts, MAX_ATTEMPTS, type(exc).__name__
    )
    if attempts < MAX_ATTEMPTS:
        counter.write_text(str(attempts))
        return
    quarantine = path.parent / QUARANTINE
    quarantine.mkdir(exist_ok=True)
    os.replace(path, quarantine / path.name)
    counter.unlink(missing_ok=True)
    alerts.alert("spool_quarantined", settings)


def _attempts_file(path: Path) -> Path:
    return path.with_name(path.name + ".attempts")


def _remove_stale_tmp(directory: Path) -> None:
    if not directory.is_dir():
        return
    for tmp in directory.glob(".*.tmp"):
        try:
            if time.time() - tmp.stat().st_mtime > STALE_TMP_SECONDS:
                tmp.unlink()
                log.warning("removed a partial spool file left by a failed write")
        except FileNotFoundError:
            pass


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
