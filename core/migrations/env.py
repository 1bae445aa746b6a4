"""Alembic environment: one migration chain for every table the project owns."""

from __future__ import annotations

from typing import Any

from alembic import context

from core.store import registry
from core.store.base import make_engine

config = context.config


def run_migrations() -> None:
    # A connection passed in wins; otherwise the URL core.store.migrate.alembic_config always sets.
    connectable = config.attributes.get("connection") or make_engine(config.get_main_option("sqlalchemy.url", ""))
    if hasattr(connectable, "connect") and not hasattr(connectable, "dialect_options"):
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection: Any) -> None:  # a Connection, or what a caller passed in config.attributes
    context.configure(connection=connection, target_metadata=registry.metadata(), render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
