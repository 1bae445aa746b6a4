"""Alembic environment: one migration chain for every table the project owns."""

from __future__ import annotations

from alembic import context

from core.settings import Settings
from core.store.base import Base, make_engine
from core.store.registry import import_all_models

import_all_models()
config = context.config


def run_migrations() -> None:
    url = config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url
    connectable = config.attributes.get("connection") or make_engine(url)
    if hasattr(connectable, "connect") and not hasattr(connectable, "dialect_options"):
        with connectable.connect() as connection:
            _run(connection)
    else:
        _run(connectable)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
