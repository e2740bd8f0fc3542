"""What a report is: a named table (pandas), named totals and a chart, as of a day.

A report is data; ``reports.render`` turns it into CSV, XLSX or PDF. Money columns hold
``int`` øre (the renderers print kroner); the columns named in ``money_columns`` are money,
those in ``date_columns`` hold ``datetime.date`` (or ``None``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

import pandas as pd
from sqlmodel import Session

MAX_ROWS = 200_000  # a report longer than this is a query gone wrong, not something to print


class ReportError(ValueError):
    """A report that cannot be made from what was asked (unknown name, no organisation)."""


class UnknownReport(ReportError):
    """A report name that is not in ``REPORTS``; the message lists the valid names."""

    def __init__(self, name: str, valid: list[str]) -> None:
        super().__init__(f"no report called {name!r}; the reports are: {', '.join(valid)}")
        self.name = name
        self.valid = valid


@dataclass(frozen=True, slots=True)
class Chart:
    """A bar chart: one bar per label. ``money``: the values are øre (printed as kroner)."""

    title: str
    labels: tuple[str, ...]
    values: tuple[int, ...]
    money: bool = True

    def __post_init__(self) -> None:
        assert len(self.labels) == len(self.values), "one value per bar"


@dataclass(frozen=True, slots=True)
class Table:
    """A table with Danish headings; money in øre, dates as ``datetime.date``."""

    title: str
    frame: pd.DataFrame
    money_columns: tuple[str, ...] = ()
    date_columns: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        assert len(self.frame) <= MAX_ROWS, f"{self.title}: more than {MAX_ROWS} rows"
        for column in (*self.money_columns, *self.date_columns):
            assert column in self.frame.columns, f"{self.title}: no column {column!r}"


@dataclass(frozen=True, slots=True)
class Total:
    """One named total: its Danish label, and whether it is money (øre) or a count."""

    label: str
    value: int
    money: bool


@dataclass(frozen=True, slots=True)
class Report:
    """A report of one organisation as of a day.

    ``name`` is the English slug (``arrears-aging``), ``title`` the Danish heading. ``table``
    is the main table (``frame`` is its DataFrame); ``extra_tables`` follow it (e.g. the
    suspense list of the Betalingsservice reconciliation). ``totals`` are by English key:
    keys ending in ``_oere`` are øre, the others counts; ``total_labels`` gives each its
    Danish label.
    """

    name: str
    title: str
    as_of: date
    organisation_name: str
    organisation_cvr: str
    table: Table
    totals: dict[str, int]
    total_labels: dict[str, str]
    chart: Chart | None = None
    extra_tables: tuple[Table, ...] = ()
    notes: tuple[str, ...] = field(default=())  # Danish: how the figures were made

    def __post_init__(self) -> None:
        assert set(self.totals) == set(self.total_labels), "every total has a Danish label"
        assert all(isinstance(v, int) for v in self.totals.values()), "totals are int"

    @property
    def frame(self) -> pd.DataFrame:
        return self.table.frame

    def labelled_totals(self) -> list[Total]:
        return [
            Total(self.total_labels[key], value, key.endswith("_oere"))
            for key, value in self.totals.items()
        ]


@dataclass(frozen=True, slots=True)
class Scope:
    """Who and when a report is for (what every builder receives besides the session)."""

    organisation_id: int
    organisation_name: str
    organisation_cvr: str
    as_of: date


# (session, organisation_id, as_of) -> Report
Builder = Callable[[Session, int, date], Report]


@dataclass(frozen=True, slots=True)
class ReportSpec:
    """A report in the registry: its slug, Danish title, a one-line English description."""

    name: str
    title: str
    description: str
    builder: Builder
