"""Vacancy rent (tomgangsleje, ABL § 59, stk. 1): a home put at the municipality's disposal for
assignment is paid for by the municipality from that day until it is let.

Decisions (the law and the issue are silent):

* Billed monthly *in arrears*: a month is posted once its last billed day has passed (the month's
  end, or the period's last day), for the days of the period in it, pro rata by calendar days
  (``ledger.money.prorate``). Billing after the fact never bills a day the home was let, so no
  credit note is ever needed.
* The period's rent is the home's monthly rent (husleje, without a conto: nobody consumes heat in
  an empty home), by default the last tenancy's rent; it can be given when the period starts.
* Billing stops the day before the next tenancy of the unit begins, even if the period was not
  ended; ending a period before a day already billed is refused (a reversal would be needed).
* Postings: debit ``vacancy_receivable`` (owed by the municipality), credit ``income`` with the
  charge type TOMGANGSLEJE (not pligtig: no tenant owes it), keyed ``vacancy/<period>:<YYYY-MM>``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, func, select

from ledger.charge_types import RENT, VACANCY_RENT, ensure_default_charge_types
from ledger.models import ChargeType, LedgerEntry, Posting, RecurringCharge, Tenancy, Unit
from ledger.money import MAX_AMOUNT_OERE, prorate
from ledger.months import Month
from ledger.municipalities import municipality_names
from ledger.posting import Line, NewPosting, PostResult, post_many
from ledger.registry import tenancies_of_unit, unit_by_number
from ledger.types import Account, PostingKind, utc_now
from workflows.moveout.models import VacancyPeriod
from workflows.moveout.service import MoveoutError

VACANCY_SOURCE = "vacancy"
MAX_MONTHS_PER_PERIOD_RUN = 120


@dataclass(frozen=True, slots=True)
class VacancyTerms:
    period_id: int
    unit_number: str
    municipality_code: int
    starts_on: date
    ends_on: date | None  # the last day billed; None: still at the municipality's disposal
    monthly_rent_oere: int
    let_from: date | None = None  # the next tenancy's first day, if one is registered


@dataclass(frozen=True, slots=True)
class VacancyCharge:
    period_id: int
    month: Month
    first: date
    last: date
    amount_oere: int
    text: str

    @property
    def external_ref(self) -> str:
        return f"{self.period_id}:{self.month}"


def last_billable_day(terms: VacancyTerms) -> date | None:
    """The period's last day, or the day before the home is let, whichever is first."""
    ends = [d for d in (terms.ends_on, terms.let_from and terms.let_from - timedelta(days=1)) if d]
    return min(ends) if ends else None


def plan_vacancy_charges(
    terms: VacancyTerms, as_of: date, billed_until: date | None = None
) -> list[VacancyCharge]:
    """The month charges due by ``as_of`` (pure): each month of the period whose last billed
    day has passed (is on or before ``as_of``), pro rata for part months, from the month after
    ``billed_until`` (the last day already billed). At most ``MAX_MONTHS_PER_PERIOD_RUN``
    months at a time: a longer backlog continues on the next run."""
    end = last_billable_day(terms)
    charges: list[VacancyCharge] = []
    month = Month.of(terms.starts_on if billed_until is None else billed_until)
    if billed_until is not None and billed_until >= month.last_day:
        month = month.next()
    for _ in range(MAX_MONTHS_PER_PERIOD_RUN):
        first = max(month.first_day, terms.starts_on)
        last = month.last_day if end is None else min(month.last_day, end)
        if first > last or last > as_of:
            break
        amount = prorate(terms.monthly_rent_oere, (last - first).days + 1, month.days)
        if amount:
            charges.append(
                VacancyCharge(
                    terms.period_id, month, first, last, amount, _text(terms, month, first, last)
                )
            )
        if end is not None and last >= end:
            break
        month = month.next()
    return charges


def _text(terms: VacancyTerms, month: Month, first: date, last: date) -> str:
    name = municipality_names().get(terms.municipality_code, str(terms.municipality_code))
    text = f"Tomgangsleje lejemål {terms.unit_number} {month.label_da()}"
    if (last - first).days + 1 < month.days:
        text += f" ({first:%d.%m}-{last:%d.%m})"
    return f"{text}, kommunekode {terms.municipality_code} {name}"


def vacancy_posting(
    organisation_id: int,
    charge: VacancyCharge,
    charge_type_id: int,
    booking_date: date,
    created_by: str,
) -> NewPosting:
    return NewPosting(
        organisation_id=organisation_id,
        kind=PostingKind.CHARGE,
        booking_date=booking_date,
        source=VACANCY_SOURCE,
        external_ref=charge.external_ref,
        text=charge.text,
        lines=(
            Line(Account.VACANCY_RECEIVABLE, charge.amount_oere, charge_type_id=charge_type_id,
                 due_date=charge.last, text=charge.text),
            Line(Account.INCOME, -charge.amount_oere, charge_type_id=charge_type_id,
                 text=charge.text),
        ),
        created_by=created_by,
    )  # fmt: skip


# --- services ---------------------------------------------------------------------------------


def _unit(session: Session, organisation_id: int, unit_number: str) -> Unit:
    unit = unit_by_number(session, organisation_id, unit_number)
    if unit is None or unit.id is None:
        raise MoveoutError(f"unknown unit {unit_number!r}")
    return unit


def default_rent(session: Session, organisation_id: int, unit: Unit, before: date) -> int | None:
    """The monthly husleje of the unit's last tenancy that began before ``before``."""
    assert unit.id is not None
    earlier = [
        t for t in tenancies_of_unit(session, organisation_id, unit.id) if t.start_date < before
    ]
    if not earlier:
        return None
    rent: int | None = session.exec(
        select(RecurringCharge.amount_oere)
        .join(ChargeType, col(ChargeType.id) == col(RecurringCharge.charge_type_id))
        .where(RecurringCharge.tenancy_id == earlier[-1].id, ChargeType.code == RENT)
        .order_by(col(RecurringCharge.valid_from).desc())
    ).first()
    return rent


def start_vacancy(
    session: Session,
    organisation_id: int,
    unit_number: str,
    *,
    starts_on: date,
    actor: str,
    monthly_rent_oere: int | None = None,
    ends_on: date | None = None,
) -> VacancyPeriod:
    """Put the home at the municipality's disposal from ``starts_on``."""
    unit = _unit(session, organisation_id, unit_number)
    assert unit.id is not None
    if ends_on is not None and ends_on < starts_on:
        raise MoveoutError(f"the last day {ends_on} is before the first {starts_on}")
    for tenancy in tenancies_of_unit(session, organisation_id, unit.id):
        t_end = tenancy.end_date or date.max
        if tenancy.start_date <= (ends_on or date.max) and starts_on <= t_end:
            raise MoveoutError(
                f"unit {unit_number} is let from {tenancy.start_date}"
                + (f" to {tenancy.end_date}" if tenancy.end_date else "")
                + ": a vacancy period cannot overlap a tenancy"
            )
    for period in periods_of_unit(session, organisation_id, unit.id):
        if period.starts_on <= (ends_on or date.max) and starts_on <= (period.ends_on or date.max):
            raise MoveoutError(
                f"unit {unit_number} has a vacancy period from {period.starts_on} already"
            )
    rent = monthly_rent_oere or default_rent(session, organisation_id, unit, starts_on)
    if rent is None:
        raise MoveoutError(f"unit {unit_number} has no earlier rent: give the monthly rent")
    if not 0 < rent <= MAX_AMOUNT_OERE:
        raise MoveoutError(f"monthly rent must be positive, got {rent}")
    period = VacancyPeriod(
        organisation_id=organisation_id,
        unit_id=unit.id,
        municipality_code=unit.municipality_code,
        starts_on=starts_on,
        ends_on=ends_on,
        monthly_rent_oere=rent,
        created_by=actor,
    )
    session.add(period)
    session.flush()
    return period


def periods_of_unit(session: Session, organisation_id: int, unit_id: int) -> list[VacancyPeriod]:
    return list(
        session.exec(
            select(VacancyPeriod)
            .where(
                VacancyPeriod.organisation_id == organisation_id, VacancyPeriod.unit_id == unit_id
            )
            .order_by(col(VacancyPeriod.starts_on))
        )
    )


def billed_until(session: Session, period_id: int) -> date | None:
    """The last day already billed for the period (from its postings' due dates)."""
    day: date | None = session.exec(
        select(func.max(LedgerEntry.due_date))
        .join(Posting, col(Posting.id) == col(LedgerEntry.posting_id))
        .where(
            Posting.source == VACANCY_SOURCE,
            col(Posting.external_ref).startswith(f"{period_id}:"),
            LedgerEntry.account == Account.VACANCY_RECEIVABLE,
        )
    ).one()
    return day


def end_vacancy(
    session: Session, organisation_id: int, unit_number: str, *, last_day: date, actor: str
) -> VacancyPeriod:
    """End the unit's open period: ``last_day`` is the last day the municipality pays for
    (the day before the home is let)."""
    unit = _unit(session, organisation_id, unit_number)
    assert unit.id is not None
    open_periods = [
        p for p in periods_of_unit(session, organisation_id, unit.id) if p.ends_on is None
    ]
    if not open_periods:
        raise MoveoutError(f"unit {unit_number} has no open vacancy period")
    period = open_periods[-1]
    assert period.id is not None
    if last_day < period.starts_on:
        raise MoveoutError(f"the last day {last_day} is before the period began {period.starts_on}")
    billed = billed_until(session, period.id)
    if billed is not None and billed > last_day:
        raise MoveoutError(
            f"days up to {billed} are billed already: ending on {last_day} would need a reversal"
        )
    period.ends_on, period.ended_at, period.ended_by = last_day, utc_now(), actor
    session.add(period)
    session.flush()
    return period


def _terms(session: Session, period: VacancyPeriod, unit: Unit) -> VacancyTerms:
    assert period.id is not None and unit.id is not None
    later = [
        t.start_date
        for t in tenancies_of_unit(session, period.organisation_id, unit.id)
        if t.start_date > period.starts_on
    ]
    return VacancyTerms(
        period_id=period.id,
        unit_number=unit.unit_number,
        municipality_code=period.municipality_code,
        starts_on=period.starts_on,
        ends_on=period.ends_on,
        monthly_rent_oere=period.monthly_rent_oere,
        let_from=min(later) if later else None,
    )


def post_vacancy_rent(
    session: Session, organisation_id: int, *, as_of: date, created_by: str
) -> PostResult:
    """Post every vacancy month due by ``as_of`` for the organisation; idempotent."""
    types = ensure_default_charge_types(session, organisation_id)
    type_id = types[VACANCY_RENT].id
    assert type_id is not None
    rows: Sequence[tuple[VacancyPeriod, Unit]] = session.exec(
        select(VacancyPeriod, Unit)
        .join(Unit, col(Unit.id) == col(VacancyPeriod.unit_id))
        .where(VacancyPeriod.organisation_id == organisation_id, VacancyPeriod.starts_on <= as_of)
        .order_by(col(VacancyPeriod.id))
    ).all()
    postings = []
    for period, unit in rows:
        assert period.id is not None
        billed = billed_until(session, period.id)
        if billed is not None and period.ends_on is not None and billed >= period.ends_on:
            continue  # fully billed
        terms = _terms(session, period, unit)
        postings += [
            vacancy_posting(organisation_id, charge, type_id, as_of, created_by)
            for charge in plan_vacancy_charges(terms, as_of, billed)
        ]
    return post_many(session, postings)


def let_while_vacant(session: Session, organisation_id: int) -> list[tuple[VacancyPeriod, Tenancy]]:
    """Open periods whose unit has been let since (the period should be ended)."""
    found = []
    for period in session.exec(
        select(VacancyPeriod).where(
            VacancyPeriod.organisation_id == organisation_id, col(VacancyPeriod.ends_on).is_(None)
        )
    ):
        for tenancy in tenancies_of_unit(session, organisation_id, period.unit_id):
            if tenancy.start_date > period.starts_on:
                found.append((period, tenancy))
                break
    return found
