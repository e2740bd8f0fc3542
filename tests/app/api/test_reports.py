"""``/api/v1/organisations/{cvr}/reports``: the list, a report's totals (reconciled to the
ledger), and the files in each format."""

from __future__ import annotations

import io

import pandas as pd
import sqlalchemy as sa
from sqlmodel import col, select

from ledger.models import LedgerEntry, Tenancy
from ledger.types import Account
from reports import REPORTS
from tests.app.api.world import TODAY, World, uow


def test_the_list_names_every_report_in_danish(world: World) -> None:
    listed = world.get("/reports", "auditor")
    assert listed.status_code == 200, listed.text
    assert [r["name"] for r in listed.json()] == list(REPORTS)
    titles = {r["name"]: r["title"] for r in listed.json()}
    assert titles["deposits"] == REPORTS["deposits"].title


def test_aging_totals_reconcile_to_the_debtor_accounts(world: World) -> None:
    answer = world.get("/reports/arrears-aging/totals", "auditor", params={"as_of": "2026-04-24"})
    assert answer.status_code == 200, answer.text
    totals = answer.json()["totals"]
    with uow(world.engine) as session:
        debtor = session.exec(
            select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount_oere), 0))
            .join(Tenancy, col(Tenancy.id) == col(LedgerEntry.tenancy_id))
            .where(
                col(LedgerEntry.organisation_id) == world.a.id,
                col(LedgerEntry.account) == Account.DEBTOR,
                col(LedgerEntry.due_date) <= TODAY,
            )
        ).one()
    assert debtor > 0  # the A case's rent and fee are unpaid
    assert totals["total_oere"] == debtor
    assert answer.json()["labels"]["total_oere"]


def test_each_format_downloads_with_its_name_and_type(world: World) -> None:
    csv = world.get(
        "/reports/deposits", "accountant", params={"format": "csv", "as_of": "2026-04-24"}
    )
    assert csv.status_code == 200, csv.text
    assert csv.headers["content-type"].startswith("text/csv")
    assert f"deposits_{world.a.cvr}_2026-04-24.csv" in csv.headers["content-disposition"]
    frame = pd.read_csv(io.BytesIO(csv.content), sep=";", encoding="utf-8-sig")
    assert len(frame.columns) >= 2
    pdf = world.get("/reports/arrears-aging", "accountant", params={"format": "pdf"})
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    xlsx = world.get("/reports/cases-by-state", "accountant", params={"format": "xlsx"})
    assert xlsx.status_code == 200 and xlsx.content.startswith(b"PK")


def test_unknown_reports_and_formats_are_named(world: World) -> None:
    missing = world.get("/reports/no-such-report", "auditor")
    assert missing.status_code == 404 and "arrears-aging" in missing.json()["detail"]
    bad = world.get("/reports/deposits", "auditor", params={"format": "docx"})
    assert bad.status_code == 422 and "format" in str(bad.json()["detail"])


def test_another_organisations_report_is_not_found(world: World) -> None:
    other = world.client.get(
        world.url("/reports/deposits/totals", world.b.cvr), headers=world.bearer("chief")
    )
    assert other.status_code == 404
