"""The Danish legal calendar for rent payment and påkrav (domain.md §2).

Terms, as almenlejeloven (ALL) uses them:

* *helligdag*: every Sunday and every public holiday (folkekirkens helligdage, plus Store
  bededag up to and including 2023).
* *hverdag*: every day that is not a helligdag. Saturday and Grundlovsdag (5 June) are
  hverdage (Vestre Landsret, UfR 2022.1586 V); 24 December, 31 December and 1 May are
  ordinary days.
* *bank day*: a hverdag that is neither a Saturday nor Grundlovsdag.

Every function is pure: "today" is always a parameter.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

import holidays

GRUNDLOVSDAG = (6, 5)  # (month, day)
DEADLINE_DAYS = 14  # ALL § 90, stk. 2, 1. pkt.
HVERDAGE_BEFORE_PAKRAV = 3  # ALL § 90, stk. 2, 2. pkt.
# Days that are never helligdage even if a holiday table lists them (domain.md §2).
_ORDINARY_DAYS = frozenset({(6, 5), (12, 24), (12, 31), (5, 1)})
_FIRST_YEAR = 1900
_LAST_YEAR = 2200
# A loop that walks day by day never needs more than this to find the next hverdag or bank day.
_MAX_STEPS = 14


class CalendarError(ValueError):
    """A date outside the range the calendar can reason about."""


@lru_cache(maxsize=512)
def _public_holidays(year: int) -> frozenset[date]:
    """The Danish public holidays (folkekirkens helligdage) of ``year``.

    Built on ``holidays.Denmark`` (public category only), which drops Store bededag from 2024
    (lov nr. 207 af 28/02/2023).
    """
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        raise CalendarError(f"year {year} is outside {_FIRST_YEAR}-{_LAST_YEAR}")
    table = holidays.country_holidays("DK", years=year, categories=("public",))
    return frozenset(d for d in table if (d.month, d.day) not in _ORDINARY_DAYS)


def is_helligdag(day: date) -> bool:
    """A Sunday or a public holiday (ALL § 44, stk. 2; § 90, stk. 2)."""
    return day.weekday() == 6 or day in _public_holidays(day.year)


def is_hverdag(day: date) -> bool:
    """Any day that is not a helligdag; Saturday and Grundlovsdag are hverdage (UfR 2022.1586 V)."""
    return not is_helligdag(day)


def is_grundlovsdag(day: date) -> bool:
    """5 June, Grundlovsdag: a hverdag, but the banks are closed."""
    return (day.month, day.day) == GRUNDLOVSDAG


def is_bank_day(day: date) -> bool:
    """A hverdag that is neither a Saturday nor Grundlovsdag (ALL § 44, stk. 2; § 90, stk. 2)."""
    return is_hverdag(day) and day.weekday() != 5 and not is_grundlovsdag(day)


def next_bank_day_on_or_after(day: date) -> date:
    """``day`` itself if it is a bank day, else the next bank day."""
    for step in range(_MAX_STEPS):
        candidate = day + timedelta(days=step)
        if is_bank_day(candidate):
            return candidate
    raise AssertionError(f"no bank day within {_MAX_STEPS} days of {day}")  # pragma: no cover


def next_hverdag_after(day: date) -> date:
    """The first hverdag strictly after ``day``."""
    for step in range(1, _MAX_STEPS):
        candidate = day + timedelta(days=step)
        if is_hverdag(candidate):
            return candidate
    raise AssertionError(f"no hverdag within {_MAX_STEPS} days of {day}")  # pragma: no cover


def add_bank_days(day: date, count: int) -> date:
    """The ``count``-th bank day after ``day`` (``count`` = 0 gives ``day`` itself)."""
    assert 0 <= count <= 60, "bank-day offsets are small"
    current = day
    for _ in range(count):
        current = next_bank_day_on_or_after(current + timedelta(days=1))
    return current


def last_timely_payment_day(due: date) -> date:
    """Sidste rettidige betalingsdag for a payment due on ``due`` (ALL § 44, stk. 2).

    The law moves a due date that falls on a helligdag, a Saturday or Grundlovsdag to "the
    following hverdag". This rolls to the next *bank day* instead: never earlier than the
    law's day (it can only skip a Saturday or Grundlovsdag), so a påkrav counted from it is
    never premature (domain.md §2).
    """
    return next_bank_day_on_or_after(due)


def earliest_pakrav(due: date) -> date:
    """The earliest day a påkrav may be given for rent due on ``due`` (ALL § 90, stk. 2, 2.-3. pkt).

    Count three hverdage after the last timely payment day; the påkrav may be given on the
    first hverdag after the third. If the third hverdag is a Saturday or Grundlovsdag the law
    says "the following hverdag", which this rule already gives. A påkrav given earlier is void.
    """
    day = last_timely_payment_day(due)
    for _ in range(HVERDAGE_BEFORE_PAKRAV):
        day = next_hverdag_after(day)
    return next_hverdag_after(day)


def pakrav_deadline(arrival: date) -> date:
    """Påkravsfrist: 14 days after the påkrav arrived (ALL § 90, stk. 2, 1. og 4. pkt.).

    Every calendar day counts. A last day on a helligdag, Saturday or Grundlovsdag moves to the
    next bank day (the law says the following hverdag; the bank day is never earlier). Payment
    on the deadline day is in time.
    """
    return next_bank_day_on_or_after(arrival + timedelta(days=DEADLINE_DAYS))


def earliest_termination(arrival: date) -> date:
    """The first day the lease may be terminated (ophævet): the day after the deadline
    (ALL § 90, stk. 1, nr. 1, and stk. 2)."""
    return pakrav_deadline(arrival) + timedelta(days=1)


@dataclass(frozen=True, slots=True)
class PakravDates:
    """The legal dates that follow from one due date and one arrival date."""

    due: date
    last_timely_payment_day: date
    earliest_pakrav: date
    arrival: date
    deadline: date
    earliest_termination: date


def pakrav_dates(due: date, arrival: date | None = None) -> PakravDates:
    """All dates of domain.md §2 for a payment due on ``due``.

    ``arrival`` is the day the påkrav arrived (kom frem); by default the earliest påkrav day,
    i.e. Digital Post sent on the earliest legal day. An arrival before the earliest påkrav day
    is impossible for a valid påkrav and is rejected.
    """
    first = earliest_pakrav(due)
    actual_arrival = first if arrival is None else arrival
    if actual_arrival < first:
        raise CalendarError(
            f"arrival {actual_arrival.isoformat()} is before the earliest påkrav day "
            f"{first.isoformat()} (ALL § 90, stk. 2)"
        )
    return PakravDates(
        due=due,
        last_timely_payment_day=last_timely_payment_day(due),
        earliest_pakrav=first,
        arrival=actual_arrival,
        deadline=pakrav_deadline(actual_arrival),
        earliest_termination=earliest_termination(actual_arrival),
    )
