"""How far can an everyday reading be trusted? Parses the held-out NLU files and the
safety screen's own pattern examples (every one a real concern) with the trained model,
and prints, for the classifier's everyday readings (a lesson, banter, out of scope), how
often they are right at each confidence, and how sure it ever was that a real concern
was everyday. The thresholds in bot/safety/routing.yml (`everyday`) come from this. Then,
for its urgent readings (danger, suicide) that the screen doesn't back, how often the
message was urgent, or a concern at all, at each confidence (routing.yml: `unclear`).

    .venv-engine/bin/python scripts/calibrate.py
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rasa.core.agent import Agent  # noqa: E402

from bot.components.safety_screen import RAISING  # noqa: E402
from bot.components.screen import Screen, load_patterns  # noqa: E402
from scripts.nlu_data import examples  # noqa: E402
from scripts.nlu_report import SAFETY, URGENT  # noqa: E402

EVERYDAY = {"teaching_or_media", "chitchat_banter", "out_of_scope"}
CONCERN_GROUPS = ("danger", "danger_word", "suicide_risk", "self_harm", "disclosure", "secrecy", "harm:")
BINS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)


def classifier_reading(parsed: dict) -> tuple[str, float]:
    """The classifier's own best reading, before the fallback and the screen: the screen
    puts its choice first at 1.0 and the fallback its own name; the rest are the classifier's."""
    ranking = [
        (r["name"], float(r["confidence"]))
        for r in parsed.get("intent_ranking") or []
        if r["name"] != "nlu_fallback" and float(r["confidence"]) < 1.0
    ]
    return max(ranking, key=lambda r: r[1]) if ranking else (parsed["intent"]["name"], 1.0)


async def main() -> int:
    logging.disable(logging.WARNING)
    agent = Agent.load(str(ROOT / "models" / "current.tar.gz"))
    held_out = examples(ROOT / "tests" / "nlu_heldout")
    cases = list(held_out)
    cases += [
        (example, "concern:" + p.group)
        for p in load_patterns().values()
        if p.group.startswith(CONCERN_GROUPS)
        for example in p.examples
    ]
    readings = []
    for text, truth in cases:
        parsed = await agent.parse_message(text)
        readings.append((text, truth, *classifier_reading(parsed)))
    unbacked_urgent(readings[: len(held_out)])

    concern = [r for r in readings if r[1] in SAFETY or r[1].startswith("concern:")]
    everyday_truth = {r[0] for r in readings if r[1] in EVERYDAY}
    print(f"{len(readings)} messages: {len(concern)} real concerns, {len(everyday_truth)} everyday")
    print("\nthe classifier reads a message as everyday, at confidence >= c:")
    print(f"{'c':>5} {'readings':>9} {'right':>6} {'a concern':>10}")
    for c in BINS:
        chosen = [r for r in readings if r[2] in EVERYDAY and r[3] >= c]
        right = sum(r[1] in EVERYDAY for r in chosen)
        missed = sum(r[1] in SAFETY or r[1].startswith("concern:") for r in chosen)
        print(f"{c:5.2f} {len(chosen):9d} {right / max(len(chosen), 1):6.1%} {missed:10d}")
    worst = sorted((r for r in concern if r[2] in EVERYDAY), key=lambda r: -r[3])[:8]
    print("\nreal concerns read as everyday, most confident first:")
    for text, truth, intent, conf in worst:
        print(f"  {conf:.2f} {intent:18} [{truth}] {text[:90]}")
    urgent = [r for r in readings if r[1] in URGENT or r[1] in ("concern:danger", "concern:suicide_risk")]
    print(f"\n{len(urgent)} urgent messages; read as everyday at >= c:", end="")
    for c in BINS:
        print(f"  {c}: {sum(r[2] in EVERYDAY and r[3] >= c for r in urgent)}", end="")
    print()
    return 0


def unbacked_urgent(readings: list[tuple[str, str, str, float]]) -> None:
    """The held-out messages (not the screen's own examples, which it backs by design)."""
    screen = Screen()
    found = {r[0]: screen.analyse(r[0]) for r in readings if r[2] in URGENT}
    unbacked = [r for r in readings if r[0] in found and not (found[r[0]].signals & set(RAISING) or found[r[0]].harms)]
    print("urgent readings the screen doesn't back (held-out NLU files):")
    print(f"{'confidence':>11} {'readings':>9} {'urgent':>7} {'a concern':>10}")
    for low, high in ((0.0, 0.35), (0.35, 0.6), (0.6, 0.8), (0.8, 1.01)):
        chosen = [r for r in unbacked if low <= r[3] < high]
        urgent = sum(r[1] in URGENT for r in chosen)
        concern = sum(r[1] in SAFETY for r in chosen)
        print(f"{low:.2f}-{min(high, 1):.2f} {len(chosen):9d} {urgent:7d} {concern:10d}")
    print()


if __name__ == "__main__":
    sys.exit(asyncio.run(main()))
