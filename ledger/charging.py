"""Posting the recurring charges of a month (rent, a conto heat and water, ...).

Rent is paid monthly in advance (ALL § 44, stk. 1), due on the recurring charge's due day
(the 1st unless configured). A tenancy that begins or ends within the month pays for its days
only (ALL § 44, stk. 3: rent only until the tenancy ends), prorated by calendar days; its first
part-month falls due on its first day. No charge is posted for a due date before the
organisation's ledger start (cut-over): older history comes in through ``import ledger``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import sqlalchemy as sa
from sqlmodel import Session, col

from ledger.accounts import reallocate
from ledger.charge_types import counter_account, counter_line_tenancy
from ledger.models import ChargeType, Organisation, RecurringCharge, Tenancy
from ledger.money import prorate
from ledger.months import Month
from ledger.posting import Line, NewPosting, PostResult, existing_keys, post_many
from ledger.types import Account, PostingKind

RECURRING_SOURCE = "recurring"


@dataclass(frozen=True, slots=True)
class TenancyPeriod:
    tenancy_id: int
    start_date: date
    end_date: date | None


@dataclass(frozen=True, slots=True)
class RecurringTerms:
    recurring_charge_id: int
    tenancy_id: int
    charge_type_id: int
    charge_type_code: str
    label: str
    amount_oere: int
    due_day: int
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class PlannedCharge:
    recurring_charge_id: int
    tenancy_id: int
    charge_type_id: int
    charge_type_code: str
    due_date: date
    amount_oere: int
    text: str

    @property
    def external_ref(self) -> str:
        return f"{self.recurring_charge_id}:{self.due_date:%Y-%m}"


def plan_month(
    month: Month,
    tenancies: Sequence[TenancyPeriod],
    terms: Sequence[RecurringTerms],
    ledger_start: date,
) -> list[PlannedCharge]:
    """The charges ``month`` brings (pure): one per recurring charge of an active tenancy."""
    by_id = {tenancy.tenancy_id: tenancy for tenancy in tenancies}
    planned = []
    for term in terms:
        tenancy = by_id.get(term.tenancy_id)
        if tenancy is None:
            continue
        charge = _plan_one(month, tenancy, term)
        if charge is not None and charge.due_date >= ledger_start:
            planned.append(charge)
    return planned


def _plan_one(month: Month, tenancy: TenancyPeriod, term: RecurringTerms) -> PlannedCharge | None:
    first = max(month.first_day, tenancy.start_date)
    last = month.last_day if tenancy.end_date is None else min(month.last_day, tenancy.end_date)
    if first > last:
        return None  # the tenancy does not touch this month
    due = max(month.day(term.due_day), tenancy.start_date)
    if due < term.valid_from or (term.valid_to is not None and due > term.valid_to):
        return None
    days = (last - first).days + 1
    amount = prorate(term.amount_oere, days, month.days)
    if amount == 0:
        return None
    text = f"{term.label} {month.label_da()}"
    if days < month.days:
        text += f" ({first:%d.%m}-{last:%d.%m})"
    return PlannedCharge(
        recurring_charge_id=term.recurring_charge_id,
        tenancy_id=tenancy.tenancy_id,
        charge_type_id=term.charge_type_id,
        charge_type_code=term.charge_type_code,
        due_date=due,
        amount_oere=amount,
        text=text,
    )


def charge_posting(
    organisation_id: int, charge: PlannedCharge, booking_date: date, created_by: str
) -> NewPosting:
    """Debit the tenant, credit income, for one planned charge."""
    return NewPosting(
        organisation_id=organisation_id,
        kind=PostingKind.CHARGE,
        booking_date=booking_date,
        source=RECURRING_SOURCE,
        external_ref=charge.external_ref,
        text=charge.text,
        lines=(
            Line(
                account=Account.DEBTOR,
                amount_oere=charge.amount_oere,
                tenancy_id=charge.tenancy_id,
                charge_type_id=charge.charge_type_id,
                due_date=charge.due_date,
                text=charge.text,
            ),
            Line(
                account=counter_account(charge.charge_type_code),
                amount_oere=-charge.amount_oere,
                tenancy_id=counter_line_tenancy(charge.charge_type_code, charge.tenancy_id),
                charge_type_id=charge.charge_type_id,
                text=charge.text,
            ),
        ),
        created_by=created_by,
    )


def post_month_charges(
    session: Session,
    organisation: Organisation,
    month: Month,
    *,
    booking_date: date,
    created_by: str,
) -> PostResult:
    """Post ``month``'s recurring charges for every active tenancy; idempotent."""
    assert organisation.id is not None
    tenancies, terms = _load_month_terms(session, organisation.id, month)
    planned = plan_month(month, tenancies, terms, organisation.ledger_start)
    keys = {c.external_ref: (organisation.id, RECURRING_SOURCE, c.external_ref) for c in planned}
    posted_before = existing_keys(session, keys.values())
    postings = [
        charge_posting(organisation.id, c, booking_date, created_by)
        for c in planned
        if keys[c.external_ref] not in posted_before
    ]
    result = post_many(session, postings)
    result.already_posted += len(planned) - len(postings)
    reallocate(session, organisation.id, result.tenancy_ids)
    return result


def _load_month_terms(
    session: Session, organisation_id: int, month: Month
) -> tuple[list[TenancyPeriod], list[RecurringTerms]]:
    """The tenancies and recurring charges touching ``month`` (Core selects: one row each)."""
    tenancy_rows = session.execute(
        sa.select(col(Tenancy.id), col(Tenancy.start_date), col(Tenancy.end_date)).where(
            col(Tenancy.organisation_id) == organisation_id,
            col(Tenancy.start_date) <= month.last_day,
            (col(Tenancy.end_date).is_(None)) | (col(Tenancy.end_date) >= month.first_day),
        )
    ).all()
    tenancies = [TenancyPeriod(tid, start, end) for tid, start, end in tenancy_rows if tid]
    term_rows = session.execute(
        sa.select(
            col(RecurringCharge.id),
            col(RecurringCharge.tenancy_id),
            col(RecurringCharge.charge_type_id),
            col(ChargeType.code),
            col(ChargeType.label),
            col(RecurringCharge.amount_oere),
            col(RecurringCharge.due_day),
            col(RecurringCharge.valid_from),
            col(RecurringCharge.valid_to),
        )
        .join(ChargeType, col(ChargeType.id) == col(RecurringCharge.charge_type_id))
        .where(
            col(RecurringCharge.organisation_id) == organisation_id,
            col(RecurringCharge.valid_from) <= month.last_day,
            (col(RecurringCharge.valid_to).is_(None))
            | (col(RecurringCharge.valid_to) >= month.first_day),
        )
        .order_by(col(RecurringCharge.id))  # charges post in the order they were set up
    ).all()
    terms = [RecurringTerms(*row) for row in term_rows]
    return tenancies, terms
