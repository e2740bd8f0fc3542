"""A report as an Excel workbook (openpyxl): real numbers, a kr. number format, dates as dates.

Sheet 1 holds the main table: a bold header row, frozen below the header, with an autofilter;
each further table gets its own sheet; the last sheet ("I alt") names the organisation, the
day and the totals. Amounts are kroner (øre / 100) formatted ``#,##0.00 "kr."``: Excel shows
them with the reader's own separators (1.234,56 kr. in Danish).
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ledger.money import OERE_PER_KRONE
from reports.cells import as_date, as_oere, date_dk, is_missing, rows_of
from reports.model import Report, Table

KR_FORMAT = '#,##0.00 "kr."'
DATE_FORMAT = "dd-mm-yyyy"
BOLD = Font(bold=True)
TOTALS_SHEET = "I alt"
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def sheet_title(text: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique in the book."""
    base = " ".join(_SHEET_FORBIDDEN.sub(" ", text).split())[:31].strip() or "Ark"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def _cell_value(table: Table, column: str, value: object) -> object:
    if is_missing(value):
        return None
    if column in table.money_columns:
        return as_oere(value) / OERE_PER_KRONE
    if column in table.date_columns:
        return as_date(value)
    if hasattr(value, "item"):  # a numpy scalar
        return value.item()
    return value


def _fill(sheet: Worksheet, table: Table) -> None:
    columns = [str(c) for c in table.frame.columns]
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = BOLD
    for row in rows_of(table):
        sheet.append([_cell_value(table, c, v) for c, v in zip(columns, row, strict=True)])
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        number_format = (
            KR_FORMAT
            if column in table.money_columns
            else DATE_FORMAT
            if column in table.date_columns
            else None
        )
        if number_format:
            for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                cell.number_format = number_format
        longest = max([len(column), *(len(str(v)) for v in table.frame[column].tolist())])
        width = 14 if number_format else longest + 2
        sheet.column_dimensions[letter].width = max(10, min(width, 60))
    sheet.freeze_panes = "A2"
    if columns:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{max(1, sheet.max_row)}"


def _totals(sheet: Worksheet, report: Report) -> None:
    sheet.append([report.title])
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.append(["Organisation", f"{report.organisation_name} (CVR {report.organisation_cvr})"])
    sheet.append(["Opgjort pr.", date_dk(report.as_of)])
    sheet.append([])
    for total in report.labelled_totals():
        value = total.value / OERE_PER_KRONE if total.money else total.value
        sheet.append([total.label, value])
        if total.money:
            sheet.cell(row=sheet.max_row, column=2).number_format = KR_FORMAT
    for note in report.notes:
        sheet.append([])
        sheet.append([note])
    sheet.column_dimensions["A"].width = 36
    sheet.column_dimensions["B"].width = 24


def render_xlsx(report: Report) -> bytes:
    book = Workbook()
    taken: set[str] = set()
    main = book.active
    assert isinstance(main, Worksheet)
    main.title = sheet_title(report.table.title, taken)
    _fill(main, report.table)
    for table in report.extra_tables:
        _fill(book.create_sheet(sheet_title(table.title, taken)), table)
    _totals(book.create_sheet(sheet_title(TOTALS_SHEET, taken)), report)
    book.properties.title = report.title
    book.properties.creator = "almen"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
