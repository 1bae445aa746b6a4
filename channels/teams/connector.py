"""Outbound calls to the Bot Framework connector: an app token (client credentials) and the SDK's client.

The token is fetched by hand on purpose: it is one client-credentials POST, cached until near expiry; msal
would add a package and its own HTTP stack for the same request, and this way the token URL comes from
settings, so the tests run it against the local fake Entra endpoint.
"""

from __future__ import annotations

import time

import httpx
from microsoft_agents.hosting.core.connector.client import ConnectorClient

from core.settings import Settings

REFRESH_MARGIN_SECONDS = 300


class AppToken:
    """Client-credentials token for this bot, cached until shortly before it expires."""

    def __init__(self, token_url: str, tenant_id: str, app_id: str, app_password: str, scope: str) -> None:
        self.url = token_url.format(tenant=tenant_id or "botframework.com")
        self.form = {
            "grant_type": "client_credentials",
            "client_id": app_id,
            "client_secret": app_password,
            "scope": scope,
        }
        self._token = ""
        self._expires_at = 0.0

    async def get(self) -> str:
        if time.monotonic() < self._expires_at - REFRESH_MARGIN_SECONDS:
            return self._token
        async with httpx.AsyncClient(timeout=10) as client:
            response = await client.post(self.url, data=self.form)
            response.raise_for_status()
        body = response.json()
        self._token = body["access_token"]
        self._expires_at = time.monotonic() + float(body.get("expires_in", 3600))
        return self._token


class Connector:
    """Opens an SDK ConnectorClient for a conversation's service URL."""

    def __init__(self, token: AppToken) -> None:
        self.token = token

    async def client(self, service_url: str) -> ConnectorClient:
        return ConnectorClient(service_url, await self.token.get())


def connector_from(settings: Settings) -> Connector:
    return Connector(
        AppToken(
            settings.teams_token_url,
            settings.teams_tenant_id,
            settings.teams_app_id,
            settings.teams_app_password,
            settings.teams_token_scope,
        )
    )
