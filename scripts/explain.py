"""Why did the assistant answer that? Parses messages with the trained model and prints
the classifier's first guesses, what the safety screen found and the intent it answered.

    .venv-engine/bin/python scripts/explain.py "my mum will kill me" "he hits me"
    .venv-engine/bin/python scripts/explain.py --topic boundaries "her mum's fine with it"

`--topic` parses as a follow-up in that conversation topic (bot/safety/routing.yml).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from rasa.core.agent import Agent
from rasa.core.channels.channel import UserMessage

from bot.components.screen import Screen
from bot.context import CONTEXT_KEY


async def explain(model: str, texts: list[str], topic: str | None) -> None:
    agent = Agent.load(model)
    assert agent.processor is not None
    screen = Screen()
    for text in texts:
        metadata = {CONTEXT_KEY: {"topic": topic}} if topic else None
        parsed = await agent.processor.parse_message(UserMessage(text, metadata=metadata))
        ranking = [f"{r['name']} {r['confidence']:.2f}" for r in parsed.get("intent_ranking", [])[:4]]
        found = screen.analyse(text)
        print(f"> {text}")
        print(f"  answered: {parsed['intent']['name']}   guesses: {', '.join(ranking)}")
        print(
            f"  screen: signals={sorted(found.signals)} harms={list(found.harms)} "
            f"speaker={found.speaker}({found.speaker_lead}) non_english={found.non_english} banter={found.banter}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("texts", nargs="+")
    parser.add_argument("--model", default="models/current.tar.gz")
    parser.add_argument("--topic", help="parse as a follow-up within this topic")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    asyncio.run(explain(args.model, args.texts, args.topic))


if __name__ == "__main__":
    main()
