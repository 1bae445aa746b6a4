"""action_prefill_concern: before the form asks anything, fill what the person has already written.

Reads the user's messages since the last report (or cancel): the child's exact words when quoted, age,
who it is about (and so whether it is about staff), setting, when, kind of harm (the safety screen's
`harm` entity, else the words), whether anyone is safe now, how the reporter knows, whether a parent is
writing, and the reporter's name and contact from the channel's identity (message metadata
`display_name` / `contact`, when a channel passes them). Everything filled is shown back at the read-back.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.answers import STAFF_RELATIONS, age_phrase, relation_in
from actions.concern_form import harm_category
from actions.contacts import phone_line
from actions.parsing import WHEN_PHRASE, Unusable, parse_category, read_age, read_when

# Where a report ends: what comes before belongs to an earlier report.
_REPORT_ENDS = {"action_submit_concern", "utter_cancel"}
# Quoted speech of three words or more: "…", “…”, or '…' (an apostrophe inside a word is not a quote).
_QUOTE = re.compile(r"[\"“”]([^\"“”]{8,})[\"“”]|(?:^|(?<=[\s(:]))['‘]((?:[^'‘’]|'(?=\w))+?)['’](?=$|[\s.,!?;)])")
_SAFE_NOW = re.compile(
    r"\b(?:(?:she|he|they)(?:'s| is| are)|(?:she|he|they) (?:is|are)) (?:\w+ )?safe\b|\bnot in (?:immediate )?danger\b|"
    r"\bno(?:body|one| one)(?:'s| is) (?:hurt|in danger)\b",
    re.IGNORECASE,
)
_PARENT = re.compile(
    r"\bmy (?:\d{1,2}[- ]year[- ]old )?(?:step)?(?:son|daughter|child|kid|boy|girl|little one)\b", re.IGNORECASE
)
_SETTING = re.compile(
    r"\b(?:at|in|from) ((?:our|the|my|her|his) (?:[\w-]+ ){0,2}?(?:club|school|class|group|session|practice|training|"
    r"nursery|church|mosque|temple|scouts|cubs|brownies|guides|camp|centre|project|team|youth club|form|playground))\b",
    re.IGNORECASE,
)
_MENTEE = re.compile(r"\bmy (mentee|pupil|student|tutee)\b", re.IGNORECASE)
_TOLD_ME = re.compile(r"\b(?:told|tells|said to|disclosed to|confided in) me\b", re.IGNORECASE)
_TOLD_BY_OTHER = re.compile(
    r"\b(?:(?:her|his|their|a|another) (?:mum|dad|parent|friend|teacher|sister|brother|carer)|someone|a parent) "
    r"(?:told|rang|messaged|emailed) me\b",
    re.IGNORECASE,
)
_SAW = re.compile(r"\bi (?:saw|noticed|have noticed|'ve noticed|heard|found)\b", re.IGNORECASE)
_INJURY = re.compile(
    r"\b(?:bruis\w*|marks?|cuts?|burns?|bleeding|black eye|swollen|limp\w*|scratch\w*|injur\w*|welts?)\b", re.I
)
_DANGER_INTENTS = {"child_danger", "staff_danger", "immediate_danger"}


def user_messages(tracker: Tracker) -> list[dict[str, Any]]:
    """The user events of the report in progress, typed messages only (no button payloads)."""
    messages: list[dict[str, Any]] = []
    for event in tracker.events:
        if event.get("event") == "action" and event.get("name") in _REPORT_ENDS:
            messages = []
        elif event.get("event") == "user" and not str(event.get("text") or "").startswith("/"):
            messages.append(event)
    return messages


def quoted_words(text: str) -> str | None:
    quotes = [a or b for a, b in _QUOTE.findall(text)]
    quotes = [q.strip() for q in quotes if len(q.split()) >= 3]
    return max(quotes, key=len) if quotes else None


def facts_from(messages: list[dict[str, Any]], now: datetime, time_zone: str) -> dict[str, Any]:
    """Slot values the messages give; only what they say, nothing guessed beyond the patterns above."""
    texts = [str(m.get("text") or "") for m in messages]
    whole = "\n".join(texts)
    facts: dict[str, Any] = {}
    if words := next((w for t in texts if (w := quoted_words(t))), None):
        facts["child_words"] = words
    if (phrase := age_phrase(whole)) is not None:
        age = read_age(phrase, now)
        if isinstance(age, int):
            facts["child_age"] = age
    if relation := relation_in(whole):
        facts["about_staff"] = relation in STAFF_RELATIONS
    if setting := _SETTING.search(whole):
        facts["child_setting"] = setting.group(1)
    elif mentee := _MENTEE.search(whole):
        facts["child_setting"] = {"mentee": "mentoring", "tutee": "tutoring"}.get(mentee.group(1).lower(), "class")
    if when := WHEN_PHRASE.search(whole):
        value = read_when(when.group(0), now, time_zone)
        if isinstance(value, datetime):
            facts["concern_when"] = value.isoformat()
    elif re.search(r"\b(?:has |have )?just (?:told|said|disclosed)\b", whole, re.IGNORECASE):
        facts["concern_when"] = now.isoformat()
    if category := _category(messages, whole):
        facts["concern_category"] = category
    if _SAFE_NOW.search(whole):
        facts["immediate_danger"] = False
    elif any((m.get("parse_data") or {}).get("intent", {}).get("name") in _DANGER_INTENTS for m in messages):
        facts["immediate_danger"] = True
    if _TOLD_BY_OTHER.search(whole):
        facts["source"] = "told by someone else (see what happened)"
    elif _TOLD_ME.search(whole):
        facts["source"] = "the child told me directly"
    elif _SAW.search(whole):
        facts["source"] = "I saw or heard it myself"
    injuries = [s.strip() for t in texts for s in re.split(r"(?<=[.!?])\s+", t) if _INJURY.search(s)]
    if injuries:
        facts["observed"] = " ".join(injuries)
    if _PARENT.search(whole):
        facts["reporter_kind"] = "parent"
        facts["reporter_role"] = "parent"
    facts.update(_identity(messages))
    return facts


def _category(messages: list[dict[str, Any]], whole: str) -> str | None:
    for message in reversed(messages):
        for entity in (message.get("parse_data") or {}).get("entities") or []:
            if entity.get("entity") == "harm" and (category := harm_category(entity.get("value"))):
                return category
    category = parse_category(whole)
    return None if category == "other" else category


def _identity(messages: list[dict[str, Any]]) -> dict[str, str]:
    metadata = next((m.get("metadata") for m in reversed(messages) if m.get("metadata")), None) or {}
    found = {}
    if name := str(metadata.get("display_name") or "").strip():
        found["reporter_name"] = name[:120]
    if contact := str(metadata.get("contact") or "").strip():
        found["reporter_contact"] = contact[:120]
    return found


class ActionPrefillConcern(Action):
    def name(self) -> str:
        return "action_prefill_concern"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> list[dict[str, Any]]:
        profile = runtime.profile()
        facts = facts_from(user_messages(tracker), runtime.now(), profile.organisation.time_zone)
        events = [SlotSet(name, value) for name, value in facts.items() if tracker.get_slot(name) is None]
        # Said by the engine if a later step fails: the first person to phone, from the profile.
        events.append(SlotSet("dsl_line", phone_line(profile.dsl)))
        if len(facts) >= 2:
            dispatcher.utter_message(
                text="I've taken what you've already told me, so I'll only ask what's missing. "
                "You'll see all of it before anything is sent."
            )
        return events


__all__ = ["ActionPrefillConcern", "Unusable", "facts_from", "user_messages"]
