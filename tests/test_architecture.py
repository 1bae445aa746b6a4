"""The layout's dependency direction, and where settings are read, checked on the source (standard library only).

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


APP_PACKAGES = ("core", "casebook", "channels", "actions")
WSGI_ENTRY = {"casebook/wsgi.py"}  # run by gunicorn, so it has no __main__ guard


def reads_environment(tree: ast.AST) -> bool:
    """os.environ, getenv, a from_env() or Settings() built from the environment (no arguments)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in {"environ", "getenv", "from_env"}:
            return True
        if isinstance(node, ast.Name) and node.id in {"environ", "getenv"}:
            return True
        built_from_env = isinstance(node, ast.Call) and not node.args and not node.keywords
        if built_from_env and isinstance(node.func, ast.Name) and node.func.id == "Settings":
            return True
    return False


def is_entry_point(path: Path, tree: ast.AST) -> bool:
    if path.name == "__main__.py" or path.relative_to(ROOT).as_posix() in WSGI_ENTRY:
        return True
    return any(
        isinstance(node, ast.If) and "__name__" in ast.unparse(node.test) and "__main__" in ast.unparse(node.test)
        for node in ast.walk(tree)
    )


def test_only_entry_points_read_the_environment() -> None:
    """Settings are built once per process at its entry point and passed in (core/settings.py)."""
    readers = []
    for package in APP_PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            if reads_environment(tree) and not is_entry_point(path, tree):
                readers.append(path.relative_to(ROOT).as_posix())
    assert readers == []


def test_a_domain_module_reading_the_environment_is_caught() -> None:
    assert reads_environment(ast.parse("import os\nURL = os.environ.get('SG_X')"))
    assert reads_environment(ast.parse("from core.settings import Settings\ns = Settings()"))
    assert not reads_environment(ast.parse("def f(settings):\n    return settings.database_url"))
