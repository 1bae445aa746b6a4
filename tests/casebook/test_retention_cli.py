"""Retention (26th birthday / years after last contact, legal hold) and the command line."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from sqlalchemy import select

from core.access.models import AuditEntry, User
from core.casework.service import Actor, close, decide, set_legal_hold
from core.profile import Retention
from core.retention import run_retention
from core.store.concerns import find_by_reference
from tests.casebook.conftest import NOW

DSL = Actor("sam", "dsl")
REASON = "Concern shared with the parent; no indication of harm; school nurse informed and monitoring in place."


def _close(sessions, profile, reference: str, hold: bool = False) -> None:
    with sessions.begin() as s:
        concern = find_by_reference(s, reference)
        decide(s, concern, DSL, "nfa", REASON, NOW, profile)
        close(s, concern, DSL, "No further action.", NOW)
        if hold:
            set_legal_hold(s, concern, DSL, True, "May concern an abuse inquiry", NOW)


def _exists(sessions, reference: str) -> bool:
    with sessions() as s:
        return find_by_reference(s, reference) is not None


def test_kept_until_the_26th_birthday_and_legal_hold_wins(sessions, profile, add_concern) -> None:
    aged_12, held, still_open = add_concern(child_age=12), add_concern(child_age=12), add_concern(child_age=12)
    _close(sessions, profile, aged_12)
    _close(sessions, profile, held, hold=True)
    with sessions.begin() as s:
        assert run_retention(s, profile, NOW + relativedelta(years=13)) == []
    with sessions.begin() as s:
        verdicts = run_retention(s, profile, NOW + relativedelta(years=14, days=1))
    assert {v.reference: v.held for v in verdicts} == {aged_12: False, held: True}
    assert not _exists(sessions, aged_12) and _exists(sessions, held) and _exists(sessions, still_open)
    with sessions() as s:
        assert s.scalar(select(AuditEntry).where(AuditEntry.action == "retention.delete")).reference == aged_12


def test_years_after_last_contact(sessions, profile, add_concern) -> None:
    profile = profile.model_copy(update={"retention": Retention(policy="years_after_last_contact")})
    ref = add_concern(child_age=17)
    _close(sessions, profile, ref)
    with sessions.begin() as s:
        assert run_retention(s, profile, NOW + relativedelta(years=6) - timedelta(days=1)) == []
    with sessions.begin() as s:
        assert [v.reference for v in run_retention(s, profile, NOW + relativedelta(years=6, days=1))] == [ref]


def test_cli_create_user_reset_2fa_rotate_and_retention(settings, sessions, org_profile_path) -> None:
    env = {**os.environ, "SG_DATABASE_URL": settings.database_url, "SG_ORG_PROFILE": str(org_profile_path)}

    def cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "core.cli", *args], input=stdin, env=env, capture_output=True, text=True,
            timeout=60, check=False,
        )  # fmt: skip

    created = cli("create-user", "priya", "--role", "deputy", "--member-id", "deputy", stdin="a long enough password\n")
    assert created.returncode == 0, created.stderr
    assert cli("create-user", "bob", "--role", "dsl", "--member-id", "nobody", stdin="x" * 12 + "\n").returncode == 1
    with sessions.begin() as s:
        user = s.scalar(select(User).where(User.username == "priya"))
        assert user.role == "deputy" and user.password_hash.startswith("$argon2id$")
        user.totp_secret = "JBSWY3DPEHPK3PXP"
    assert cli("reset-2fa", "priya").returncode == 0
    with sessions() as s:
        assert s.scalar(select(User).where(User.username == "priya")).totp_secret is None
    assert "re-encrypted" in cli("rotate-key").stdout
    assert "0 record(s) past retention" in cli("run-retention", "--dry-run").stdout
