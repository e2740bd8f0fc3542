"""Running ``almen`` in-process, inside a test's transaction."""

from __future__ import annotations

import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session

from app.cli.context import CliContext
from app.cli.main import main
from app.settings import Settings

TODAY = date(2026, 11, 21)


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str

    def json(self) -> Any:
        return json.loads(self.out)


Runner = Callable[..., CliResult]


def runner(session: Session | None) -> Runner:
    """A function that runs ``almen ARGS`` with this session as its unit of work."""

    @contextmanager
    def transaction() -> Iterator[Session]:
        assert session is not None, "this command needs a database"
        session.expire_all()  # as a command's own session would: nothing cached from before
        try:
            yield session
            session.commit()  # releases the test's savepoint; the test still rolls back
        except BaseException:
            session.rollback()
            raise

    def run(
        *argv: str, today: date = TODAY, settings: Settings | None = None, stdin: str = ""
    ) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        context = CliContext(
            stdout=out,
            stderr=err,
            stdin=io.StringIO(stdin),
            today=lambda: today,
            transaction=transaction,
        )
        if settings is not None:
            context.settings = settings
        code = main(list(argv), context)
        return CliResult(code, out.getvalue(), err.getvalue())

    return run
