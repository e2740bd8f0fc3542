"""Deposits held (a liability): the report's total is the deposit account's balance."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import Session

from ledger.accounts import reallocate
from ledger.charge_types import INDSKUD, counter_account, ensure_default_charge_types
from ledger.models import Tenancy
from ledger.posting import Line, NewPosting, post_many
from ledger.types import Account, MaintenanceScheme, PostingKind
from reports import build_report
from tests import factories
from tests.reports.support import account_balance, check_all_formats


def _deposit(session: Session, t: Tenancy, amount: int, due: date) -> None:
    """The beboerindskud charged the way the ledger charges it: debtor against ``deposit``."""
    assert t.id is not None
    fee_type = ensure_default_charge_types(session, t.organisation_id)[INDSKUD]
    assert counter_account(INDSKUD) is Account.DEPOSIT
    posting = NewPosting(
        organisation_id=t.organisation_id, kind=PostingKind.CHARGE, booking_date=due,
        source="test", external_ref=f"indskud-{t.id}", text="Beboerindskud",
        lines=(
            Line(Account.DEBTOR, amount, tenancy_id=t.id, charge_type_id=fee_type.id,
                 due_date=due),
            Line(Account.DEPOSIT, -amount, tenancy_id=t.id, charge_type_id=fee_type.id),
        ),
        created_by="test",
    )  # fmt: skip
    reallocate(session, t.organisation_id, post_many(session, [posting]).tenancy_ids)


def _repaid(session: Session, t: Tenancy, amount: int, day: date) -> None:
    """The deposit handed back at move-out: off the liability, owed to the former tenant."""
    posting = NewPosting(
        organisation_id=t.organisation_id, kind=PostingKind.ADJUSTMENT, booking_date=day,
        source="test", external_ref=f"refund-{t.id}", text="Indskud tilbagebetales",
        lines=(
            Line(Account.DEPOSIT, amount, tenancy_id=t.id),
            Line(Account.REFUND_PAYABLE, -amount, tenancy_id=t.id),
        ),
        created_by="test",
    )  # fmt: skip
    post_many(session, [posting])


@pytest.mark.parametrize(
    ("as_of", "held"),
    [
        (date(2025, 12, 31), {}),
        (date(2026, 2, 15), {"1-101": 2_000_000, "2-201": 1_000_000}),
        (date(2026, 5, 31), {"1-101": 2_000_000, "1-102": 1_500_000, "2-201": 1_000_000}),
        (date(2026, 6, 30), {"1-101": 2_000_000, "1-102": 1_500_000}),
    ],
)
def test_deposits_held_equal_minus_the_deposit_account(
    session: Session, as_of: date, held: dict[str, int]
) -> None:
    org = factories.organisation(session)
    assert org.id is not None
    t1 = factories.tenancy(session, org, "1-101")
    t2 = factories.tenancy(session, org, "1-102")
    t3 = factories.tenancy(session, org, "2-201", scheme=MaintenanceScheme.B)
    factories.tenancy(session, org, "2-202", scheme=MaintenanceScheme.B)  # never charged one
    _deposit(session, t1, 2_000_000, date(2026, 1, 1))
    factories.pay(session, t1, 2_000_000, date(2026, 1, 2))
    _deposit(session, t2, 1_500_000, date(2026, 3, 1))  # not paid yet: held all the same
    _deposit(session, t3, 1_000_000, date(2026, 2, 1))
    _repaid(session, t3, 1_000_000, date(2026, 6, 1))

    report = build_report(session, org.id, "deposits", as_of)
    assert dict(zip(report.frame["Lejemål"], report.frame["Indestående"], strict=True)) == held
    assert report.totals["held_oere"] == sum(held.values())
    assert report.totals["held_oere"] == -account_balance(
        session, org.id, Account.DEPOSIT, as_of=as_of
    )
    assert report.totals["tenancies"] == len(held)
    # The lease's deposit (factories: 20.000 kr) beside what the ledger holds.
    assert set(report.frame["Aftalt"]) <= {2_000_000}
    assert set(report.frame["Type"]) <= {"Beboerindskud"}
    check_all_formats(report)
