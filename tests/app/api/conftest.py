from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from app.api_v1 import ApiSettings
from tests.app.api.world import World, build_world


@pytest.fixture
def world(fresh_engine: Engine) -> Iterator[World]:
    built = build_world(fresh_engine, ApiSettings(secure_cookies=False))  # plain http
    with built.client:
        yield built
