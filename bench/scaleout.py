"""The scale-out table: `python bench/scaleout.py STOCK.json W1.json W2.json [--target-p95-ms 300]`.

Prints throughput and p95 at the highest concurrency level common to the runs (20 by default) for the stock
assistant and ours with 1 and 2 engine workers (production stores), and the 2-vs-1 speed-up.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any


def level(run: dict[str, Any], concurrency: int) -> dict[str, Any] | None:
    return next((lv for lv in run.get("levels", []) if lv.get("concurrency") == concurrency), None)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("runs", type=Path, nargs="+", help="rest_load.py JSON files, stock first")
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--target-p95-ms", type=float, default=300.0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    rows = []
    for path in args.runs:
        if not path.exists():
            rows.append({"label": path.stem, "missing": True})
            continue
        run = json.loads(path.read_text())
        lv = level(run, args.concurrency) or {}
        cpu_file = path.with_suffix(".cpu.json")  # bench/cpu_tree.py per-message, when measured
        cpu = json.loads(cpu_file.read_text()) if cpu_file.exists() else {}
        rows.append(
            {
                "label": run.get("label", path.stem),
                "msg_s": lv.get("throughput_msg_s"),
                "p50_ms": lv.get("p50_ms"),
                "p95_ms": lv.get("p95_ms"),
                "errors": lv.get("errors"),
                "cpu_ms": cpu.get("total"),
                "engine_cpu_ms": cpu.get("engine"),
            }
        )
    print(f"scale-out at concurrency {args.concurrency} (same run, one assistant at a time):")
    print(f"{'assistant':<22} {'msg/s':>8} {'p50 ms':>9} {'p95 ms':>9} {'errors':>7} {'CPU ms/msg (engine)':>20}")
    for r in rows:
        if r.get("missing"):
            print(f"{r['label']:<22} (no run)")
            continue
        cpu = f"{_f(r['cpu_ms'], 1)} ({_f(r['engine_cpu_ms'], 1)})" if r["cpu_ms"] is not None else "-"
        figures = f"{_f(r['msg_s'], 2):>8} {_f(r['p50_ms'], 0):>9} {_f(r['p95_ms'], 0):>9} {r['errors']!s:>7} {cpu:>20}"
        print(f"{r['label']:<22} {figures}")
    ours = [r for r in rows[1:] if not r.get("missing") and r.get("msg_s")]
    if len(ours) >= 2:
        print(f"{ours[-1]['label']} vs {ours[-2]['label']}: throughput x{ours[-1]['msg_s'] / ours[-2]['msg_s']:.2f}")
    for r in ours:
        verdict = "meets" if (r["p95_ms"] or 1e9) <= args.target_p95_ms else "misses"
        print(f"{r['label']}: p95 {_f(r['p95_ms'], 0)} ms {verdict} the {args.target_p95_ms:.0f} ms target")
    print("CPU ms/msg: engine + action server + Redis CPU time over the run / messages sent (see bench/cpu_tree.py).")
    print("With 2 cores, p95 <= 300 ms at c=20 needs about 20 x CPU ms/msg / 2 cores <= ~250 ms: CPU ms/msg <= ~25.")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))
    return 0


def _f(value: float | None, digits: int) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


if __name__ == "__main__":
    raise SystemExit(main())
