"""Every text the assistant can say: never a promise of confidentiality, safety
lines where they belong, and plain words for children."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import textstat
import yaml

ROOT = Path(__file__).resolve().parents[2]

# Any of these reads as a promise of secrecy; a safeguarding assistant never makes one.
PROMISES = [
    r"\b(i|we)\s+(promise|swear)\b",
    r"\b(i|we)('ll|\s+will|\s+shall)?\s+(always\s+)?keep\s+(it|this|that|everything|your\s+secret|what\s+you)\b[^.]{0,30}"
    r"(secret|confidential|private|between)",
    r"\b(i|we)\s+(won'?t|will\s+not|will\s+never|'ll\s+never|never)\s+(tell|share|repeat|pass)\b",
    r"\b(this|our|the)\s+(chat|conversation)\s+(is|will\s+be|stays|remains)\s+(\w+\s+)?(confidential|private|secret)",
    r"\b(everything|anything|what)\s+you\s+(say|tell|share|write)[^.!?]{0,30}\b(is|will\s+be|stays|remains)\s+"
    r"(\w+\s+)?(confidential|private|secret|between\s+us)",
    r"secret('?s|\s+is)\s+safe\s+with\s+(me|us)",
    r"\b(no\s*one|no-one|nobody)\s+(else\s+)?(will|would|is\s+going\s+to)\s+(ever\s+)?(know|find\s+out|see)",
    r"(?<!n't )(?<!not )(?<!never )\bstays?\s+between\s+(us|you\s+and\s+me)\b",
    r"\b(anonymous|confidential)\s+(service|chat|conversation)\b",
]


def domain_texts(unconditional: bool = False) -> dict[str, list[str]]:
    """Every response's texts (with button titles); only the variants without a
    condition when `unconditional`."""
    texts: dict[str, list[str]] = {}
    for path in sorted((ROOT / "bot" / "domain").glob("*.yml")):
        for name, variations in (yaml.safe_load(path.read_text()) or {}).get("responses", {}).items():
            for v in variations:
                if unconditional and v.get("condition"):
                    continue
                texts.setdefault(name, []).append(v["text"] + " " + " ".join(b["title"] for b in v.get("buttons", [])))
    return texts


def python_texts() -> list[str]:
    """String literals in the action server and channels: replies made in code."""
    found = []
    for folder in ("actions", "channels", "core/delivery"):
        for path in (ROOT / folder).rglob("*.py"):
            found += re.findall(r'"([^"\n]{20,})"', path.read_text())
    return found


ALL = domain_texts()
FIRST = domain_texts(unconditional=True)


@pytest.mark.parametrize("name", sorted(ALL))
def test_no_response_promises_confidentiality(name: str) -> None:
    for text in ALL[name]:
        hits = [p for p in PROMISES if re.search(p, text, re.I)]
        assert not hits, f"{name} reads as a promise of secrecy: {text!r}"


def test_no_text_written_in_code_promises_confidentiality() -> None:
    for text in python_texts():
        assert not any(re.search(p, text, re.I) for p in PROMISES), text


@pytest.mark.parametrize(
    "name",
    [
        "utter_child_danger",
        "utter_child_suicidal",
        "utter_staff_danger",
        "utter_immediate_danger",
        "utter_non_english",
        "utter_unclear_concern",
    ],
)
def test_danger_and_unsure_answers_lead_with_999(name: str) -> None:
    # An unsure reading of a message that may be about harm (utter_unclear_concern) leads
    # with 999; one with nothing of concern in it (utter_default) doesn't cry wolf.
    for text in FIRST[name]:
        assert "999" in text.split("\n")[0] or "999" in text.split("\n")[1], text


def test_the_plain_prompt_still_gives_childline_and_never_says_it_did_not_follow_a_concern() -> None:
    (prompt,) = FIRST["utter_default"]
    assert "Childline" in prompt and "0800 1111" in prompt
    for topic_answer in set(ALL["utter_default"]) - {prompt}:
        assert "didn't" not in topic_answer and "follow" not in topic_answer


@pytest.mark.parametrize("name", [n for n in ALL if n.startswith("utter_child_")])
def test_every_answer_to_a_child_gives_childline(name: str) -> None:
    for text in ALL[name]:
        assert "Childline" in text and "0800 1111" in text


@pytest.mark.parametrize("name", [n for n in ALL if n.startswith("utter_child_")])
def test_words_for_children_are_plain(name: str) -> None:
    for text in ALL[name]:
        prose = re.sub(r"\b[\w.]+\.(uk|org)\b|\d[\d ]+\d", "", text)  # numbers and addresses aren't words
        grade = textstat.flesch_kincaid_grade(prose)
        assert grade <= 6, f"{name} reads at grade {grade}"


def test_answers_to_safety_requests_say_honestly_that_harm_is_passed_on() -> None:
    honest = re.compile(r"can'?t (promise|keep)|have to (tell|pass)|has to be passed on", re.I)
    for name in ("utter_child_secrecy_request", "utter_staff_secrecy", "utter_staff_disclosure"):
        assert all(honest.search(t) for t in ALL[name]), name


def test_the_unsure_answer_names_999_in_every_topic_that_holds_a_follow_up() -> None:
    # An unsure urgent reading the screen doesn't back is answered within the topic
    # (bot/safety/routing.yml: context), so each such topic's variant must name 999.
    routing = yaml.safe_load((ROOT / "bot" / "safety" / "routing.yml").read_text())
    variants = yaml.safe_load((ROOT / "bot" / "domain" / "responses_followup.yml").read_text())["responses"]
    named = {v["condition"][0]["value"]: v["text"] for v in variants["utter_unclear_concern"] if v.get("condition")}
    for topic in routing["context"]["holding_topics"]:
        assert "999" in named[topic], topic
