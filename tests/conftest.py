"""Fixtures shared by the whole suite.

Database tests take ``session`` (a migrated database, rolled back after each test) and run
once per backend in ``ALMEN_TEST_DATABASES`` (SQLite and PostgreSQL by default). Tests that need
real commits (concurrency, the CLI's own transactions) take ``fresh_engine``.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from tests.cli import Runner, runner
from tests.databases import BACKENDS, Backend


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Backend:
    backend = Backend(request.param, tmp_path_factory.mktemp(request.param))
    backend.prepare_template()
    return backend


@pytest.fixture(scope="session")
def engine(backend: Backend) -> Iterator[Engine]:
    engine = backend.new_database("shared")
    yield engine
    backend.drop(engine)


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session inside a transaction that is rolled back after the test.

    ``session.commit()`` inside the test (or the code under test) only releases a savepoint.
    """
    connection = engine.connect()
    transaction = connection.begin()
    session = Session(
        bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
    )
    try:
        yield session
    finally:
        session.close()
        transaction.rollback()
        connection.close()


@pytest.fixture
def fresh_engine(backend: Backend) -> Iterator[Engine]:
    """A database of the test's own, migrated and empty, where commits are real."""
    engine = backend.new_database()
    yield engine
    backend.drop(engine)


@pytest.fixture
def data_dir() -> Path:
    return Path(__file__).parent / "data"


@pytest.fixture
def cli(session: Session) -> Runner:
    """``almen`` in-process, with the test's rolled-back session as its unit of work."""
    return runner(session)


@pytest.fixture
def cli_nodb() -> Runner:
    """``almen`` in-process for commands that never touch the database."""
    return runner(None)
