"""action_concern_summary: read the record back before it is sent, with the KCSIE check; and
action_ask_which_field, the buttons for changing one answer.

Buttons are sent from here rather than from domain responses: Rasa fills `{…}` in a response's text as
slot names, so a JSON payload there fails and the engine logs the error with the slots (the record).
"""

from __future__ import annotations

import json
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.concern_form import FORM_SLOTS
from actions.concern_record import missing_essentials, summary
from actions.contacts import phone_line

FIELD_TITLES = {
    "child_words": "The child's words",
    "observed": "What you saw",
    "concern_when": "When",
    "child_name": "Child's name",
    "child_age": "Child's age",
    "child_setting": "Setting or group",
    "child_needs": "Additional needs",
    "present": "Who was there",
    "questions_asked": "Questions asked",
    "source": "How you know",
    "concern_category": "Kind of concern",
    "immediate_danger": "Immediate danger",
    "about_staff": "About staff",
    "discussed_with": "Discussed with",
    "actions_taken": "What you've done",
    "reporter_name": "Your name",
    "reporter_role": "Your role",
    "reporter_contact": "Your contact",
}
assert set(FIELD_TITLES) == set(FORM_SLOTS)


def field_button(title: str, field: str) -> dict[str, str]:
    return {"title": title, "payload": "/correct_field" + json.dumps({"field": field})}


class ActionConcernSummary(Action):
    def name(self) -> str:
        return "action_concern_summary"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        profile = runtime.profile()
        buttons = [{"title": "Send it to the DSL", "payload": "/affirm"}]
        if missing_essentials(tracker):
            buttons = [field_button("Add what's missing", "missing"), {"title": "Send anyway", "payload": "/affirm"}]
        buttons += [{"title": "Change something", "payload": "/deny"}, {"title": "Cancel", "payload": "/cancel"}]
        dispatcher.utter_message(text=summary(tracker, profile), buttons=buttons)
        return [SlotSet("correcting", None), SlotSet("dsl_line", phone_line(profile.dsl))]


class ActionAskWhichField(Action):
    def name(self) -> str:
        return "action_ask_which_field"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        buttons = [field_button(title, field) for field, title in FIELD_TITLES.items()]
        dispatcher.utter_message(text="Which part would you like to change or add?", buttons=buttons)
        return []
