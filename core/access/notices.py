"""E-mails about accounts (never about cases): one-time set-up links and alerts to the DSL and chair.

Sent at once over SMTP, not through the outbox (whose rows belong to concerns). A failure raises,
so the caller can refuse the change rather than make an account nobody was told about.
"""

from __future__ import annotations

import smtplib
from email.message import EmailMessage

from core.profile import Profile
from core.settings import Settings

WATCHERS = ("dsl", "chair")  # told whenever an account that can read cases is made


class NoticeFailed(RuntimeError):
    pass


def send(settings: Settings, to: list[str], subject: str, body: str) -> None:
    if not to:
        raise NoticeFailed("nobody to tell: the profile has no e-mail address for them")
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.smtp_from, ", ".join(to), subject
    msg.set_content(body)
    try:
        with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
            if settings.smtp_starttls:
                smtp.starttls()
            if settings.smtp_user:
                smtp.login(settings.smtp_user, settings.smtp_password)
            smtp.send_message(msg)
    except (OSError, smtplib.SMTPException) as exc:
        raise NoticeFailed(type(exc).__name__) from exc


def watchers(profile: Profile) -> list[str]:
    return [str(m.email) for m in profile.safeguarding_team if m.role in WATCHERS and m.email]
