"""``almen init``: create or upgrade the schema through Alembic, and load reference data."""

from __future__ import annotations

import argparse
from typing import Any

from app.cli.context import CliContext
from app.database import unit_of_work
from app.migrate import schema_status, upgrade_to_head
from ledger.fee_table import sync_shipped_fees


def register(commands: Any) -> None:
    parser: argparse.ArgumentParser = commands.add_parser(
        "init", help="create or upgrade the database schema (DATABASE_URL)"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace, context: CliContext) -> int:
    engine = context.engine()
    before, _ = schema_status(engine)
    upgrade_to_head(engine)
    with unit_of_work(engine) as session:
        added = sync_shipped_fees(session)
    after, _ = schema_status(engine)
    where = engine.url.render_as_string(hide_password=True)
    context.print(f"database {where}: schema {before or 'empty'} -> {after}")
    if added:
        context.print(f"påkrav fee table: loaded years {', '.join(map(str, added))}")
    return 0
