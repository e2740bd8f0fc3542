"""The single rules of the move-out settlement, each a small pure function citing its paragraph.

ALL = almenlejeloven (lov om leje af almene boliger); ABL = almenboligloven.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from datetime import date, timedelta
from fractions import Fraction

from ledger.types import MaintenanceScheme
from workflows.moveout.model import (
    MAX_TAKEOVER_MONTHS,
    NOTICE_DEADLINE_DAYS,
    OVERRUN_TOLERANCE_PCT,
    RepairCategory,
    RepairNoticeDecision,
)

_ONE_DAY = timedelta(days=1)


def month_anniversary(start: date, months: int) -> date:
    """The day ``months`` calendar months after ``start``; a day the target month lacks rolls to
    the 1st of the following month (31 Jan + 1 month = 1 Mar, 29 Feb 2020 + 12 = 1 Mar 2021).

    Always counted from ``start`` itself, never step by step, so 31 Jan + 2 months = 31 Mar.
    """
    assert months >= 0, "months must not be negative"
    year, month0 = divmod(start.month - 1 + months, 12)
    year += start.year
    last_day = calendar.monthrange(year, month0 + 1)[1]
    if start.day <= last_day:
        return date(year, month0 + 1, start.day)
    return date(year, month0 + 1, last_day) + _ONE_DAY


def full_months(start: date, end: date) -> int:
    """Full months lived from the takeover day ``start`` to the last day ``end`` (both lived).

    Month *n* is full when the tenancy lasted at least to the day before the *n*-th
    ``month_anniversary`` of ``start``: 15 Jan → 14 Feb is 1 full month, 15 Jan → 13 Feb is 0;
    1 Jan 2020 → 30 Apr 2023 is 40. A month that would end on a day its month lacks ends on that
    month's last day: 31 Jan 2021 → 28 Feb 2021 is 1, → 27 Feb is 0; in 2020 → 29 Feb is 1 and
    → 28 Feb is 0. (ALL § 26, stk. 2, 3.-4. pkt.: the share taken over "på det tidspunkt, hvor
    lejemålet ophører".)
    """
    assert end >= start, "the tenancy cannot end before it starts"
    day_after = end + _ONE_DAY
    months = (end.year - start.year) * 12 + (end.month - start.month) + 1
    while month_anniversary(start, months) > day_after:
        months -= 1
    assert months >= 0
    assert month_anniversary(start, months) <= day_after < month_anniversary(start, months + 1)
    return months


def landlord_share(months_lived: int, takeover_months: int) -> Fraction:
    """The share of normal refurbishment the landlord has taken over (ALL § 26, stk. 2, 3. pkt.).

    ``min(full months, takeover_months) / takeover_months``: with the default 100 months that is
    1 % per full month; the takeover period is at most 10 years, and the share never exceeds 1.
    """
    assert months_lived >= 0
    assert 1 <= takeover_months <= MAX_TAKEOVER_MONTHS, "§ 26, stk. 2: at most 10 years"
    share = Fraction(min(months_lived, takeover_months), takeover_months)
    assert 0 <= share <= 1
    return share


def tenant_part(amount_oere: int, share_taken_over: Fraction) -> int:
    """The part of a normal refurbishment left to the tenant (ALL § 26, stk. 2, 4. pkt.).

    Rounded down to whole øre: the tenant pays only what the landlord has not taken over, never
    a fraction of an øre more.
    """
    assert amount_oere >= 0
    assert 0 <= share_taken_over <= 1
    remaining = 1 - share_taken_over
    part = amount_oere * remaining.numerator // remaining.denominator
    assert 0 <= part <= amount_oere
    return part


def repair_share_for_tenant(
    amount_oere: int, category: RepairCategory, scheme: MaintenanceScheme, share: Fraction
) -> int:
    """The tenant's part of one repair before the § 94 rules.

    Damage (misligholdelse) is the tenant's in full under either scheme (ALL § 25, stk. 4).
    Normal refurbishment: under scheme A the tenant pays what the landlord has not taken over
    (§ 26, stk. 2); under scheme B nothing, the maintenance account pays (§ 27).
    """
    if category is RepairCategory.DAMAGE:
        return amount_oere
    if scheme is MaintenanceScheme.B:
        return 0
    return tenant_part(amount_oere, share)


def repair_notice_decision(
    inspection_date: date | None, notice_date: date | None, left_no_address: bool
) -> RepairNoticeDecision:
    """Did the repair claim lapse (ALL § 94, stk. 2, 1. pkt.)?

    The written notice of the repairs, their estimated cost and the tenant's share must reach
    the tenant no later than 2 weeks after the inspection (inspection day + 14 days; the
    deadline is *not* moved off a weekend or holiday: the law gives no such rule, and moving it
    could only hurt the tenant). Otherwise the claim for repairs lapses, unless the tenant moved
    without giving a new address. Only repairs lapse: rent and other claims stay (seed 003).
    """
    if inspection_date is None:
        return RepairNoticeDecision(False, None, "no inspection: no repair claim to decide on")
    deadline = inspection_date + timedelta(days=NOTICE_DEADLINE_DAYS)
    if notice_date is not None and notice_date <= deadline:
        return RepairNoticeDecision(False, deadline, f"notice {notice_date} in time")
    late = "never given" if notice_date is None else f"given {notice_date}"
    if left_no_address:
        reason = f"notice {late} after deadline {deadline}, but the tenant left no new address"
        return RepairNoticeDecision(False, deadline, reason)
    return RepairNoticeDecision(True, deadline, f"notice {late}; deadline was {deadline}")


def overrun_cap(estimated_tenant_total_oere: int) -> int:
    """The most the tenant can pay for the notified repairs (ALL § 94, stk. 2, 2. pkt.).

    "Overskridelser, der forhøjer lejerens samlede andel af den anslåede udgift med mere end
    10 pct., er lejeren uvedkommende": the cap is on the tenant's *total* share of the estimate,
    not per item, and is rounded down to whole øre.
    """
    assert estimated_tenant_total_oere >= 0
    return estimated_tenant_total_oere * (100 + OVERRUN_TOLERANCE_PCT) // 100


def guarantee_covers(category: RepairCategory, scheme: MaintenanceScheme) -> bool:
    """Does the municipal guarantee cover this kind of repair (ABL § 59, stk. 1; § 63, stk. 3)?

    Scheme A: normal refurbishment of walls and ceilings and damage; scheme B: damage only
    (seed 003, "Kommunens garanti"). Never rent, heat, antenna or other claims.
    """
    return category is RepairCategory.DAMAGE or scheme is MaintenanceScheme.A


def split_proportionally(total: int, weights: Sequence[int]) -> list[int]:
    """Split ``total`` øre over ``weights`` in proportion, by largest remainder; ties go to the
    earlier weight. Each part is at most ``ceil(total * weight / sum)``; parts sum to ``total``."""
    assert total >= 0 and all(w >= 0 for w in weights)
    weight_sum = sum(weights)
    if total == 0:
        return [0] * len(weights)
    assert weight_sum > 0, "cannot split a positive amount over zero weights"
    quotients = [divmod(total * w, weight_sum) for w in weights]
    parts = [q for q, _ in quotients]
    short = total - sum(parts)
    by_remainder = sorted(range(len(weights)), key=lambda i: (-quotients[i][1], i))
    for index in by_remainder[:short]:
        assert quotients[index][1] > 0
        parts[index] += 1
    assert sum(parts) == total
    return parts
