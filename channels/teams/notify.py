"""TeamsTransport: proactive DSL notifications to a team member's stored Teams conversation."""

from __future__ import annotations

import asyncio

from microsoft_agents.activity import Activity, ActivityTypes, ConversationReference
from sqlalchemy.orm import sessionmaker

from channels.teams.connector import Connector, connector_from
from core.delivery.notification import Notification
from core.profile import TeamMember
from core.settings import Settings
from core.store.references import get_reference


class NoConversation(LookupError):
    """The member has never messaged the bot in Teams, so there is no conversation to post to."""


class TeamsTransport:
    """core.delivery.transport.Transport for Teams; raises on any failure so the worker retries."""

    name = "teams"

    def __init__(self, settings: Settings, sessions: sessionmaker, connector: Connector | None = None) -> None:
        self.sessions = sessions
        self.connector = connector or connector_from(settings)

    async def send(self, note: Notification, member: TeamMember) -> None:
        if not member.teams_user_id:
            raise NoConversation(member.id)
        stored = await asyncio.to_thread(self._reference, member.teams_user_id)
        if stored is None:
            raise NoConversation(member.id)
        reference = ConversationReference.model_validate(stored)
        # Notification text holds reference, category, urgency and link only: never disclosure detail.
        activity = Activity(type=ActivityTypes.message, text=note.text(chat_ack=True))
        activity.apply_conversation_reference(reference, is_incoming=False)
        client = await self.connector.client(reference.service_url)
        try:
            await client.conversations.send_to_conversation(reference.conversation.id, activity)
        finally:
            await client.close()

    def _reference(self, user_id: str) -> dict | None:
        with self.sessions() as session:
            return get_reference(session, "teams", user_id)
