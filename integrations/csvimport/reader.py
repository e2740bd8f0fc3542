"""Reading CSV files as accountants export them: UTF-8 or Windows-1252, comma or semicolon."""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from integrations.csvimport.errors import ImportRejected, RowError

MAX_FILE_BYTES = 200 * 1024 * 1024
MAX_ROWS = 2_000_000


@dataclass(frozen=True, slots=True)
class CsvRow:
    number: int  # the spreadsheet row number; the header is row 1
    values: dict[str, str]


@dataclass(frozen=True, slots=True)
class CsvFile:
    filename: str
    sha256: str
    columns: tuple[str, ...]
    rows: tuple[CsvRow, ...]


def read_csv(path: Path) -> CsvFile:
    """Read ``path``; column names are matched case-insensitively and without blanks."""
    if not path.is_file():
        raise ImportRejected([RowError(0, "", f"no such file: {path}")])
    data = path.read_bytes()
    return parse_csv(data, path.name)


def parse_csv(data: bytes, filename: str) -> CsvFile:
    if len(data) > MAX_FILE_BYTES:
        raise ImportRejected([RowError(0, "", f"file is larger than {MAX_FILE_BYTES} bytes")])
    text = _decode(data)
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ImportRejected([RowError(1, "", "the file is empty: expected a header row")])
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = tuple(column.strip().lower() for column in next(reader))
    rows = []
    for number, record in enumerate(reader, start=2):
        if number > MAX_ROWS:
            raise ImportRejected([RowError(number, "", f"more than {MAX_ROWS} rows")])
        if not any(value.strip() for value in record):
            continue  # blank line
        if len(record) > len(header):
            raise ImportRejected(
                [RowError(number, "", f"{len(record)} values but {len(header)} columns")]
            )
        values = {column: value.strip() for column, value in zip(header, record, strict=False)}
        rows.append(CsvRow(number, values))
    return CsvFile(filename, hashlib.sha256(data).hexdigest(), header, tuple(rows))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="strict")


def require_columns(file: CsvFile, required: Sequence[str]) -> None:
    """Refuse a file that lacks a required column (extra columns are allowed)."""
    missing = [column for column in required if column not in file.columns]
    if missing:
        raise ImportRejected(
            [RowError(1, column, "required column is missing") for column in missing]
        )
