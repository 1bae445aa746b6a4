"""The spool under faults: a full disk (issue 14, finding 5), and a concern the database can't hold
ahead of good ones (issue 13: a NUL on PostgreSQL blocked every later spooled report)."""

from __future__ import annotations

import contextlib
import os
import subprocess
import time
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from actions import runtime
from core.settings import Settings
from core.store import spool
from core.store.models import Concern
from tests.handoff.conftest import FIELDS, IN_HOURS, SECRET_WORDS


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[Path]:
    """A real 64 kB file system, filled up (mounting needs root; skipped where that is refused)."""
    mount = tmp_path / "full"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mount)], capture_output=True).returncode:
        pytest.skip("cannot mount a small tmpfs here (needs root)")
    try:
        (mount / "spool").mkdir()
        with open(mount / "filler", "wb", buffering=0) as fh, contextlib.suppress(OSError):
            while True:
                fh.write(b"\0" * 4096)
        yield mount / "spool"
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def _wait_for_mail(smtp, seconds: float = 10) -> list:
    """Alerts are e-mailed from a thread of their own, so they never delay the reply to the person."""
    deadline = time.monotonic() + seconds
    while not smtp.messages and time.monotonic() < deadline:
        time.sleep(0.05)
    return smtp.messages


def test_a_full_disk_leaves_no_partial_file_and_alerts_without_personal_data(full_disk, smtp) -> None:
    with pytest.raises(OSError):
        spool.write({**FIELDS, "concern_at": IN_HOURS}, IN_HOURS, Settings(), directory=full_disk)
    assert os.listdir(full_disk) == []  # no .tmp left behind
    [(recipients, content, _)] = _wait_for_mail(smtp)
    assert recipients == ["dsl@example.org"]
    assert b"spool_write_failed" in content and b"disk" in content
    for personal in (SECRET_WORDS, "Jo Reporter", "07700 900321", "A.B."):
        assert personal.encode() not in content


async def test_the_reporter_is_told_plainly_with_every_number_when_nothing_could_keep_the_concern(
    full_disk, smtp, monkeypatch
) -> None:
    from tests.handoff.test_actions import ANSWERS, submit

    monkeypatch.setenv("SG_DATABASE_URL", "postgresql+psycopg://nobody@127.0.0.1:1/none")
    monkeypatch.setenv("SG_DATA_DIR", str(full_disk.parent))
    runtime.configure(Settings())  # as the action server's entry point would, with this environment
    events, text = await submit(ANSWERS)
    assert events == [] and "could not save" in text
    for number in ("07700 900123", "07700 900456", "999", "0800 1111"):  # DSL, deputy, 999, Childline
        assert number in text
    assert os.listdir(full_disk) == []
    [(_, content, _)] = _wait_for_mail(smtp)
    assert b"spool_write_failed" in content and SECRET_WORDS.encode() not in content


def test_a_concern_with_nul_is_stored_and_keeps_the_words_exactly(tmp_path, sessions, profile) -> None:
    directory = tmp_path / "spool"
    words = "he said\x00don't tell"
    spool.write({**FIELDS, "child_words": words, "channel": "web\x00"}, IN_HOURS, Settings(), directory=directory)
    assert spool.drain(sessions, profile, Settings(), directory=directory) == ["SG-2026-0001"]
    with sessions() as s:
        concern = s.scalar(select(Concern))
        assert concern.child_words == words  # encrypted: exactly as typed
        assert concern.channel == "web\ufffd"  # plain text: NUL can't be stored on PostgreSQL


def test_a_concern_that_keeps_failing_is_quarantined_and_the_others_are_stored(
    tmp_path, sessions, profile, smtp
) -> None:
    directory = tmp_path / "spool"
    directory.mkdir()
    # Sorted first, so it is tried before the good ones on every round.
    poison = directory / f"0000-{uuid.uuid4()}{spool.SUFFIX}"
    poison.write_bytes(b"not a Fernet token")
    for _ in range(2):
        spool.write(FIELDS, datetime.now(UTC), Settings(), directory=directory)
    assert spool.drain(sessions, profile, Settings(), directory=directory) == ["SG-2026-0001", "SG-2026-0002"]
    assert spool.pending(directory) == [poison] and smtp.messages == []
    for _ in range(spool.MAX_ATTEMPTS - 1):
        spool.drain(sessions, profile, Settings(), directory=directory)
    assert spool.pending(directory) == []
    assert (directory / spool.QUARANTINE / poison.name).read_bytes() == b"not a Fernet token"
    [(_, content, _)] = _wait_for_mail(smtp)
    assert b"spool_quarantined" in content


def test_an_unreachable_database_counts_against_no_file(tmp_path, profile) -> None:
    from core.store.base import make_engine, make_sessionmaker

    directory = tmp_path / "spool"
    spool.write(FIELDS, IN_HOURS, Settings(), directory=directory)
    down = make_sessionmaker(
        make_engine("postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1})
    )
    for _ in range(spool.MAX_ATTEMPTS + 1):
        with pytest.raises(Exception):  # noqa: B017 - whatever the driver raises, the files stay
            spool.drain(down, profile, Settings(), directory=directory)
    assert len(spool.pending(directory)) == 1
    assert not list(directory.glob("*.attempts")) and not (directory / spool.QUARANTINE).exists()
