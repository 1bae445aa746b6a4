"""The layout's dependency direction, checked on the source (standard library only).

core is the product's core and depends on none of our other packages; channels and actions depend on
core only; casebook (the DSL's web app) may use core, and channels.webchat only in its app factory,
which mounts the web chat in the same process; bot (the engine's side, another environment) imports
none of the app packages. Local imports inside functions count as much as top-level ones.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
OURS = {"core", "casebook", "channels", "actions", "bot", "devtools"}
# package -> our packages it may import (besides itself)
ALLOWED = {
    "core": set(),
    "channels": {"core"},
    "actions": {"core"},
    "casebook": {"core"},
    "bot": set(),
}
# (importing module, imported module prefix): the documented exceptions.
EXCEPTIONS = {("casebook/app.py", "channels.webchat")}


def imported_modules(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.lineno, f"{node.module}.{alias.name}") for alias in node.names]
    return found


def violations(root: Path = ROOT) -> list[str]:
    wrong = []
    for package, allowed in ALLOWED.items():
        for path in sorted((root / package).rglob("*.py")):
            where = path.relative_to(root).as_posix()
            for line, module in imported_modules(path):
                top = module.split(".")[0]
                if top not in OURS or top == package or top in allowed:
                    continue
                if any(where == w and module.startswith(m) for w, m in EXCEPTIONS):
                    continue
                wrong.append(f"{where}:{line} imports {module} ({package} may use {sorted(allowed) or 'none'})")
    return wrong


def test_imports_follow_the_layout() -> None:
    assert violations() == []


@pytest.mark.parametrize(
    ("package", "line"),
    [
        ("core", "from channels.teams.notify import TeamsTransport"),
        ("core", "import casebook.web"),
        ("channels", "from casebook.app import create_app"),
        ("channels", "from actions import runtime"),
        ("actions", "from channels import gateway"),
        ("bot", "from core.profile import load_profile"),
    ],
)
def test_an_import_against_the_direction_fails(tmp_path: Path, package: str, line: str) -> None:
    (tmp_path / package).mkdir()
    (tmp_path / package / "bad.py").write_text(f"def late():\n    {line}\n")
    [problem] = violations(tmp_path)
    assert problem.startswith(f"{package}/bad.py:2 imports ")
