"""How a report's cells read as text: amounts and dates the Danish way."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from ledger.money import OERE_PER_KRONE, format_kr
from reports.model import Table


def date_dk(day: date) -> str:
    """21-11-2026."""
    return f"{day.day:02d}-{day.month:02d}-{day.year:04d}"


def kroner_plain(oere: int) -> str:
    """1234,56 / -0,50: decimal comma, no thousands separator (what Danish Excel reads as a
    number from a CSV file)."""
    sign = "-" if oere < 0 else ""
    kroner, rest = divmod(abs(oere), OERE_PER_KRONE)
    return f"{sign}{kroner},{rest:02d}"


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NaT


def as_oere(value: object) -> int:
    """A money cell as int øre (pandas may hand back numpy integers)."""
    assert not isinstance(value, bool | float), f"money must be whole øre, got {value!r}"
    return int(value)  # type: ignore[call-overload,no-any-return]


def as_date(value: object) -> date:
    if isinstance(value, datetime):
        return value.date()
    assert isinstance(value, date), f"not a date: {value!r}"
    return value


def cell_text(table: Table, column: str, value: object, *, grouped: bool) -> str:
    """The text of one cell: money as kroner (``grouped``: 1.234,56, else 1234,56), dates
    dd-mm-yyyy, a missing value empty."""
    if is_missing(value):
        return ""
    if column in table.money_columns:
        oere = as_oere(value)
        return format_kr(oere) if grouped else kroner_plain(oere)
    if column in table.date_columns:
        return date_dk(as_date(value))
    return str(value)


def rows_of(table: Table) -> list[tuple[object, ...]]:
    """The rows of the table as plain tuples, column order kept."""
    return list(table.frame.itertuples(index=False, name=None))
