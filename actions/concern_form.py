"""Validation for `concern_form`, the adult's record of a concern.

The domain lists every slot of the record (FORM_SLOTS, each `from_text` while it is requested). Which of
them are asked, and in what order, is decided here (`required_slots`): the child's words and what happened
first, the reporter's details last; a slot already filled from the conversation (actions/concern_prefill.py)
or inferred from another answer is not asked again but shown at the read-back; OPTIONAL slots are asked
only when the reporter chooses to add them there (`correcting`).

Every answer is kept as typed (the child's words verbatim); "don't know"/"skip" becomes NOT_KNOWN so the
form moves on and the record says it was asked. An answer that can't be used is asked again with the reason.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.answers import STAFF_RELATIONS, about_staff_from, relation_in, split_child, split_reporter
from actions.parsing import (
    NOT_KNOWN,
    Unusable,
    is_unknown,
    parse_category,
    parse_danger,
    parse_yes_no_negated,
    read_age,
    read_when,
)
from core.safety import EMERGENCY

# Asked unless already known, in this order.
ASKED = (
    "immediate_danger",
    "child_words",
    "observed",
    "concern_when",
    "child_name",
    "child_age",
    "child_setting",
    "present",
    "concern_category",
    "about_staff",
    "actions_taken",
    "reporter_name",
    "reporter_contact",
)
# In the record and the read-back, asked only when the reporter adds them.
OPTIONAL = ("reporter_role", "child_needs", "questions_asked", "source", "discussed_with")
FORM_SLOTS = (*ASKED, *OPTIONAL)
FREE_TEXT_SLOTS = (
    "reporter_name",
    "reporter_role",
    "reporter_contact",
    "child_name",
    "child_setting",
    "child_needs",
    "observed",
    "questions_asked",
    "present",
    "source",
    "discussed_with",
    "actions_taken",
)
# Answers that mean "nobody"/"nothing" to a who/what question, stored in words a DSL reads at a glance.
_NONE_ANSWER = re.compile(
    r"^\s*(?:no|nope|none|nobody|no one|no-one|noone|nothing|nothing yet|not yet|none yet|nobody else|no one else|"
    r"not really|n/?a)[\s.!]*$",
    re.IGNORECASE,
)
Slots = dict[str, Any]


def free_text(value: Any) -> str | None:
    """The answer as typed, NOT_KNOWN for an explicit unknown, None for an empty answer (ask again)."""
    text = str(value or "").strip()
    if not text:
        return None
    return NOT_KNOWN if is_unknown(text) else text


# The safety screen's danger intents, and the reviewed reply each gets (stories/rules.yml).
DANGER_INTENTS = ("child_danger", "staff_danger", "immediate_danger", "child_suicidal")


# The questions whose answers are taken even from a message the screen hears danger in (the domain's
# mappings for them leave out the danger intents).
TAKES_DANGER = ("immediate_danger", "child_words", "observed", "questions_asked")


def danger_heard(tracker: Tracker) -> bool:
    return (tracker.latest_message.get("intent") or {}).get("name") in DANGER_INTENTS


def interrupted(tracker: Tracker) -> bool:
    """A danger message the form does not take as its answer: the engine's danger rule answers it."""
    return danger_heard(tracker) and tracker.get_slot("requested_slot") not in TAKES_DANGER


def say_danger_answer(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
    """The child's words and what was seen are taken even from a message the screen hears danger in (they
    quote harm), so the form goes on instead of the danger rule: give that rule's reply here."""
    intent = (tracker.latest_message.get("intent") or {}).get("name")
    if intent in DANGER_INTENTS and tracker.get_slot("requested_slot") in (
        "child_words",
        "observed",
        "questions_asked",
    ):
        dispatcher.utter_message(response=f"utter_{intent}")


def unquoted(text: str) -> str:
    """The words without one pair of quotes around the whole answer (the reporter's, not the child's)."""
    pairs = {'"': '"', "'": "'", "“": "”", "‘": "’"}
    if len(text) > 2 and text[0] in pairs and text[-1] == pairs[text[0]] and text[0] not in text[1:-1]:
        return text[1:-1].strip()
    return text


def none_or_text(value: Any, none: str) -> str | None:
    text = free_text(value)
    return none if text and _NONE_ANSWER.match(text) else text


class ValidateConcernForm(FormValidationAction):
    def name(self) -> str:
        return "validate_concern_form"

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> list[str]:
        correcting = tracker.get_slot("correcting") or []
        return [*ASKED, *(s for s in OPTIONAL if s in correcting)]

    # Never from a danger message the form doesn't take as its answer: setting any slot would stop the engine
    # rejecting the form, and the danger rule's 999 reply would not be given.
    # Any answer can settle a later question: the kind of harm the safety screen names in it, or who it is
    # about ("her stepdad", "the coach"). Those questions are then not asked; the read-back shows them.
    async def extract_concern_category(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Slots:
        if (
            tracker.get_slot("concern_category") is not None
            or tracker.get_slot("requested_slot") == "concern_category"
            or interrupted(tracker)
        ):
            return {}
        harm = next(tracker.get_latest_entity_values("harm"), None)
        return {"concern_category": harm_category(harm)} if harm_category(harm) else {}

    async def extract_about_staff(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Slots:
        if (
            tracker.get_slot("about_staff") is not None
            or tracker.get_slot("requested_slot") == "about_staff"
            or interrupted(tracker)
        ):
            return {}
        text = str(tracker.latest_message.get("text") or "")
        relation = relation_in(text) if not text.startswith("/") else None
        return {"about_staff": relation in STAFF_RELATIONS} if relation else {}

    def validate_child_words(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        say_danger_answer(dispatcher, tracker)
        # Verbatim: no trimming inside, no spelling fixes; only outer whitespace goes.
        text = str(value or "")
        if not text.strip():
            return {"child_words": None}
        return {"child_words": NOT_KNOWN if is_unknown(text) else unquoted(text.strip())}

    def validate_child_age(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Slots:
        age = read_age(value, runtime.now())
        if isinstance(age, Unusable):
            dispatcher.utter_message(text=str(age))
            return {"child_age": None}
        if age is None:
            dispatcher.utter_message(
                text='I couldn\'t find an age in that. Please give it in years, for example 12 or "about 10", '
                'a school year ("year 6"), or say "don\'t know".'
            )
        return {"child_age": age}

    def validate_child_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        # "Jess, she's 13": the name, and the age when it is given in the same answer.
        name, age_text = split_child(str(value or ""))
        slots: Slots = {"child_name": free_text(name)}
        if age_text and tracker.get_slot("child_age") is None:
            age = read_age(age_text, runtime.now())
            if age is not None and not isinstance(age, Unusable):
                slots["child_age"] = age
        return slots

    def validate_concern_when(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        when = read_when(str(value or ""), runtime.now(), runtime.profile().organisation.time_zone)
        if isinstance(when, Unusable):
            dispatcher.utter_message(text=str(when))
            return {"concern_when": None}
        if when is None:
            dispatcher.utter_message(
                text='I couldn\'t read that as a time. Try something like "just now", "yesterday at 3pm", '
                '"last Tuesday after school", or say "don\'t know".'
            )
            return {"concern_when": None}
        return {"concern_when": when.isoformat() if isinstance(when, datetime) else when}

    def validate_concern_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        return {"concern_category": parse_category(str(value or ""))}

    def validate_immediate_danger(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        answer = parse_danger(value)
        if answer is None:
            dispatcher.utter_message(
                text="I couldn't tell from that. Is anyone in danger right now? For example \"no, she's safe now\", "
                '"yes", or "don\'t know".'
            )
        elif answer is not False and tracker.get_slot("requested_slot") == "immediate_danger":
            dispatcher.utter_message(
                text=f"{EMERGENCY} Do that before anything else: I'll take the details after, and the safeguarding "
                "team will be told it is urgent."
            )
        return {"immediate_danger": answer}

    def validate_about_staff(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        text = str(value) if isinstance(value, str) else ""
        about_dsl = mentions_dsl(text) if text else tracker.get_slot("about_dsl") is True
        answer: bool | str | None = value if isinstance(value, bool) else about_staff_from(text)
        if answer is None:
            answer = parse_yes_no_negated(text)
        if about_dsl:
            answer = True
        if answer is None:
            dispatcher.utter_message(
                text="I couldn't tell from that. Is the person it's about someone who works or volunteers with "
                'children? "Yes", "no, it\'s her stepdad", or "don\'t know" all work.'
            )
        elif answer is True and tracker.get_slot("requested_slot") == "about_staff":
            dispatcher.utter_message(
                text="Thank you. Please don't tell the person it is about, or discuss it with colleagues. "
                + (
                    "Because it concerns the Designated Safeguarding Lead, it will go to the deputy and the "
                    "chair instead."
                    if about_dsl
                    else "The safeguarding team will handle it with the Local Authority Designated Officer (LADO)."
                )
            )
        return {"about_staff": answer, "about_dsl": about_dsl}

    def validate_reporter_name(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        # "Jo Example, volunteer, 07700 900111": name, role and contact from one answer.
        parts = split_reporter(str(value or ""))
        if parts.looks_like_child:
            dispatcher.utter_message(text="That sounds like the child's details. What's your own name?")
            return {"reporter_name": None}
        slots: Slots = {"reporter_name": free_text(parts.name)}
        if parts.role and not tracker.get_slot("reporter_role"):
            slots["reporter_role"] = parts.role
        if parts.contact and not tracker.get_slot("reporter_contact"):
            slots["reporter_contact"] = parts.contact
        return slots

    def validate_reporter_role(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        text = free_text(value)
        return {"reporter_role": text[:64] if text else None}

    def validate_child_needs(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        return {"child_needs": none_or_text(value, "none")}

    def validate_present(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Slots:
        return {"present": none_or_text(value, "nobody else")}

    def validate_questions_asked(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        say_danger_answer(dispatcher, tracker)
        return {"questions_asked": none_or_text(value, "none")}

    def validate_discussed_with(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        return {"discussed_with": none_or_text(value, "nobody")}

    def validate_actions_taken(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        return {"actions_taken": none_or_text(value, "nothing yet")}

    def validate_observed(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Slots:
        say_danger_answer(dispatcher, tracker)
        return {"observed": none_or_text(value, "nothing seen")}


# The screen's harm names that differ from the record's categories.
_HARM_TO_CATEGORY = {"county_lines": "cce", "none": None}


def harm_category(harm: object) -> str | None:
    """The record's category for a kind of harm the safety screen named, or None."""
    if not harm:
        return None
    name = str(harm)
    return _HARM_TO_CATEGORY.get(name, name)


def mentions_dsl(text: str) -> bool:
    """Whether an answer names the DSL (by role or by the name in the profile)."""
    lowered = text.lower()
    dsl = runtime.profile().dsl.name.lower()
    return any(word in lowered for word in ("dsl", "designated safeguarding", "safeguarding lead", dsl)) or any(
        len(part) > 2 and part in lowered.split() for part in dsl.split()[:1]
    )


def _validate_free_text(slot: str) -> Callable[..., Slots]:
    def validate(
        self: FormValidationAction, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        return {slot: free_text(value)}

    validate.__name__ = f"validate_{slot}"
    return validate


# The free-text slots without a rule of their own keep the answer as typed.
for _slot in FREE_TEXT_SLOTS:
    if not hasattr(ValidateConcernForm, f"validate_{_slot}"):
        setattr(ValidateConcernForm, f"validate_{_slot}", _validate_free_text(_slot))
