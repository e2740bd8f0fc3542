"""The migrations build exactly the schema the models describe, and can be undone."""

from __future__ import annotations

import sqlalchemy as sa
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


def test_check_constraints_have_the_names_the_models_give_them(engine: Engine) -> None:
    """Alembic applies the naming convention to names a migration already spelled out in
    full (``ck_t_ck_t_x``) unless they are marked with ``op.f``: the names must match."""
    inspector = sa.inspect(engine)
    for table in METADATA.sorted_tables:
        wanted = {
            str(constraint.name)
            for constraint in table.constraints
            if isinstance(constraint, sa.CheckConstraint) and constraint.name
        }
        found = {check["name"] for check in inspector.get_check_constraints(table.name)}
        assert wanted <= found, f"{table.name}: missing {sorted(wanted - found)}"
        doubled = [name for name in found if name and name.count("ck_") > 1]
        assert not doubled, f"{table.name}: {doubled}"
