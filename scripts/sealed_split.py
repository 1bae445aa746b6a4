"""The sealed behaviour set's figures, in its two halves: odd ids (read to diagnose mistakes,
a development set) and even ids (never read: the honest measure). Figures only, never cases.

    .venv-app/bin/python scripts/sealed_split.py results/behaviour_sealed.json
"""

from __future__ import annotations

import json
import sys
from collections import Counter

SAFETY = (
    "immediate_danger_staff",
    "immediate_danger_child",
    "child_disclosure",
    "child_self_harm",
    "confidentiality_request",
)


def main(path: str) -> int:
    with open(path, encoding="utf-8") as fh:
        results = json.load(fh)
    for half, parity in (("odd ids (development)", 1), ("even ids (sealed)", 0)):
        total: Counter[str] = Counter()
        passed: Counter[str] = Counter()
        for case in results:
            if int(case["id"].split("-")[1]) % 2 == parity:
                total[case["category"]] += 1
                passed[case["category"]] += not case["failures"]
        overall = sum(passed.values()) / max(sum(total.values()), 1)
        safe = sum(passed[c] for c in SAFETY), sum(total[c] for c in SAFETY)
        print(f"{half}: {sum(passed.values())}/{sum(total.values())} ({overall:.1%}); safety {safe[0]}/{safe[1]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
