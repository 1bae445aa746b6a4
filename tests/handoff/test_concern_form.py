"""The report form as people answer it: negations, answers that hold two things, answers that can't be
used (and why), what the conversation already said, and the read-back's check of what a DSL needs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import runtime
from actions.concern_correction import ActionClearField
from actions.concern_form import ValidateConcernForm
from actions.concern_prefill import ActionPrefillConcern
from actions.concern_submit import ActionSubmitConcern
from actions.concern_summary import ActionConcernSummary
from actions.parsing import NOT_KNOWN
from core.settings import Settings
from tests.conftest import ROOT
from tests.handoff.conftest import IN_HOURS
from tests.handoff.test_actions import ANSWERS, DOMAIN, tracker

pytestmark = pytest.mark.usefixtures("action_env")


@pytest.fixture
def action_env(monkeypatch: pytest.MonkeyPatch, sqlite_url: str, org_profile_path: Path, encryption_key: str) -> None:
    monkeypatch.setenv("SG_DATABASE_URL", sqlite_url)
    monkeypatch.setenv("SG_ORG_PROFILE", str(org_profile_path))
    monkeypatch.setattr(runtime, "now", lambda: IN_HOURS)
    runtime.configure(Settings())  # as actions/server.py does, from this environment


async def validate(slot: str, text: str, *, empty: tuple[str, ...] = ()) -> tuple[dict, list[str]]:
    """The slots the form sets (with the next question, `requested_slot`) and what it says, with every
    other answer given except `empty`."""
    dispatcher = CollectingDispatcher()
    given = {k: v for k, v in ANSWERS.items() if k not in (slot, *empty)}
    events = await ValidateConcernForm().run(dispatcher, tracker(given, just_set={slot: text}), DOMAIN)
    return {e["name"]: e["value"] for e in events if e["event"] == "slot"}, [m["text"] for m in dispatcher.messages]


@pytest.mark.parametrize(
    "answer", ["no, not in immediate danger", "nobody's hurt", "she's safe now", "No one is in danger", "no"]
)
async def test_a_negated_danger_answer_is_no_and_the_form_moves_on(answer: str) -> None:
    values, said = await validate("immediate_danger", answer, empty=("child_words",))
    assert values["immediate_danger"] is False and said == []
    assert values["requested_slot"] == "child_words"


@pytest.mark.parametrize("answer", ["yes", "she is not safe at home tonight", "he's outside with a knife"])
async def test_danger_answers_get_999_at_once(answer: str) -> None:
    values, said = await validate("immediate_danger", answer)
    assert values["immediate_danger"] is True and "999" in said[0]


@pytest.mark.parametrize(
    ("slot", "answer", "stored"),
    [
        ("about_staff", "no, it's her stepdad", False),
        ("about_staff", "not staff, her uncle", False),
        ("about_staff", "it's her football coach", True),
        ("present", "nobody", "nobody else"),
        ("present", "no one else", "nobody else"),
        ("actions_taken", "nothing yet", "nothing yet"),
        ("actions_taken", "none", "nothing yet"),
        ("observed", "no", "nothing seen"),
        ("child_needs", "no", "none"),
    ],
)
async def test_negations_are_understood_by_every_question(slot: str, answer: str, stored: object) -> None:
    tracker_slots = {"correcting": ["child_needs"]} if slot == "child_needs" else {}
    dispatcher = CollectingDispatcher()
    events = await ValidateConcernForm().run(dispatcher, tracker(tracker_slots, just_set={slot: answer}), DOMAIN)
    assert {e["name"]: e["value"] for e in events if e["event"] == "slot"}[slot] == stored


@pytest.mark.parametrize(
    ("answer", "reason"),
    [("-3", "below zero"), ("minus three", "below zero"), ("200", "older than anyone"), ("dob 1/1/2030", "future")],
)
async def test_an_age_that_cannot_be_one_is_asked_again_with_the_reason(answer: str, reason: str) -> None:
    values, said = await validate("child_age", answer)
    assert values["child_age"] is None and values["requested_slot"] == "child_age"
    assert reason in said[0] and "years" in said[0]


@pytest.mark.parametrize(
    ("answer", "age"), [("about 10", 10), ("12 or 13", 12), ("year 6", 10), ("born 3/4/2014", 11), ("18 months", 1)]
)
async def test_ages_are_read_as_people_give_them(answer: str, age: int) -> None:
    assert (await validate("child_age", answer))[0]["child_age"] == age


@pytest.mark.parametrize("answer", ["tomorrow", "next week"])
async def test_a_time_in_the_future_is_asked_again_saying_why(answer: str) -> None:
    values, said = await validate("concern_when", answer)
    assert values["concern_when"] is None and "still to come" in said[0]


async def test_a_time_inside_a_sentence_is_read() -> None:
    values, _ = await validate("concern_when", "it was last Tuesday after school when she told me")
    assert values["concern_when"] == "2026-03-03T15:30:00+00:00"


async def test_one_answer_gives_the_childs_name_and_age() -> None:
    values, _ = await validate("child_name", "Jess, she's 13", empty=("child_age", "child_setting"))
    assert values["child_name"] == "Jess" and values["child_age"] == 13
    assert values["requested_slot"] == "child_setting"  # the age is not asked again


async def test_one_answer_gives_the_reporters_name_role_and_contact() -> None:
    values, _ = await validate(
        "reporter_name", "Jo Example, volunteer, 07700 900111", empty=("reporter_role", "reporter_contact")
    )
    assert (values["reporter_name"], values["reporter_role"], values["reporter_contact"]) == (
        "Jo Example",
        "volunteer",
        "07700 900111",
    )


async def test_the_childs_details_given_as_the_reporters_name_are_not_accepted() -> None:
    values, said = await validate("reporter_name", "Jess, she's 13")
    assert values["reporter_name"] is None and "child's details" in said[0]


def opening(text: str, *, intent: str = "staff_disclosure", harm: str | None = None, **metadata: str) -> dict:
    entities = [{"entity": "harm", "value": harm}] if harm else []
    return {
        "event": "user",
        "timestamp": 1.0,
        "text": text,
        "parse_data": {"intent": {"name": intent}, "entities": entities},
        "metadata": metadata,
    }


async def prefill(events: list[dict]) -> dict:
    t = Tracker("r", {}, {}, events, False, None, {}, "action_listen")
    dispatcher = CollectingDispatcher()
    result = await ActionPrefillConcern().run(dispatcher, t, DOMAIN)
    return {e["name"]: e["value"] for e in result}


async def test_the_opening_message_fills_the_form_without_asking_again() -> None:
    slots = await prefill(
        [
            opening(
                "my mentee (13) told me her stepdad hits her with a belt when her mum's at work. "
                "She said 'he hits me with his belt when mum's not there' this morning. She's safe now.",
                harm="physical",
            )
        ]
    )
    assert slots["child_words"] == "he hits me with his belt when mum's not there"
    assert slots["child_age"] == 13 and slots["child_setting"] == "mentoring"
    assert slots["about_staff"] is False and slots["immediate_danger"] is False
    assert slots["concern_category"] == "physical" and slots["concern_when"] == "2026-03-10T09:00:00+00:00"
    assert slots["source"] == "the child told me directly"
    assert "07700 900123" in slots["dsl_line"]  # ready for the engine to say if submission fails


async def test_a_parent_gets_the_parents_questions_and_the_channel_identity_fills_the_reporter() -> None:
    slots = await prefill(
        [
            opening(
                "my daughter says her coach at the club asked her for photos",
                harm="online",
                display_name="Alex Parent",
                contact="alex@example.org",
            )
        ]
    )
    assert slots["reporter_kind"] == "parent" and slots["reporter_role"] == "parent"
    assert slots["about_staff"] is True and slots["concern_category"] == "online"
    assert (slots["reporter_name"], slots["reporter_contact"]) == ("Alex Parent", "alex@example.org")


async def test_an_earlier_report_in_the_same_conversation_does_not_fill_the_next() -> None:
    earlier = opening("a girl told me her dad hits her, she is 9")
    done = {"event": "action", "name": "action_submit_concern"}
    assert "child_age" not in await prefill([earlier, done, opening("I need to report something")])


async def test_the_read_back_marks_what_a_dsl_would_need_and_offers_to_add_it() -> None:
    slots = {**ANSWERS, "present": NOT_KNOWN, "child_words": None}
    dispatcher = CollectingDispatcher()
    await ActionConcernSummary().run(dispatcher, tracker(slots), DOMAIN)
    [message] = dispatcher.messages
    assert "your DSL will also need the child's own words and who else was there" in message["text"]
    titles = [b["title"] for b in message["buttons"]]
    assert titles[:2] == ["Add what's missing", "Send anyway"]

    t = tracker(slots)
    t.latest_message["entities"] = [{"entity": "field", "value": "missing"}]
    events = await ActionClearField().run(CollectingDispatcher(), t, DOMAIN)
    assert {(e["name"], str(e["value"])) for e in events} >= {
        ("child_words", "None"),
        ("present", "None"),
        ("correcting", "['child_words', 'present']"),
    }


async def test_a_complete_read_back_has_no_missing_note() -> None:
    dispatcher = CollectingDispatcher()
    await ActionConcernSummary().run(dispatcher, tracker({**ANSWERS, "present": "nobody else"}), DOMAIN)
    assert "will also need" not in dispatcher.messages[0]["text"]
    assert dispatcher.messages[0]["buttons"][0]["title"] == "Send it to the DSL"


async def test_yes_after_the_report_was_sent_stores_nothing_more() -> None:
    dispatcher = CollectingDispatcher()
    events = await ActionSubmitConcern().run(dispatcher, tracker({"concern_reference": "SG-2026-0001"}), DOMAIN)
    assert events == [] and "SG-2026-0001" in dispatcher.messages[0]["text"]


def test_no_response_text_holds_braces_rasa_would_read_as_slots() -> None:
    # Rasa fills `{name}` from the slots and logs a failure with them: only real slot names may appear.
    domain = yaml.safe_load(Path(ROOT / "bot/domain/concern_form.yml").read_text())
    for name, variants in domain["responses"].items():
        for variant in variants:
            for text in [variant.get("text", ""), *(b["payload"] for b in variant.get("buttons", []))]:
                for placeholder in __import__("re").findall(r"{([^{}]*)}", text):
                    assert placeholder in domain["slots"], (name, placeholder)


async def test_an_answer_naming_the_harm_or_who_did_it_settles_those_questions_too() -> None:
    given = {k: v for k, v in ANSWERS.items() if k not in ("child_words", "concern_category", "about_staff")}
    t = tracker(given, just_set={"child_words": "they make me carry packages for them, my brother's mates"})
    t.latest_message["entities"] = [{"entity": "harm", "value": "county_lines"}]
    t.latest_message["text"] = "they make me carry packages for them, her brother's mates"
    events = await ValidateConcernForm().run(CollectingDispatcher(), t, DOMAIN)
    slots = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert slots["concern_category"] == "cce" and slots["about_staff"] is False
    assert slots["requested_slot"] is None  # nothing left to ask


def test_the_record_names_the_way_in_the_gateway_reports_not_rasas_rest_channel() -> None:
    from actions.concern_record import fields_from_tracker

    t = tracker(ANSWERS, channel="rest")
    t.events[0]["metadata"] = {"channel": "web"}
    assert fields_from_tracker(t)["channel"] == "web"


async def test_the_childs_words_keep_their_own_quotes_but_not_the_reporters_around_them() -> None:
    values, _ = await validate("child_words", "\"he said 'don't tell' to me\"")
    assert values["child_words"] == "he said 'don't tell' to me"


async def test_a_surname_that_is_also_a_role_stays_in_the_name() -> None:
    values, _ = await validate(
        "reporter_name", "Sam Teacher, teacher, sam@example.org", empty=("reporter_role", "reporter_contact")
    )
    assert (values["reporter_name"], values["reporter_role"]) == ("Sam Teacher", "teacher")
    values, _ = await validate(
        "reporter_name", "Alex Parent, 07700 900333", empty=("reporter_role", "reporter_contact")
    )
    assert (values["reporter_name"], values["reporter_contact"]) == ("Alex Parent", "07700 900333")


async def test_childs_words_the_screen_hears_danger_in_are_kept_and_the_danger_reply_is_given() -> None:
    t = tracker({}, just_set={"child_words": "he said he'll kill me if I tell"})
    t.latest_message["intent"] = {"name": "child_danger"}
    dispatcher = CollectingDispatcher()
    events = await ValidateConcernForm().run(dispatcher, t, DOMAIN)
    assert {
        "event": "slot",
        "name": "child_words",
        "value": "he said he'll kill me if I tell",
        "timestamp": None,
    } in events
    assert dispatcher.messages[0]["response"] == "utter_child_danger"


async def test_a_danger_interruption_sets_no_slot_so_the_engine_gives_the_danger_reply() -> None:
    given = {k: v for k, v in ANSWERS.items() if k not in ("child_name", "about_staff", "concern_category")}
    t = tracker(given)
    t.slots["requested_slot"] = "child_name"
    t.latest_message.update(
        text="his dad is outside with a knife",
        intent={"name": "immediate_danger"},
        entities=[{"entity": "harm", "value": "physical"}],
    )
    events = await ValidateConcernForm().run(CollectingDispatcher(), t, DOMAIN)
    assert [e for e in events if e["event"] == "slot" and e["name"] != "requested_slot"] == []
