"""Property: a påkrav is never dispatched before ``earliest_pakrav(due)`` (ALL § 90, stk. 2),
never backdated, and demands only its own due date, whatever the due dates, the payments and
the nights the run missed. Runs the real nightly run on the database."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import Session, select

from ledger.calendar import earliest_pakrav
from tests import factories
from tests.workflows.arrears.helpers import night
from workflows.arrears.models import ArrearsCase, Letter

FIRST = date(2026, 1, 1)
LAST = date(2027, 12, 1)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    start=st.dates(min_value=FIRST, max_value=LAST),
    extra_due=st.lists(st.integers(min_value=0, max_value=20), max_size=3),
    payments=st.lists(
        st.tuples(st.integers(min_value=0, max_value=24), st.integers(1_000, 700_000)),
        max_size=4,
    ),
    run_nights=st.lists(st.booleans(), min_size=25, max_size=25),
)
def test_all_90_stk_2_pakrav_never_before_the_earliest_day(
    session: Session,
    start: date,
    extra_due: list[int],
    payments: list[tuple[int, int]],
    run_nights: list[bool],
) -> None:
    savepoint = session.begin_nested()
    try:
        org = factories.organisation(session, ledger_start=start)
        tenancy = factories.tenancy(session, org, start=start - timedelta(days=400))
        for offset in extra_due:
            factories.charge(
                session, tenancy, 80_000, start + timedelta(days=offset), "VARMEREGNSKAB"
            )
        for offset, amount in payments:
            factories.pay(session, tenancy, amount, start + timedelta(days=offset))
        ran = [start + timedelta(days=n) for n, run in enumerate(run_nights) if run or n == 24]
        for day in ran:
            night(session, org, day)
        cases = session.exec(select(ArrearsCase).where(ArrearsCase.organisation_id == org.id)).all()
        for case in cases:
            if case.pakrav_date is None:
                continue
            assert case.pakrav_date >= earliest_pakrav(case.due_date), case
            assert case.pakrav_date in ran  # dated the day a run happened: never backdated
            assert {line["due_date"] for line in case.lines} == {case.due_date.isoformat()}
            assert case.amount_oere >= 50_000  # never below the minimum (§ 91, stk. 1)
            letter = session.exec(select(Letter).where(Letter.case_id == case.id)).one()
            assert letter.dispatch_date == case.pakrav_date
    finally:
        savepoint.rollback()
