"""Inbound request authentication: the Bot Framework JWT on every POST /api/messages.

The SDK's own validator fixes its JWKS hosts in code and does not check the serviceUrl claim,
so this validator reads the issuer and the OpenID metadata URL from settings (tests point them
at a local fake) and checks everything the Bot Framework protocol asks for. Kept by hand for those reasons.
"""

from __future__ import annotations

import asyncio
import time
from typing import Any

import httpx
import jwt
from microsoft_agents.hosting.core.authorization.authentication_constants import AuthenticationConstants

METADATA_TTL_SECONDS = 24 * 3600
CLOCK_SKEW_SECONDS = 300  # Bot Framework allows five minutes


class Unauthorised(Exception):
    """The request did not prove it came from the Bot Framework for this app."""


class BotFrameworkTokenValidator:
    def __init__(self, openid_url: str, issuer: str, app_id: str) -> None:
        if not app_id:
            raise ValueError("SG_TEAMS_APP_ID must be set")
        self.openid_url = openid_url
        self.issuer = issuer
        self.app_id = app_id
        self._jwks: jwt.PyJWKClient | None = None
        self._fetched_at = 0.0

    async def _keys(self) -> jwt.PyJWKClient:
        if self._jwks is None or time.monotonic() - self._fetched_at > METADATA_TTL_SECONDS:
            async with httpx.AsyncClient(timeout=10) as client:
                response = await client.get(self.openid_url)
                response.raise_for_status()
            self._jwks = jwt.PyJWKClient(response.json()["jwks_uri"], timeout=10)
            self._fetched_at = time.monotonic()
        return self._jwks

    async def validate(
        self, authorization: str | None, service_url: str | None, channel_id: str | None
    ) -> dict[str, Any]:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise Unauthorised("no bearer token")
        try:
            keys = await self._keys()
            signing_key = await asyncio.to_thread(keys.get_signing_key_from_jwt, token)
            claims = jwt.decode(
                token,
                signing_key.key,
                algorithms=["RS256"],
                audience=self.app_id,
                issuer=self.issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, httpx.HTTPError, KeyError, ValueError) as exc:
            raise Unauthorised(type(exc).__name__) from exc
        # Bot Framework's rule: a key signs only for the channels it endorses. Fail closed: no
        # channel or no endorsements is a refusal, so a key for another channel can't pose as Teams.
        endorsements = getattr(signing_key, "_jwk_data", {}).get("endorsements")
        if not channel_id or not isinstance(endorsements, list) or channel_id not in endorsements:
            raise Unauthorised("signing key does not endorse the activity's channel")
        claimed_service_url = claims.get(AuthenticationConstants.SERVICE_URL_CLAIM)
        if not claimed_service_url or claimed_service_url != service_url:
            raise Unauthorised("serviceUrl claim does not match the activity")
        return claims
