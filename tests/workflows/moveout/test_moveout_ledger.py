"""The settlement from the ledger and back onto it: figures worked by hand in each test."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, col, select

from ledger.accounts import tenancy_statement
from ledger.models import LedgerEntry, Tenancy
from ledger.types import Account
from reports.letters.moveout import renderers
from tests.workflows.moveout import moveout_cases as mc
from workflows.moveout.closing import post_settlement
from workflows.moveout.entries import add_attachment, add_claim
from workflows.moveout.models import CaseState, MoveoutGuaranteeClaim
from workflows.moveout.service import CaseUpdate, MoveoutError, record
from workflows.moveout.settling import settle_case


def account_total(session: Session, t: Tenancy, account: Account) -> int:
    total = session.exec(
        select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount_oere), 0)).where(
            LedgerEntry.tenancy_id == t.id, LedgerEntry.account == account
        )
    ).one()
    return int(total)


def entry_count(session: Session) -> int:
    return int(session.exec(select(sa.func.count()).select_from(LedgerEntry)).one())


def test_abl_59_stk_1_assigned_tenant_repairs_beyond_the_deposit_land_as_guarantee_receivable(
    session: Session,
) -> None:
    t = mc.tenancy(session, assigned=True)
    mc.rent_jan_to_mar(session, t)  # March's 6.500 kr unpaid
    case = mc.noticed_and_invoiced(session, t)
    row = settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
    # 1 Mar 2023 -> 31 Mar 2026: 37 full months, the tenant pays 63 % of normal refurbishment.
    assert row.result["full_months"] == 37
    assert row.result["normal_refurbishment_tenant_oere"] == 1_323_000  # 2.100.000 x 63 %
    assert row.result["damage_tenant_oere"] == 300_000
    assert row.result["repairs_overrun_oere"] == 0  # cap 1.260.000 x 1,1 = 1.386.000
    assert row.claims_total_oere == 2_273_000  # 650.000 + 1.323.000 + 300.000
    assert row.deposit_applied_oere == 2_000_000  # rent 650.000 first, then 1.350.000 repairs
    assert row.guarantee_claim_oere == 273_000  # 1.623.000 - 1.350.000
    assert row.tenant_owes_oere == 0
    assert row.refund_oere == 0
    assert row.input["open_items"] == [{"text": "Husleje", "amount_oere": 650_000, "kind": "rent"}]

    outcome = post_settlement(
        session, case, actor="test", today=mc.SETTLE_ON,
        render_guarantee_claim=renderers().guarantee_claim,
    )  # fmt: skip
    assert outcome.posted == 4  # opening, charges, set-off, guarantee (no rest, no credit)
    assert case.state is CaseState.POSTED
    statement = tenancy_statement(session, t.organisation_id, t.id or 0, mc.SETTLE_ON)
    assert statement.balance_oere == 0 == row.tenant_owes_oere
    assert statement.open_items == ()
    assert account_total(session, t, Account.DEPOSIT) == 0  # -2.000.000 opened, +2.000.000 used
    assert account_total(session, t, Account.OPENING_BALANCE) == 2_000_000
    assert account_total(session, t, Account.GUARANTEE_RECEIVABLE) == 273_000
    claim = session.exec(select(MoveoutGuaranteeClaim)).one()
    assert claim.amount_oere == 273_000 and claim.municipality_code == 751
    assert claim.document_id is not None
    assert claim.payload["amount_oere"] == 273_000
    assert [r["claimed_oere"] for r in claim.payload["repairs"]] == [0, 273_000]
    assert "cpr" not in str(claim.payload).lower()


def test_posting_the_settlement_twice_changes_nothing(session: Session) -> None:
    t = mc.tenancy(session, assigned=True)
    mc.rent_jan_to_mar(session, t)
    case = mc.noticed_and_invoiced(session, t)
    settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
    first = post_settlement(session, case, actor="test", today=mc.SETTLE_ON)
    entries = entry_count(session)
    second = post_settlement(session, case, actor="test", today=date(2026, 6, 1))
    assert (second.posted, second.already_posted) == (0, first.posted)
    assert entry_count(session) == entries
    assert second.tenant_balance_oere == first.tenant_balance_oere == 0
    assert len(session.exec(select(MoveoutGuaranteeClaim)).all()) == 1
    with pytest.raises(MoveoutError, match="posted"):
        settle_case(session, case, as_of=date(2026, 6, 1), actor="test")


def test_all_94_stk_2_missed_repair_notice_lapses_the_repairs_in_the_posted_settlement(
    session: Session,
) -> None:
    t = mc.tenancy(session)
    mc.rent_jan_to_mar(session, t)
    case = mc.inspected(session, t)  # inspection 14 April; no notice by 28 April
    mc.invoice(session, case, 1, "F-1001", 2_100_000)
    with pytest.raises(MoveoutError, match="deadline 2026-04-28 has not passed"):
        settle_case(session, case, as_of=date(2026, 4, 28), actor="test")
    row = settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
    assert row.result["repairs_lapsed"] is True
    assert row.result["repairs_tenant_oere"] == 0
    assert row.claims_total_oere == 650_000  # March's rent stays (seed 003)
    assert row.refund_oere == 1_350_000  # 2.000.000 - 650.000
    post_settlement(session, case, actor="test", today=mc.SETTLE_ON)
    charged = session.exec(
        select(LedgerEntry).where(
            LedgerEntry.tenancy_id == t.id, col(LedgerEntry.text).contains("Maling")
        )
    ).all()
    assert charged == []  # the lapsed repair never reaches the tenant's account
    assert tenancy_statement(session, t.organisation_id, t.id or 0, mc.SETTLE_ON).balance_oere == 0
    assert account_total(session, t, Account.REFUND_PAYABLE) == -1_350_000
    assert account_total(session, t, Account.DEPOSIT) == 0


def test_deposit_larger_than_all_claims_pays_loan_then_attachments_then_the_tenant(
    session: Session,
) -> None:
    t = mc.tenancy(session)
    mc.rent_jan_to_mar(session, t, paid_months=3)  # nothing unpaid
    case = mc.noticed_and_invoiced(session, t)
    record(session, case, CaseUpdate(indskudslaan_oere=200_000), actor="test", as_of=mc.SETTLE_ON)
    add_claim(session, case, text="Rensning af tæppe", amount_oere=50_000, actor="test")
    add_attachment(
        session, case, creditor="Gældsstyrelsen", amount_oere=100_000,
        registered_on=date(2026, 4, 1), actor="test",
    )  # fmt: skip
    add_attachment(
        session, case, creditor="Bank A/S", amount_oere=900_000,
        registered_on=date(2026, 4, 15), actor="test",
    )  # fmt: skip
    t.deposit_oere = 4_000_000
    session.add(t)
    row = settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
    assert row.claims_total_oere == 1_673_000  # 50.000 + 1.323.000 + 300.000
    assert row.paid_to_indskudslaan_oere == 200_000
    assert [p["amount_oere"] for p in row.result["paid_to_attachments"]] == [100_000, 900_000]
    assert row.refund_oere == 1_127_000  # 4.000.000 - 1.673.000 - 200.000 - 1.000.000
    post_settlement(session, case, actor="test", today=mc.SETTLE_ON)
    assert tenancy_statement(session, t.organisation_id, t.id or 0, mc.SETTLE_ON).balance_oere == 0
    assert account_total(session, t, Account.DEPOSIT) == 0
    assert account_total(session, t, Account.INDSKUDSLAAN_PAYABLE) == -200_000
    assert account_total(session, t, Account.ATTACHMENT_PAYABLE) == -1_000_000
    assert account_total(session, t, Account.REFUND_PAYABLE) == -1_127_000


def test_debt_left_after_the_deposit_stays_on_the_tenants_account(session: Session) -> None:
    t = mc.tenancy(session)  # not assigned: no guarantee
    mc.rent_jan_to_mar(session, t, paid_months=0)  # 19.500 kr unpaid
    case = mc.noticed_and_invoiced(session, t)
    row = settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
    assert row.tenant_owes_oere == 1_573_000  # 1.950.000 + 1.623.000 - 2.000.000
    post_settlement(session, case, actor="test", today=mc.SETTLE_ON)
    statement = tenancy_statement(session, t.organisation_id, t.id or 0, mc.SETTLE_ON)
    assert statement.balance_oere == 1_573_000
    assert sum(item.open_oere for item in statement.open_items) == 1_573_000
    assert statement.overdue_pligtig_oere == 0  # what is left is repairs, not pligtig rent


def test_a_payment_after_settling_must_be_settled_again_before_posting(session: Session) -> None:
    t = mc.tenancy(session)
    mc.rent_jan_to_mar(session, t)
    case = mc.noticed_and_invoiced(session, t)
    settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
    from tests import factories

    factories.pay(session, t, 650_000, date(2026, 5, 8))  # paid before the settlement day
    with pytest.raises(MoveoutError, match="settle again"):
        post_settlement(session, case, actor="test", today=mc.SETTLE_ON)
