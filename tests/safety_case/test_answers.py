"""Controls in the assistant's fixed answers that no other test pinned down: a child is never
questioned or put through the report form, an adult is never told to confront or investigate,
and every answer is a reviewed text chosen by rules (nothing is generated)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SAYS_NOT_TO = re.compile(
    r"\b(don'?t|do not|never)\b[^.\n]*\b(confront|warn|tell|contact|alert|investigate|question)", re.IGNORECASE
)
NEGATED = re.compile(r"\b(don'?t|do not|never|not|nor|isn'?t|aren'?t)\b[^.;:!?\n]*$", re.IGNORECASE)
# Answers to an adult whose worry is about someone: each must say not to confront or warn them.
ABOUT_SOMEONE = [
    "utter_staff_disclosure",
    "utter_staff_signs",
    "utter_allegation_against_staff",
    "utter_concern_about_dsl",
    "utter_parent_concern_about_worker",
    "utter_parent_worried_about_child",
    "utter_ask_contact_family",
]


def responses() -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        found.update((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses", {}))
    return found


def rule_steps() -> list[tuple[str, list[str]]]:
    """(name, actions in order) for every rule and story the engine is trained on, except those
    that only apply inside a form already open (an adult's report interrupted by a danger message)."""
    found = []
    for path in sorted((ROOT / "stories").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for item in data.get("rules", []) + data.get("stories", []):
            if any("active_loop" in c for c in item.get("condition", [])):
                continue
            name = item.get("rule") or item.get("story")
            found.append((name, [s["action"] for s in item.get("steps", []) if "action" in s]))
    return found


RESPONSES = responses()
CHILD_ANSWERS = sorted(n for n in RESPONSES if n.startswith("utter_child_"))


def test_there_are_answers_for_children_to_check() -> None:
    assert len(CHILD_ANSWERS) >= 5


@pytest.mark.parametrize("name", CHILD_ANSWERS)
def test_an_answer_to_a_child_asks_no_questions_and_offers_no_form(name: str) -> None:
    for v in RESPONSES[name]:
        assert "?" not in v["text"], f"{name} asks a child a question: {v['text']!r}"
        assert not v.get("buttons"), f"{name} gives a child buttons into a flow: {v['buttons']!r}"


def test_no_rule_takes_a_child_into_the_report_form() -> None:
    leads_to_form = {"utter_offer_report", "utter_report_start", "concern_form", "action_prefill_concern"}
    wrong = [
        name
        for name, actions in rule_steps()
        for i, action in enumerate(actions)
        if action.startswith("utter_child_") and leads_to_form & set(actions[i + 1 :])
    ]
    assert not wrong, f"rules that offer a child the report form: {wrong}"


def test_confronting_or_investigating_is_only_ever_advised_against() -> None:
    advised = []
    for name, variations in RESPONSES.items():
        for v in variations:
            for m in re.finditer(r"\b(confront\w*|investigat(?:e|es|ed|ing))\b", v["text"], re.IGNORECASE):
                if not NEGATED.search(v["text"][: m.start()]):
                    advised.append(f"{name}: …{v['text'][max(0, m.start() - 60) : m.end()]}")
    assert not advised, "answers that may read as advice to confront or investigate:\n" + "\n".join(advised)


@pytest.mark.parametrize("name", ABOUT_SOMEONE)
def test_an_answer_about_someone_who_may_harm_says_not_to_confront_or_warn_them(name: str) -> None:
    for v in RESPONSES[name]:
        assert SAYS_NOT_TO.search(v["text"]), f"{name} does not say not to confront or warn: {v['text']!r}"


def test_every_answer_is_a_reviewed_text_chosen_by_rules() -> None:
    # Rules and memoised stories only: no learned dialogue policy chooses what a child is told,
    # and no NLG server writes a reply.
    policies = {p["name"] for p in yaml.safe_load((ROOT / "bot" / "config.yml").read_text())["policies"]}
    assert policies <= {"RulePolicy", "MemoizationPolicy"}, policies
    for endpoints in (ROOT / "bot" / "endpoints.yml", ROOT / "deploy" / "endpoints.production.yml"):
        assert "nlg" not in (yaml.safe_load(endpoints.read_text()) or {}), endpoints
