"""The notifier's liveness and readiness over HTTP, when SG_NOTIFIER_HEALTH_PORT is set.

GET /healthz: 200 while delivery rounds keep completing (a stuck loop turns it 503).
GET /readyz:  200 when, in addition, the last round reached the database.
Bound to 127.0.0.1 (SG_NOTIFIER_HEALTH_HOST to change); each notifier process needs its own port.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Heartbeat:
    stale_after: float = 60.0
    last_round: float = field(default_factory=time.monotonic)
    database_ok: bool = False

    def beat(self, database_ok: bool) -> None:
        self.last_round, self.database_ok = time.monotonic(), database_ok

    def status(self) -> tuple[bool, bool]:
        live = time.monotonic() - self.last_round < self.stale_after
        return live, live and self.database_ok


def serve(heartbeat: Heartbeat, port: int, host: str = "127.0.0.1") -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            live, ready = heartbeat.status()
            ok = {"/healthz": live, "/readyz": ready}.get(self.path)
            if ok is None:
                self.send_error(404)
                return
            body = json.dumps({"status": "ok" if ok else "unavailable", "database": heartbeat.database_ok}).encode()
            self.send_response(200 if ok else 503)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:  # probes every few seconds: keep logs quiet
            pass

    server = ThreadingHTTPServer((host, port), Handler)
    threading.Thread(target=server.serve_forever, name="notifier-health", daemon=True).start()
    return server
