"""Which tenancy a Betalingsservice record belongs to (pure functions over plain data).

A tenancy's customer number (kundenummer) is its ``bs_customer_number``, by default its unit
number. BS returns customer numbers zero-padded to 15 characters in 0602/0603
(``"000000000001-101"`` for ``"1-101"``), so numbers are compared without leading zeros and
blanks. Several tenancies share a customer number when it is a unit number (one tenant after
another); which of them a record belongs to depends on its date.

Nothing here guesses: a customer number that two different units share (``"01-101"`` and
``"1-101"``) is :data:`AMBIGUOUS`, and the caller puts the record on the suspense list.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Final

import sqlalchemy as sa
from sqlmodel import Session, col

from ledger.models import Tenancy, Unit


def normalise_customer_number(number: str) -> str:
    """A customer number as compared: without surrounding blanks and leading zeros."""
    stripped = number.strip(" ").lstrip("0")
    return stripped or "0"


@dataclass(frozen=True, slots=True)
class TenancyPeriod:
    """A tenancy as the matcher sees it."""

    tenancy_id: int
    unit_id: int
    unit_number: str
    start_date: date
    end_date: date | None

    def runs_on(self, day: date) -> bool:
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


class _Ambiguous:
    """The marker for a customer number that more than one unit answers to."""

    def __repr__(self) -> str:
        return "AMBIGUOUS"


AMBIGUOUS: Final = _Ambiguous()
Match = TenancyPeriod | _Ambiguous | None


class CustomerIndex:
    """An organisation's tenancies by normalised customer number."""

    def __init__(self, periods: Iterable[tuple[str, TenancyPeriod]]) -> None:
        by_number: dict[str, list[TenancyPeriod]] = defaultdict(list)
        for number, period in periods:
            by_number[normalise_customer_number(number)].append(period)
        self._by_number = {
            number: sorted(found, key=lambda p: (p.start_date, p.tenancy_id))
            for number, found in by_number.items()
        }

    def candidates(self, customer_number: str) -> list[TenancyPeriod]:
        return self._by_number.get(normalise_customer_number(customer_number), [])

    def for_payment(self, customer_number: str, day: date) -> Match:
        """The tenancy running on ``day``, else the last one that began before it (a late
        payment from a tenant who has moved out still belongs to their tenancy)."""
        found = self.candidates(customer_number)
        if len({period.unit_id for period in found}) > 1:
            return AMBIGUOUS
        running = [period for period in found if period.runs_on(day)]
        if running:
            return running[-1]
        before = [period for period in found if period.start_date <= day]
        return before[-1] if before else None

    def for_mandate(self, customer_number: str, effective: date) -> Match:
        """The tenancy a mandate effective on ``effective`` pays for: the one running then,
        else the first one beginning after it (a mandate signed before moving in), else the
        last one before it."""
        found = self.candidates(customer_number)
        if len({period.unit_id for period in found}) > 1:
            return AMBIGUOUS
        running = [period for period in found if period.runs_on(effective)]
        if running:
            return running[-1]
        later = [period for period in found if period.start_date > effective]
        if later:
            return later[0]
        return found[-1] if found else None


def load_customer_index(session: Session, organisation_id: int) -> CustomerIndex:
    """Every tenancy of the organisation that has a customer number (one query)."""
    rows = session.execute(
        sa.select(
            col(Tenancy.bs_customer_number),
            col(Tenancy.id),
            col(Tenancy.unit_id),
            col(Unit.unit_number),
            col(Tenancy.start_date),
            col(Tenancy.end_date),
        )
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(
            col(Tenancy.organisation_id) == organisation_id,
            col(Tenancy.bs_customer_number).is_not(None),
        )
    ).all()
    return CustomerIndex(
        (number, TenancyPeriod(tenancy_id, unit_id, unit_number, start, end))
        for number, tenancy_id, unit_id, unit_number, start, end in rows
        if number is not None and tenancy_id is not None
    )
