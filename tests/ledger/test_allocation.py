"""Allocation of payments to charges: oldest due first, pligtige first within a due date, and
a reversal reopens what it reverses."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.allocation import AllocationError, Item, allocate, net_amounts

D = date
JAN, FEB, MAR = D(2026, 1, 1), D(2026, 2, 1), D(2026, 3, 1)


def charge(entry_id: int, amount: int, due: date, pligtig: bool = True) -> Item:
    return Item(entry_id, amount, due, pligtig)


def payment(entry_id: int, amount: int, paid: date) -> Item:
    return Item(entry_id, -amount, paid)


def reversal(entry_id: int, of: Item, on: date, amount: int | None = None) -> Item:
    value = -of.amount_oere if amount is None else (amount if of.amount_oere < 0 else -amount)
    return Item(entry_id, value, on, reverses_entry_id=of.entry_id)


def test_payment_settles_the_oldest_due_charge_first() -> None:
    result = allocate([charge(1, 500, FEB), charge(2, 500, JAN), payment(3, 700, MAR)])
    assert result.allocated == {(3, 2): 500, (3, 1): 200}
    assert result.open_debits() == {1: 300}
    assert result.balance_oere == 300


def test_within_one_due_date_pligtige_come_first() -> None:
    laundry = charge(1, 100, JAN, pligtig=False)
    rent = charge(2, 500, JAN, pligtig=True)
    result = allocate([laundry, rent, payment(3, 500, JAN)])
    assert result.allocated == {(3, 2): 500}
    assert result.open_debits() == {1: 100}


def test_prepayment_waits_for_the_charge_to_fall_due() -> None:
    items = [payment(1, 500, D(2025, 12, 28)), charge(2, 500, JAN)]
    before = allocate(items, as_of=D(2025, 12, 31))
    assert before.free_credit_oere() == 500 and before.balance_oere == -500
    after = allocate(items, as_of=JAN)
    assert after.allocated == {(1, 2): 500} and after.balance_oere == 0


def test_as_of_is_judged_by_payment_date_not_posting_order() -> None:
    late_payment = payment(1, 500, D(2026, 1, 8))  # paid on the 8th, posted first
    items = [late_payment, charge(2, 500, JAN)]
    assert allocate(items, as_of=D(2026, 1, 7)).open_debits() == {2: 500}
    assert allocate(items, as_of=D(2026, 1, 8)).open_debits() == {}


def test_charge_back_reopens_the_charge_the_payment_settled() -> None:
    jan, feb = charge(1, 100, JAN), charge(2, 100, FEB)
    pay_jan, pay_feb = payment(3, 100, JAN), payment(4, 100, FEB)
    back = reversal(5, pay_jan, D(2026, 3, 5))
    result = allocate([jan, feb, pay_jan, pay_feb, back])
    assert result.open_debits() == {1: 100}  # January reopens; February stays paid
    assert result.allocated == {(4, 2): 100}
    # before the charge-back took effect, all was paid
    assert allocate([jan, feb, pay_jan, pay_feb, back], as_of=D(2026, 3, 4)).balance_oere == 0


def test_charge_back_of_an_overpayment_takes_the_unused_part_first() -> None:
    jan = charge(1, 100, JAN)
    pay = payment(2, 150, JAN)
    partial = reversal(3, pay, FEB, amount=50)
    result = allocate([jan, pay, partial])
    assert result.open_debits() == {} and result.free_credit_oere() == 0
    assert result.allocated == {(2, 1): 100}


def test_reversed_charge_frees_its_payment_for_the_next_oldest_charge() -> None:
    wrong_fee = charge(1, 300, JAN)
    rent = charge(2, 500, FEB)
    pay = payment(3, 300, JAN)
    credit_note = reversal(4, wrong_fee, FEB)
    result = allocate([wrong_fee, rent, pay, credit_note])
    assert result.allocated == {(3, 2): 300}
    assert result.open_debits() == {2: 200}


def test_reversal_of_unknown_or_over_reversed_entries_is_refused() -> None:
    pay = payment(1, 100, JAN)
    with pytest.raises(AllocationError, match="not on this account"):
        allocate([Item(2, 100, JAN, reverses_entry_id=99)])
    with pytest.raises(AllocationError, match="reversed by more than its amount"):
        allocate([pay, reversal(2, pay, FEB), reversal(3, pay, MAR)])
    with pytest.raises(AllocationError, match="same sign"):
        allocate([pay, Item(2, -100, FEB, reverses_entry_id=1)])


# --- properties ---------------------------------------------------------------------------


@st.composite
def accounts(draw: st.DrawFn) -> list[Item]:
    """A random account: charges, payments, and reversals of some of them."""
    start = D(2025, 1, 1)
    day = st.integers(min_value=0, max_value=400).map(lambda n: start + timedelta(days=n))
    amount = st.integers(min_value=1, max_value=1_000_000)
    items: list[Item] = []
    for entry_id in range(1, draw(st.integers(min_value=0, max_value=30)) + 1):
        if draw(st.booleans()):
            items.append(charge(entry_id, draw(amount), draw(day), draw(st.booleans())))
        else:
            items.append(payment(entry_id, draw(amount), draw(day)))
    next_id = len(items) + 1
    for original in list(items):
        if draw(st.integers(min_value=0, max_value=4)) == 0:
            share = draw(st.integers(min_value=1, max_value=abs(original.amount_oere)))
            on = original.effective_date + timedelta(days=draw(st.integers(0, 60)))
            items.append(reversal(next_id, original, on, amount=share))
            next_id += 1
    return items


@given(accounts(), st.randoms())
@settings(max_examples=300)
def test_result_does_not_depend_on_posting_order(items: list[Item], rnd: random.Random) -> None:
    shuffled = list(items)
    rnd.shuffle(shuffled)
    assert allocate(shuffled) == allocate(items)


@given(accounts())
@settings(max_examples=300)
def test_allocations_never_exceed_either_side(items: list[Item]) -> None:
    result = allocate(items)
    net = net_amounts(items)
    by_debit: dict[int, int] = {}
    by_credit: dict[int, int] = {}
    for (credit, debit), amount in result.allocated.items():
        assert amount > 0
        by_debit[debit] = by_debit.get(debit, 0) + amount
        by_credit[credit] = by_credit.get(credit, 0) + amount
    for debit, total in by_debit.items():
        assert total + result.open_by_debit[debit] == net[debit]
    for credit, total in by_credit.items():
        assert total + result.free_by_credit.get(credit, 0) == net[credit]


@given(accounts(), st.dates(min_value=D(2024, 12, 1), max_value=D(2026, 6, 1)))
@settings(max_examples=300)
def test_balance_is_charges_minus_payments_as_of_any_day(items: list[Item], as_of: date) -> None:
    by_id = {item.entry_id: item for item in items}

    def effective(item: Item) -> date:
        if item.reverses_entry_id is None:
            return item.effective_date
        return max(item.effective_date, by_id[item.reverses_entry_id].effective_date)

    expected = sum(item.amount_oere for item in items if effective(item) <= as_of)
    result = allocate(items, as_of=as_of)
    assert result.balance_oere == expected
    assert result.balance_oere == sum(result.open_by_debit.values()) - result.free_credit_oere()


@given(accounts())
@settings(max_examples=300)
def test_without_reversals_either_nothing_is_open_or_nothing_is_free(items: list[Item]) -> None:
    plain = [item for item in items if item.reverses_entry_id is None]
    result = allocate(plain)
    assert not (result.open_debits() and result.free_credit_oere())


@given(accounts())
@settings(max_examples=300)
def test_without_reversals_debits_are_paid_oldest_first(items: list[Item]) -> None:
    plain = [item for item in items if item.reverses_entry_id is None]
    result = allocate(plain)
    debits = sorted(
        (item for item in plain if item.amount_oere > 0),
        key=lambda item: (item.effective_date, not item.pligtig, item.entry_id),
    )
    seen_open = False
    for debit in debits:
        paid = debit.amount_oere - result.open_by_debit[debit.entry_id]
        if seen_open:
            assert paid == 0, "a younger debit was paid while an older one is open"
        if result.open_by_debit[debit.entry_id] > 0:
            seen_open = True
