"""One declarative base and one way to open the database, for every process."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker

from core.settings import Settings
from core.store import crypto


class Base(DeclarativeBase):
    pass


def make_engine(url: str, **kwargs: object) -> Engine:
    # hide_parameters: a failed statement's message (logged on a 500) must not carry names, phones or notes.
    engine = create_engine(url, pool_pre_ping=True, hide_parameters=True, **kwargs)
    if engine.dialect.name == "sqlite":
        # WAL lets the action server, the worker and the web app share the file;
        # foreign keys are off in SQLite unless asked for.
        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA busy_timeout=5000")
            cur.close()

    return engine


def make_sessionmaker(engine: Engine) -> sessionmaker:
    return sessionmaker(engine, expire_on_commit=False)


def open_store(settings: Settings, **engine_options: object) -> sessionmaker:
    """What an entry point does once: the process's encryption keys, then a pool on the database."""
    crypto.KEYS.use(settings.encryption_keys)
    return make_sessionmaker(make_engine(settings.database_url, **engine_options))
