"""The emergency, Childline and NSPCC lines: the one place in the app's code that words them (answers in the
conversation are worded in bot/domain). The engine's REST channel (bot/channel.py) keeps its own copy of
safety_lines, because the engine's environment imports none of the app's packages (tests/test_architecture.py).
"""

from __future__ import annotations

EMERGENCY = "If anyone is in immediate danger, call 999 now."
CHILDLINE = "Children and young people: Childline 0800 1111 (free, any time)."
NSPCC = "NSPCC helpline 0808 800 5000."


def safety_lines(dsl: str = "") -> str:
    """`dsl` is the DSL's name and number ("Sam Lee on 01632 960000"), or "" when they can't be read."""
    tell = f"Adults: tell your Designated Safeguarding Lead now{': ' + dsl if dsl else ''}; {NSPCC}"
    return f"{EMERGENCY} {CHILDLINE} {tell}"
