"""Every phone number the assistant can say is a national line from the one reviewed list
(bot/safety/national_lines.yml) or comes from the organisation profile at run time."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import yaml

from actions.contacts import WHISTLEBLOWING, local_lines, phone_line
from channels.safety import safety_message, timed_out_message, too_long_message
from core.profile import load_profile
from core.safety import CHILDLINE, EMERGENCY, NSPCC
from tests.safety_case.phone_numbers import ROOT, digits, numbers_in, numbers_said, reviewed_list

EXAMPLE_PROFILE = ROOT / "bot" / "organisation.example.yml"
# Response variables the actions fill from the profile (actions/concern_prefill.py and
# concern_summary.py: phone_line(profile.dsl)). A new variable must be added here by
# someone who has checked where its value comes from.
PROFILE_SLOTS = {"dsl_line"}
REVIEW_EVERY = timedelta(days=366)


def test_the_finder_reads_numbers_as_people_write_them() -> None:
    text = "Call 999, Childline on 0800 1111, +44 7700 900123 or text SHOUT to 85258; 116 123. Not 4,000 or 413."
    assert [digits(n) for _, n in numbers_in(text)] == ["999", "08001111", "07700900123", "85258", "116123"]


def test_every_number_in_a_reply_is_a_reviewed_national_line() -> None:
    reviewed = reviewed_list()
    unknown = [str(f) for f in numbers_said() if digits(f.number) not in reviewed.allowed]
    assert not unknown, (
        "phone numbers in replies that are in neither bot/safety/national_lines.yml nor the profile "
        "(say an organisation's number through the profile, or add a reviewed national line):\n  "
        + "\n  ".join(unknown)
    )


def test_the_scan_sees_the_lines_the_assistant_gives() -> None:
    # Guards the scan itself: if it stopped reading the responses, the check above would pass on nothing.
    said = {digits(f.number) for f in numbers_said()}
    assert {"999", "08001111", "08088005000"} <= said


def test_each_national_line_is_reviewed_and_the_review_is_recent() -> None:
    reviewed = reviewed_list()
    stale = []
    for line in reviewed.lines:
        assert line["name"] and line["for"] and line["confirmed_by"], line
        confirmed = line["confirmed_on"]
        assert isinstance(confirmed, date), f"{line['name']}: confirmed_on must be a date"
        if date.today() - confirmed > REVIEW_EVERY:
            stale.append(f"{line['name']} ({line['number']}) last confirmed {confirmed}")
    assert not stale, "re-confirm these national lines and update bot/safety/national_lines.yml: " + "; ".join(stale)


def test_the_national_lines_are_the_ones_in_the_domain_facts() -> None:
    facts = ROOT.parent / "shared" / "domain" / "safeguarding.md"
    if not facts.exists():
        pytest.skip(f"{facts} not found (it sits beside the repository in CI)")
    table = facts.read_text(encoding="utf-8").split("## National lines", 1)[1].split("\n## ", 1)[0]
    in_facts = {digits(n) for _, n in numbers_in(table)}
    assert {digits(line["number"]) for line in reviewed_list().lines} <= in_facts


def test_format_examples_and_the_example_profile_can_never_reach_a_real_person() -> None:
    reviewed = reviewed_list()
    for example in reviewed.format_examples:
        assert reviewed.is_fiction(example["number"]), example
    profile_numbers = _profile_numbers()
    assert profile_numbers and all(reviewed.is_fiction(n) for n in profile_numbers), profile_numbers


def test_response_variables_that_can_carry_a_number_come_from_the_profile() -> None:
    variables = set()
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for variations in (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses", {}).values():
            for v in variations:
                variables |= set(re.findall(r"\{(\w+)\}", v.get("text", "")))
    unknown = variables - PROFILE_SLOTS
    assert not unknown, f"response variables not known to come from the profile: {unknown}"


def test_numbers_built_at_run_time_are_national_or_the_profiles() -> None:
    profile = load_profile(EXAMPLE_PROFILE)
    out_of_hours = datetime(2026, 11, 21, 23, 0, tzinfo=UTC)  # a Saturday night
    texts = [
        safety_message(profile),
        too_long_message(profile),
        timed_out_message(profile),
        EMERGENCY,
        CHILDLINE,
        NSPCC,
        WHISTLEBLOWING,
        *(phone_line(m) for m in profile.safeguarding_team),
        *local_lines(profile, out_of_hours, about_staff=True),
    ]
    allowed = reviewed_list().allowed | {digits(n) for n in _profile_numbers()}
    said = [n for text in texts for _, n in numbers_in(text)]
    assert said and all(digits(n) in allowed for n in said), said
    # The organisation's own numbers are really said: the DSL's in the static safety message,
    # the local authority's when the DSL can't be reached.
    assert profile.dsl.phone in safety_message(profile)
    local = " ".join(local_lines(profile, out_of_hours, about_staff=True))
    la = profile.local_authority
    assert all(n in local for n in (la.mash.phone, la.edt.phone, la.lado.phone))


def _profile_numbers() -> list[str]:
    profile = load_profile(EXAMPLE_PROFILE)
    la = profile.local_authority
    return [m.phone for m in profile.safeguarding_team] + [la.mash.phone, la.edt.phone, la.lado.phone]
