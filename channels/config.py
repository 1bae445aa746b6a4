"""Channel-only settings from the environment, alongside the shared casebook Settings."""

from __future__ import annotations

import os
from dataclasses import dataclass


def _env(name: str, default: str) -> str:
    return os.environ.get(name, default).strip() or default


@dataclass(frozen=True)
class ChannelSettings:
    # How long a person waits for the engine before getting the static safety message. Longer than the
    # engine's wait for the action server (SG_ACTION_TIMEOUT, 8 s), which is longer than the database's
    # lock wait (5 s): a report that is saved is always reported as saved (issue 14, finding 10).
    engine_timeout_seconds: float
    telegram_webhook_host: str
    telegram_webhook_port: int
    teams_host: str
    teams_port: int
    # Bot Framework token metadata and Entra token endpoint; overridable so tests use local fakes.
    teams_openid_url: str
    teams_issuer: str
    teams_token_url: str
    teams_token_scope: str

    @classmethod
    def from_env(cls) -> ChannelSettings:
        return cls(
            engine_timeout_seconds=float(_env("SG_ENGINE_TIMEOUT", "12")),
            telegram_webhook_host=_env("SG_TELEGRAM_WEBHOOK_HOST", "127.0.0.1"),
            telegram_webhook_port=int(_env("SG_TELEGRAM_WEBHOOK_PORT", "8443")),
            teams_host=_env("SG_TEAMS_HOST", "127.0.0.1"),
            teams_port=int(_env("SG_TEAMS_PORT", "3978")),
            teams_openid_url=_env(
                "SG_TEAMS_OPENID_URL", "https://login.botframework.com/v1/.well-known/openidconfiguration"
            ),
            teams_issuer=_env("SG_TEAMS_ISSUER", "https://api.botframework.com"),
            teams_token_url=_env("SG_TEAMS_TOKEN_URL", "https://login.microsoftonline.com/{tenant}/oauth2/v2.0/token"),
            teams_token_scope=_env("SG_TEAMS_TOKEN_SCOPE", "https://api.botframework.com/.default"),
        )
