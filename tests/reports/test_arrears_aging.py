"""Arrears aging: buckets by days since the due date, per department, reconciled to the ledger."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session

from ledger.accounts import tenancy_statement
from ledger.models import Organisation, Tenancy
from ledger.types import MaintenanceScheme
from reports import build_report
from reports.arrears_aging import BUCKETS, bucket_of
from tests import factories
from tests.reports.support import check_all_formats

AS_OF = date(2026, 11, 21)


@pytest.mark.parametrize(
    ("due", "heading"),
    [
        (date(2026, 11, 21), "0-30 dage"),  # due today: 0 days
        (date(2026, 10, 22), "0-30 dage"),  # 30 days
        (date(2026, 10, 21), "31-60 dage"),  # 31 days
        (date(2026, 9, 22), "31-60 dage"),  # 60 days
        (date(2026, 9, 21), "61-90 dage"),  # 61 days
        (date(2026, 8, 23), "61-90 dage"),  # 90 days
        (date(2026, 8, 22), "Over 90 dage"),  # 91 days
        (date(2020, 1, 1), "Over 90 dage"),
    ],
)
def test_bucket_boundaries_count_days_from_the_due_date(due: date, heading: str) -> None:
    assert bucket_of(due, AS_OF).heading == heading


def test_an_item_not_yet_due_has_no_bucket() -> None:
    with pytest.raises(AssertionError):
        bucket_of(date(2026, 11, 22), AS_OF)


def _ledger(session: Session) -> tuple[Organisation, list[Tenancy]]:
    """Department A: T1 with one charge in every bucket edge, T2 partly paid. Department B: T3
    paid up, with a charge due next month and a prepayment; T4 with old arrears."""
    org = factories.organisation(session)
    t1 = factories.tenancy(session, org, "1-101")
    t2 = factories.tenancy(session, org, "1-102")
    t3 = factories.tenancy(session, org, "2-201", scheme=MaintenanceScheme.B)
    t4 = factories.tenancy(session, org, "2-202", scheme=MaintenanceScheme.B)
    for due, amount in (
        (date(2026, 11, 21), 100),
        (date(2026, 10, 22), 200),
        (date(2026, 10, 21), 400),
        (date(2026, 9, 22), 800),
        (date(2026, 9, 21), 1_600),
        (date(2026, 8, 23), 3_200),
        (date(2026, 8, 22), 6_400),
    ):
        factories.charge(session, t1, amount, due)
    factories.charge(session, t2, 650_000, date(2026, 11, 1))
    factories.pay(session, t2, 200_000, date(2026, 11, 3))
    factories.charge(session, t3, 650_000, date(2026, 6, 1))
    factories.pay(session, t3, 650_000, date(2026, 6, 1))
    factories.charge(session, t3, 650_000, date(2026, 12, 1))  # not due on AS_OF
    factories.pay(session, t3, 10_000, date(2026, 11, 10))  # free credit, no item
    factories.charge(session, t4, 100_000, date(2026, 5, 1))
    return org, [t1, t2, t3, t4]


def test_aging_per_department_worked_by_hand(session: Session) -> None:
    org, _ = _ledger(session)
    assert org.id is not None
    report = build_report(session, org.id, "arrears-aging", AS_OF)
    rows = report.frame.set_index("Afdeling").to_dict("index")
    assert rows["Afdeling A"] == {
        "Lejemål i restance": 2,
        "0-30 dage": 100 + 200 + 450_000,
        "31-60 dage": 400 + 800,
        "61-90 dage": 1_600 + 3_200,
        "Over 90 dage": 6_400,
        "Restance i alt": 462_700,
    }
    # T3 owes nothing due (its December rent is not due; its prepayment is not an item).
    assert rows["Afdeling B"] == {
        "Lejemål i restance": 1,
        "0-30 dage": 0,
        "31-60 dage": 0,
        "61-90 dage": 0,
        "Over 90 dage": 100_000,
        "Restance i alt": 100_000,
    }
    assert report.totals["total_oere"] == 562_700
    assert report.totals["tenancies"] == 3  # T1, T2, T4
    assert report.chart is not None
    assert report.chart.values == (450_300, 1_200, 4_800, 106_400)


@pytest.mark.parametrize("as_of", [date(2026, 8, 31), date(2026, 11, 2), AS_OF, date(2027, 3, 1)])
def test_aging_total_equals_the_open_items_of_every_tenancy(session: Session, as_of: date) -> None:
    """Reconciled with the ledger one tenancy at a time (``tenancy_statement``)."""
    org, tenancies = _ledger(session)
    assert org.id is not None
    report = build_report(session, org.id, "arrears-aging", as_of)
    statements = [tenancy_statement(session, org.id, t.id or 0, as_of) for t in tenancies]
    open_total = sum(item.open_oere for s in statements for item in s.open_items)
    assert open_total > 0
    assert report.totals["total_oere"] == open_total
    assert sum(report.totals[f"{b.key}_oere"] for b in BUCKETS) == open_total
    assert int(report.frame["Restance i alt"].sum()) == open_total
    assert report.totals["tenancies"] == sum(1 for s in statements if s.open_items)
    check_all_formats(report)


@contextmanager
def _statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []
    connection = session.connection()

    def count(*args: object) -> None:
        seen.append(str(args[2]))

    sa.event.listen(connection, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        sa.event.remove(connection, "before_cursor_execute", count)


def test_accounts_are_read_in_bulk_not_one_query_per_tenancy(session: Session) -> None:
    org = factories.organisation(session)
    assert org.id is not None
    for number in range(3):
        t = factories.tenancy(session, org, f"1-{number:03d}")
        factories.charge(session, t, 650_000, date(2026, 10, 1))
    with _statements(session) as few:
        build_report(session, org.id, "arrears-aging", AS_OF)
    for number in range(3, 40):
        t = factories.tenancy(session, org, f"1-{number:03d}")
        factories.charge(session, t, 650_000, date(2026, 10, 1))
    with _statements(session) as many:
        report = build_report(session, org.id, "arrears-aging", AS_OF)
    assert report.totals["tenancies"] == 40
    assert len(many) == len(few)
