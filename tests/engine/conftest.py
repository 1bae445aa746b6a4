"""A private Redis for the engine's store tests (see tests/services.py: in CI a missing one fails)."""

from __future__ import annotations

import pytest

from tests.services import private_redis

redis_server = pytest.fixture(scope="session")(private_redis)
