"""Reading rendered reports back, and ledger sums computed without the report code."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pandas as pd
import sqlalchemy as sa
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlmodel import Session, col, select

from ledger.models import ChargeType, LedgerEntry, Posting
from ledger.money import format_kr
from ledger.types import Account
from reports import Report, render_report


def account_balance(
    session: Session,
    organisation_id: int,
    account: Account,
    *,
    as_of: date | None = None,
    charge_code: str | None = None,
) -> int:
    """The sum of every line on ``account`` (booked on or before ``as_of``)."""
    query = (
        select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount_oere), 0))
        .join(Posting, col(Posting.id) == col(LedgerEntry.posting_id))
        .where(LedgerEntry.organisation_id == organisation_id, LedgerEntry.account == account)
    )
    if as_of is not None:
        query = query.where(Posting.booking_date <= as_of)
    if charge_code is not None:
        query = query.join(ChargeType, col(ChargeType.id) == col(LedgerEntry.charge_type_id)).where(
            ChargeType.code == charge_code
        )
    return int(session.exec(query).one())


def kroner(oere: int) -> Decimal:
    return Decimal(oere) / 100


def csv_main_table(data: bytes) -> pd.DataFrame:
    """The first table of a report's CSV (up to the first empty line), as pandas reads it."""
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM"
    text = data.decode("utf-8-sig")
    first = text.split("\r\n\r\n", 1)[0]
    return pd.read_csv(io.StringIO(first), sep=";", decimal=",", dtype=str, keep_default_na=False)


def csv_totals(data: bytes) -> dict[str, str]:
    text = data.decode("utf-8-sig")
    block = text.rsplit("\r\n\r\n", 1)[1].strip().split("\r\n")
    assert block[0] == "I alt"
    return dict(line.split(";", 1) for line in block[1:])


def xlsx_sheets(data: bytes) -> dict[str, list[tuple[object, ...]]]:
    book = load_workbook(io.BytesIO(data))
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets}


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def check_all_formats(report: Report) -> None:
    """Render ``report`` as CSV, XLSX and PDF and read each back: same rows, same totals."""
    frame = report.frame
    money = set(report.table.money_columns)
    # CSV: the main table comes back cell for cell; money as kroner with a decimal comma.
    parsed = csv_main_table(render_report(report, "csv"))
    headings = [f"{c} (kr.)" if c in money else c for c in frame.columns]
    assert list(parsed.columns) == headings
    assert len(parsed) == len(frame)
    for column, heading in zip(frame.columns, headings, strict=True):
        if column in money:
            got = [Decimal(v.replace(",", ".")) for v in parsed[heading]]
            assert got == [kroner(int(v)) for v in frame[column]], column
    totals = csv_totals(render_report(report, "csv"))
    for total in report.labelled_totals():
        key = f"{total.label} (kr.)" if total.money else total.label
        expected = kroner(total.value) if total.money else Decimal(total.value)
        assert Decimal(totals[key].replace(",", ".")) == expected, key
    # XLSX: header row, then the rows; money as numbers in kroner; totals on the last sheet.
    sheets = xlsx_sheets(render_report(report, "xlsx"))
    rows = next(iter(sheets.values()))
    assert list(rows[0]) == list(frame.columns)
    assert len(rows) == len(frame) + 1
    for index, column in enumerate(frame.columns):
        if column in money:
            got = [Decimal(str(row[index])) for row in rows[1:]]
            assert got == [kroner(int(v)) for v in frame[column]], column
    last = list(sheets.values())[-1]
    values = {row[0]: row[1] for row in last if row and len(row) > 1}
    for total in report.labelled_totals():
        expected = kroner(total.value) if total.money else Decimal(total.value)
        assert Decimal(str(values[total.label])) == expected, total.label
    # PDF: the title, the organisation, the day and every total as printed.
    text = pdf_text(render_report(report, "pdf"))
    assert report.title in text
    assert f"CVR {report.organisation_cvr}" in text
    as_of = report.as_of
    assert f"Opgjort pr. {as_of.day:02d}-{as_of.month:02d}-{as_of.year}" in text
    for total in report.labelled_totals():
        if total.money:
            assert format_kr(total.value, suffix=True) in text, total.label
