"""Test databases: a migrated template per backend, cloned per test session (and per test
when a test needs real commits).

Environment:
* ``ALMEN_TEST_DATABASES``: comma-separated backends, default ``sqlite,postgresql``.
* ``ALMEN_TEST_PG_URL``: the server, default ``postgresql+psycopg://postgres@127.0.0.1:5432``.
* ``ALMEN_TEST_PG_PREFIX``: database name prefix, default ``almen_test`` (set it to run two
  suites side by side on one server).
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from app.database import make_engine, unit_of_work
from app.migrate import upgrade_to_head
from ledger.fee_table import sync_shipped_fees

BACKENDS = [
    name.strip()
    for name in os.environ.get("ALMEN_TEST_DATABASES", "sqlite,postgresql").split(",")
    if name.strip()
]
PG_SERVER = os.environ.get("ALMEN_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432")
PG_PREFIX = os.environ.get("ALMEN_TEST_PG_PREFIX", "almen_test")


def _admin_engine() -> Engine:
    return sa.create_engine(f"{PG_SERVER}/postgres", isolation_level="AUTOCOMMIT")


def _migrate(engine: Engine) -> None:
    upgrade_to_head(engine)
    with unit_of_work(engine) as session:
        sync_shipped_fees(session)


class Backend:
    """Makes migrated databases of one kind quickly, by copying a migrated template."""

    def __init__(self, name: str, workdir: Path) -> None:
        assert name in ("sqlite", "postgresql"), f"unknown test backend {name!r}"
        self.name = name
        self.workdir = workdir
        self.template = f"{PG_PREFIX}_template"
        self.created: list[str] = []

    def prepare_template(self) -> None:
        if self.name == "sqlite":
            engine = make_engine(f"sqlite:///{self.workdir / 'template.db'}")
            _migrate(engine)
            engine.dispose()
            return
        admin = _admin_engine()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self.template}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{self.template}"')
        admin.dispose()
        engine = make_engine(f"{PG_SERVER}/{self.template}")
        _migrate(engine)
        engine.dispose()

    def new_database(self, label: str = "") -> Engine:
        """A migrated, empty database of its own."""
        name = f"{PG_PREFIX}_{label or uuid.uuid4().hex[:10]}"
        if self.name == "sqlite":
            path = self.workdir / f"{name}.db"
            shutil.copyfile(self.workdir / "template.db", path)
            return make_engine(f"sqlite:///{path}")
        admin = _admin_engine()
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            connection.exec_driver_sql(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        admin.dispose()
        self.created.append(name)
        return make_engine(f"{PG_SERVER}/{name}")

    def drop(self, engine: Engine) -> None:
        engine.dispose()
        if self.name == "postgresql":
            name = engine.url.database
            admin = _admin_engine()
            with admin.connect() as connection:
                connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.dispose()
