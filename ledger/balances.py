"""Balances and open items of a tenancy as of a day (pure functions over debtor lines).

Judged by payment date, not booking date: a payment counts from the day it was paid, a charge
from the day it falls due (domain.md §6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ledger.allocation import Item, allocate
from ledger.calendar import last_timely_payment_day


@dataclass(frozen=True, slots=True)
class DebtorLine:
    """One line on a tenant's account (``ledger_entry`` with ``account = 'debtor'``)."""

    entry_id: int
    tenancy_id: int
    amount_oere: int
    due_date: date | None
    value_date: date | None
    pligtig: bool
    reverses_entry_id: int | None
    charge_type: str | None
    label: str  # the entry's own text ("Husleje november 2026"), else its charge type's label

    @property
    def effective_date(self) -> date:
        """The due date of a charge; the payment date of a payment or reversal."""
        day = self.due_date if self.due_date is not None else self.value_date
        assert day is not None, f"debtor line {self.entry_id} has neither due nor value date"
        return day

    def as_item(self) -> Item:
        return Item(
            entry_id=self.entry_id,
            amount_oere=self.amount_oere,
            effective_date=self.effective_date,
            pligtig=self.pligtig,
            reverses_entry_id=self.reverses_entry_id,
        )


@dataclass(frozen=True, slots=True)
class OpenItem:
    """A debit with something left to pay."""

    entry_id: int
    due_date: date
    charge_type: str | None
    label: str
    amount_oere: int
    open_oere: int
    pligtig: bool

    def is_overdue(self, as_of: date) -> bool:
        """Past its last timely payment day (ALL § 44, stk. 2)."""
        return as_of > last_timely_payment_day(self.due_date)


@dataclass(frozen=True, slots=True)
class Statement:
    """A tenancy's account as of a day."""

    as_of: date
    balance_oere: int
    open_items: tuple[OpenItem, ...]
    free_credit_oere: int

    @property
    def overdue_pligtig_oere(self) -> int:
        """What is overdue of pligtige pengeydelser: what a påkrav may demand (ALL § 90, stk. 2)."""
        return sum(
            item.open_oere
            for item in self.open_items
            if item.pligtig and item.is_overdue(self.as_of)
        )


def statement(lines: Sequence[DebtorLine], as_of: date) -> Statement:
    """The balance and open items of one tenancy's account as of ``as_of``."""
    assert len({line.tenancy_id for line in lines}) <= 1, "one tenancy at a time"
    by_id = {line.entry_id: line for line in lines}
    result = allocate((line.as_item() for line in lines), as_of=as_of)
    open_items = tuple(
        sorted(
            (
                _open_item(by_id[entry_id], open_oere)
                for entry_id, open_oere in result.open_debits().items()
            ),
            key=lambda item: (item.due_date, not item.pligtig, item.entry_id),
        )
    )
    return Statement(
        as_of=as_of,
        balance_oere=result.balance_oere,
        open_items=open_items,
        free_credit_oere=result.free_credit_oere(),
    )


def _open_item(line: DebtorLine, open_oere: int) -> OpenItem:
    return OpenItem(
        entry_id=line.entry_id,
        due_date=line.effective_date,
        charge_type=line.charge_type,
        label=line.label,
        amount_oere=line.amount_oere,
        open_oere=open_oere,
        pligtig=line.pligtig,
    )
