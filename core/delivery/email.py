"""E-mail notifications over SMTP (stdlib smtplib, run off the event loop)."""

from __future__ import annotations

import asyncio
import re
import smtplib
from email.message import EmailMessage

from core.delivery.notification import Notification
from core.profile import TeamMember
from core.settings import Settings


class EmailTransport:
    name = "email"

    def __init__(self, settings: Settings, timeout: float = 20.0) -> None:
        self.settings = settings
        self.timeout = timeout

    async def send(self, note: Notification, member: TeamMember) -> None:
        if not member.email:
            raise ValueError("member has no e-mail address")
        await asyncio.to_thread(self._send, self.message(note, member.email))

    def message(self, note: Notification, to: str) -> EmailMessage:
        msg = EmailMessage()
        msg["From"] = self.settings.smtp_from
        msg["To"] = to
        msg["Subject"] = note.subject
        # A stable Message-ID lets mail systems drop the duplicate an at-least-once retry may cause.
        domain = self.settings.smtp_from.rpartition("@")[2] or "localhost"
        msg["Message-ID"] = f"<{re.sub(r'[^A-Za-z0-9.-]', '.', note.idempotency_key)}@{domain}>"
        if note.urgency == "urgent":
            msg["Importance"] = "high"
        msg.set_content(note.text())
        return msg

    def _send(self, msg: EmailMessage) -> None:
        s = self.settings
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=self.timeout) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_user:
                smtp.login(s.smtp_user, s.smtp_password)
            smtp.send_message(msg)
