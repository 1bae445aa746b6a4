"""action_clear_field: the reporter chose one answer to change at the read-back."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.concern_form import FORM_SLOTS


class ActionClearField(Action):
    def name(self) -> str:
        return "action_clear_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        field = next(tracker.get_latest_entity_values("field"), None)
        if field not in FORM_SLOTS:
            dispatcher.utter_message(response="utter_which_field")
            return []
        # Clearing one slot makes the form ask just that question again, then read back.
        return [SlotSet(field, None), SlotSet("summary_confirmed", None)]
