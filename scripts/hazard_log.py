"""The hazard log: docs/safety/hazards.yml (the source a safeguarding lead reviews) rendered to
docs/safety/hazard-log.md, and every piece of evidence it cites checked against the tree.

    .venv-app/bin/python scripts/hazard_log.py            # write hazard-log.md
    .venv-app/bin/python scripts/hazard_log.py --check    # exit 1 if it is stale or a reference is broken

Evidence kinds (one key per item, with an optional `shows`):
  test: tests/path/test_file.py::test_name (or ::Class::test_name; parametrised names without brackets)
  story: tests/conversations/file.yml::story or rule name   (run by `rasa test` in CI)
  ci: words from a step title in scripts/test.sh
  behaviour: a category of the held-out behaviour set (tests/behaviour/<category>.jsonl, floor.yml)
  bench: bench/file run by scripts/bench.sh (`make bench`)
  file: any file in the repository
"""

from __future__ import annotations

import argparse
import ast
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "docs" / "safety" / "hazards.yml"
RENDERED = ROOT / "docs" / "safety" / "hazard-log.md"
KINDS = ("test", "story", "ci", "behaviour", "bench", "file")


def load(path: Path = SOURCE) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


# --- checking ---------------------------------------------------------------------------


def _test_problem(root: Path, ref: str) -> str | None:
    path, _, rest = ref.partition("::")
    if not (path.startswith("tests/") and Path(path).name.startswith("test_") and path.endswith(".py") and rest):
        return "not a pytest node id (tests/…/test_*.py::test_name)"
    file = root / path
    if not file.is_file():
        return f"no file {path}"
    scope: list[ast.stmt] = ast.parse(file.read_text(encoding="utf-8")).body
    for name in (re.sub(r"\[.*\]$", "", part) for part in rest.split("::")):
        node = next(
            (
                n
                for n in scope
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and n.name == name
            ),
            None,
        )
        if node is None:
            return f"no test {name} in {path}"
        scope = node.body
    return None


def _story_problem(root: Path, ref: str) -> str | None:
    path, _, name = ref.partition("::")
    file = root / path
    if not file.is_file():
        return f"no file {path}"
    data = yaml.safe_load(file.read_text(encoding="utf-8")) or {}
    names = {s.get("story") for s in data.get("stories", [])} | {r.get("rule") for r in data.get("rules", [])}
    return None if name in names else f"no story or rule {name!r} in {path}"


def _ci_problem(root: Path, ref: str) -> str | None:
    steps = re.findall(r'^step "(.*)"', (root / "scripts" / "test.sh").read_text(encoding="utf-8"), re.M)
    return None if any(ref in s for s in steps) else "no step with these words in scripts/test.sh"


def _behaviour_problem(root: Path, ref: str) -> str | None:
    if not (root / "tests" / "behaviour" / f"{ref}.jsonl").is_file():
        return f"no file tests/behaviour/{ref}.jsonl"
    floor = yaml.safe_load((root / "tests" / "behaviour" / "floor.yml").read_text(encoding="utf-8"))
    return None if ref in floor["categories"] else "not held by tests/behaviour/floor.yml"


def _bench_problem(root: Path, ref: str) -> str | None:
    if not (root / ref).is_file():
        return f"no file {ref}"
    return None if ref in (root / "scripts" / "bench.sh").read_text(encoding="utf-8") else "not run by scripts/bench.sh"


def _file_problem(root: Path, ref: str) -> str | None:
    return None if (root / ref).is_file() else f"no file {ref}"


CHECKS = {
    "test": _test_problem,
    "story": _story_problem,
    "ci": _ci_problem,
    "behaviour": _behaviour_problem,
    "bench": _bench_problem,
    "file": _file_problem,
}


def evidence_kind(item: dict) -> tuple[str, str]:
    (kind,) = (k for k in item if k in KINDS)
    return kind, str(item[kind])


def broken_references(data: dict, root: Path = ROOT) -> list[str]:
    """Every evidence reference that no longer resolves, as 'H04 control 2: test …: why'."""
    broken = []
    for hazard in data["hazards"]:
        for n, control in enumerate(hazard["controls"], start=1):
            for item in control["evidence"]:
                if sum(k in item for k in KINDS) != 1:
                    broken.append(f"{hazard['id']} control {n}: {item}: needs exactly one of {', '.join(KINDS)}")
                    continue
                kind, ref = evidence_kind(item)
                why = CHECKS[kind](root, ref)
                if why:
                    broken.append(f"{hazard['id']} control {n}: {kind} {ref}: {why}")
    return broken


def problems(data: dict) -> list[str]:
    """Shape of the log: ids in order, scores on the scale, every control with evidence."""
    found = []
    scale = data["scale"]
    for n, hazard in enumerate(data["hazards"], start=1):
        hid = hazard.get("id")
        if hid != f"H{n:02d}":
            found.append(f"hazard {n}: id {hid!r}, expected H{n:02d}")
        for key in ("title", "causes", "effect", "harmed", "before", "controls", "after", "residual"):
            if not hazard.get(key):
                found.append(f"{hid}: no {key}")
        for when in ("before", "after"):
            score = hazard.get(when) or {}
            if score.get("severity") not in scale["severity"] or score.get("likelihood") not in scale["likelihood"]:
                found.append(f"{hid}: {when} needs severity and likelihood from the scale")
        for c, control in enumerate(hazard.get("controls") or [], start=1):
            items = control.get("evidence") or []
            if not control.get("control") or not items:
                found.append(f"{hid} control {c}: needs a control and its evidence")
            for item in items:
                if sum(k in item for k in KINDS) != 1:
                    found.append(f"{hid} control {c}: evidence {item} needs exactly one of {', '.join(KINDS)}")
    return found


# --- rendering --------------------------------------------------------------------------


def _rating(scale: dict, score: dict) -> int:
    return scale["matrix"][score["likelihood"]][score["severity"] - 1]


def _score(scale: dict, score: dict) -> str:
    r = _rating(scale, score)
    return f"S{score['severity']} × L{score['likelihood']} → **{r}** ({scale['rating'][r]['name']})"


def _behaviour_size(root: Path, category: str) -> tuple[int, int]:
    cases = (root / "tests" / "behaviour" / f"{category}.jsonl").read_text(encoding="utf-8").splitlines()
    floor = yaml.safe_load((root / "tests" / "behaviour" / "floor.yml").read_text(encoding="utf-8"))
    return sum(1 for c in cases if c.strip()), floor["categories"][category]


def _evidence(root: Path, item: dict) -> str:
    kind, ref = evidence_kind(item)
    if kind == "test":
        where = " (engine environment)" if ref.startswith("tests/engine/") else ""
        text = f"test `{ref}`{where}"
    elif kind == "story":
        path, _, name = ref.partition("::")
        text = f"`rasa test` story “{name}” in `{path}`"
    elif kind == "ci":
        text = f"CI step “{ref}…” (`scripts/test.sh`)"
    elif kind == "behaviour":
        size, floor = _behaviour_size(root, ref)
        text = f"held-out behaviour set, category `{ref}` ({size} conversations; CI fails below {floor})"
    elif kind == "bench":
        text = f"`make bench`: `{ref}`"
    else:
        text = f"`{ref}`"
    return text + (f": {item['shows']}" if item.get("shows") else "")


def _scale_section(scale: dict) -> list[str]:
    out = ["## The scale", "", scale["intro"].strip(), "", "| severity | | meaning |", "| --- | --- | --- |"]
    out += [f"| {k} | {v['name']} | {v['meaning']} |" for k, v in scale["severity"].items()]
    out += ["", "| likelihood | | meaning |", "| --- | --- | --- |"]
    out += [f"| {k} | {v['name']} | {v['meaning']} |" for k, v in scale["likelihood"].items()]
    severities = list(scale["severity"])
    out += ["", "Risk rating (likelihood down, severity across):", ""]
    out += ["| | " + " | ".join(f"S{s} {scale['severity'][s]['name']}" for s in severities) + " |"]
    out += ["| --- |" + " --- |" * len(severities)]
    for lk in sorted(scale["likelihood"], reverse=True):
        out += [f"| L{lk} {scale['likelihood'][lk]['name']} | " + " | ".join(map(str, scale["matrix"][lk])) + " |"]
    out += ["", "| rating | | what it requires |", "| --- | --- | --- |"]
    out += [f"| {k} | {v['name']} | {v['meaning']} |" for k, v in scale["rating"].items()]
    return out


def render(data: dict, root: Path = ROOT) -> str:
    scale = data["scale"]
    out = [
        "# Hazard log",
        "",
        "<!-- Generated from docs/safety/hazards.yml by scripts/hazard_log.py: edit the YAML, then run",
        "     .venv-app/bin/python scripts/hazard_log.py (a test fails when this file is stale). -->",
        "",
        data["intro"].strip(),
        "",
        "## Summary",
        "",
        "| id | hazard | before controls | after controls |",
        "| --- | --- | --- | --- |",
    ]
    for h in data["hazards"]:
        out.append(
            f"| [{h['id']}](#{h['id'].lower()}) | {h['title']} | {_score(scale, h['before'])} | "
            f"{_score(scale, h['after'])} |"
        )
    out += ["", *_scale_section(scale)]
    for h in data["hazards"]:
        out += ["", f"## {h['id']}", "", f"**{h['title']}**", "", "Causes:", ""]
        out += [f"- {c}" for c in h["causes"]]
        out += ["", f"Effect: {h['effect'].strip()}", "", f"Who is harmed: {', '.join(h['harmed'])}.", ""]
        out += [f"Risk before controls: {_score(scale, h['before'])}.", ""]
        out += ["Controls, and the evidence that each works:", ""]
        for n, control in enumerate(h["controls"], start=1):
            out.append(f"{n}. {control['control'].strip()}")
            out += [f"   - {_evidence(root, item)}" for item in control["evidence"]]
        out += ["", f"Risk after controls: {_score(scale, h['after'])}.", "", f"Residual risk: {h['residual'].strip()}"]
    return "\n".join(out) + "\n"


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--check", action="store_true", help="fail if hazard-log.md is stale or a reference is broken")
    args = ap.parse_args()
    data = load()
    errors = problems(data) + broken_references(data)
    if errors:
        print("hazards.yml:\n  " + "\n  ".join(errors), file=sys.stderr)
        return 1
    text = render(data)
    if args.check:
        if RENDERED.read_text(encoding="utf-8") != text:
            stale = f"{RENDERED.relative_to(ROOT)} is stale: run .venv-app/bin/python scripts/hazard_log.py"
            print(stale, file=sys.stderr)
            return 1
        return 0
    RENDERED.write_text(text, encoding="utf-8")
    print(f"wrote {RENDERED.relative_to(ROOT)} ({len(data['hazards'])} hazards)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
