"""Finding the phone numbers in what the assistant can say, and the reviewed list they must come from."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import yaml

from core.profile import NATIONAL_LINES, digits, is_made_up

ROOT = Path(__file__).resolve().parents[2]

# UK numbers as people write them: 0808 800 5000, 07700 900123, +44 20 7946 0000, 116 123, and the
# short codes for emergency and non-emergency services. Other three-digit figures (HTTP codes,
# counts) are not phone numbers, so only the service codes are matched.
_PHONE = re.compile(
    r"(?<![\w.,£/-])("
    r"(?:\+44\s?|0)\d{2,4}(?:[ -]?\d{3,4}){1,2}"
    r"|116 ?\d{3}"
    r"|999|112|111|101|105|119"
    r")(?![\w/-]|[.,]\d)"
)
# SMS short codes: "text SHOUT to 85258".
_TEXT_CODE = re.compile(r"\btext\w*\s+(?:\w+\s+to\s+)?(\d{5,6})\b", re.IGNORECASE)


@dataclass(frozen=True)
class Found:
    path: Path
    line: int
    number: str

    def __str__(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}: {self.number}"


def numbers_in(text: str) -> list[tuple[int, str]]:
    """(offset, number) for every phone number in the text."""
    found = [(m.start(1), m.group(1)) for m in _PHONE.finditer(text)]
    found += [(m.start(1), m.group(1)) for m in _TEXT_CODE.finditer(text)]
    return sorted(found)


def _in_lines(path: Path) -> Iterator[Found]:
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        for _, number in numbers_in(line):
            yield Found(path, lineno, number)


def _docstrings(tree: ast.AST) -> set[int]:
    kinds = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
    return {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, kinds)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }


def _in_python(path: Path) -> Iterator[Found]:
    """String literals only (f-string text included): comments and docstrings are never said."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip = _docstrings(tree)
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip:
            for offset, number in numbers_in(node.value):
                yield Found(path, node.lineno + node.value.count("\n", 0, offset), number)


# Everything a person can be shown: the domain's responses, the channels' static safety
# messages and pages, replies built in the action server, the engine's own channel, and the
# casebook's notifications and pages.
SAID = [
    ("bot/domain", "*.yml"),
    ("bot", "*.py"),
    ("actions", "**/*.py"),
    ("channels", "**/*.py"),
    ("channels", "**/*.html"),
    ("channels", "**/*.js"),
    ("casebook", "**/*.py"),
    ("casebook", "**/*.html"),
]


def sources() -> list[Path]:
    return sorted({p for folder, pattern in SAID for p in (ROOT / folder).glob(pattern) if p.is_file()})


def numbers_said() -> list[Found]:
    found: list[Found] = []
    for path in sources():
        found += _in_python(path) if path.suffix == ".py" else _in_lines(path)
    return found


@dataclass(frozen=True)
class ReviewedList:
    lines: list[dict]
    format_examples: list[dict]

    @property
    def allowed(self) -> set[str]:
        return {digits(e["number"]) for e in self.lines + self.format_examples}

    @staticmethod
    def is_fiction(number: str) -> bool:
        return is_made_up(number)


def reviewed_list() -> ReviewedList:
    raw = yaml.safe_load(NATIONAL_LINES.read_text(encoding="utf-8"))
    return ReviewedList(raw["lines"], raw["format_examples"])
