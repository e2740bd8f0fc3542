from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tests.app.api.world import World, build_world


@pytest.fixture
def world(fresh_engine: Engine) -> Iterator[World]:
    built = build_world(fresh_engine)
    with built.client:
        yield built
