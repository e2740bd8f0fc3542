"""The pure rules of the arrears workflow, with real dates (domain.md §2-4)."""

from __future__ import annotations

from datetime import date

import pytest

from ledger.balances import OpenItem
from ledger.types import DeliveryChannel, UnitKind
from workflows.arrears.rules import (
    arrival_date,
    first_year_notification_due,
    instalment_judgement_day,
    instalment_kept,
    is_cleared,
    is_insignificant,
    may_ask_to_terminate,
    may_give_pakrav,
    months_to_charge,
    pakrav_channel,
    pakrav_legal_dates,
    scheduled_remaining,
    unpaid_by_due_date,
)
from workflows.arrears.states import (
    CLOSED_STATES,
    TRANSITIONS,
    CaseState,
    TransitionError,
    check_transition,
)

D = date
DIGITAL, LETTER = DeliveryChannel.DIGITAL_POST, DeliveryChannel.LETTER


def item(
    entry: int, due: date, open_oere: int, code: str = "HUSLEJE", pligtig: bool = True
) -> OpenItem:
    return OpenItem(entry, due, code, code.title(), open_oere, open_oere, pligtig)


def test_all_90_stk_2_pakrav_never_before_earliest_day_easter_2026() -> None:
    assert not may_give_pakrav(D(2026, 4, 1), D(2026, 4, 8))
    assert may_give_pakrav(D(2026, 4, 1), D(2026, 4, 9))
    assert may_give_pakrav(D(2026, 4, 1), D(2026, 4, 15))  # late costs nothing


def test_all_90_stk_2_third_hverdag_on_grundlovsdag_moves_pakrav_to_saturday_6_june() -> None:
    # Due Tuesday 2 June 2026: hverdage 3, 4, 5 June; the 3rd is Grundlovsdag.
    assert not may_give_pakrav(D(2026, 6, 2), D(2026, 6, 5))
    assert may_give_pakrav(D(2026, 6, 2), D(2026, 6, 6))


def test_all_5_stk_3_digital_post_only_if_connected_and_not_exempt() -> None:
    def channel(connected: bool, registered: DeliveryChannel, exempt: bool) -> DeliveryChannel:
        return pakrav_channel(
            organisation_connected=connected, tenancy_channel=registered, digital_post_exempt=exempt
        )

    assert channel(True, DIGITAL, False) == DIGITAL
    assert channel(False, DIGITAL, False) == LETTER  # organisation not connected
    assert channel(True, DIGITAL, True) == LETTER  # tenant exempt
    assert channel(True, LETTER, False) == LETTER  # tenant registered for letters


def test_all_90_stk_2_digital_post_arrives_the_day_it_is_sent() -> None:
    dates = pakrav_legal_dates(D(2026, 4, 9), DIGITAL, 5)
    assert (dates.arrival, dates.deadline, dates.earliest_termination) == (
        D(2026, 4, 9), D(2026, 4, 23), D(2026, 4, 24),
    )  # fmt: skip


def test_all_90_stk_2_letter_arrives_five_bank_days_later_and_the_deadline_counts_from_it() -> None:
    dates = pakrav_legal_dates(D(2026, 4, 9), LETTER, 5)
    assert dates.arrival == D(2026, 4, 16)  # Fri 10, Mon 13, Tue 14, Wed 15, Thu 16
    assert (dates.deadline, dates.earliest_termination) == (D(2026, 4, 30), D(2026, 5, 1))


def test_all_90_stk_2_saturday_pakrav_by_letter_over_christmas() -> None:
    # Påkrav on Saturday 5 Dec 2026: a letter arrives Fri 11 Dec; 14 days is Juledag (25 Dec),
    # then 2. juledag, Sunday: the deadline is Monday 28 Dec.
    dates = pakrav_legal_dates(D(2026, 12, 5), LETTER, 5)
    assert (dates.arrival, dates.deadline) == (D(2026, 12, 11), D(2026, 12, 28))
    assert pakrav_legal_dates(D(2026, 12, 5), DIGITAL, 5).deadline == D(2026, 12, 21)  # Sat 19 →


def test_all_90_stk_2_deadline_on_grundlovsdag_moves_to_monday_8_june() -> None:
    assert pakrav_legal_dates(D(2026, 5, 22), DIGITAL, 5).deadline == D(2026, 6, 8)


def test_arrival_bank_days_is_configurable() -> None:
    assert arrival_date(LETTER, D(2026, 4, 9), 2) == D(2026, 4, 13)
    assert arrival_date(DIGITAL, D(2026, 4, 9), 9) == D(2026, 4, 9)


def test_all_91_stk_1_below_the_minimum_is_insignificant() -> None:
    assert is_insignificant(49_999, 50_000)
    assert not is_insignificant(50_000, 50_000)


def test_all_91_stk_2_cleared_when_every_demanded_item_is_paid() -> None:
    assert is_cleared({1: 0, 2: 0}, [1, 2])
    assert is_cleared({}, [1, 2])  # paid items are no longer open
    assert not is_cleared({2: 33_500}, [1, 2])  # the fee is still unpaid


def test_all_90_and_91_termination_asked_only_after_deadline_and_above_minimum() -> None:
    earliest = D(2026, 4, 24)
    assert not may_ask_to_terminate(D(2026, 4, 23), earliest, 683_500, 50_000)
    assert may_ask_to_terminate(D(2026, 4, 24), earliest, 683_500, 50_000)
    assert not may_ask_to_terminate(D(2026, 4, 24), earliest, 33_500, 50_000)
    assert not may_ask_to_terminate(D(2026, 4, 24), earliest, 0, 0)


def test_all_90_stk_2_only_overdue_pligtige_items_by_due_date_and_never_fees() -> None:
    items = [
        item(1, D(2026, 4, 1), 650_000),
        item(2, D(2026, 4, 1), 60_000, "ACONTO_VARME"),
        item(3, D(2026, 4, 1), 12_000, "VASKERI", pligtig=False),  # a laundry bill
        item(4, D(2026, 3, 9), 33_500, "PAKRAVSGEBYR"),  # an earlier påkrav's fee
        item(5, D(2026, 4, 15), 20_000),  # not overdue yet on 9 April
        item(6, D(2026, 2, 1), 650_000),  # before cases_from
    ]
    found = unpaid_by_due_date(items, D(2026, 4, 9), cases_from=D(2026, 3, 1))
    assert list(found) == [D(2026, 4, 1)]
    assert [line.entry_id for line in found[D(2026, 4, 1)]] == [1, 2]


def test_all_44_stk_2_not_overdue_until_after_the_last_timely_payment_day() -> None:
    # Due Friday 1 Jan 2027 (Nytårsdag): the last timely payment day is Monday 4 January.
    rent = [item(1, D(2027, 1, 1), 650_000)]
    assert unpaid_by_due_date(rent, D(2027, 1, 4), D(2026, 1, 1)) == {}
    assert list(unpaid_by_due_date(rent, D(2027, 1, 5), D(2026, 1, 1))) == [D(2027, 1, 1)]


@pytest.mark.parametrize(
    ("assigned", "kind", "start", "expected"),
    [
        (True, UnitKind.FAMILIE, D(2026, 1, 1), True),  # three months in
        (True, UnitKind.UNGDOM, D(2026, 1, 1), True),
        (True, UnitKind.AELDRE, D(2026, 1, 1), False),  # ældrebolig: not covered
        (True, UnitKind.PLEJE, D(2026, 1, 1), False),
        (False, UnitKind.FAMILIE, D(2026, 1, 1), False),  # not assigned
        (True, UnitKind.FAMILIE, D(2025, 1, 1), False),  # older than a year
        (True, UnitKind.FAMILIE, D(2025, 4, 9), True),  # the anniversary itself
        (True, UnitKind.FAMILIE, D(2025, 4, 8), False),
    ],
)
def test_abl_59_stk_11_first_year_notification(
    assigned: bool, kind: UnitKind, start: date, expected: bool
) -> None:
    due = first_year_notification_due(
        municipally_assigned=assigned, unit_kind=kind, tenancy_start=start, dispatch=D(2026, 4, 9)
    )
    assert due is expected


def test_abl_59_stk_11_leap_day_tenancy_first_year_ends_1_march() -> None:
    kwargs = {"municipally_assigned": True, "unit_kind": UnitKind.FAMILIE}
    leap = D(2024, 2, 29)
    assert first_year_notification_due(tenancy_start=leap, dispatch=D(2025, 3, 1), **kwargs)  # type: ignore[arg-type]
    assert not first_year_notification_due(tenancy_start=leap, dispatch=D(2025, 3, 2), **kwargs)  # type: ignore[arg-type]


def test_payment_plan_instalment_judged_three_bank_days_after_its_day() -> None:
    assert instalment_judgement_day(D(2026, 4, 20)) == D(2026, 4, 23)
    assert instalment_judgement_day(D(2026, 5, 2)) == D(2026, 5, 7)  # Saturday → Monday 4
    schedule = [(D(2026, 4, 20), 341_750), (D(2026, 5, 5), 341_750)]
    assert scheduled_remaining(683_500, schedule, D(2026, 4, 20)) == 341_750
    assert instalment_kept(341_750, 341_750) and not instalment_kept(341_751, 341_750)


def test_charges_of_the_next_month_are_posted_two_weeks_ahead() -> None:
    assert months_to_charge(D(2026, 4, 9), 14) == [(2026, 4)]
    assert months_to_charge(D(2026, 4, 17), 14) == [(2026, 4), (2026, 5)]
    assert months_to_charge(D(2026, 12, 20), 14) == [(2026, 12), (2027, 1)]


def test_state_machine_refuses_what_it_does_not_list() -> None:
    check_transition(CaseState.OPENED, CaseState.PAKRAV_SENT)
    with pytest.raises(TransitionError):
        check_transition(CaseState.OPENED, CaseState.TERMINATION_SENT)  # skipping the påkrav
    with pytest.raises(TransitionError):
        check_transition(CaseState.PAKRAV_SENT, CaseState.EVICTION_REQUESTED)
    for closed in CLOSED_STATES:
        assert TRANSITIONS[closed] == frozenset()
        with pytest.raises(TransitionError):
            check_transition(closed, CaseState.OPENED)


def test_every_open_state_can_reach_a_closed_state() -> None:
    for state in set(CaseState) - CLOSED_STATES:
        seen, frontier = {state}, [state]
        while frontier:
            for nxt in TRANSITIONS[frontier.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    frontier.append(nxt)
        assert seen & CLOSED_STATES, state
