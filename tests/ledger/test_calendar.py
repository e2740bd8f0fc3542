"""The legal calendar (ALL § 44, stk. 2; § 90, stk. 2; domain.md §2), with real dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.calendar import (
    CalendarError,
    add_bank_days,
    earliest_pakrav,
    earliest_termination,
    is_bank_day,
    is_helligdag,
    is_hverdag,
    last_timely_payment_day,
    pakrav_dates,
    pakrav_deadline,
)

D = date


def helligdage_in(year: int) -> list[date]:
    day, found = D(year, 1, 1), []
    while day.year == year:
        if is_helligdag(day) and day.weekday() != 6:
            found.append(day)
        day += timedelta(days=1)
    return found


def test_helligdage_2026_are_exactly_the_church_holidays() -> None:
    assert helligdage_in(2026) == [
        D(2026, 1, 1),  # Nytårsdag
        D(2026, 4, 2),  # Skærtorsdag
        D(2026, 4, 3),  # Langfredag
        D(2026, 4, 6),  # 2. påskedag (Påskedag 5 April is a Sunday)
        D(2026, 5, 14),  # Kristi himmelfartsdag
        D(2026, 5, 25),  # 2. pinsedag (Pinsedag 24 May is a Sunday)
        D(2026, 12, 25),  # Juledag
        D(2026, 12, 26),  # 2. juledag
    ]


def test_store_bededag_is_a_helligdag_up_to_2023_only() -> None:
    assert is_helligdag(D(2023, 5, 5))  # Store bededag 2023
    assert is_hverdag(D(2024, 4, 26))  # would have been Store bededag 2024: abolished
    assert is_bank_day(D(2024, 4, 26))


@pytest.mark.parametrize(
    "day",
    [D(2026, 6, 5), D(2026, 12, 24), D(2026, 12, 31), D(2026, 5, 1)],
    ids=["grundlovsdag", "juleaften", "nytaarsaften", "1-maj"],
)
def test_grundlovsdag_christmas_eve_new_years_eve_and_1_may_are_hverdage(day: date) -> None:
    assert is_hverdag(day)


def test_saturday_and_grundlovsdag_are_hverdage_but_not_bank_days_ufr_2022_1586_v() -> None:
    assert is_hverdag(D(2026, 4, 4)) and not is_bank_day(D(2026, 4, 4))  # Saturday
    assert is_hverdag(D(2026, 6, 5)) and not is_bank_day(D(2026, 6, 5))  # Grundlovsdag
    assert is_bank_day(D(2026, 12, 24)) and is_bank_day(D(2026, 12, 31))


@pytest.mark.parametrize(
    ("due", "expected"),
    [
        (D(2021, 10, 1), D(2021, 10, 6)),  # Vestre Landsret 2022 (UfR 2022.1586 V): valid
        (D(2026, 3, 2), D(2026, 3, 6)),  # due Monday -> Friday
        (D(2026, 9, 1), D(2026, 9, 5)),  # due Tuesday -> Saturday
        (D(2026, 7, 1), D(2026, 7, 6)),  # due Wednesday -> Monday (3rd hverdag is Saturday)
        (D(2026, 4, 1), D(2026, 4, 9)),  # due Wednesday 1 April 2026: Easter 2-6 April
    ],
    ids=["vlr-2021-10-01", "monday", "tuesday", "wednesday", "easter-2026"],
)
def test_all_90_stk_2_earliest_pakrav_worked_examples(due: date, expected: date) -> None:
    assert earliest_pakrav(due) == expected


def test_all_90_stk_2_worked_example_april_2026_deadline() -> None:
    dates = pakrav_dates(D(2026, 4, 1))
    assert dates.earliest_pakrav == D(2026, 4, 9)
    assert dates.arrival == D(2026, 4, 9)
    assert dates.deadline == D(2026, 4, 23)
    assert dates.earliest_termination == D(2026, 4, 24)


def test_all_44_stk_2_due_on_new_years_day_rolls_to_next_bank_day() -> None:
    assert last_timely_payment_day(D(2026, 1, 1)) == D(2026, 1, 2)
    # hverdage after Fri 2 Jan: Sat 3, Mon 5, Tue 6 -> påkrav Wed 7 Jan 2026
    assert earliest_pakrav(D(2026, 1, 1)) == D(2026, 1, 7)


def test_all_44_stk_2_due_friday_new_year_2027_skips_the_weekend() -> None:
    assert last_timely_payment_day(D(2027, 1, 1)) == D(2027, 1, 4)
    assert earliest_pakrav(D(2027, 1, 1)) == D(2027, 1, 8)


def test_all_44_stk_2_due_saturday_rolls_to_monday() -> None:
    assert last_timely_payment_day(D(2026, 8, 1)) == D(2026, 8, 3)
    assert earliest_pakrav(D(2026, 8, 1)) == D(2026, 8, 7)


def test_all_44_stk_2_due_on_grundlovsdag_rolls_to_monday() -> None:
    assert last_timely_payment_day(D(2026, 6, 5)) == D(2026, 6, 8)


def test_all_90_stk_2_third_hverdag_on_grundlovsdag_gives_the_following_hverdag() -> None:
    # due Tue 2 Jun 2026: hverdage Wed 3, Thu 4, Fri 5 (Grundlovsdag) -> Saturday 6 June
    assert earliest_pakrav(D(2026, 6, 2)) == D(2026, 6, 6)


def test_all_90_stk_2_store_bededag_2023_pushes_the_pakrav() -> None:
    # due Mon 1 May 2023: Tue 2, Wed 3, Thu 4; Fri 5 May is Store bededag -> Saturday 6 May
    assert earliest_pakrav(D(2023, 5, 1)) == D(2023, 5, 6)


@pytest.mark.parametrize(
    ("arrival", "deadline"),
    [
        (D(2026, 4, 9), D(2026, 4, 23)),  # plain 14 days
        (D(2026, 5, 22), D(2026, 6, 8)),  # 5 June is Grundlovsdag (a Friday) -> Monday
        (D(2026, 9, 5), D(2026, 9, 21)),  # ends on a Saturday -> Monday
        (D(2026, 12, 11), D(2026, 12, 28)),  # ends Juledag, then 2. juledag, Sunday
        (D(2026, 3, 22), D(2026, 4, 7)),  # ends 5 April (Påskedag), 6 April 2. påskedag
    ],
    ids=["plain", "grundlovsdag", "saturday", "christmas", "easter"],
)
def test_all_90_stk_2_deadline_rolls_to_the_next_bank_day(arrival: date, deadline: date) -> None:
    assert pakrav_deadline(arrival) == deadline
    assert earliest_termination(arrival) == deadline + timedelta(days=1)


def test_arrival_before_the_earliest_pakrav_is_refused() -> None:
    with pytest.raises(CalendarError, match="before the earliest påkrav day 2026-04-09"):
        pakrav_dates(D(2026, 4, 1), arrival=D(2026, 4, 8))


def test_letter_arrival_counts_bank_days() -> None:
    # posted Thu 2 Apr 2026 (Skærtorsdag): bank days Tue 7, Wed 8, Thu 9
    assert add_bank_days(D(2026, 4, 2), 3) == D(2026, 4, 9)
    assert add_bank_days(D(2026, 4, 9), 0) == D(2026, 4, 9)


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2100, 12, 31)))
def test_pakrav_is_never_within_three_hverdage_of_the_last_timely_day(due: date) -> None:
    ltp = last_timely_payment_day(due)
    pakrav = earliest_pakrav(due)
    hverdage_between = [
        ltp + timedelta(days=n)
        for n in range(1, (pakrav - ltp).days)
        if is_hverdag(ltp + timedelta(days=n))
    ]
    assert len(hverdage_between) >= 3
    assert is_hverdag(pakrav)
    assert is_bank_day(ltp) and ltp >= due
    assert is_bank_day(pakrav_deadline(pakrav))
