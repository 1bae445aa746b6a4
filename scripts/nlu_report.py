"""Prints an intent report from `rasa test nlu`: every intent, then the safety intents' recall,
then the heads the answers are composed from, each read off the intents: who is writing (a child
or an adult), whether it is urgent (999 now), and whether it is a concern or everyday.

The figures are for the whole understanding pipeline as served (classifier, fallback
and safety screen), so an unsure answer (nlu_fallback, unclear_concern) counts as a miss."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import yaml

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


URGENT = ("immediate_danger", "child_danger", "staff_danger", "child_suicidal")
EVERYDAY = ("teaching_or_media", "chitchat_banter", "out_of_scope", "everyday_or_concern")
ROUTING = Path(__file__).resolve().parent.parent / "bot" / "safety" / "routing.yml"


def heads() -> dict[str, dict[str, str]]:
    """Each head's label for every intent that has one."""
    routing = yaml.safe_load(ROUTING.read_text(encoding="utf-8"))
    writer = {i: "child" for i in routing["child_intents"]} | {i: "adult" for i in routing["adult_intents"]}
    urgency = {i: ("urgent" if i in URGENT else "not urgent") for i in (*SAFETY, *EVERYDAY)}
    concern = {i: "concern" for i in SAFETY} | {i: "everyday" for i in EVERYDAY}
    return {"writer": writer, "urgency": urgency, "concern or everyday": concern}


def head_report(folder: Path) -> None:
    """Precision and recall of each head over the held-out examples whose intent gives it a label."""
    pairs = []
    for name in ("intent_successes.json", "intent_errors.json"):
        if (folder / name).exists():
            for row in json.loads((folder / name).read_text(encoding="utf-8")):
                pairs.append((row["intent"], row["intent_prediction"]["name"]))
    if not pairs:
        return
    for head, label in heads().items():
        print(f"\nhead: {head}")
        scored = [(label[t], label.get(p)) for t, p in pairs if t in label]
        for value in sorted(set(label.values())):
            predicted = sum(p == value for _, p in scored)
            right = sum(t == p == value for t, p in scored)
            actual = sum(t == value for t, _ in scored)
            print(
                f"  {value:12} precision {right / max(predicted, 1):.3f} recall {right / max(actual, 1):.3f} "
                f"n {actual} (unsure or no label: {sum(t == value and p is None for t, p in scored)})"
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
    head_report(Path(path).parent)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
