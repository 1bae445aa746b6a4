"""action_submit_concern: store the concern (or spool it), then tell the reporter what happens next.

Whatever fails, the reporter always gets the people to phone and 999.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.concern_form import FORM_SLOTS
from actions.concern_record import CONCERN_SLOTS, fields_from_tracker
from actions.contacts import WHISTLEBLOWING, local_lines, people_to_phone, phone_line
from core.profile import Profile
from core.safety import CHILDLINE, EMERGENCY
from core.store import spool
from core.store.concerns import record_concern, urgency_of

log = logging.getLogger(__name__)
LAST_RESORT = (
    "I'm sorry: I could not save your concern just now. Please phone your Designated Safeguarding Lead "
    "straight away and tell them what you have told me. "
)


class ActionSubmitConcern(Action):
    def name(self) -> str:
        return "action_submit_concern"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        if tracker.get_slot("summary_confirmed") is False:
            dispatcher.utter_message(text="Tell me which part to change, and I'll update it before sending.")
            return []
        if all(tracker.get_slot(name) is None for name in FORM_SLOTS):
            # A "yes" after the record was sent, or before any was taken: nothing is stored twice or empty.
            sent = tracker.get_slot("concern_reference")
            dispatcher.utter_message(
                text=(f"Your report was recorded as {sent}; there is nothing else waiting to send. " if sent else "")
                + 'To make a new report, say "report a concern". '
                + EMERGENCY
            )
            return []
        now = runtime.now()
        try:
            profile = runtime.profile()
            fields = fields_from_tracker(tracker)
        except Exception as exc:  # no profile: still give the reporter a way to act now
            log.error("cannot submit a concern: %s", type(exc).__name__)
            dispatcher.utter_message(text=f"{LAST_RESORT}{EMERGENCY} {CHILDLINE}")
            return []
        reference = None
        try:
            reference = await asyncio.to_thread(_store, fields, profile, now)
        except Exception as exc:
            log.warning("database unavailable, spooling the concern: %s", type(exc).__name__)
            try:
                await asyncio.to_thread(spool.write, fields, now, runtime.settings())
            except Exception as spool_exc:
                log.error("spool failed too: %s", type(spool_exc).__name__)
                dispatcher.utter_message(text=last_resort(profile, fields, now))
                return []
        dispatcher.utter_message(text=what_happens_next(profile, fields, now, reference))
        return [*(SlotSet(name, None) for name in CONCERN_SLOTS), SlotSet("concern_reference", reference)]


def _store(fields: dict[str, Any], profile: Profile, now: datetime) -> str:
    with runtime.sessions().begin() as session:
        return record_concern(session, fields, profile, now, settings=runtime.settings()).reference


def what_happens_next(profile: Profile, fields: dict[str, Any], now: datetime, reference: str | None) -> str:
    about_dsl = bool(fields.get("about_dsl"))
    first, *others = people_to_phone(profile, about_dsl=about_dsl)
    urgent = urgency_of(fields.get("category") or "other", fields.get("immediate_danger")) == "urgent"
    if reference:
        lines = [
            f"Thank you. Your concern is recorded as {reference}.",
            f"What happens next: {first.name} has been sent a notification and will read the record. "
            "If they don't acknowledge it in time, the next person in the safeguarding team is told.",
        ]
    else:
        lines = [
            "Thank you. The records system is unavailable just now, so your concern has been saved safely on "
            "this server and will be passed to the safeguarding team automatically as soon as it is back.",
        ]
    lines.append(
        (
            "Because it may be urgent, please also phone now: "
            if urgent or not reference
            else "Please also tell them today: "
        )
        + "; ".join(phone_line(m) for m in [first, *others])
        + "."
    )
    lines += local_lines(profile, now, about_staff=bool(fields.get("about_staff")))
    if about_dsl:
        lines.append(WHISTLEBLOWING)
    lines.append("Please don't discuss it with anyone else, or with the person it is about.")
    lines.append(EMERGENCY)
    return "\n".join(lines)


def last_resort(profile: Profile, fields: dict[str, Any], now: datetime) -> str:
    people = "; ".join(phone_line(m) for m in people_to_phone(profile, about_dsl=bool(fields.get("about_dsl"))))
    return "\n".join([LAST_RESORT.strip(), f"Phone: {people}.", *local_lines(profile, now), EMERGENCY, CHILDLINE])
