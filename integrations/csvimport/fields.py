"""Reading one value of a row, with a message that names the column and the value."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import TypeVar

from integrations.csvimport.errors import FieldError, RowError
from integrations.csvimport.reader import CsvRow
from ledger.identifiers import IdentifierError, check_cpr, check_cvr
from ledger.money import MoneyError, parse_oere

E = TypeVar("E", bound=StrEnum)
_TRUE = {"true", "ja", "yes", "1", "j", "y", "x"}
_FALSE = {"false", "nej", "no", "0", "n", ""}
_DANISH_DATE = re.compile(r"(\d{1,2})[-./](\d{1,2})[-./](\d{4})")


def text(row: CsvRow, column: str, *, required: bool = True, max_length: int = 200) -> str:
    value = row.values.get(column, "")
    if required and not value:
        raise FieldError(column, "is required")
    if len(value) > max_length:
        raise FieldError(column, f"is longer than {max_length} characters")
    return value


def optional(row: CsvRow, column: str) -> str | None:
    return row.values.get(column, "") or None


def a_date(row: CsvRow, column: str) -> date:
    """ISO (2026-04-01) or Danish (01-04-2026, 01.04.2026)."""
    value = text(row, column)
    try:
        return date.fromisoformat(value)
    except ValueError:
        pass
    match = _DANISH_DATE.fullmatch(value)
    if match:
        day, month, year = (int(part) for part in match.groups())
        try:
            return date(year, month, day)
        except ValueError:
            pass
    raise FieldError(column, f"{value!r} is not a date (expected YYYY-MM-DD)")


def optional_date(row: CsvRow, column: str) -> date | None:
    return a_date(row, column) if optional(row, column) else None


def oere(row: CsvRow, column: str, *, minimum: int | None = 0) -> int:
    value = text(row, column)
    try:
        amount = parse_oere(value)
    except MoneyError:
        raise FieldError(column, f"{value!r} is not a whole number of øre") from None
    if minimum is not None and amount < minimum:
        raise FieldError(column, f"{amount} must be at least {minimum}")
    return amount


def optional_oere(row: CsvRow, column: str) -> int | None:
    return oere(row, column) if optional(row, column) else None


def integer(row: CsvRow, column: str, *, minimum: int, maximum: int) -> int:
    value = text(row, column)
    if not re.fullmatch(r"\d+", value) or not minimum <= int(value) <= maximum:
        raise FieldError(column, f"{value!r} is not a whole number in {minimum}-{maximum}")
    return int(value)


def boolean(row: CsvRow, column: str) -> bool:
    value = row.values.get(column, "").lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise FieldError(column, f"{value!r} is not yes/no (use true/false or ja/nej)")


def choice(row: CsvRow, column: str, enum: type[E], aliases: dict[str, str] | None = None) -> E:
    value = text(row, column).lower()
    value = (aliases or {}).get(value, value)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(member.value for member in enum)
        raise FieldError(column, f"{value!r} is not one of {allowed}") from None


def cvr(row: CsvRow, column: str) -> str:
    try:
        return check_cvr(text(row, column))
    except IdentifierError as exc:
        raise FieldError(column, str(exc)) from None


def cpr(row: CsvRow, column: str) -> str | None:
    value = optional(row, column)
    if value is None:
        return None
    try:
        return check_cpr(value)
    except IdentifierError as exc:
        raise FieldError(column, str(exc)) from None  # the message masks the number


T = TypeVar("T")


class RowReader:
    """Reads the fields of one row, collecting every problem instead of stopping at the first.

    Each read returns ``fallback`` when the value is bad; the row is discarded if ``errors``.
    """

    def __init__(self, row: CsvRow) -> None:
        self.row = row
        self.errors: list[RowError] = []

    def read(self, reader: Callable[[CsvRow, str], T], column: str, fallback: T) -> T:
        try:
            return reader(self.row, column)
        except FieldError as exc:
            self.errors.append(RowError(self.row.number, exc.column, exc.message))
            return fallback

    def fail(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.row.number, column, message))
