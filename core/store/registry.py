"""Every module that declares tables, so that metadata and migrations see them all."""

from __future__ import annotations

import importlib

MODEL_MODULES = (
    "core.store.models",  # concerns, events, outbox (handoff)
    "core.access.models",  # users, audit log (casebook)
    "core.store.references",  # channel identities, Teams conversation references
)


def import_all_models() -> None:
    for name in MODEL_MODULES:
        try:
            importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
