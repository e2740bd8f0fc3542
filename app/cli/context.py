"""What a CLI command needs from its surroundings, injectable for tests."""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TextIO

from sqlalchemy.engine import Engine
from sqlmodel import Session

from app.clock import today_in_denmark
from app.database import make_engine, unit_of_work
from app.migrate import schema_status
from app.settings import Settings


class CliError(Exception):
    """A problem to report to the user in one line, with a non-zero exit code."""

    def __init__(self, message: str, exit_code: int = 1) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass
class CliContext:
    settings: Settings = field(default_factory=Settings.from_env)
    stdout: TextIO = field(default_factory=lambda: sys.stdout)
    stderr: TextIO = field(default_factory=lambda: sys.stderr)
    stdin: TextIO = field(default_factory=lambda: sys.stdin)
    today: Callable[[], date] = today_in_denmark
    # Tests replace this with one bound to their rolled-back session.
    transaction: Callable[[], AbstractContextManager[Session]] | None = None
    _engine: Engine | None = None

    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = make_engine(self.settings.database_url)
        return self._engine

    def unit_of_work(self) -> AbstractContextManager[Session]:
        """One transaction for the command: committed if it succeeds, else rolled back."""
        if self.transaction is not None:
            return self.transaction()
        return self._checked_unit_of_work()

    @contextmanager
    def _checked_unit_of_work(self) -> Iterator[Session]:
        current, head = schema_status(self.engine())
        if current != head:
            raise CliError(
                f"the database at {self.engine().url.render_as_string(hide_password=True)} "
                f"is at schema {current or 'none'}, not {head}: run `almen init` first"
            )
        with unit_of_work(self.engine()) as session:
            yield session

    def print(self, text: str = "") -> None:
        print(text, file=self.stdout)

    def print_json(self, value: Any) -> None:
        print(json.dumps(value, ensure_ascii=False, indent=2, default=str), file=self.stdout)

    def warn(self, text: str) -> None:
        print(f"warning: {text}", file=self.stderr)
