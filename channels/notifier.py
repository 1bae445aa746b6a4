"""The notifier process: `python -m channels.notifier [--once]`.

It lives in channels because it composes transports from both sides: the core's e-mail and webhook
transports and the channels' Telegram and Teams ones, each only when configured. The core worker
(core/delivery/worker.py) never imports a channel; it sends through whatever it is handed here.
"""

from __future__ import annotations

import argparse
import asyncio
import logging

from channels.teams.notify import TeamsTransport
from channels.telegram.notify import TelegramTransport
from core.delivery import worker
from core.delivery.transport import Transport
from core.settings import Settings
from core.store.base import open_store


def transports(settings: Settings) -> dict[str, Transport]:
    """Every transport this deployment has configured; rows for any other wait until it is configured."""
    registered = worker.core_transports(settings)
    if settings.telegram_token:
        registered["telegram"] = TelegramTransport(settings)
    if settings.teams_app_id:
        registered["teams"] = TeamsTransport(settings, open_store(settings))
    return registered


def main() -> None:
    parser = argparse.ArgumentParser(description="Deliver safeguarding notifications and escalate.")
    parser.add_argument("--once", action="store_true", help="run one round and exit")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    settings = Settings()
    asyncio.run(worker.run(settings, transports(settings), once=args.once))


if __name__ == "__main__":
    main()
