"""action_clear_field: the reporter chose an answer to change, or to add what the read-back found missing."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.concern_form import FORM_SLOTS
from actions.concern_record import missing_essentials


class ActionClearField(Action):
    def name(self) -> str:
        return "action_clear_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        field = next(tracker.get_latest_entity_values("field"), None)
        fields = missing_essentials(tracker) if field == "missing" else [field]
        if not fields or any(f not in FORM_SLOTS for f in fields):
            dispatcher.utter_message(text='Which part would you like to change? Say "change something" to see them.')
            return []
        # Clearing a slot makes the form ask just that question again (`correcting` lets it ask an optional
        # one), then read back.
        return [
            *(SlotSet(f, None) for f in fields),
            SlotSet("correcting", fields),
            SlotSet("summary_confirmed", None),
        ]
