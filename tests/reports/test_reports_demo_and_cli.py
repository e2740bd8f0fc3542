"""Every report of the demo organisation in every format, and ``almen report``."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlmodel import Session, select

from app.demo import DEMO_CVR
from ledger.accounts import tenancy_statement
from ledger.models import Organisation, Tenancy
from ledger.registry import require_organisation
from ledger.types import Account
from reports import CONTENT_TYPES, FORMATS, REPORTS, UnknownReport, build_report, report_filename
from tests import factories
from tests.cli import Runner
from tests.reports.support import account_balance, check_all_formats, csv_main_table, pdf_text

AS_OF = date(2026, 11, 21)


@pytest.fixture
def demo(session: Session, cli: Runner, tmp_path: Path) -> Organisation:
    made = cli(
        "demo", "--files", str(tmp_path / "files"), "--as-of", AS_OF.isoformat(), "--nights", "20"
    )
    assert made.code == 0, made.err
    return require_organisation(session, DEMO_CVR)


@pytest.mark.slow
def test_every_report_of_the_demo_reconciles_and_renders_in_every_format(
    session: Session, demo: Organisation
) -> None:
    assert demo.id is not None
    reports = {name: build_report(session, demo.id, name, AS_OF) for name in REPORTS}
    for report in reports.values():
        check_all_formats(report)
    tenancies = session.exec(select(Tenancy.id).where(Tenancy.organisation_id == demo.id)).all()
    statements = [tenancy_statement(session, demo.id, t or 0, AS_OF) for t in tenancies]
    open_total = sum(i.open_oere for s in statements for i in s.open_items)
    assert reports["arrears-aging"].totals["total_oere"] == open_total > 0
    assert reports["arrears-aging"].totals["tenancies"] == sum(
        1 for s in statements if s.open_items
    )
    fees = reports["pakrav-fees"].totals
    assert fees["pakrav_sent"] > 0
    assert fees["fees_oere"] == -account_balance(
        session, demo.id, Account.INCOME, as_of=AS_OF, charge_code="PAKRAVSGEBYR"
    )
    assert reports["cases-by-state"].totals["fees_oere"] == fees["fees_oere"]
    assert reports["notifications"].totals["notifications"] > 0
    assert reports["deposits"].totals["held_oere"] == -account_balance(
        session, demo.id, Account.DEPOSIT, as_of=AS_OF
    )


def test_an_unknown_report_names_the_valid_ones(session: Session) -> None:
    org = factories.organisation(session)
    with pytest.raises(UnknownReport) as raised:
        build_report(session, org.id or 0, "aging", AS_OF)
    assert "arrears-aging" in str(raised.value) and "bs-reconciliation" in str(raised.value)
    assert raised.value.valid == sorted(REPORTS)


def test_file_names_and_content_types(session: Session) -> None:
    org = factories.organisation(session)
    report = build_report(session, org.id or 0, "deposits", AS_OF)
    assert report_filename(report, "xlsx") == f"deposits_{factories.CVR}_2026-11-21.xlsx"
    assert set(CONTENT_TYPES) == set(FORMATS) == {"csv", "xlsx", "pdf"}
    assert CONTENT_TYPES["pdf"] == "application/pdf"


def test_almen_report_list(cli_nodb: Runner) -> None:
    listed = cli_nodb("report", "list", "--json")
    assert listed.code == 0, listed.err
    assert [r["name"] for r in listed.json()] == list(REPORTS)
    assert all(r["title"] for r in listed.json())


@pytest.mark.parametrize("fmt", FORMATS)
def test_almen_report_writes_the_file(
    session: Session, cli: Runner, tmp_path: Path, fmt: str
) -> None:
    org = factories.organisation(session)
    t = factories.tenancy(session, org, "1-101")
    factories.charge(session, t, 650_000, date(2026, 8, 1))
    out = tmp_path / f"aging.{fmt}"
    result = cli(
        "report", "arrears-aging", "--format", fmt, "--out", str(out),
        "--organisation", factories.CVR, "--as-of", "2026-11-21", "--json",
    )  # fmt: skip
    assert result.code == 0, result.err
    assert result.json()["totals"]["days_over_90_oere"] == 650_000
    data = out.read_bytes()
    if fmt == "csv":
        assert csv_main_table(data)["Over 90 dage (kr.)"].tolist() == ["6500,00"]
    elif fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).worksheets[0]
        assert sheet.freeze_panes == "A2"
        assert sheet["F2"].value == 6500 and sheet["F2"].number_format == '#,##0.00 "kr."'
    else:
        text = pdf_text(data)
        assert "Restancer fordelt på alder" in text and "6.500,00 kr." in text
        assert "Opgjort pr. 21-11-2026" in text


def test_almen_report_takes_the_only_organisation_and_the_format_from_the_suffix(
    session: Session, cli: Runner, tmp_path: Path
) -> None:
    factories.organisation(session)
    out = tmp_path / "cases.pdf"
    result = cli("report", "cases-by-state", "--out", str(out))
    assert result.code == 0, result.err
    assert "Restancesager fordelt på tilstand" in pdf_text(out.read_bytes())


def test_almen_report_refuses_bad_input_in_one_line(
    session: Session, cli: Runner, tmp_path: Path
) -> None:
    factories.organisation(session)
    factories.organisation(session, cvr=factories.OTHER_CVR)
    session.commit()  # (the test's savepoint: a failed command rolls back to here)
    unknown = cli("report", "aging", "--out", str(tmp_path / "a.csv"))
    assert unknown.code == 1 and "arrears-aging" in unknown.err
    two = cli("report", "deposits", "--out", str(tmp_path / "d.csv"))
    assert two.code == 1 and "--organisation" in two.err
    no_suffix = cli("report", "deposits", "--out", str(tmp_path / "d"), "--organisation",
                    factories.CVR)  # fmt: skip
    assert no_suffix.code == 1 and "--format" in no_suffix.err
    no_folder = cli("report", "deposits", "--out", str(tmp_path / "nope" / "d.csv"),
                    "--organisation", factories.CVR)  # fmt: skip
    assert no_folder.code == 1 and "no folder" in no_folder.err
    assert not list(tmp_path.iterdir())
