"""Vacancy rent (tomgangsleje, ABL § 59, stk. 1): billed to the municipality from the day the
home is at its disposal until it is let, pro rata by calendar days, monthly in arrears."""

from __future__ import annotations

from datetime import date

import pytest
import sqlalchemy as sa
from sqlmodel import Session, select

from ledger.charge_types import VACANCY_RENT
from ledger.models import ChargeType, LedgerEntry
from ledger.months import Month
from ledger.types import Account
from tests import factories
from workflows.moveout.service import MoveoutError
from workflows.moveout.vacancy import (
    VacancyTerms,
    end_vacancy,
    plan_vacancy_charges,
    post_vacancy_rent,
    start_vacancy,
)

RENT = 650_000


def _terms(**changes: object) -> VacancyTerms:
    base = dict(
        period_id=1, unit_number="1-101", municipality_code=751, starts_on=date(2026, 4, 10),
        ends_on=None, monthly_rent_oere=RENT,
    )  # fmt: skip
    return VacancyTerms(**(base | changes))  # type: ignore[arg-type]


def test_abl_59_stk_1_part_month_is_pro_rata_and_billed_when_it_has_passed() -> None:
    assert plan_vacancy_charges(_terms(), date(2026, 4, 29)) == []  # April not over yet
    (april,) = plan_vacancy_charges(_terms(), date(2026, 4, 30))
    assert (april.month, april.first, april.last) == (
        Month(2026, 4),
        date(2026, 4, 10),
        date(2026, 4, 30),
    )
    assert april.amount_oere == 455_000  # 650.000 x 21/30
    assert (
        april.text == "Tomgangsleje lejemål 1-101 april 2026 (10.04-30.04), kommunekode 751 Aarhus"
    )
    assert april.external_ref == "1:2026-04"


def test_abl_59_stk_1_ends_the_day_before_the_home_is_let() -> None:
    ended = _terms(ends_on=date(2026, 5, 15))
    charges = plan_vacancy_charges(ended, date(2026, 12, 31))
    assert [(c.month, c.amount_oere) for c in charges] == [
        (Month(2026, 4), 455_000),
        (Month(2026, 5), 314_516),  # 650.000 x 15/31 = 314.516,13
    ]
    let = _terms(let_from=date(2026, 5, 16))  # a tenancy begins, the period was not ended
    assert plan_vacancy_charges(let, date(2026, 12, 31)) == charges


def test_whole_months_are_the_monthly_rent() -> None:
    charges = plan_vacancy_charges(_terms(starts_on=date(2026, 2, 1)), date(2026, 3, 31))
    assert [c.amount_oere for c in charges] == [RENT, RENT]


def _receivable(session: Session) -> int:
    total = session.exec(
        select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount_oere), 0)).where(
            LedgerEntry.account == Account.VACANCY_RECEIVABLE
        )
    ).one()
    return int(total)


def test_vacancy_rent_is_posted_once_to_the_municipality_receivable(session: Session) -> None:
    org = factories.organisation(session)
    assert org.id is not None
    factories.tenancy(session, org, "1-101", start=date(2025, 1, 1), end=date(2026, 3, 31))
    with pytest.raises(MoveoutError, match="cannot overlap a tenancy"):
        start_vacancy(session, org.id, "1-101", starts_on=date(2026, 3, 20), actor="t")
    period = start_vacancy(session, org.id, "1-101", starts_on=date(2026, 4, 10), actor="t")
    assert period.monthly_rent_oere == RENT  # the last tenancy's rent
    assert period.municipality_code == 751
    first = post_vacancy_rent(session, org.id, as_of=date(2026, 4, 30), created_by="t")
    assert len(first.posted) == 1 and _receivable(session) == 455_000
    again = post_vacancy_rent(session, org.id, as_of=date(2026, 4, 30), created_by="t")
    assert again.posted == []  # nothing new: April is billed, May has not passed
    assert _receivable(session) == 455_000
    with pytest.raises(MoveoutError, match="billed already"):
        end_vacancy(session, org.id, "1-101", last_day=date(2026, 4, 20), actor="t")
    end_vacancy(session, org.id, "1-101", last_day=date(2026, 5, 15), actor="t")
    post_vacancy_rent(session, org.id, as_of=date(2026, 5, 15), created_by="t")
    assert _receivable(session) == 769_516  # 455.000 + 314.516
    income = session.exec(
        select(sa.func.sum(LedgerEntry.amount_oere))
        .join(ChargeType, ChargeType.id == LedgerEntry.charge_type_id)  # type: ignore[arg-type]
        .where(LedgerEntry.account == Account.INCOME, ChargeType.code == VACANCY_RENT)
    ).one()
    assert income == -769_516


def test_a_long_backlog_is_billed_in_runs_and_nothing_is_skipped() -> None:
    terms = _terms(starts_on=date(2016, 1, 1))
    first = plan_vacancy_charges(terms, date(2026, 12, 31))
    assert len(first) == 120 and first[-1].month == Month(2025, 12)
    rest = plan_vacancy_charges(terms, date(2026, 12, 31), billed_until=first[-1].last)
    assert [c.month for c in rest] == [Month(2026, m) for m in range(1, 13)]
