"""The emergency and Childline wording is written once in the app's code (core/safety.py); answers in the
conversation are worded in bot/domain. The engine's REST channel keeps its own copy (its environment imports
none of the app's packages); tests/engine/test_channel.py checks what it says."""

from __future__ import annotations

from pathlib import Path

from core.safety import CHILDLINE, EMERGENCY, NSPCC, safety_lines

ROOT = Path(__file__).resolve().parents[2]
OWNER = ROOT / "core" / "safety.py"
ENGINE_COPY = ROOT / "bot" / "channel.py"
NUMBERS = ("call 999", "Childline 0800 1111", "0800 1111", "0808 800 5000")


def test_only_core_safety_words_the_numbers() -> None:
    elsewhere = [
        f"{path.relative_to(ROOT)}: {number}"
        for path in ROOT.glob("*/**/*.py")
        if path not in (OWNER, ENGINE_COPY)
        and path.relative_to(ROOT).parts[0] not in {"tests", "models", "data"}
        and not path.relative_to(ROOT).parts[0].startswith(".")
        for number in NUMBERS
        if number in path.read_text(encoding="utf-8")
    ]
    assert not elsewhere, f"use core.safety instead: {elsewhere}"


def test_the_lines_with_and_without_the_dsl() -> None:
    assert safety_lines("Sam on 01632 960000") == (
        f"{EMERGENCY} {CHILDLINE} Adults: tell your Designated Safeguarding Lead now: Sam on 01632 960000; {NSPCC}"
    )
    assert safety_lines() == f"{EMERGENCY} {CHILDLINE} Adults: tell your Designated Safeguarding Lead now; {NSPCC}"
