"""Prints an intent report from `rasa test nlu`: every intent, then the safety intents' recall.

The figures are for the whole understanding pipeline as served (classifier, fallback
and safety screen), so an unsure answer (nlu_fallback, unclear_concern) counts as a miss."""

from __future__ import annotations

import json
import sys

SAFETY = (
    "child_danger",
    "child_suicidal",
    "child_self_harm",
    "child_disclosure",
    "child_online_harm",
    "child_worried_about_other",
    "child_secrecy_request",
    "staff_danger",
    "staff_disclosure",
    "staff_signs",
    "staff_secrecy",
    "allegation_against_staff",
    "concern_about_dsl",
    "historical_abuse",
    "immediate_danger",
    "parent_worried_about_child",
    "parent_concern_about_worker",
    "adult_domestic_abuse",
)


def main(path: str) -> int:
    with open(path, encoding="utf-8") as fh:
        report = json.load(fh)
    intents = sorted(k for k, v in report.items() if isinstance(v, dict) and "support" in v and "avg" not in k)
    print(f"{'intent':28} {'precision':>9} {'recall':>7} {'f1':>6} {'n':>5}")
    for name in intents:
        r = report[name]
        print(f"{name:28} {r['precision']:9.3f} {r['recall']:7.3f} {r['f1-score']:6.3f} {r['support']:5d}")
    w = report["weighted avg"]
    print(f"\nweighted avg: precision {w['precision']:.3f} recall {w['recall']:.3f} f1 {w['f1-score']:.3f}")
    safety = [report[n] for n in SAFETY if n in report]
    caught = sum(r["recall"] * r["support"] for r in safety)
    total = sum(r["support"] for r in safety)
    print(f"safety intents: recall {caught / total:.3f} over {total} examples")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
