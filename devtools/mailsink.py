"""A local mail sink for `make run`: a real SMTP server (aiosmtpd) that keeps what it receives, and a page
listing it, so a newcomer can watch the DSL's notification arrive and follow its link.

    python -m devtools.mailsink --dir data/mailsink --smtp-port 2525 --http-port 8025

Development only: scripts/run.sh starts it only when no SG_SMTP_HOST is configured, it listens on loopback
only (it refuses any other address), and nothing in the assistant imports it. Notifications carry only a
reference, category, urgency and link, so the stored messages hold no disclosure detail.
"""

from __future__ import annotations

import argparse
import html
import ipaddress
import json
import re
import time
from email import message_from_bytes, policy
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller

_LINK = re.compile(r"https?://[^\s<>\"]+")


class Mailbox:
    """Messages as .eml files in one folder (they survive a restart; delete the folder to empty it)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    def keep(self, raw: bytes) -> None:
        name = f"{time.time_ns()}.eml"
        tmp = self.folder / f".{name}.tmp"
        tmp.write_bytes(raw)
        tmp.replace(self.folder / name)

    def messages(self) -> list[dict[str, Any]]:
        found = []
        for path in sorted(self.folder.glob("*.eml"), reverse=True):
            mail = message_from_bytes(path.read_bytes(), policy=policy.default)
            assert isinstance(mail, EmailMessage)
            body = mail.get_body(preferencelist=("plain",))
            found.append(
                {
                    "received": time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(int(path.stem) / 1e9)),
                    "to": str(mail["To"] or ""),
                    "subject": str(mail["Subject"] or ""),
                    "text": body.get_content() if body is not None else "",
                }
            )
        return found


class SinkHandler:
    def __init__(self, box: Mailbox) -> None:
        self.box = box

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.box.keep(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def _linked(text: str) -> str:
    return _LINK.sub(lambda u: f'<a href="{u.group(0)}">{u.group(0)}</a>', html.escape(text))


def page(messages: list[dict[str, Any]]) -> str:
    rows = "".join(
        f"<article><h2>{html.escape(m['subject'])}</h2><p>To {html.escape(m['to'])}, received {m['received']}</p>"
        f"<pre>{_linked(m['text'])}</pre></article>"
        for m in messages
    )
    return (
        "<!doctype html><meta charset=utf-8><meta http-equiv=refresh content=5>"
        "<title>Local mail sink</title><h1>What the DSL received (local mail sink, development only)</h1>"
        + (rows or "<p>Nothing yet. Make a report in the web chat; the notification appears here.</p>")
    )


def http_handler(box: Mailbox) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            if self.path == "/messages.json":
                body, kind = json.dumps(box.messages()).encode(), "application/json"
            elif self.path == "/":
                body, kind = page(box.messages()).encode(), "text/html; charset=utf-8"
            else:
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # quiet
            pass

    return Handler


def serve(folder: Path, host: str, smtp_port: int, http_port: int) -> tuple[Controller, ThreadingHTTPServer]:
    """Start both servers; the caller runs `http.serve_forever()` (or a thread) and stops them."""
    if not ipaddress.ip_address(host).is_loopback:
        raise SystemExit("the mail sink is for local development and listens on loopback only")
    box = Mailbox(folder)
    smtp = Controller(SinkHandler(box), hostname=host, port=smtp_port)
    smtp.start()
    return smtp, ThreadingHTTPServer((host, http_port), http_handler(box))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dir", type=Path, default=Path("data/mailsink"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--smtp-port", type=int, default=2525)
    parser.add_argument("--http-port", type=int, default=8025)
    args = parser.parse_args()
    smtp, web = serve(args.dir, args.host, args.smtp_port, args.http_port)
    print(
        f"mail sink: SMTP on {args.host}:{args.smtp_port}, messages at http://{args.host}:{args.http_port}/", flush=True
    )
    try:
        web.serve_forever()
    finally:
        smtp.stop()


if __name__ == "__main__":
    main()
