"""Bring a database up to the latest schema: `python -m core.store.migrate [URL]`."""

from __future__ import annotations

import sys
from pathlib import Path

from alembic import command
from alembic.config import Config

from core.settings import Settings
from core.store import crypto

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url)
    return cfg


def upgrade(url: str) -> None:
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    command.upgrade(alembic_config(url), "head")


if __name__ == "__main__":
    settings = Settings()
    crypto.KEYS.use(settings.encryption_keys)  # migration 0007 encrypts a column that was plain
    upgrade(sys.argv[1] if len(sys.argv) > 1 else settings.database_url)
