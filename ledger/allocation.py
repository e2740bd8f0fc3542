"""Allocation of payments to charges on one tenancy's account (a pure function).

Rules (issue #2, domain.md §6):

* A credit (payment, credit note) settles the oldest *due* debits first; within one due date,
  pligtige pengeydelser (ALL § 90, stk. 1, nr. 1) before the rest; then by entry id.
* A credit that arrives before anything is due stays free (a prepayment) until a debit falls due.
* A reversal reopens exactly what it reverses: a charged-back payment first gives up its unused
  part, then its allocations, newest first; a reversed charge first drops its open part, then
  frees the payments that settled it, newest first, and those go on to the next oldest debit.
* Events are replayed in date order: debits falling due, then credits, then reversals, each day
  settled after each group. The result depends only on the items, never on the order in which
  they were posted, and "as of" a day is the replay cut off after that day.

Timeliness is judged by each item's own date (due date for a debit, payment date for a
credit), never by the booking date.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum
from itertools import groupby

MAX_ITEMS = 1_000_000  # one tenancy never holds this many entries; more is a bug upstream


class AllocationError(ValueError):
    """Items that cannot be allocated (a reversal of nothing, or of more than is left)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One line on a tenancy's account, seen by the allocator.

    ``amount_oere`` is signed: positive is a debit (a charge the tenant owes, or the reversal
    of a payment); negative is a credit (a payment, a credit note, or the reversal of a charge).
    ``effective_date`` is the due date of a debit and the payment (value) date of a credit.
    """

    entry_id: int
    amount_oere: int
    effective_date: date
    pligtig: bool = False
    reverses_entry_id: int | None = None


class _Phase(IntEnum):
    DEBIT = 0
    CREDIT = 1
    REVERSAL = 2


@dataclass(slots=True)
class Allocation:
    """The state of an account after replaying its items up to a day."""

    open_by_debit: dict[int, int] = field(default_factory=dict)
    free_by_credit: dict[int, int] = field(default_factory=dict)
    allocated: dict[tuple[int, int], int] = field(default_factory=dict)  # (credit, debit) -> øre
    balance_oere: int = 0

    def open_debits(self) -> dict[int, int]:
        """Debits with something left to pay, by entry id."""
        return {entry: amount for entry, amount in self.open_by_debit.items() if amount > 0}

    def free_credit_oere(self) -> int:
        """Money paid in but not (yet) settling anything."""
        return sum(self.free_by_credit.values())


@dataclass(slots=True)
class _State:
    items: dict[int, Item]
    open: dict[int, int] = field(default_factory=dict)
    free: dict[int, int] = field(default_factory=dict)
    allocated: dict[tuple[int, int], int] = field(default_factory=lambda: defaultdict(int))
    by_credit: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    by_debit: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    debit_heap: list[tuple[date, int, int]] = field(default_factory=list)
    credit_heap: list[tuple[date, int]] = field(default_factory=list)
    balance: int = 0

    def push_debit(self, entry_id: int) -> None:
        item = self.items[entry_id]
        heapq.heappush(self.debit_heap, (item.effective_date, 0 if item.pligtig else 1, entry_id))

    def push_credit(self, entry_id: int) -> None:
        heapq.heappush(self.credit_heap, (self.items[entry_id].effective_date, entry_id))

    def settle(self) -> None:
        """Apply free credits to open debits, oldest first on both sides."""
        while self.debit_heap and self.credit_heap:
            debit = self.debit_heap[0][2]
            if self.open[debit] == 0:
                heapq.heappop(self.debit_heap)
                continue
            credit = self.credit_heap[0][1]
            if self.free[credit] == 0:
                heapq.heappop(self.credit_heap)
                continue
            amount = min(self.open[debit], self.free[credit])
            self.open[debit] -= amount
            self.free[credit] -= amount
            self.allocated[(credit, debit)] += amount
            self.by_credit[credit].append(debit)
            self.by_debit[debit].append(credit)


def allocate(items: Iterable[Item], as_of: date | None = None) -> Allocation:
    """Replay ``items`` (all of them, or those effective on or before ``as_of``)."""
    by_id = _index(items)
    state = _State(items=by_id)
    events = sorted(
        (_event_key(item, by_id), item.entry_id)
        for item in by_id.values()
        if as_of is None or _event_key(item, by_id)[0] <= as_of
    )
    for _, group in groupby(events, key=lambda event: event[0][:2]):
        for _, entry_id in group:
            _apply(state, by_id[entry_id])
        state.settle()
    return _result(state)


def _index(items: Iterable[Item]) -> dict[int, Item]:
    by_id: dict[int, Item] = {}
    for item in items:
        if item.entry_id in by_id:
            raise AllocationError(f"entry {item.entry_id} appears twice")
        if item.amount_oere == 0:
            raise AllocationError(f"entry {item.entry_id} has no amount")
        by_id[item.entry_id] = item
        if len(by_id) > MAX_ITEMS:
            raise AllocationError(f"more than {MAX_ITEMS} entries on one account")
    _check_reversals(by_id.values(), by_id)
    return by_id


def _check_reversals(items: Iterable[Item], by_id: dict[int, Item]) -> None:
    reversed_total: dict[int, int] = defaultdict(int)
    for item in items:
        if item.reverses_entry_id is None:
            continue
        original = by_id.get(item.reverses_entry_id)
        if original is None:
            raise AllocationError(
                f"entry {item.entry_id} reverses entry {item.reverses_entry_id}, "
                "which is not on this account"
            )
        if original.reverses_entry_id is not None:
            raise AllocationError(f"entry {item.entry_id} reverses a reversal")
        if (original.amount_oere > 0) == (item.amount_oere > 0):
            raise AllocationError(
                f"entry {item.entry_id} has the same sign as entry {original.entry_id}"
            )
        reversed_total[original.entry_id] += abs(item.amount_oere)
        if reversed_total[original.entry_id] > abs(original.amount_oere):
            raise AllocationError(f"entry {original.entry_id} is reversed by more than its amount")


def _event_key(item: Item, by_id: dict[int, Item]) -> tuple[date, _Phase, int]:
    if item.reverses_entry_id is not None:
        original = by_id[item.reverses_entry_id]
        # A reversal never takes effect before what it reverses.
        return (max(item.effective_date, original.effective_date), _Phase.REVERSAL, item.entry_id)
    phase = _Phase.DEBIT if item.amount_oere > 0 else _Phase.CREDIT
    return (item.effective_date, phase, item.entry_id)


def _apply(state: _State, item: Item) -> None:
    state.balance += item.amount_oere
    if item.reverses_entry_id is not None:
        original = state.items[item.reverses_entry_id]
        if original.amount_oere < 0:
            _unwind_credit(state, original.entry_id, item.amount_oere)
        else:
            _unwind_debit(state, original.entry_id, -item.amount_oere)
    elif item.amount_oere > 0:
        state.open[item.entry_id] = item.amount_oere
        state.push_debit(item.entry_id)
    else:
        state.free[item.entry_id] = -item.amount_oere
        state.push_credit(item.entry_id)


def _unwind_credit(state: _State, credit: int, amount: int) -> None:
    """A charged-back payment gives up its free part, then its allocations, newest first."""
    taken = min(state.free[credit], amount)
    state.free[credit] -= taken
    remaining = amount - taken
    for debit in reversed(state.by_credit[credit]):
        if remaining == 0:
            break
        undo = min(state.allocated[(credit, debit)], remaining)
        if undo == 0:
            continue
        state.allocated[(credit, debit)] -= undo
        state.open[debit] += undo
        state.push_debit(debit)
        remaining -= undo
    assert remaining == 0, f"credit {credit} reversed by more than it carried"


def _unwind_debit(state: _State, debit: int, amount: int) -> None:
    """A reversed charge drops its open part, then frees its payments, newest first."""
    taken = min(state.open[debit], amount)
    state.open[debit] -= taken
    remaining = amount - taken
    for credit in reversed(state.by_debit[debit]):
        if remaining == 0:
            break
        undo = min(state.allocated[(credit, debit)], remaining)
        if undo == 0:
            continue
        state.allocated[(credit, debit)] -= undo
        state.free[credit] += undo
        state.push_credit(credit)
        remaining -= undo
    assert remaining == 0, f"debit {debit} reversed by more than it carried"


def _result(state: _State) -> Allocation:
    result = Allocation(
        open_by_debit=dict(state.open),
        free_by_credit={credit: free for credit, free in state.free.items() if free > 0},
        allocated={pair: amount for pair, amount in state.allocated.items() if amount > 0},
        balance_oere=state.balance,
    )
    assert result.balance_oere == sum(result.open_by_debit.values()) - result.free_credit_oere(), (
        "balance must equal open debits minus free credits"
    )
    return result


def net_amounts(items: Sequence[Item]) -> dict[int, int]:
    """Each original item's amount after its reversals (unsigned), by entry id."""
    net = {item.entry_id: abs(item.amount_oere) for item in items if item.reverses_entry_id is None}
    for item in items:
        if item.reverses_entry_id is not None:
            net[item.reverses_entry_id] -= abs(item.amount_oere)
    return net
