"""From the form's slots to the store's fields, and back to words for the reporter to check."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from rasa_sdk import Tracker

from actions.concern_form import FORM_SLOTS, FREE_TEXT_SLOTS
from actions.parsing import NOT_KNOWN
from core.profile import Profile
from core.store.models import CATEGORY_LABELS

# Slots cleared once a concern is stored, so the tracker does not keep carrying the disclosure.
CONCERN_SLOTS = (*FORM_SLOTS, "about_dsl", "summary_confirmed", "reporter_kind", "correcting")
_CLIENT_NAMESPACE = uuid.UUID("6f1d5f0e-3a7b-4b8e-9f59-0c7f3b6d2a10")


def client_id(tracker: Tracker) -> str:
    """Stable for one submission turn: a retried action stores the concern once."""
    stamp = next((e.get("timestamp") for e in reversed(tracker.events) if e.get("event") == "user"), None)
    return str(uuid.uuid5(_CLIENT_NAMESPACE, f"{tracker.sender_id}:{stamp}"))


def fields_from_tracker(tracker: Tracker) -> dict[str, Any]:
    """The record_concern fields; explicit unknowns stay "not known" in text and become None elsewhere."""
    slot = tracker.get_slot
    fields: dict[str, Any] = {name: slot(name) for name in (*FREE_TEXT_SLOTS, "child_words")}
    when = slot("concern_when")
    age = slot("child_age")
    fields.update(
        client_id=client_id(tracker),
        reporter_role=(fields["reporter_role"] or "")[:64] or None,
        concern_at=datetime.fromisoformat(when) if when and when != NOT_KNOWN else None,
        child_age=age if isinstance(age, int) else None,
        category=slot("concern_category") or "other",
        immediate_danger=_flag(slot("immediate_danger")),
        about_staff=_flag(slot("about_staff")) is True,
        about_dsl=slot("about_dsl") is True,
        channel=_channel(tracker)[:32],
    )
    return fields


# What a DSL needs that the read-back checks for (KCSIE: the child's words, when, who was there, what
# the reporter did), in the words the reporter sees.
ESSENTIALS = {
    "child_words": "the child's own words",
    "concern_when": "when it happened",
    "present": "who else was there",
    "actions_taken": "what you have done so far",
}


def missing_essentials(tracker: Tracker) -> list[str]:
    """The essential fields left empty or answered "don't know"."""
    return [name for name in ESSENTIALS if tracker.get_slot(name) in (None, "", NOT_KNOWN)]


def summary(tracker: Tracker, profile: Profile) -> str:
    """The record read back in plain words, for the reporter to confirm or correct."""
    s = tracker.get_slot

    def show(name: str) -> str:
        value = s(name)
        if value is None or value == "":
            return "(not given)"
        if value is True:
            return "yes"
        if value is False:
            return "no"
        return str(value)

    when = s("concern_when")
    if when and when != NOT_KNOWN:
        when = datetime.fromisoformat(when).astimezone(ZoneInfo(profile.organisation.time_zone))
        when = when.strftime("%A %d %B %Y, %H:%M")
    words = s("child_words")
    lines = [
        "Here is what I have recorded. Please check it:",
        f"- Anyone in immediate danger: {show('immediate_danger')}",
        "- The child's own words: " + (f'"{words}"' if words and words != NOT_KNOWN else show("child_words")),
        f"- What you saw (injuries, where on the body): {show('observed')}",
        f"- When it happened or was said: {when or '(not given)'}",
        f"- The child: {show('child_name')}, age {show('child_age')}, group or setting: {show('child_setting')}",
        f"- Additional needs or language: {show('child_needs')}",
        f"- Who else was there: {show('present')}",
        f"- Questions you asked and the answers: {show('questions_asked')}",
        f"- How you know (seen, told, phone, message): {show('source')}",
        f"- Kind of concern: {CATEGORY_LABELS.get(s('concern_category') or 'other', NOT_KNOWN)}",
        f"- About someone who works with children: {show('about_staff')}",
        f"- Already discussed with: {show('discussed_with')}",
        f"- What you have done so far: {show('actions_taken')}",
        f"- You: {show('reporter_name')} ({show('reporter_role')}), contact: {show('reporter_contact')}",
    ]
    missing = missing_essentials(tracker)
    if missing:
        lines.append(
            "Before you send: your DSL will also need "
            + _and(ESSENTIALS[name] for name in missing)
            + '. Add it now if you can ("Add what\'s missing"), or send it as it is.'
        )
    lines.append("Is this right? Say yes to send it to the safeguarding team, or tell me what to change.")
    return "\n".join(lines)


def _and(items: Any) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _channel(tracker: Tracker) -> str:
    """The way in the person used: the gateway names it (web, telegram, teams); else Rasa's input channel."""
    user: dict[str, Any] = next((e for e in reversed(tracker.events) if e.get("event") == "user"), {})
    named = (user.get("metadata") or {}).get("channel")
    return str(named or tracker.get_latest_input_channel() or "unknown")


def _flag(value: Any) -> bool | None:
    return value if isinstance(value, bool) else None
