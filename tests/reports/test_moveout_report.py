"""Move-out settlements and guarantee claims (ABL § 59, stk. 1), reconciled to the ledger."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, select

from ledger.types import Account
from reports import build_report
from reports.letters.moveout import renderers
from tests.reports.support import account_balance, check_all_formats
from tests.workflows.moveout import moveout_cases as mc
from workflows.moveout.closing import post_settlement
from workflows.moveout.models import MoveoutGuaranteeClaim, MoveoutSettlement
from workflows.moveout.settling import settle_case


def test_abl_59_stk_1_settlements_and_guarantee_claim_match_the_ledger(session: Session) -> None:
    """12-034 (assigned) is settled and posted: 2.730 kr claimed from the municipality under its
    guarantee (figures of tests/workflows/moveout/test_moveout_ledger.py). 12-035 (not
    assigned) is settled, not posted."""
    assigned = mc.tenancy(session, assigned=True)
    mc.rent_jan_to_mar(session, assigned)
    case = mc.noticed_and_invoiced(session, assigned)
    settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
    post_settlement(
        session, case, actor="test", today=mc.SETTLE_ON,
        render_guarantee_claim=renderers().guarantee_claim,
    )  # fmt: skip
    other = mc.tenancy(session, unit="12-035")
    mc.rent_jan_to_mar(session, other)
    other_case = mc.noticed_and_invoiced(session, other)
    settle_case(session, other_case, as_of=mc.SETTLE_ON, actor="test")
    org_id = assigned.organisation_id

    assert build_report(session, org_id, "moveout-settlements", date(2026, 5, 9)).frame.empty
    report = build_report(session, org_id, "moveout-settlements", mc.SETTLE_ON)
    rows = report.frame.set_index("Lejemål").to_dict("index")
    first = rows["12-034"]
    assert (first["Status"], first["Krav i alt"], first["Modregnet i indskud"]) == (
        "Bogført", 2_273_000, 2_000_000,
    )  # fmt: skip
    assert (first["Dækkes af garanti"], first["Garantikrav"], first["Lejer skylder"]) == (
        273_000, 273_000, 0,
    )  # fmt: skip
    assert first["Fraflyttet"] == mc.END
    assert rows["12-035"]["Status"] == "Opgjort" and rows["12-035"]["Garantikrav"] == 0
    settlements = session.exec(select(MoveoutSettlement)).all()
    [claim] = session.exec(select(MoveoutGuaranteeClaim)).all()
    assert report.totals["settlements"] == len(settlements) == 2
    assert report.totals["posted"] == 1
    for key in ("claims_total_oere", "deposit_applied_oere", "tenant_owes_oere", "refund_oere"):
        assert report.totals[key] == sum(getattr(s, key) for s in settlements), key
    # What the posted settlement claims of the municipality is on the receivable account.
    receivable = account_balance(session, org_id, Account.GUARANTEE_RECEIVABLE, as_of=mc.SETTLE_ON)
    assert report.totals["guarantee_claimed_oere"] == claim.amount_oere == receivable == 273_000
    assert report.totals["guarantee_claims"] == 1
    check_all_formats(report)
    # The deposit was recognised and used up in the posting: nothing held any more.
    deposits = build_report(session, org_id, "deposits", mc.SETTLE_ON)
    assert deposits.totals["held_oere"] == 0 == -account_balance(session, org_id, Account.DEPOSIT)
