"""Påkrav and fees per month, and cases by state, from real nightly runs (ALL § 90, stk. 2)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, select

from ledger.accounts import reallocate
from ledger.charge_types import PAKRAV_FEE
from ledger.models import LedgerEntry, Organisation
from ledger.posting import post_many, reversal_of
from ledger.types import Account
from reports import build_report
from tests import factories
from tests.reports.support import account_balance, check_all_formats
from tests.workflows.arrears.helpers import D, cases_of, nights
from workflows.arrears.models import ArrearsCase
from workflows.arrears.states import CaseState

RENT = 650_000
FEE_2026 = 33_500


def _organisation(session: Session) -> Organisation:
    """A pays nothing, B pays April on time, C pays nothing; nights 1 April to 12 May 2026:
    påkrav to A and C on Thursday 9 April for April, and on Wednesday 6 May for May."""
    org = factories.organisation(session, ledger_start=D(2026, 4, 1))
    a = factories.tenancy(session, org, "1-101", start=D(2025, 1, 1), rent_oere=RENT)
    b = factories.tenancy(session, org, "1-102", start=D(2025, 1, 1), rent_oere=RENT)
    factories.tenancy(session, org, "1-103", start=D(2025, 1, 1), rent_oere=RENT)
    nights(session, org, D(2026, 4, 1), D(2026, 4, 1))
    factories.pay(session, b, RENT, D(2026, 4, 1))
    nights(session, org, D(2026, 4, 2), D(2026, 4, 30))
    factories.pay(session, b, RENT, D(2026, 5, 1))
    nights(session, org, D(2026, 5, 1), D(2026, 5, 12))
    assert [c.pakrav_date for c in cases_of(session, a)] == [D(2026, 4, 9), D(2026, 5, 6)]
    return org


def _fee_income(session: Session, org: Organisation, as_of: date) -> int:
    """The fee income account, independently of the report: what the ledger earned in fees."""
    return -account_balance(
        session, org.id or 0, Account.INCOME, as_of=as_of, charge_code=PAKRAV_FEE
    )


def test_all_90_stk_2_pakrav_and_fees_per_month_reconcile_with_the_ledger(
    session: Session,
) -> None:
    org = _organisation(session)
    assert org.id is not None
    report = build_report(session, org.id, "pakrav-fees", D(2026, 5, 12))
    assert report.frame.to_dict("records") == [
        {"Måned": "2026-04", "Påkrav sendt": 2, "Gebyrer bogført": 2,
         "Gebyrer tilbageført": 0, "Gebyrer netto": 2 * FEE_2026},
        {"Måned": "2026-05", "Påkrav sendt": 2, "Gebyrer bogført": 2,
         "Gebyrer tilbageført": 0, "Gebyrer netto": 2 * FEE_2026},
    ]  # fmt: skip
    assert report.totals["fees_oere"] == 4 * FEE_2026 == _fee_income(session, org, D(2026, 5, 12))
    sent = session.exec(
        select(sa.func.count()).where(ArrearsCase.pakrav_date.is_not(None))  # type: ignore[union-attr]
    ).one()
    assert report.totals["pakrav_sent"] == sent == 4
    # As of 5 May: only April's.
    april = build_report(session, org.id, "pakrav-fees", D(2026, 5, 5))
    assert (april.totals["pakrav_sent"], april.totals["fees_oere"]) == (2, 2 * FEE_2026)
    assert april.totals["fees_oere"] == _fee_income(session, org, D(2026, 5, 5))
    check_all_formats(report)


def test_a_reversed_fee_leaves_the_net_fee_total_equal_to_the_ledger(session: Session) -> None:
    org = _organisation(session)
    assert org.id is not None
    fee_entry = session.exec(
        select(LedgerEntry).where(LedgerEntry.id == cases_of_fee_entry(session))
    ).one()
    reversal = reversal_of(
        session, fee_entry.posting_id, effective_date=D(2026, 5, 12), booking_date=D(2026, 5, 12),
        source="test", external_ref="fee-credit", text="Gebyr krediteret", created_by="test",
    )  # fmt: skip
    result = post_many(session, [reversal])
    reallocate(session, org.id, result.tenancy_ids)
    report = build_report(session, org.id, "pakrav-fees", D(2026, 5, 12))
    may = report.frame.set_index("Måned").loc["2026-05"]
    assert (int(may["Gebyrer tilbageført"]), int(may["Gebyrer netto"])) == (1, FEE_2026)
    assert report.totals["fees_oere"] == 3 * FEE_2026 == _fee_income(session, org, D(2026, 5, 12))


def cases_of_fee_entry(session: Session) -> int:
    case = session.exec(select(ArrearsCase).where(ArrearsCase.pakrav_date == D(2026, 4, 9))).first()
    assert case is not None and case.fee_entry_id is not None
    return case.fee_entry_id


def test_cases_by_state_follow_each_case_history_to_the_day(session: Session) -> None:
    org = _organisation(session)
    assert org.id is not None

    def states(day: date) -> dict[str, int]:
        report = build_report(session, org.id or 0, "cases-by-state", day)
        return {
            row["Tilstand"]: row["Sager"] for row in report.frame.to_dict("records") if row["Sager"]
        }

    assert states(D(2026, 4, 1)) == {}
    assert states(D(2026, 4, 2)) == {"Oprettet": 2}  # A and C, the day after the due date
    assert states(D(2026, 4, 9)) == {"Påkrav sendt": 2}
    # After the påkrav deadline (23 April) the termination waits for a person.
    assert states(D(2026, 4, 24)) == {"Ophævelse venter på godkendelse": 2}
    final = build_report(session, org.id, "cases-by-state", D(2026, 5, 12))
    # On the last night the report agrees with the cases' current states.
    current: dict[str, int] = {}
    for case in session.exec(select(ArrearsCase)):
        current[str(case.state)] = current.get(str(case.state), 0) + 1
    from reports.labels import CASE_STATES

    shown = {row["Tilstand"]: row["Sager"] for row in final.frame.to_dict("records")}
    assert {s: shown[CASE_STATES[CaseState(s)]] for s in current} == current
    assert final.totals["cases"] == sum(current.values()) == 4
    open_amount = sum(
        c.amount_oere
        for c in session.exec(select(ArrearsCase))
        if not str(c.state).startswith("closed")
    )
    assert final.totals["open_amount_oere"] == open_amount == 4 * RENT
    assert final.totals["fees_oere"] == _fee_income(session, org, D(2026, 5, 12))
    check_all_formats(final)
