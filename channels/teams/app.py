"""POST /api/messages: authenticate, then answer the person through the assistant or take a DSL ack."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

from aiohttp import web
from microsoft_agents.activity import Activity, ActivityTypes
from pydantic import ValidationError
from sqlalchemy.orm import sessionmaker

from channels import gateway
from channels.ack import Acknowledger, parse_reference, team_member
from channels.teams.auth import BotFrameworkTokenValidator, Unauthorised
from channels.teams.connector import Connector
from channels.teams.replies import reply_activity, typing_activity
from core.profile import Profile, TeamMember
from core.safety import EMERGENCY
from core.settings import Settings
from core.store.references import save_reference

log = logging.getLogger(__name__)

WELCOME = (
    "Hello. I can help if you are worried about a child or young person. "
    f"{EMERGENCY} "
    "What you tell me is not a secret: if someone is being hurt or is at risk, it is passed to the people "
    "whose job is to keep them safe. Type what is happening, in your own words."
)


class TeamsChannel:
    def __init__(
        self,
        settings: Settings,
        profile: Profile,
        validator: BotFrameworkTokenValidator,
        connector: Connector,
        sessions: sessionmaker,
        acknowledger: Acknowledger,
    ) -> None:
        self.settings = settings
        self.profile = profile
        self.validator = validator
        self.connector = connector
        self.sessions = sessions
        self.acknowledger = acknowledger
        # Last buttons offered per conversation: a tapped title goes to the assistant as its payload.
        self.choices: dict[str, dict[str, str]] = {}

    def app(self) -> web.Application:
        app = web.Application(client_max_size=256 * 1024)
        app.router.add_post("/api/messages", self.messages)
        return app

    async def messages(self, request: web.Request) -> web.Response:
        try:
            activity = Activity.model_validate(await request.json())
        except (ValueError, ValidationError):
            return web.Response(status=400)
        try:
            await self.validator.validate(
                request.headers.get("Authorization"), activity.service_url, activity.channel_id
            )
        except Unauthorised as exc:
            log.warning("rejected Teams request: %s", exc)
            return web.Response(status=401)
        if not self._our_tenant(activity):
            log.warning("rejected Teams request from another tenant")
            return web.Response(status=403)
        await self._remember(activity)
        if activity.type == ActivityTypes.message and activity.text:
            await self._on_message(activity)
        elif activity.type == ActivityTypes.conversation_update and self._user_joined(activity):
            await self._send(activity, [gateway.Reply(WELCOME)])
        # Reactions, typing, installs and the rest need no answer.
        return web.Response(status=200)

    def _our_tenant(self, activity: Activity) -> bool:
        # Single-tenant: only the organisation's own Microsoft 365 tenant may use this bot.
        # No tenant configured is a refusal, never "any tenant".
        if not self.settings.teams_tenant_id:
            return False
        tenant = activity.conversation.tenant_id if activity.conversation else None
        data = activity.channel_data if isinstance(activity.channel_data, dict) else {}
        tenant_data = data.get("tenant")
        channel_tenant = tenant_data.get("id") if isinstance(tenant_data, dict) else None
        return self.settings.teams_tenant_id in (tenant, channel_tenant)

    def _user_joined(self, activity: Activity) -> bool:
        bot_id = activity.recipient.id if activity.recipient else None
        return any(m.id != bot_id for m in activity.members_added or [])

    def _member(self, activity: Activity) -> TeamMember | None:
        user = activity.from_property
        if user is None:
            return None
        return team_member(self.profile, "teams", user.id) or (
            team_member(self.profile, "teams", user.aad_object_id) if user.aad_object_id else None
        )

    async def _remember(self, activity: Activity) -> None:
        # Only the safeguarding team's references are kept: they are what proactive alerts need.
        member = self._member(activity)
        if member is None or member.teams_user_id is None or not activity.service_url or not activity.conversation:
            return
        reference = activity.get_conversation_reference().model_dump(by_alias=True, exclude_none=True, mode="json")
        await asyncio.to_thread(self._save, member.teams_user_id, reference)

    def _save(self, user_id: str, reference: dict) -> None:
        with self.sessions.begin() as session:
            save_reference(session, "teams", user_id, reference, datetime.now(UTC))

    async def _on_message(self, activity: Activity) -> None:
        text = (activity.text or "").strip()
        reference = parse_reference(text)
        user = activity.from_property
        if reference is not None:
            answer = await self.acknowledger.handle("teams", self._member_key(activity), reference)
            await self._send(activity, [gateway.Reply(answer)])
            return
        sender = gateway.sender_id("teams", user.aad_object_id or user.id, self.settings.secret_key)
        client = await self.connector.client(activity.service_url)
        try:
            await client.conversations.send_to_conversation(activity.conversation.id, typing_activity(activity))
        finally:
            await client.close()
        text = self.choices.get(activity.conversation.id, {}).get(text, text)
        replies = await gateway.forward(
            sender, text, "teams", self._identity(activity), settings=self.settings, profile=self.profile
        )
        await self._send(activity, replies)

    def _identity(self, activity: Activity) -> dict[str, str]:
        """The Teams profile name, and a contact from the organisation profile when the person is in it:
        they prefill the reporter's details if a report is taken (shown back before sending)."""
        identity = {"display_name": activity.from_property.name} if activity.from_property.name else {}
        member = self._member(activity)
        if member is not None and (member.email or member.phone):
            identity["contact"] = str(member.email or member.phone)
        return identity

    def _member_key(self, activity: Activity) -> str:
        member = self._member(activity)
        return member.teams_user_id if member and member.teams_user_id else activity.from_property.id

    async def _send(self, activity: Activity, replies: list[gateway.Reply]) -> None:
        self.choices[activity.conversation.id] = {b.title: b.payload for r in replies for b in r.buttons}
        client = await self.connector.client(activity.service_url)
        try:
            for reply in replies:
                body = reply_activity(activity, reply)
                if activity.id:
                    await client.conversations.reply_to_activity(activity.conversation.id, activity.id, body)
                else:  # nothing to reply to (the schema allows an activity without an id): post to the conversation
                    await client.conversations.send_to_conversation(activity.conversation.id, body)
        finally:
            await client.close()
