"""Validation for `concern_form`, the adult's record of a concern.

What the lead declares in the domain (no selective domain):

  Form `concern_form`, required_slots in this order (each slot `type: any`, `influence_conversation: false`,
  one `from_text` mapping conditioned on `active_loop: concern_form` and `requested_slot: <slot>`):
    immediate_danger, reporter_name, reporter_role, reporter_contact, child_name, child_age, child_setting,
    child_needs, concern_when, child_words, observed, questions_asked, present, source, concern_category,
    about_staff, discussed_with, actions_taken
  Extra slots: `about_dsl` (any, custom mapping: set by validate_about_staff), `summary_confirmed`
    (bool; set from affirm/deny after action_concern_summary), `concern_reference` (text, custom mapping;
    set by action_submit_concern).
  Responses, one per slot: utter_ask_<slot> for every required slot above; each should mention that
    "don't know" or "skip" is fine, and utter_ask_child_words should ask for the child's exact words.
  Actions: validate_concern_form, action_concern_summary, action_submit_concern, action_who_is_dsl.

Every answer is kept as typed (the child's words verbatim); "don't know"/"skip" becomes NOT_KNOWN so the
form moves on and the record says it was asked. Answers that cannot be read are asked again with a hint.
"""

from __future__ import annotations

from typing import Any

from rasa_sdk import FormValidationAction, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.parsing import NOT_KNOWN, is_unknown, parse_age, parse_category, parse_when, parse_yes_no

FORM_SLOTS = (
    "immediate_danger",
    "reporter_name",
    "reporter_role",
    "reporter_contact",
    "child_name",
    "child_age",
    "child_setting",
    "child_needs",
    "concern_when",
    "child_words",
    "observed",
    "questions_asked",
    "present",
    "source",
    "concern_category",
    "about_staff",
    "discussed_with",
    "actions_taken",
)
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
Slots = dict[str, Any]


def free_text(value: Any) -> str | None:
    """The answer as typed, NOT_KNOWN for an explicit unknown, None for an empty answer (ask again)."""
    text = str(value or "").strip()
    if not text:
        return None
    return NOT_KNOWN if is_unknown(text) else text


class ValidateConcernForm(FormValidationAction):
    def name(self) -> str:
        return "validate_concern_form"

    def validate_child_words(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        # Verbatim: no trimming inside, no spelling fixes; only outer whitespace goes.
        text = str(value or "")
        if not text.strip():
            return {"child_words": None}
        return {"child_words": NOT_KNOWN if is_unknown(text) else text.strip()}

    def validate_child_age(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Slots:
        age = parse_age(value)
        if age is None:
            dispatcher.utter_message(text='Please give the age as a number, for example 12, or say "don\'t know".')
        return {"child_age": age}

    def validate_concern_when(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        when = parse_when(str(value or ""), runtime.now(), runtime.profile().organisation.time_zone)
        if when is None:
            dispatcher.utter_message(
                text='I couldn\'t read that as a time. Try something like "just now", "yesterday at 3pm", '
                '"Tuesday morning", or say "don\'t know".'
            )
            return {"concern_when": None}
        return {"concern_when": when if when == NOT_KNOWN else when.isoformat()}

    def validate_concern_category(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        return {"concern_category": parse_category(str(value or ""))}

    def validate_immediate_danger(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        answer = parse_yes_no(value)
        if answer is None:
            dispatcher.utter_message(text='Please answer yes, no, or "don\'t know".')
        elif answer is not False:
            dispatcher.utter_message(
                text="If anyone is in immediate danger, call 999 now, before anything else. "
                "I'll take the details after, and the safeguarding team will be told it is urgent."
            )
        return {"immediate_danger": answer}

    def validate_about_staff(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict
    ) -> Slots:
        answer = parse_yes_no(value)
        about_dsl = mentions_dsl(str(value or ""))
        if about_dsl:
            answer = True
        if answer is None:
            dispatcher.utter_message(text='Please answer yes, no, or "don\'t know".')
        elif answer is True:
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


def mentions_dsl(text: str) -> bool:
    """Whether an answer names the DSL (by role or by the name in the profile)."""
    lowered = text.lower()
    dsl = runtime.profile().dsl.name.lower()
    return any(word in lowered for word in ("dsl", "designated safeguarding", "safeguarding lead", dsl)) or any(
        len(part) > 2 and part in lowered.split() for part in dsl.split()[:1]
    )


def _validate_free_text(slot: str):  # type: ignore[no-untyped-def]
    def validate(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict) -> Slots:  # type: ignore[no-untyped-def]
        return {slot: free_text(value)}

    validate.__name__ = f"validate_{slot}"
    return validate


# One validate_<slot> per free-text slot, all with the same rule.
for _slot in FREE_TEXT_SLOTS:
    setattr(ValidateConcernForm, f"validate_{_slot}", _validate_free_text(_slot))
