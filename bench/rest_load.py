"""Latency and throughput of an assistant's REST webhook under a bounded load.

    .venv-app/bin/python bench/rest_load.py run URL --label ours [--levels 1:200,20:600] [--json FILE]
    .venv-app/bin/python bench/rest_load.py compare OURS.json STOCK.json [--target-p95-ms 300]

`run` plays short scripted conversations (MESSAGES below), each under a fresh sender id, against
URL (e.g. http://127.0.0.1:5005/webhooks/rest/webhook): first a warm-up that is not measured,
then, for each concurrency level, a fixed number of messages sent by that many concurrent senders.
Every request has a hard timeout (--timeout, 30 s) and every level an overall cap (--cap, 300 s):
when the cap is reached no new message is sent and the level is marked as capped. It prints
p50 / p95 / max latency, throughput (messages/s) and errors per level, and writes them as JSON.

`compare` prints two such JSON files side by side with the ratios ours/stock and ours' p95 at the
highest concurrency against the target. Both subcommands exit 0 whatever the figures are; `run`
exits 1 only if a level got no successful reply at all (the assistant is not really answering).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import math
import os
import platform
import sys
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import httpx

# Short conversations, one fresh sender per conversation. A realistic mix for a safeguarding
# assistant: greetings and small talk, adults (staff, volunteers) asking what to do, a child
# disclosing, and things it should decline. Written for this bench; the same list is sent to
# every assistant compared.
MESSAGES: list[list[str]] = [
    ["hello", "what does a designated safeguarding lead actually do?", "ok thanks, bye"],
    [
        "hi, I help out at the youth club on tuesdays",
        "one of the boys turned up with bruises on both arms again and went quiet when I asked",
        "should I phone his mum about it first?",
    ],
    ["good morning", "who am I supposed to tell if our safeguarding lead is off sick this week?", "thank you"],
    [
        "hey",
        "my mum's boyfriend shouts at me and pushed me into the wall last night",
        "please don't tell anyone, he'll get angry",
    ],
    ["what's the weather going to be like tomorrow", "can you book me a table for two tonight", "never mind, bye"],
    ["hiya", "what counts as neglect?", "and what's the difference between the LADO and the MASH?"],
    [
        "a colleague keeps messaging a year 9 girl on instagram late at night",
        "I don't want to get him in trouble if it's nothing",
        "ok what should I write down?",
    ],
    ["are you a real person?", "tell me a joke", "cheers"],
    [
        "someone I met playing a game online keeps asking me to send pictures",
        "I'm scared he'll share the ones I already sent",
    ],
    ["hello there", "is there a helpline I can ring for advice out of hours?", "great, that's all"],
]


def percentile(sorted_values: list[float], q: float) -> float | None:
    """Nearest-rank percentile of an ascending list (None when empty)."""
    if not sorted_values:
        return None
    return sorted_values[max(0, math.ceil(q * len(sorted_values)) - 1)]


async def run_level(
    client: httpx.AsyncClient, url: str, label: str, concurrency: int, messages: int, cap: float, tag: str
) -> dict:
    """Send `messages` messages with `concurrency` concurrent senders; stop sending after `cap` s."""
    budget = itertools.count()  # message slots: a slot >= messages means the budget is spent
    conversations = itertools.count()
    latencies: list[float] = []
    errors: dict[str, int] = {}
    empty = 0
    began = time.perf_counter()
    deadline = began + cap
    capped = False

    async def sender(worker: int) -> None:
        nonlocal empty, capped
        while True:
            number = next(conversations)
            turns = MESSAGES[number % len(MESSAGES)]
            sender_id = f"bench-{label}-{tag}-{worker}-{number}-{uuid.uuid4().hex[:8]}"
            for text in turns:
                if next(budget) >= messages:
                    return
                if time.perf_counter() >= deadline:
                    capped = True
                    return
                start = time.perf_counter()
                try:
                    response = await client.post(url, json={"sender": sender_id, "message": text})
                    elapsed = time.perf_counter() - start
                    if response.status_code != 200:
                        kind = f"HTTP {response.status_code}"
                    else:
                        replies = response.json()
                        kind = None
                        if not replies:
                            empty += 1
                except httpx.TimeoutException:
                    kind, elapsed = "timeout", time.perf_counter() - start
                except (httpx.HTTPError, ValueError) as exc:
                    kind, elapsed = type(exc).__name__, time.perf_counter() - start
                if kind is None:
                    latencies.append(elapsed * 1000)
                else:
                    errors[kind] = errors.get(kind, 0) + 1
                    if kind != "timeout":  # don't hammer a failing server in a tight loop
                        await asyncio.sleep(0.05)

    await asyncio.gather(*(sender(n) for n in range(concurrency)))
    wall = time.perf_counter() - began
    ms = sorted(latencies)
    sent = len(ms) + sum(errors.values())
    return {
        "concurrency": concurrency,
        "messages_planned": messages,
        "messages_sent": sent,
        "ok": len(ms),
        "errors": sum(errors.values()),
        "error_kinds": errors,
        "empty_replies": empty,
        "capped": capped,
        "wall_s": round(wall, 3),
        "throughput_msg_s": round(len(ms) / wall, 2) if wall > 0 else None,
        "p50_ms": None if not ms else round(percentile(ms, 0.50), 1),
        "p95_ms": None if not ms else round(percentile(ms, 0.95), 1),
        "max_ms": None if not ms else round(ms[-1], 1),
        "mean_ms": None if not ms else round(sum(ms) / len(ms), 1),
    }


def parse_levels(text: str) -> list[tuple[int, int]]:
    levels = []
    for part in text.split(","):
        concurrency, messages = (int(x) for x in part.split(":"))
        if concurrency < 1 or messages < 1 or concurrency > 200 or messages > 100_000:
            raise argparse.ArgumentTypeError(f"bad level {part!r}: want CONCURRENCY:MESSAGES, 1..200 and 1..100000")
        levels.append((concurrency, messages))
    return levels


def fmt(value: object, suffix: str = "") -> str:
    return "-" if value is None else f"{value}{suffix}"


def print_table(title: str, rows: list[dict]) -> None:
    print(title)
    header = (
        f"{'conc':>4} {'sent':>5} {'ok':>5} {'err':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8} {'msg/s':>7}  notes"
    )
    print(header)
    print("-" * len(header))
    for r in rows:
        notes = []
        if r["error_kinds"]:
            notes.append(", ".join(f"{k}: {v}" for k, v in sorted(r["error_kinds"].items())))
        if r["empty_replies"]:
            notes.append(f"{r['empty_replies']} empty replies")
        if r["capped"]:
            notes.append("CAPPED (time limit reached)")
        print(
            f"{r['concurrency']:>4} {r['messages_sent']:>5} {r['ok']:>5} {r['errors']:>4} {fmt(r['p50_ms']):>8} "
            f"{fmt(r['p95_ms']):>8} {fmt(r['max_ms']):>8} {fmt(r['throughput_msg_s']):>7}  {'; '.join(notes)}"
        )


async def run(args: argparse.Namespace) -> int:
    timeout = httpx.Timeout(args.timeout)
    peak = max(c for c, _ in args.levels)
    limits = httpx.Limits(max_connections=peak, max_keepalive_connections=peak)
    results: dict = {
        "label": args.label,
        "url": args.url,
        "started_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "host": {"cpus": os.cpu_count(), "python": platform.python_version(), "machine": platform.machine()},
        "timeout_s": args.timeout,
        "cap_s": args.cap,
        "conversations": len(MESSAGES),
        "distinct_messages": len({m for c in MESSAGES for m in c}),
        "levels": [],
    }
    async with httpx.AsyncClient(timeout=timeout, limits=limits) as client:
        if args.warmup:
            warm = await run_level(client, args.url, args.label, 1, args.warmup, args.cap, "warmup")
            results["warmup"] = warm
            print(f"[{args.label}] warm-up: {warm['ok']}/{warm['messages_sent']} ok, p50 {fmt(warm['p50_ms'])} ms")
        for concurrency, messages in args.levels:
            row = await run_level(client, args.url, args.label, concurrency, messages, args.cap, f"c{concurrency}")
            results["levels"].append(row)
            print(
                f"[{args.label}] c={concurrency}: {row['ok']}/{row['messages_sent']} ok in {row['wall_s']} s, "
                f"{fmt(row['throughput_msg_s'])} msg/s",
                flush=True,
            )
    print()
    print_table(f"REST webhook load — {args.label} ({args.url})", results["levels"])
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2) + "\n")
        print(f"\nwritten {args.json}")
    return 1 if any(r["ok"] == 0 for r in results["levels"]) else 0


def ratio(a: float | None, b: float | None) -> str:
    return "-" if not a or not b else f"{a / b:.2f}x"


def compare(args: argparse.Namespace) -> int:
    ours, stock = (json.loads(Path(p).read_text()) for p in (args.ours, args.stock))
    by_c = {r["concurrency"]: r for r in stock["levels"]}
    print(f"REST webhook: {ours['label']} vs {stock['label']} (same messages, run one after the other)")
    header = (
        f"{'conc':>4} | {'p50 ms':>15} | {'p95 ms':>15} | {'max ms':>15} | {'msg/s':>15} | {'errors':>9} | "
        "throughput ours/stock"
    )
    print(header)
    print(f"{'':>4} | {'ours / stock':>15} | {'ours / stock':>15} | {'ours / stock':>15} | {'ours / stock':>15} |")
    print("-" * len(header))
    summary: dict = {"target_p95_ms": args.target_p95_ms, "levels": []}
    for r in ours["levels"]:
        s = by_c.get(r["concurrency"])
        if s is None:
            continue

        def pair(key: str, r: dict = r, s: dict = s) -> str:
            return f"{fmt(r[key])} / {fmt(s[key])}"

        print(
            f"{r['concurrency']:>4} | {pair('p50_ms'):>15} | {pair('p95_ms'):>15} | {pair('max_ms'):>15} | "
            f"{pair('throughput_msg_s'):>15} | {pair('errors'):>9} | "
            f"{ratio(r['throughput_msg_s'], s['throughput_msg_s'])}"
        )
        summary["levels"].append(
            {
                "concurrency": r["concurrency"],
                "throughput_ratio_ours_stock": None
                if not r["throughput_msg_s"] or not s["throughput_msg_s"]
                else round(r["throughput_msg_s"] / s["throughput_msg_s"], 3),
                "p95_ratio_ours_stock": None
                if not r["p95_ms"] or not s["p95_ms"]
                else round(r["p95_ms"] / s["p95_ms"], 3),
            }
        )
    top = max(ours["levels"], key=lambda r: r["concurrency"])
    p95 = top["p95_ms"]
    verdict = "no data" if p95 is None else ("meets" if p95 <= args.target_p95_ms else "MISSES")
    print(
        f"\nours p95 at c={top['concurrency']}: {fmt(p95, ' ms')} vs target {args.target_p95_ms:g} ms — {verdict}"
        + ("" if p95 is None else f" ({p95 / args.target_p95_ms:.2f}x the target)")
    )
    summary["ours_p95_at_peak_ms"] = p95
    summary["ours_p95_at_peak_meets_target"] = None if p95 is None else p95 <= args.target_p95_ms
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({"ours": ours, "stock": stock, "comparison": summary}, indent=2) + "\n")
        print(f"written {args.json}")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    r = sub.add_parser("run", help="load one assistant's REST webhook")
    r.add_argument("url", help="REST webhook URL, e.g. http://127.0.0.1:5005/webhooks/rest/webhook")
    r.add_argument("--label", default="assistant")
    r.add_argument("--levels", type=parse_levels, default=parse_levels("1:200,20:600"), help="CONC:MESSAGES,...")
    r.add_argument("--warmup", type=int, default=30, help="unmeasured messages first, at concurrency 1")
    r.add_argument("--timeout", type=float, default=30.0, help="hard timeout per request, seconds")
    r.add_argument("--cap", type=float, default=300.0, help="overall time cap per level, seconds")
    r.add_argument("--json", type=Path, help="write the figures here (e.g. results/bench/rest-ours.json)")
    c = sub.add_parser("compare", help="compare two `run` JSON files")
    c.add_argument("ours", type=Path)
    c.add_argument("stock", type=Path)
    c.add_argument("--target-p95-ms", type=float, default=300.0)
    c.add_argument("--json", type=Path, help="write both runs and the ratios here")
    args = parser.parse_args()
    if args.command == "run":
        args.timeout = min(args.timeout, 30.0)
        return asyncio.run(run(args))
    return compare(args)


if __name__ == "__main__":
    sys.exit(main())
