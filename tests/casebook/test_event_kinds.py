"""The chronology's kinds are one list (EVENT_KINDS): every kind the code writes is in it, every event goes
through record_event, and record_event refuses a kind not in it."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from core.store.concerns import find_by_reference, record_event
from core.store.models import EVENT_KINDS, ConcernEvent
from tests.casebook.conftest import NOW

ROOT = Path(__file__).resolve().parents[2]
SKIP = {"tests", "models", "data", "results"}
# Calls that write a chronology event; the kind is the third positional argument or `kind=`.
WRITERS = {"record_event", "_event"}


def _sources() -> list[Path]:
    return [
        path
        for path in sorted(ROOT.glob("*/**/*.py"))
        if not path.relative_to(ROOT).parts[0].startswith(".") and path.relative_to(ROOT).parts[0] not in SKIP
    ]


def _name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""


def _written_kinds() -> dict[str, list[str]]:
    """Each literal kind passed to an event writer, with where; and each ConcernEvent(...) built outside one."""
    found: dict[str, list[str]] = {}
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]:
            for call in [n for n in ast.walk(function) if isinstance(n, ast.Call)]:
                where = f"{path.relative_to(ROOT)}:{call.lineno}"
                name = _name(call)
                if name == "ConcernEvent" and function.name != "record_event":
                    found.setdefault("<ConcernEvent built outside record_event>", []).append(where)
                if name not in WRITERS:
                    continue
                args = [*call.args[2:3], *(k.value for k in call.keywords if k.arg == "kind")]
                for arg in args:
                    if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                        found.setdefault(arg.value, []).append(where)
    return found


def test_every_kind_written_anywhere_is_an_event_kind() -> None:
    written = _written_kinds()
    # The scan sees the writers in the store, the delivery worker and case work.
    assert {"created", "notified", "escalated", "decided", "follow_up_set", "legal_hold"} <= set(written)
    unknown = {kind: where for kind, where in written.items() if kind not in EVENT_KINDS}
    assert not unknown, f"event kinds written but not in EVENT_KINDS: {unknown}"


def test_record_event_refuses_an_unknown_kind(sessions, add_concern) -> None:
    reference = add_concern()
    with sessions.begin() as s:
        concern = find_by_reference(s, reference)
        assert concern is not None
        with pytest.raises(ValueError, match="unknown event kind 'folow_up_set'"):
            record_event(s, concern, "folow_up_set", actor="sam", now=NOW)
        record_event(s, concern, "follow_up_set", actor="sam", now=NOW, follow_up_id=1)
    with sessions() as s:
        kinds = [e.kind for e in s.query(ConcernEvent).order_by(ConcernEvent.id)]
    assert kinds[-1] == "follow_up_set" and "folow_up_set" not in kinds
