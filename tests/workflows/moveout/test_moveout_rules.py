"""The single rules of the move-out settlement: full months, the landlord's share, the § 94
notice deadline and the 10 % cap."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ledger.types import MaintenanceScheme
from workflows.moveout.model import RepairCategory
from workflows.moveout.rules import (
    full_months,
    guarantee_covers,
    landlord_share,
    month_anniversary,
    overrun_cap,
    repair_notice_decision,
    repair_share_for_tenant,
    split_proportionally,
    tenant_part,
)

# --- full months (ALL § 26, stk. 2) ------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (date(2020, 1, 15), date(2020, 2, 14), 1),  # the brief's example
        (date(2020, 1, 15), date(2020, 2, 13), 0),  # one day short
        (date(2020, 1, 15), date(2020, 1, 15), 0),  # a single day
        (date(2020, 1, 1), date(2020, 1, 31), 1),  # a calendar month
        (date(2020, 1, 1), date(2023, 4, 30), 40),  # 3 years + 4 months
        (date(2020, 1, 1), date(2023, 4, 29), 39),
        # A month ending on a day its month lacks ends on that month's last day:
        (date(2021, 1, 31), date(2021, 2, 28), 1),  # non-leap: 31 Jan → 28 Feb is a month
        (date(2021, 1, 31), date(2021, 2, 27), 0),
        (date(2020, 1, 31), date(2020, 2, 29), 1),  # leap: 31 Jan → 29 Feb is a month
        (date(2020, 1, 31), date(2020, 2, 28), 0),
        (date(2021, 1, 30), date(2021, 2, 28), 1),  # "30 Feb" → also ends 28 Feb
        (date(2021, 1, 28), date(2021, 2, 27), 1),
        (date(2021, 1, 31), date(2021, 3, 30), 2),  # counted from 31 Jan, not from 28 Feb
        (date(2021, 1, 31), date(2021, 3, 29), 1),
        (date(2020, 2, 29), date(2021, 2, 28), 12),  # a leap day start: 12 months to 28 Feb
        (date(2020, 2, 29), date(2021, 2, 27), 11),
        (date(2021, 2, 1), date(2021, 2, 28), 1),
        (date(2021, 3, 1), date(2021, 3, 28), 0),  # March is not over on the 28th
    ],
)
def test_all_26_stk_2_full_months(start: date, end: date, expected: int) -> None:
    assert full_months(start, end) == expected


def test_month_anniversary_rolls_a_missing_day_to_the_first() -> None:
    assert month_anniversary(date(2021, 1, 31), 1) == date(2021, 3, 1)
    assert month_anniversary(date(2020, 1, 31), 1) == date(2020, 3, 1)
    assert month_anniversary(date(2021, 1, 31), 2) == date(2021, 3, 31)
    assert month_anniversary(date(2021, 12, 15), 1) == date(2022, 1, 15)
    assert month_anniversary(date(2021, 12, 15), 0) == date(2021, 12, 15)


def _reference_anniversary(start: date, months: int) -> date:
    """An independent month step: try the day, else the 1st of the next month."""
    month_index = start.year * 12 + start.month - 1 + months
    year, month = divmod(month_index, 12)
    try:
        return date(year, month + 1, start.day)
    except ValueError:
        next_year, next_month = divmod(month_index + 1, 12)
        return date(next_year, next_month + 1, 1)


_dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))


@given(_dates, st.integers(min_value=0, max_value=6000))
def test_full_months_matches_counting_anniversaries(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    count = 0
    while _reference_anniversary(start, count + 1) <= end + timedelta(days=1):
        count += 1
    assert full_months(start, end) == count


@given(_dates, st.integers(min_value=1, max_value=200))
def test_full_months_is_n_on_the_day_before_the_nth_anniversary(start: date, n: int) -> None:
    last_day = month_anniversary(start, n) - timedelta(days=1)
    assert full_months(start, last_day) == n
    assert full_months(start, last_day - timedelta(days=1)) == n - 1


@given(_dates, st.integers(min_value=0, max_value=6000))
def test_full_months_grows_by_at_most_one_per_day(start: date, days: int) -> None:
    end = start + timedelta(days=days)
    step = full_months(start, end + timedelta(days=1)) - full_months(start, end)
    assert step in (0, 1)


# --- the landlord's share (ALL § 26, stk. 2) ----------------------------------------------------


def test_all_26_stk_2_one_percent_per_month_by_default() -> None:
    assert landlord_share(40, 100) == Fraction(40, 100)
    assert landlord_share(0, 100) == 0


def test_all_26_stk_2_share_is_capped_at_the_whole() -> None:
    assert landlord_share(168, 100) == 1  # 14 years lived, 100-month takeover
    assert landlord_share(130, 120) == 1  # beyond the 10-year maximum


def test_all_26_stk_2_other_takeover_period() -> None:
    assert landlord_share(40, 120) == Fraction(1, 3)  # 40/120


def test_all_26_stk_2_takeover_period_beyond_10_years_is_a_bug() -> None:
    with pytest.raises(AssertionError):
        landlord_share(10, 121)


def test_tenant_part_rounds_down_in_the_tenants_favour() -> None:
    # 1,000.01 kr with 1/3 taken over: 100001 * 2/3 = 66667.33 → 66667 øre
    assert tenant_part(100_001, Fraction(1, 3)) == 66_667
    assert tenant_part(100_000, Fraction(40, 100)) == 60_000
    assert tenant_part(100_000, Fraction(1)) == 0


def test_all_25_stk_4_damage_is_never_shared_and_27_scheme_b_charges_no_normal() -> None:
    share = Fraction(40, 100)
    a, b = MaintenanceScheme.A, MaintenanceScheme.B
    assert repair_share_for_tenant(10_000, RepairCategory.DAMAGE, a, share) == 10_000
    assert repair_share_for_tenant(10_000, RepairCategory.DAMAGE, b, share) == 10_000
    assert repair_share_for_tenant(10_000, RepairCategory.NORMAL, a, share) == 6_000
    assert repair_share_for_tenant(10_000, RepairCategory.NORMAL, b, share) == 0


# --- the written repair notice (ALL § 94, stk. 2, 1. pkt.) --------------------------------------

INSPECTION = date(2023, 5, 4)  # a Thursday; + 14 days = Thursday 18 May 2023, Kristi himmelfart


def test_all_94_stk_2_notice_on_the_14th_day_is_in_time() -> None:
    decision = repair_notice_decision(INSPECTION, date(2023, 5, 18), left_no_address=False)
    assert not decision.lapsed
    assert decision.deadline == date(2023, 5, 18)


def test_all_94_stk_2_deadline_on_a_holiday_does_not_move() -> None:
    decision = repair_notice_decision(INSPECTION, date(2023, 5, 19), left_no_address=False)
    assert decision.lapsed


def test_all_94_stk_2_no_notice_lapses() -> None:
    assert repair_notice_decision(INSPECTION, None, left_no_address=False).lapsed


def test_all_94_stk_2_no_new_address_keeps_the_claim() -> None:
    assert not repair_notice_decision(INSPECTION, None, left_no_address=True).lapsed
    assert not repair_notice_decision(INSPECTION, date(2023, 6, 30), left_no_address=True).lapsed


def test_all_94_stk_2_notice_at_the_inspection_is_in_time() -> None:
    assert not repair_notice_decision(INSPECTION, INSPECTION, left_no_address=False).lapsed


# --- the 10 % cap (ALL § 94, stk. 2, 2. pkt.) ---------------------------------------------------


def test_all_94_stk_2_cap_is_estimate_plus_10_percent_rounded_down() -> None:
    assert overrun_cap(1_000_000) == 1_100_000
    assert overrun_cap(999) == 1_098  # 1098.9 → 1098
    assert overrun_cap(0) == 0


def test_abl_59_stk_1_guarantee_covers_normal_only_under_scheme_a() -> None:
    assert guarantee_covers(RepairCategory.NORMAL, MaintenanceScheme.A)
    assert guarantee_covers(RepairCategory.DAMAGE, MaintenanceScheme.A)
    assert guarantee_covers(RepairCategory.DAMAGE, MaintenanceScheme.B)
    assert not guarantee_covers(RepairCategory.NORMAL, MaintenanceScheme.B)


def test_split_proportionally_by_largest_remainder() -> None:
    assert split_proportionally(100, [300, 0, 100]) == [75, 0, 25]
    assert split_proportionally(10, [1, 1, 1]) == [4, 3, 3]  # tie: the earlier weight
    assert split_proportionally(0, [0, 0]) == [0, 0]


@given(st.lists(st.integers(min_value=0, max_value=10**9), min_size=1, max_size=8), st.data())
def test_split_proportionally_never_exceeds_a_weight(
    weights: list[int], data: st.DataObject
) -> None:
    total = data.draw(st.integers(min_value=0, max_value=sum(weights)))
    parts = split_proportionally(total, weights)
    assert sum(parts) == total
    assert all(0 <= part <= weight for part, weight in zip(parts, weights, strict=True))
