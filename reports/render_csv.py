"""A report as CSV for Excel in Danish: semicolon separated, UTF-8 with BOM, CRLF.

Amounts in kroner with a decimal comma and no thousands separator ("1234,56"), which Danish
Excel reads as numbers; the heading of a money column says "(kr.)". Dates dd-mm-yyyy. The
main table comes first (its header is the file's first line); each further table follows
after an empty line and a line with its title; the totals come last the same way, as
label;value lines.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from reports.cells import cell_text, kroner_plain, rows_of
from reports.model import Report, Table

BOM = "\ufeff"
DELIMITER = ";"
TOTALS_TITLE = "I alt"


def heading(table: Table, column: str) -> str:
    return f"{column} (kr.)" if column in table.money_columns else column


def _write_table(writer: Any, table: Table) -> None:  # a csv.writer (typeshed: _csv._writer)
    columns = [str(c) for c in table.frame.columns]
    writer.writerow([heading(table, c) for c in columns])
    for row in rows_of(table):
        writer.writerow(
            [cell_text(table, c, v, grouped=False) for c, v in zip(columns, row, strict=True)]
        )


def render_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=DELIMITER, lineterminator="\r\n")
    _write_table(writer, report.table)
    for table in report.extra_tables:
        writer.writerow([])
        writer.writerow([table.title])
        _write_table(writer, table)
    writer.writerow([])
    writer.writerow([TOTALS_TITLE])
    for total in report.labelled_totals():
        value = kroner_plain(total.value) if total.money else str(total.value)
        label = f"{total.label} (kr.)" if total.money else total.label
        writer.writerow([label, value])
    return (BOM + out.getvalue()).encode("utf-8")
