"""The local mail sink `make run` starts: the notifier's real e-mail transport delivers to it over SMTP,
and its page lists the notification with a link that can be followed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import urllib.request

from core.delivery.email import EmailTransport
from core.delivery.notification import Notification
from tests.conftest import ROOT


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode()


async def test_the_dsl_notification_arrives_at_the_local_sink_with_a_followable_link(
    mail_sink, settings, profile
) -> None:
    smtp_port, url = mail_sink
    link = "http://127.0.0.1:8000/casebook/cases/SG-2026-0007"
    note = Notification("SG-2026-0007", "physical", "urgent", link, False, 0, "SG-2026-0007:dsl:0")
    await EmailTransport(settings.model_copy(update=dict(smtp_host="127.0.0.1", smtp_port=smtp_port))).send(
        note, profile.dsl
    )

    [message] = json.loads(_get(url + "/messages.json"))
    assert message["subject"] == "URGENT Safeguarding concern SG-2026-0007"
    assert message["to"] == profile.dsl.email and link in message["text"]
    assert f'<a href="{link}">' in _get(url + "/")


def test_the_sink_refuses_to_listen_beyond_loopback(tmp_path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "devtools.mailsink", "--dir", str(tmp_path), "--host", "0.0.0.0"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)}, capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode != 0 and "loopback" in result.stderr
