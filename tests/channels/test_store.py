from __future__ import annotations

import importlib.util
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic.migration import MigrationContext
from alembic.operations import Operations

from core.store.base import make_engine, make_sessionmaker
from core.store.migrate import MIGRATIONS
from core.store.references import ConversationReference, get_reference, save_reference

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


def test_references_are_saved_and_replaced(database_url):
    engine = make_engine(database_url)
    ConversationReference.__table__.create(engine)
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        save_reference(session, "teams", "29:dsl", {"conversation": {"id": "a:1"}}, NOW)
    with sessions.begin() as session:
        save_reference(session, "teams", "29:dsl", {"conversation": {"id": "a:2"}}, NOW)
    with sessions() as session:
        assert get_reference(session, "teams", "29:dsl") == {"conversation": {"id": "a:2"}}
        assert get_reference(session, "teams", "29:nobody") is None
        assert session.scalar(sa.select(sa.func.count()).select_from(ConversationReference)) == 1
    engine.dispose()


def test_migration_0003_up_and_down(database_url):
    spec = importlib.util.spec_from_file_location("m0003", MIGRATIONS / "versions" / "0003_channels.py")
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    assert (migration.revision, migration.down_revision) == ("0003_channels", "0002_access")
    engine = make_engine(database_url)
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        migration.upgrade()
    sessions = make_sessionmaker(engine)
    with sessions.begin() as session:
        save_reference(session, "teams", "29:dsl", {"conversation": {"id": "a:1"}}, NOW)
    with engine.begin() as conn, Operations.context(MigrationContext.configure(conn)):
        migration.downgrade()
    assert "channel_conversation_refs" not in sa.inspect(engine).get_table_names()
    engine.dispose()
