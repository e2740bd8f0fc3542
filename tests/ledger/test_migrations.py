"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from app.migrate import alembic_config, schema_status, upgrade_to_head
from app.schema import METADATA


def test_migrated_schema_matches_the_models(engine: Engine) -> None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, METADATA) == []
    current, head = schema_status(engine)
    assert current == head


def test_downgrade_to_base_and_back(fresh_engine: Engine) -> None:
    config = alembic_config()
    with fresh_engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "base")
    assert schema_status(fresh_engine)[0] is None
    upgrade_to_head(fresh_engine)
    assert schema_status(fresh_engine)[0] == schema_status(fresh_engine)[1]
