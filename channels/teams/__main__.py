"""`python -m channels.teams`: the Teams endpoint on SG_TEAMS_HOST:SG_TEAMS_PORT (127.0.0.1:3978)."""

from __future__ import annotations

import logging

from aiohttp import web

from channels.ack import Acknowledger
from channels.config import ChannelSettings
from channels.teams.app import TeamsChannel
from channels.teams.auth import BotFrameworkTokenValidator
from channels.teams.connector import connector_from
from core.profile import load_profile
from core.settings import Settings
from core.store.base import make_engine, make_sessionmaker


def build(settings: Settings, channel_settings: ChannelSettings) -> web.Application:
    if not settings.teams_tenant_id:
        raise SystemExit("SG_TEAMS_TENANT_ID must be set: the bot answers only the organisation's own tenant")
    profile = load_profile(settings.org_profile)
    sessions = make_sessionmaker(make_engine(settings.database_url))
    validator = BotFrameworkTokenValidator(
        channel_settings.teams_openid_url, channel_settings.teams_issuer, settings.teams_app_id
    )
    channel = TeamsChannel(
        settings,
        profile,
        validator,
        connector_from(settings, channel_settings),
        sessions,
        Acknowledger(profile, sessions),
    )
    return channel.app()


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    settings, channel_settings = Settings.from_env(), ChannelSettings.from_env()
    web.run_app(build(settings, channel_settings), host=channel_settings.teams_host, port=channel_settings.teams_port)
