"""Alerts for whoever runs the service: a concern could not be stored, or a spooled one keeps failing.

An alert names what went wrong and when, never who or what the concern is about. It goes to the log at
ERROR and by e-mail to SG_ALERT_EMAIL (the DSL's address if unset: the reporter has been told to phone
them, and they should expect the call). The e-mail goes from a thread of its own: the caller is usually
already handling a failure and must answer the person within the engine's 8 s wait for actions.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from datetime import UTC, datetime
from email.message import EmailMessage

from core.profile import profile_for
from core.settings import Settings

log = logging.getLogger("core.alerts")

WHAT = {
    "spool_write_failed": (
        "A concern could not be stored: the database was unavailable and the local spool could not be written "
        "(for example, the disk is full). The reporter was told it was not sent and given the DSL's number. "
        "Free disk space under the data folder and check the database."
    ),
    "spool_quarantined": (
        "A spooled concern failed to store several times and has been moved to spool/quarantine so the others "
        "can be stored. It is still encrypted on disk. Look at the notifier's log, fix the cause, and move the "
        "file back into the spool folder to store it."
    ),
}


def alert(kind: str, settings: Settings) -> None:
    log.error("ALERT %s", kind)
    threading.Thread(target=_email, args=(kind, settings), daemon=True).start()


def _email(kind: str, settings: Settings, timeout: float = 10.0) -> None:
    try:
        to = settings.alert_email or profile_for(settings).dsl.email
        if not to:
            return
        msg = EmailMessage()
        msg["From"] = settings.smtp_from
        msg["To"] = to
        msg["Subject"] = f"Safeguarding assistant: action needed ({kind})"
        msg.set_content(f"{WHAT.get(kind, kind)}\n\nWhen: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC\n")
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=timeout) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(msg)
    except Exception as exc:  # the log line above is the alert of last resort
        log.error("alert %s not e-mailed: %s", kind, type(exc).__name__)
