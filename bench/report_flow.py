"""Scripted reporters: a first message, then an answer to whatever the assistant asks, drawn from what each
reporter knows, to a sent record. Prints turns, characters typed and engine time for each:
`python bench/report_flow.py ENGINE_URL`. The end-to-end test drives the same reporters.

A reporter answers by recognising the question, so the same script runs against any version of the form
(the numbers before and after a change come from the same people saying the same things). Button taps
count as turns but not as typed characters.
"""

from __future__ import annotations

import re
import sys
import time
import uuid
from dataclasses import dataclass, field

import requests

# What the assistant asks (the last message of its reply), and which fact answers it. First match wins.
QUESTIONS: list[tuple[str, str]] = [
    (r"here is what i have recorded", "confirm"),
    (r"immediate danger now", "danger"),
    (r"exact words", "words"),
    (r"what did you see", "observed"),
    (r"when did this happen", "when"),
    (r"name \(or just initials\) and age|first name and age", "child+age"),
    (r"child's name, or just their initials", "child"),
    (r"how old", "age"),
    (r"setting or group|school, club or group", "setting"),
    (r"additional needs", "needs"),
    (r"who else was there", "present"),
    (r"ask the child any questions", "questions"),
    (r"see or hear this yourself", "source"),
    (r"kind of harm", "category"),
    (r"works or volunteers", "about_staff"),
    (r"talked to anyone else", "discussed"),
    (r"what have you done", "actions"),
    (r"your name, your role, and a phone|your name, and a phone", "reporter"),
    (r"what's your name", "name"),
    (r"what's your role", "role"),
    (r"phone number or e-mail", "contact"),
    (r"shall we start", "offer"),
]


@dataclass(frozen=True)
class Reporter:
    label: str
    opening: str
    knows: dict[str, str]
    # Things said mid-report, before answering the nth question (a danger interruption).
    interruptions: dict[int, str] = field(default_factory=dict)

    def answer(self, key: str) -> str:
        if key == "child+age":
            return f"{self.knows['child']}, {self.knows['age']}"
        if key == "reporter":
            return ", ".join(self.knows[k] for k in ("name", "role", "contact") if self.knows.get(k))
        if key == "confirm":
            return "/affirm"
        if key == "offer":
            return "/report_concern"  # the offer's button
        if key == "start":
            return "I need to report a concern"
        return self.knows.get(key, "don't know")


# Most of the facts in the first message, as people write when it's fresh.
RICH = Reporter(
    label="a first message with most of the facts",
    opening=(
        "My mentee (13) has just told me her stepdad hits her with a belt when her mum's at work. "
        "She said 'he hits me with his belt when mum's not there and I'm scared to go home'. "
        "She's safe now, she's with her gran. What do I do?"
    ),
    knows={
        "danger": "no, she's safe now",
        "words": "'he hits me with his belt when mum's not there and I'm scared to go home'",
        "observed": "nothing, she only told me",
        "when": "just now",
        "child": "Jess",
        "age": "13",
        "setting": "mentoring",
        "needs": "none",
        "present": "nobody, it was just the two of us",
        "questions": "none",
        "source": "she told me herself, in person",
        "category": "physical",
        "about_staff": "no, it's her stepdad",
        "discussed": "no one",
        "actions": "wrote down what she said and came straight here",
        "name": "Jo Example",
        "role": "mentor",
        "contact": "07700 900111",
    },
)
# Little in the first message: the assistant has to ask for nearly everything.
SPARSE = Reporter(
    label="a first message with few facts",
    opening="A boy in my class said something to me at lunch yesterday that really worried me",
    knows={
        "danger": "no, not in immediate danger",
        "words": "\"my brother's mates make me carry packages to other towns and say they'll hurt mum if I stop\"",
        "observed": "he has a new phone and a cut on his left hand",
        "when": "yesterday at lunchtime",
        "child": "T.R.",
        "age": "year 9",
        "setting": "9C",
        "needs": "none",
        "present": "nobody",
        "questions": "I asked if he was ok, he said yes",
        "source": "he told me himself, in person",
        "category": "county lines",
        "about_staff": "no",
        "discussed": "nobody",
        "actions": "nothing yet",
        "name": "Sam Teacher",
        "role": "teacher",
        "contact": "sam.teacher@example.org",
    },
)
# A parent: the questions are worded for them, and it is about someone who works with children.
PARENT = Reporter(
    label="a parent",
    opening=(
        "My daughter (12) showed me messages from her football coach asking her for photos and telling her "
        "to keep it secret. She showed me yesterday evening. What should I do?"
    ),
    knows={
        "danger": "no, she is safe at home with me",
        "words": "she said 'he told me not to tell anyone'",
        "observed": "messages on her phone asking for photos",
        "when": "yesterday evening",
        "child": "Amy",
        "age": "12",
        "setting": "Saturday football",
        "present": "just me",
        "category": "online",
        "about_staff": "yes, her coach",
        "actions": "kept the messages, nothing else yet",
        "name": "Alex Parent",
        "contact": "07700 900333",
    },
)
REPORTERS = (RICH, SPARSE, PARENT)


class Conversation:
    def __init__(self, engine_url: str) -> None:
        self.url = f"{engine_url}/webhooks/rest/webhook"
        self.sender = f"reporter-{uuid.uuid4().hex[:8]}"
        self.turns = 0
        self.typed = 0

    def say(self, text: str) -> str:
        self.turns += 1
        if not text.startswith("/"):
            self.typed += len(text)
        reply = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=30).json()
        return "\n".join(m.get("text", "") for m in reply)


def reference_in(text: str) -> str | None:
    return next((w.strip(".,") for w in text.split() if w.startswith("SG-")), None)


def question_in(reply: str) -> str | None:
    """Which fact the reply asks for, read from its last lines."""
    tail = reply.lower().strip().split("\n")[-1] if "here is what i have recorded" not in reply.lower() else reply
    for pattern, key in QUESTIONS:
        if re.search(pattern, tail.lower()):
            return key
    return None


@dataclass
class Outcome:
    turns: int
    typed: int
    seconds: float
    reference: str | None
    replies: list[str]
    asked: list[str]


def run(engine_url: str, reporter: Reporter = RICH, max_turns: int = 40) -> Outcome:
    chat = Conversation(engine_url)
    start = time.perf_counter()
    replies = [chat.say(reporter.opening)]
    asked: list[str] = []
    reference = None
    interruptions = dict(reporter.interruptions)
    while chat.turns < max_turns:
        key = question_in(replies[-1])
        if key is None and not asked:
            key = "start"  # no offer to take the report: ask for it, as a person would
        if key is None:
            break
        if len(asked) in interruptions and key != "offer":
            replies.append(chat.say(interruptions.pop(len(asked))))
            continue
        asked.append(key)
        if asked.count(key) > (1 if key == "start" else 2):
            break  # asked again and again: the form is stuck
        replies.append(chat.say(reporter.answer(key)))
        if key == "confirm":
            reference = reference_in(replies[-1])
            break
    return Outcome(chat.turns, chat.typed, time.perf_counter() - start, reference, replies, asked)


if __name__ == "__main__":
    ok = True
    for reporter in REPORTERS:
        outcome = run(sys.argv[1], reporter)
        ok = ok and outcome.reference is not None
        print(
            f"scripted report ({reporter.label}): {outcome.turns} turns, {outcome.typed} characters typed, "
            f"{outcome.seconds:.1f} s of engine time, reference {outcome.reference}"
        )
        if outcome.reference is None:  # scripted, made-up facts: safe to show what the assistant last said
            print(f"  stopped after {outcome.asked}; last reply: {outcome.replies[-1]!r}", file=sys.stderr)
    sys.exit(0 if ok else 1)
