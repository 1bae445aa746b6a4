"""The action server, with a shared secret: `python -m actions.server --port 5055`.

rasa_sdk's own server answers anyone who can reach its port, and a forged call to
`action_submit_concern` creates an urgent concern and notifies the team. The engine sends
SG_ACTIONS_TOKEN in a header (bot/endpoints.yml); every other caller gets 401.
"""

from __future__ import annotations

import argparse
import hmac
import logging
import os

from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor
from sanic import Request, Sanic, response
from sanic.response import HTTPResponse

from actions import runtime
from core.settings import Settings

TOKEN_HEADER = "X-SG-Action-Token"
MIN_TOKEN_CHARS = 32
OPEN_PATHS = frozenset({"/health"})

log = logging.getLogger(__name__)


def action_token(settings: Settings) -> str:
    token = settings.actions_token
    if len(token) < MIN_TOKEN_CHARS:
        raise SystemExit(f"SG_ACTIONS_TOKEN must be set to a random value of {MIN_TOKEN_CHARS}+ characters")
    return token


def build_app(token: str) -> Sanic:
    executor = ActionExecutor()
    executor.register_package("actions")
    # No CORS: only the engine calls this, never a browser.
    app = create_app(executor, cors_origins=None)
    expected = token.encode()

    @app.on_request
    async def _require_token(request: Request) -> HTTPResponse | None:
        if request.path in OPEN_PATHS:
            return None
        given = request.headers.get(TOKEN_HEADER, "").encode()
        if not hmac.compare_digest(given, expected):
            log.warning("refused an action call without the shared secret")
            return response.json({"error": "unauthorised"}, status=401)
        return None

    return app


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m actions.server")
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "127.0.0.1"))
    parser.add_argument("--port", type=int, default=5055)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    settings = Settings()
    runtime.configure(settings)
    runtime.profile()  # a bad profile stops the server here, not at the first report
    app = build_app(action_token(settings))
    # One process: no forked workers to outlive a killed parent.
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
