"""The three formats on made-up reports: the CSV dialect, Excel types, PDF pages and fonts."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from ledger.money import MAX_AMOUNT_OERE, parse_kroner
from reports import Chart, Report, Table, render_report
from reports.cells import kroner_plain
from reports.render_xlsx import sheet_title
from tests.reports.support import check_all_formats, csv_main_table, pdf_text

AS_OF = date(2026, 11, 21)


def _report(rows: list[dict[str, object]], *, extra: tuple[Table, ...] = ()) -> Report:
    frame = pd.DataFrame(rows, columns=["Lejemål", "Lejer", "Forfald", "Beløb"])
    return Report(
        name="test-report",
        title="Prøverapport",
        as_of=AS_OF,
        organisation_name="Boligselskabet Test",
        organisation_cvr="13585628",
        table=Table("Poster", frame, money_columns=("Beløb",), date_columns=("Forfald",)),
        totals={"amount_oere": sum(int(str(r["Beløb"])) for r in rows), "rows": len(rows)},
        total_labels={"amount_oere": "Beløb i alt", "rows": "Poster"},
        chart=Chart("Beløb", ("a", "b"), (100, -50)),
        extra_tables=extra,
    )


ROWS: list[dict[str, object]] = [
    {"Lejemål": "1-101", "Lejer": "Søren Ågård", "Forfald": date(2026, 11, 1), "Beløb": 123_456},
    {"Lejemål": "1-102", "Lejer": 'Anne; "Bo"', "Forfald": None, "Beløb": -50},
]


def test_csv_is_semicolon_utf8_bom_crlf_with_decimal_comma_and_danish_dates() -> None:
    data = render_report(_report(ROWS), "csv")
    assert data.startswith(b"\xef\xbb\xbfLejem\xc3\xa5l;Lejer;Forfald;Bel\xc3\xb8b (kr.)\r\n")
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[1] == "1-101;Søren Ågård;01-11-2026;1234,56"
    assert lines[2] == '1-102;"Anne; ""Bo""";;-0,50'  # quoted as RFC 4180 says
    assert lines[-4:] == ["I alt", "Beløb i alt (kr.);1234,06", "Poster;2", ""]
    parsed = csv_main_table(data)
    assert parsed["Lejer"].tolist() == ["Søren Ågård", 'Anne; "Bo"']


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_csv_amounts_read_back_as_the_same_oere(oere: int) -> None:
    text = kroner_plain(oere)
    assert "." not in text and Decimal(text.replace(",", ".")) * 100 == oere
    if abs(oere) <= MAX_AMOUNT_OERE:
        assert parse_kroner(text) == oere  # as the ledger's own parser reads kroner


def test_xlsx_has_real_numbers_dates_a_frozen_header_and_a_totals_sheet() -> None:
    extra = Table("Uafstemte: indbetalinger/andet [test]", pd.DataFrame({"x": [1]}))
    book = load_workbook(io.BytesIO(render_report(_report(ROWS, extra=(extra,)), "xlsx")))
    main, second, totals = book.worksheets
    assert (main.title, second.title, totals.title) == (
        "Poster", "Uafstemte indbetalinger andet t", "I alt",
    )  # fmt: skip
    assert main.freeze_panes == "A2" and main["A1"].font.bold
    assert main["C2"].value.date() == date(2026, 11, 1) and main["C2"].number_format == "dd-mm-yyyy"
    assert main["D2"].value == 1234.56 and main["D2"].number_format == '#,##0.00 "kr."'
    assert main["D3"].value == -0.5 and main["C3"].value is None
    assert [row[0].value for row in totals.iter_rows()][:3] == [
        "Prøverapport", "Organisation", "Opgjort pr.",
    ]  # fmt: skip


def test_sheet_titles_are_short_legal_and_unique() -> None:
    taken: set[str] = set()
    first = sheet_title("x" * 40, taken)
    second = sheet_title("x" * 40, taken)
    assert len(first) == 31 and len(second) == 31 and first != second


@pytest.mark.parametrize("name", ["Jens Hansen", "Łukasz Wiśniewski"], ids=["core", "unicode"])
def test_a_long_table_runs_over_pages_with_its_header_on_every_page(name: str) -> None:
    """Also in the embedded font, where a page number drawn in the wrong font is garbage."""
    rows: list[dict[str, object]] = [
        {"Lejemål": f"1-{n:03d}", "Lejer": name, "Forfald": AS_OF, "Beløb": n * 100}
        for n in range(150)
    ]
    report = _report(rows)
    pages = PdfReader(io.BytesIO(render_report(report, "pdf"))).pages
    assert len(pages) >= 3
    for number, page in enumerate(pages, start=1):
        text = page.extract_text()
        assert f"Side {number} af {len(pages)}" in text
        if number < len(pages):
            assert "Beløb (kr.)" in text
    assert float(pages[0].mediabox.width) < float(pages[0].mediabox.height)  # portrait
    check_all_formats(report)


def test_a_name_outside_latin_1_switches_to_the_embedded_font_and_prints() -> None:
    rows = [{**ROWS[0], "Lejer": "Łukasz Wiśniewski"}]
    text = pdf_text(render_report(_report(rows), "pdf"))
    assert "Łukasz Wiśniewski" in text and "1.234,56 kr." in text


def test_a_wide_table_is_set_in_landscape() -> None:
    columns = {f"Kolonne nummer {n}": ["en temmelig lang tekst i hver celle"] for n in range(8)}
    report = Report(
        name="wide", title="Bred", as_of=AS_OF, organisation_name="Test", organisation_cvr="1",
        table=Table("Bred tabel", pd.DataFrame(columns)), totals={}, total_labels={},
    )  # fmt: skip
    page = PdfReader(io.BytesIO(render_report(report, "pdf"))).pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)


def test_an_unknown_format_is_refused() -> None:
    from reports import ReportError

    with pytest.raises(ReportError, match="csv, xlsx, pdf"):
        render_report(_report(ROWS), "docx")  # type: ignore[arg-type]
