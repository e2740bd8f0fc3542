"""Recurring charges of a month: idempotent, never before the ledger start, prorated."""

from __future__ import annotations

from datetime import date

from sqlmodel import Session, func, select

from ledger.accounts import tenancy_statement
from ledger.charging import RecurringTerms, TenancyPeriod, plan_month, post_month_charges
from ledger.models import Posting
from ledger.months import Month
from tests import factories

D = date
RENT = RecurringTerms(1, 10, 5, "HUSLEJE", "Husleje", 651_200, 1, D(2020, 1, 1), None)


def test_full_month_is_due_on_the_first_with_a_danish_text() -> None:
    [charge] = plan_month(
        Month(2026, 12), [TenancyPeriod(10, D(2020, 1, 1), None)], [RENT], D(2020, 1, 1)
    )
    assert (charge.due_date, charge.amount_oere) == (D(2026, 12, 1), 651_200)
    assert charge.text == "Husleje december 2026"
    assert charge.external_ref == "1:2026-12"


def test_all_44_stk_3_tenancy_ending_mid_month_pays_for_its_days_only() -> None:
    # 15 of 30 days of November 2026: 651,200 * 15 / 30 = 325,600
    [charge] = plan_month(
        Month(2026, 11), [TenancyPeriod(10, D(2020, 1, 1), D(2026, 11, 15))], [RENT], D(2020, 1, 1)
    )
    assert charge.amount_oere == 325_600
    assert charge.due_date == D(2026, 11, 1)
    assert charge.text == "Husleje november 2026 (01.11-15.11)"


def test_tenancy_starting_mid_month_is_charged_from_its_first_day() -> None:
    # 17 of 31 days of December 2026: 651,200 * 17 / 31 = 357,109.67 -> 357,110
    terms = RecurringTerms(1, 10, 5, "HUSLEJE", "Husleje", 651_200, 1, D(2026, 12, 15), None)
    [charge] = plan_month(
        Month(2026, 12), [TenancyPeriod(10, D(2026, 12, 15), None)], [terms], D(2020, 1, 1)
    )
    assert (charge.due_date, charge.amount_oere) == (D(2026, 12, 15), 357_110)


def test_nothing_is_charged_before_the_ledger_start_or_outside_the_tenancy() -> None:
    running = [TenancyPeriod(10, D(2020, 1, 1), None)]
    assert plan_month(Month(2026, 11), running, [RENT], D(2026, 12, 1)) == []
    ended = [TenancyPeriod(10, D(2020, 1, 1), D(2026, 10, 31))]
    assert plan_month(Month(2026, 11), ended, [RENT], D(2020, 1, 1)) == []


def test_charging_a_month_twice_posts_it_once(session: Session) -> None:
    org = factories.organisation(session, ledger_start=D(2026, 1, 1))
    first = factories.tenancy(session, org, "1-101", rent_oere=650_000)
    factories.tenancy(session, org, "1-102", rent_oere=700_000, start=D(2026, 12, 1))
    assert org.id and first.id
    once = post_month_charges(
        session, org, Month(2026, 11), booking_date=D(2026, 10, 25), created_by="test"
    )
    twice = post_month_charges(
        session, org, Month(2026, 11), booking_date=D(2026, 10, 26), created_by="test"
    )
    assert (len(once.posted), once.already_posted) == (1, 0)  # 1-102 starts in December
    assert (len(twice.posted), twice.already_posted) == (0, 1)
    assert session.exec(select(func.count()).select_from(Posting)).one() == 1
    statement = tenancy_statement(session, org.id, first.id, D(2026, 11, 10))
    assert statement.overdue_pligtig_oere == 650_000


def test_all_45_47_a_deposit_charge_is_a_liability_not_income(session: Session) -> None:
    from ledger.charge_types import INDSKUD, ensure_default_charge_types
    from ledger.models import LedgerEntry
    from ledger.registry import add_recurring_charge
    from ledger.types import Account

    org = factories.organisation(session, ledger_start=D(2026, 1, 1))
    tenancy = factories.tenancy(session, org, start=D(2026, 12, 1))
    assert org.id
    indskud = ensure_default_charge_types(session, org.id)[INDSKUD]
    assert indskud.id
    # an indskud paid in one instalment with the first month (a recurring charge valid one month)
    charge = add_recurring_charge(
        session, tenancy, indskud.id, 2_450_000, valid_from=D(2026, 12, 1)
    )
    charge.valid_to = D(2026, 12, 31)
    post_month_charges(
        session, org, Month(2026, 12), booking_date=D(2026, 11, 25), created_by="test"
    )
    lines = session.exec(
        select(LedgerEntry.account, LedgerEntry.tenancy_id, LedgerEntry.amount_oere).where(
            LedgerEntry.charge_type_id == indskud.id
        )
    ).all()
    assert sorted(lines) == sorted(
        [(Account.DEBTOR, tenancy.id, 2_450_000), (Account.DEPOSIT, tenancy.id, -2_450_000)]
    )
