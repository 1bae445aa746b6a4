"""A scripted reporter: guidance, then the whole report form, confirmed. Prints the
number of turns and the time it took: `python bench/report_flow.py ENGINE_URL`.
The end-to-end test drives the same script."""

from __future__ import annotations

import sys
import time
import uuid

import requests

OPENING = "a girl at our club told me her dad hits her, what do i do"
CHILD_WORDS = "She said 'daddy hits me with his belt when I'm naughty'"
ANSWERS = [
    "no",  # immediate danger
    "Jo Example",
    "volunteer",
    "07700 900111",
    "A.B.",
    "9",
    "Tuesday football",
    "none",
    "yesterday at 3pm",
    CHILD_WORDS,
    "a bruise on her left upper arm",
    "none",
    "no one else",
    "first-hand, in person",
    "physical",
    "no",  # about staff
    "no one",
    "none yet",
]


class Conversation:
    def __init__(self, engine_url: str) -> None:
        self.url = f"{engine_url}/webhooks/rest/webhook"
        self.sender = f"reporter-{uuid.uuid4().hex[:8]}"
        self.turns = 0

    def say(self, text: str) -> str:
        self.turns += 1
        reply = requests.post(self.url, json={"sender": self.sender, "message": text}, timeout=30).json()
        return "\n".join(m.get("text", "") for m in reply)


def reference_in(text: str) -> str | None:
    return next((w.strip(".,") for w in text.split() if w.startswith("SG-")), None)


def run(engine_url: str) -> tuple[int, float, str | None]:
    chat = Conversation(engine_url)
    start = time.perf_counter()
    chat.say(OPENING)
    chat.say("yes, take the report")
    for answer in ANSWERS:
        chat.say(answer)
    reference = reference_in(chat.say("/affirm"))
    return chat.turns, time.perf_counter() - start, reference


if __name__ == "__main__":
    turns, seconds, reference = run(sys.argv[1])
    print(f"scripted report: {turns} turns in {seconds:.1f} s (engine time; a person types), reference {reference}")
    sys.exit(0 if reference else 1)
