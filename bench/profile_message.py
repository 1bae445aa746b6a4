"""Where one message's time goes inside the engine: `python bench/profile_message.py MODEL [--endpoints F]`.

Runs in the engine environment (`.venv-engine/bin/python`), loads the model in-process with the given
endpoints (the production ones: encrypted Redis tracker store, Redis lock store, action server), then sends
the bench's conversations one message at a time and reports, per message, the mean wall time of every
graph node (NLU components, policies), of the tracker and lock stores, of actions (the action server's
HTTP round trip for custom ones), and the engine's CPU time. Sequential, so nothing queues: this is the
service cost that concurrency divides among cores. Writes JSON with --json.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import json
import logging
import time
import uuid
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _bench_messages() -> list[list[str]]:
    """rest_load.MESSAGES, read without importing it (it needs httpx, which the engine lacks)."""
    tree = ast.parse((ROOT / "bench" / "rest_load.py").read_text())
    node = next(n for n in tree.body if isinstance(n, ast.AnnAssign) and getattr(n.target, "id", "") == "MESSAGES")
    return ast.literal_eval(node.value)


MESSAGES = _bench_messages()

spent: dict[str, float] = defaultdict(float)


def _node_call(call: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(node: Any, *args: Any) -> Any:
        start = time.perf_counter()
        try:
            return call(node, *args)
        finally:
            spent[f"graph: {node._node_name}"] += time.perf_counter() - start

    return wrapper


def _timed(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    return wrapper


def _timed_async(label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return await fn(*args, **kwargs)
        finally:
            spent[label] += time.perf_counter() - start

    return wrapper


def instrument(agent: Any) -> None:
    from rasa.engine.graph import GraphNode

    GraphNode.__call__ = _node_call(GraphNode.__call__)
    store = getattr(agent.tracker_store, "_tracker_store", agent.tracker_store)
    for method in ("retrieve", "save"):
        setattr(store, method, _timed_async(f"tracker store: {method} (Redis + Fernet)", getattr(store, method)))
    for method in ("get_lock", "save_lock", "delete_lock"):
        if hasattr(agent.lock_store, method):
            setattr(agent.lock_store, method, _timed("lock store", getattr(agent.lock_store, method)))
    processor = agent.processor
    processor._run_action = _timed_async("actions (custom ones: action server HTTP)", processor._run_action)


async def main(args: argparse.Namespace) -> dict[str, Any]:
    from rasa.core.agent import load_agent
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage
    from rasa.core.utils import AvailableEndpoints
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    # As `rasa run` does: without this, structlog prints debug lines, message text included, and slows every turn.
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)
    agent = await load_agent(model_path=args.model, endpoints=AvailableEndpoints.read_endpoints(args.endpoints))
    instrument(agent)
    flat = [(i, text) for i, conv in enumerate(MESSAGES) for text in conv]

    async def send(sender: str, text: str) -> None:
        await agent.handle_message(UserMessage(text, CollectingOutputChannel(), sender))

    for i, text in flat:  # warm-up, not measured
        await send(f"warm-{i}", text)
    spent.clear()
    count, wall, cpu = 0, 0.0, 0.0
    while count < args.messages:
        run = uuid.uuid4().hex[:8]
        for i, text in flat:
            start, start_cpu = time.perf_counter(), time.process_time()
            await send(f"bench-{run}-{i}", text)
            wall += time.perf_counter() - start
            cpu += time.process_time() - start_cpu
            count += 1
    per_message = {name: 1000 * seconds / count for name, seconds in spent.items()}
    return {"messages": count, "wall_ms": 1000 * wall / count, "cpu_ms": 1000 * cpu / count, "stages_ms": per_message}


def report(result: dict[str, Any]) -> None:
    print(
        f"per message, sequential, {result['messages']} messages: wall {result['wall_ms']:.1f} ms, "
        f"engine CPU {result['cpu_ms']:.1f} ms"
    )
    for name, ms in sorted(result["stages_ms"].items(), key=lambda kv: -kv[1]):
        if ms >= 0.05:
            print(f"  {ms:7.2f} ms  {name}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model")
    parser.add_argument("--endpoints", default=str(ROOT / "deploy" / "endpoints.production.yml"))
    parser.add_argument("--messages", type=int, default=100)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    result = asyncio.run(main(args))
    report(result)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, indent=2))
