"""Alembic environment: runs on a connection handed in by `almen init` (or the tests), or on
DATABASE_URL when alembic is run by hand."""

from __future__ import annotations

from alembic import context

from app.database import make_engine
from app.schema import METADATA
from app.settings import Settings

config = context.config
target_metadata = METADATA


def run_migrations(connection: object) -> None:
    context.configure(
        connection=connection,  # type: ignore[arg-type]
        target_metadata=target_metadata,
        render_as_batch=True,  # SQLite can only ALTER through table copies
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    run_migrations(connection)
else:
    engine = make_engine(Settings.from_env().database_url)
    with engine.connect() as conn:
        run_migrations(conn)
        conn.commit()
