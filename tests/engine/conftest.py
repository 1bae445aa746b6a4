"""A private Redis for the engine's store tests (see tests/services.py: in CI a missing one fails)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.services import RedisServer, services_required


@pytest.fixture(scope="session")
def redis_server() -> Iterator[RedisServer]:
    try:
        server = RedisServer().start()
    except (FileNotFoundError, RuntimeError) as exc:
        if services_required():
            pytest.fail(f"Redis is required in CI: {exc}", pytrace=False)
        pytest.skip(str(exc))
    yield server
    server.stop()
