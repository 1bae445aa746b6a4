"""`python -m channels.teams`: the Teams endpoint on SG_TEAMS_HOST:SG_TEAMS_PORT (127.0.0.1:3978)."""

from __future__ import annotations

import logging

from aiohttp import web

from channels.ack import Acknowledger
from channels.teams.app import TeamsChannel
from channels.teams.auth import BotFrameworkTokenValidator
from channels.teams.connector import connector_from
from core.profile import profile_for
from core.settings import Settings
from core.store.base import open_store


def build(settings: Settings) -> web.Application:
    if not settings.teams_tenant_id:
        raise SystemExit("SG_TEAMS_TENANT_ID must be set: the bot answers only the organisation's own tenant")
    profile = profile_for(settings)
    sessions = open_store(settings)
    validator = BotFrameworkTokenValidator(settings.teams_openid_url, settings.teams_issuer, settings.teams_app_id)
    channel = TeamsChannel(
        settings,
        profile,
        validator,
        connector_from(settings),
        sessions,
        Acknowledger(profile, sessions),
    )
    return channel.app()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    settings = Settings()
    web.run_app(build(settings), host=settings.teams_host, port=settings.teams_port)
