"""Time-based one-time codes (RFC 6238) with a guard against replaying a used code."""

from __future__ import annotations

from datetime import datetime

import pyotp

STEP_SECONDS = 30


def new_secret() -> str:
    return pyotp.random_base32()


def provisioning_uri(secret: str, username: str, issuer: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=username, issuer_name=issuer)


def accepted_step(secret: str, code: str, last_step: int, now: datetime) -> int | None:
    """The time step the code belongs to (one step of clock drift allowed), or None.

    A step at or before `last_step` is refused: each code works once.
    """
    code = code.strip().replace(" ", "")
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    current = int(now.timestamp()) // STEP_SECONDS
    for step in (current, current - 1, current + 1):
        if step > last_step and pyotp.utils.strings_equal(totp.at(step * STEP_SECONDS), code):
            return step
    return None
