"""Reads Rasa NLU YAML files into (text, intent) pairs, for evaluation scripts."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ANNOTATION = re.compile(r"\[([^\]]+)\]\([^)]*\)|\[([^\]]+)\]\{[^}]*\}")


def examples(*paths: Path) -> list[tuple[str, str]]:
    """Every example under the given files or folders, entity annotations removed."""
    files = [f for p in paths for f in ([p] if p.is_file() else sorted(p.rglob("*.yml")))]
    pairs: list[tuple[str, str]] = []
    for f in files:
        data = yaml.safe_load(f.read_text(encoding="utf-8")) or {}
        for block in data.get("nlu") or []:
            if "intent" not in block:
                continue
            for line in str(block.get("examples", "")).splitlines():
                line = line.strip()
                if line.startswith("- "):
                    text = ANNOTATION.sub(lambda m: m.group(1) or m.group(2), line[2:].strip())
                    if text:
                        pairs.append((text, block["intent"]))
    return pairs
