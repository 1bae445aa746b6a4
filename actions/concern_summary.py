"""action_concern_summary: read the record back before it is sent."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.concern_record import summary

READ_BACK_BUTTONS = [
    {"title": "Send it to the DSL", "payload": "/affirm"},
    {"title": "Change something", "payload": "/deny"},
    {"title": "Cancel", "payload": "/cancel"},
]


class ActionConcernSummary(Action):
    def name(self) -> str:
        return "action_concern_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        dispatcher.utter_message(text=summary(tracker, runtime.profile()), buttons=READ_BACK_BUTTONS)
        return []
