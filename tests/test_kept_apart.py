"""The shared acceptance cases and our own held-out behaviour sets judge how well the assistant
generalises, so nothing it learns from (training examples, the safety screen's patterns and their
examples) shares six words in a row with one of them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ACCEPTANCE = ROOT.parent / "shared" / "acceptance"
LEARNED_FROM = ("nlu", "bot/safety")
RUN = 6


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def _runs(text: str) -> Iterator[tuple[str, ...]]:
    words = _words(text)
    return (tuple(words[i : i + RUN]) for i in range(len(words) - RUN + 1))


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _judged(folder: Path) -> set[tuple[str, ...]]:
    return {
        run
        for path in sorted(folder.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
        for text in _strings(json.loads(line))
        for run in _runs(text)
    }


def _shared_with(judged: set[tuple[str, ...]]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in LEARNED_FROM
        for path in sorted((ROOT / folder).rglob("*.yml"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(run in judged for run in _runs(line))
    ]


def test_nothing_learned_from_shares_six_words_with_an_acceptance_case() -> None:
    if not sorted(ACCEPTANCE.glob("*.jsonl")):
        pytest.skip(f"{ACCEPTANCE} not found (it sits beside the repository in CI)")
    shared = _shared_with(_judged(ACCEPTANCE))
    assert not shared, "lines that share six words in a row with an acceptance case:\n" + "\n".join(shared)


@pytest.mark.parametrize("held_out", ["behaviour", "behaviour_sealed", "behaviour_fresh"])
def test_nothing_learned_from_shares_six_words_with_our_held_out_sets(held_out: str) -> None:
    # Only the training line is printed: the sealed set's conversations are never shown.
    shared = _shared_with(_judged(ROOT / "tests" / held_out))
    assert not shared, f"lines that share six words in a row with tests/{held_out}:\n" + "\n".join(shared)
