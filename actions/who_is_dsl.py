"""action_who_is_dsl: who the safeguarding team are and how to reach them, from the profile."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.contacts import local_lines, phone_line
from core.safety import EMERGENCY


class ActionWhoIsDsl(Action):
    def name(self) -> str:
        return "action_who_is_dsl"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        profile = runtime.profile()
        deputies = profile.deputies
        lines = [f"Our Designated Safeguarding Lead is {phone_line(profile.dsl)}."]
        if deputies:
            lines.append("If they are not available: " + "; ".join(phone_line(m) for m in deputies) + ".")
        lines += local_lines(profile, runtime.now())
        lines.append(EMERGENCY)
        dispatcher.utter_message(text="\n".join(lines))
        return []
