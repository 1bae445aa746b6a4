"""CPU seconds used by process trees, and the CPU cost of a message.

    python bench/cpu_tree.py NAME=PID ...                      JSON {NAME: CPU seconds so far}
    python bench/cpu_tree.py per-message BEFORE AFTER MESSAGES [--json FILE]   ms of CPU per message

Each tree is the process and all its descendants (Sanic workers, multiprocessing helpers), user + system
time from /proc. Taken before and after a load run, the difference divided by the messages sent is the
CPU cost of one message in each process, which (unlike latency) does not depend on what else the machine
is running.
"""

from __future__ import annotations

import json
import os
import sys


def _stat(pid: int) -> tuple[int, float] | None:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / ticks  # ppid, utime + stime


def tree_cpu(root: int) -> float:
    stats = {int(p): s for p in os.listdir("/proc") if p.isdigit() and (s := _stat(int(p))) is not None}
    children: dict[int, list[int]] = {}
    for pid, (ppid, _) in stats.items():
        children.setdefault(ppid, []).append(pid)
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        if pid in stats:
            total += stats[pid][1]
            todo.extend(children.get(pid, []))
    return total


def per_message(before: dict[str, float], after: dict[str, float], messages: int) -> dict[str, float]:
    costs = {name: round(1000 * (after[name] - before.get(name, 0.0)) / messages, 1) for name in after}
    return {**costs, "total": round(sum(costs.values()), 1), "messages": messages}


if __name__ == "__main__":
    if sys.argv[1:2] == ["per-message"]:
        before, after, messages = json.loads(sys.argv[2]), json.loads(sys.argv[3]), int(sys.argv[4])
        result = per_message(before, after, messages)
        print("CPU per message (ms): " + ", ".join(f"{k} {v}" for k, v in result.items() if k != "messages"))
        if len(sys.argv) > 6 and sys.argv[5] == "--json":
            with open(sys.argv[6], "w") as fh:
                json.dump(result, fh)
    else:
        pairs = (arg.split("=", 1) for arg in sys.argv[1:])
        print(json.dumps({name: round(tree_cpu(int(pid)), 2) for name, pid in pairs}))
