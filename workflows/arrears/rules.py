"""The legal rules of the arrears workflow, as pure functions over plain data.

Each rule cites its paragraph. ALL = almenlejeloven, ABL = almenboligloven. Dates come from
``ledger.calendar`` (domain.md §2); "today" is always a parameter.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ledger.balances import OpenItem
from ledger.calendar import (
    add_bank_days,
    earliest_pakrav,
    earliest_termination,
    last_timely_payment_day,
    pakrav_deadline,
)
from ledger.charge_types import PAKRAV_FEE
from ledger.types import DeliveryChannel, UnitKind

# Payments by slip or transfer reach the ledger a day or two after they were paid (domain.md
# §6): an instalment is judged only this many bank days after its last timely payment day.
INSTALMENT_SETTLEMENT_BANK_DAYS = 3


@dataclass(frozen=True, slots=True)
class DemandLine:
    """One unpaid pligtig item: what a påkrav may demand of it (ALL § 90, stk. 2)."""

    entry_id: int
    due_date: date
    text: str
    charge_type: str | None
    amount_oere: int

    def as_json(self) -> dict[str, object]:
        return {
            "entry_id": self.entry_id,
            "due_date": self.due_date.isoformat(),
            "text": self.text,
            "charge_type": self.charge_type,
            "amount_oere": self.amount_oere,
        }


@dataclass(frozen=True, slots=True)
class LegalDates:
    """The dates a påkrav dispatched on ``dispatch`` sets running (ALL § 90, stk. 2)."""

    dispatch: date
    channel: DeliveryChannel
    arrival: date
    deadline: date
    earliest_termination: date


def is_overdue(due: date, as_of: date) -> bool:
    """Unpaid after the last timely payment day (ALL § 44, stk. 2; § 90, stk. 1, nr. 1)."""
    return as_of > last_timely_payment_day(due)


def unpaid_by_due_date(
    open_items: Iterable[OpenItem], as_of: date, cases_from: date
) -> dict[date, tuple[DemandLine, ...]]:
    """The overdue, unpaid pligtige items by due date: one påkrav per due date (domain.md §3).

    Only pligtige pengeydelser may be demanded (ALL § 90, stk. 1, nr. 1, and stk. 2). Påkrav fees
    never open a case of their own: each is demanded by the påkrav that charged it, so a fee
    never begets a påkrav and another fee. Due dates before ``cases_from`` (the old system's)
    are left alone.
    """
    found: dict[date, list[DemandLine]] = defaultdict(list)
    for item in open_items:
        if not item.pligtig or item.charge_type == PAKRAV_FEE or item.open_oere <= 0:
            continue
        if item.due_date < cases_from or not is_overdue(item.due_date, as_of):
            continue
        found[item.due_date].append(
            DemandLine(item.entry_id, item.due_date, item.label, item.charge_type, item.open_oere)
        )
    return {due: tuple(lines) for due, lines in sorted(found.items())}


def is_insignificant(amount_oere: int, minimum_oere: int) -> bool:
    """Arrears of "uvæsentlig betydning" cannot ground a termination (ALL § 91, stk. 1).

    Whether arrears are insignificant is for a court to judge; the organisation's configured
    minimum is the line below which almen neither sends a påkrav nor asks to terminate.
    """
    return amount_oere < minimum_oere


def may_give_pakrav(due: date, dispatch: date) -> bool:
    """A påkrav may be given on ``earliest_pakrav(due)`` or later, never earlier: one given
    too early is void (ALL § 90, stk. 2, 2.-3. pkt.)."""
    return dispatch >= earliest_pakrav(due)


def pakrav_channel(
    *,
    organisation_connected: bool,
    tenancy_channel: DeliveryChannel,
    digital_post_exempt: bool,
) -> DeliveryChannel:
    """Digital Post only if the organisation is connected and the tenant is not exempt
    (ALL § 5, stk. 3); otherwise a physical letter. A tenant registered for letters gets a
    letter even when Digital Post would be allowed: it arrives later, so the deadline is later,
    which is never to the tenant's harm."""
    digital = (
        organisation_connected
        and not digital_post_exempt
        and tenancy_channel == DeliveryChannel.DIGITAL_POST
    )
    return DeliveryChannel.DIGITAL_POST if digital else DeliveryChannel.LETTER


def arrival_date(channel: DeliveryChannel, dispatch: date, letter_bank_days: int) -> date:
    """When the påkrav "kom frem" (ALL § 90, stk. 2, 1. pkt.): Digital Post the day it is in
    the mailbox, the dispatch day; a physical letter is assumed to arrive ``letter_bank_days``
    bank days after posting (a conservative, configurable assumption: domain.md §2)."""
    if channel == DeliveryChannel.DIGITAL_POST:
        return dispatch
    assert letter_bank_days >= 1, "a posted letter never arrives the day it is posted"
    return add_bank_days(dispatch, letter_bank_days)


def pakrav_legal_dates(
    dispatch: date, channel: DeliveryChannel, letter_bank_days: int
) -> LegalDates:
    """Arrival, deadline (14 days after arrival, rolled off helligdage, Saturdays and
    Grundlovsdag) and the earliest termination, the day after (ALL § 90, stk. 2)."""
    arrival = arrival_date(channel, dispatch, letter_bank_days)
    return LegalDates(
        dispatch=dispatch,
        channel=channel,
        arrival=arrival,
        deadline=pakrav_deadline(arrival),
        earliest_termination=earliest_termination(arrival),
    )


def remaining_oere(open_by_entry: Mapping[int, int], demanded_entry_ids: Iterable[int]) -> int:
    """What is still unpaid of the items a påkrav demanded (its own fee included)."""
    return sum(open_by_entry.get(entry_id, 0) for entry_id in demanded_entry_ids)


def is_cleared(open_by_entry: Mapping[int, int], demanded_entry_ids: Iterable[int]) -> bool:
    """The arrears are "rettet" (ALL § 91, stk. 2) when every demanded item is paid: then the
    landlord cannot terminate for them."""
    return remaining_oere(open_by_entry, demanded_entry_ids) == 0


def may_ask_to_terminate(
    as_of: date, earliest_termination_day: date, remaining: int, minimum_oere: int
) -> bool:
    """The case goes to a person for termination when the deadline has passed (ALL § 90,
    stk. 2), the arrears are not cleared (§ 91, stk. 2) and not insignificant (§ 91, stk. 1)."""
    return (
        as_of >= earliest_termination_day
        and remaining > 0
        and not is_insignificant(remaining, minimum_oere)
    )


def first_year_end(tenancy_start: date) -> date:
    """The first anniversary of the tenancy (29 February rolls to 1 March)."""
    try:
        return tenancy_start.replace(year=tenancy_start.year + 1)
    except ValueError:
        return date(tenancy_start.year + 1, 3, 1)


def first_year_notification_due(
    *,
    municipally_assigned: bool,
    unit_kind: UnitKind,
    tenancy_start: date,
    dispatch: date,
) -> bool:
    """ABL § 59, stk. 11: a påkrav sent within the first year of the tenancy to a tenant the
    municipality assigned, in a familie- or ungdomsbolig, is notified to the municipality at the
    same time. Not for ældre- and plejeboliger. The anniversary itself still counts: notifying
    once too often costs nothing, missing a notification breaks the law."""
    return (
        municipally_assigned
        and unit_kind in (UnitKind.FAMILIE, UnitKind.UNGDOM)
        and tenancy_start <= dispatch <= first_year_end(tenancy_start)
    )


def instalment_judgement_day(instalment_due: date) -> date:
    """The first day an instalment is judged: a few bank days after its last timely payment
    day, so that payments made in time have reached the ledger (domain.md §6)."""
    return add_bank_days(last_timely_payment_day(instalment_due), INSTALMENT_SETTLEMENT_BANK_DAYS)


def scheduled_remaining(
    total_oere: int, instalments: Sequence[tuple[date, int]], through: date
) -> int:
    """What a payment plan allows to be unpaid after the instalments due up to ``through``."""
    return total_oere - sum(amount for due, amount in instalments if due <= through)


def instalment_kept(remaining_by_its_day: int, allowed_remaining: int) -> bool:
    """An instalment is kept when, judged by payment date on its last timely payment day, what
    is unpaid of the plan's cases is no more than the plan allows by then."""
    return remaining_by_its_day <= allowed_remaining


def months_to_charge(day: date, lead_days: int) -> list[tuple[int, int]]:
    """The (year, month)s whose recurring charges the nightly run posts on ``day``: the
    current month, and the next one from ``lead_days`` before its 1st (rent is paid in
    advance, ALL § 44, stk. 1; charges exist before they fall due)."""
    months = [(day.year, day.month)]
    ahead = day + timedelta(days=lead_days)
    if (ahead.year, ahead.month) != (day.year, day.month):
        months.append((ahead.year, ahead.month))
    return months
