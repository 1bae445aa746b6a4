"""The conversation so far, as the NLU sees it. Rasa's NLU reads one message alone; the
channel adds the conversation's topic (slot `topic`, set by each answer) and who is writing
(slot `writer`, set when a message said so clearly) to the message's metadata under
CONTEXT_KEY, so the safety screen reads a follow-up within its conversation."""

from __future__ import annotations

from typing import Any

CONTEXT_KEY = "sg_context"


SLOTS = ("topic", "writer")


async def conversation_context(agent: Any, sender: str) -> dict[str, str]:
    """The topic of the sender's conversation and who is writing, as far as known."""
    store = getattr(agent, "tracker_store", None)
    tracker = await store.retrieve(sender) if store is not None else None
    if tracker is None:
        return {}
    values = {slot: tracker.get_slot(slot) for slot in SLOTS}
    return {slot: value for slot, value in values.items() if isinstance(value, str) and value}
