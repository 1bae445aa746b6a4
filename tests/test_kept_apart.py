"""The shared acceptance cases judge how well the assistant generalises, so nothing it learns from
(training examples, the safety screen's patterns and their examples) shares six words in a row
with one of them."""

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


def test_nothing_learned_from_shares_six_words_with_an_acceptance_case() -> None:
    cases = sorted(ACCEPTANCE.glob("*.jsonl"))
    if not cases:
        pytest.skip(f"{ACCEPTANCE} not found (it sits beside the repository in CI)")
    judged = {
        run
        for path in cases
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
        for text in _strings(json.loads(line))
        for run in _runs(text)
    }
    shared = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for folder in LEARNED_FROM
        for path in sorted((ROOT / folder).rglob("*.yml"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if any(run in judged for run in _runs(line))
    ]
    assert not shared, "lines that share six words in a row with an acceptance case:\n" + "\n".join(shared)
