"""The deadlines of a move-out (fraflytning), as pure functions over the case's dates.

ALL = almenlejeloven. Every deadline names its paragraph. The two-week deadlines are counted
in calendar days ("senest 2 uger efter": the day + 14) and are *not* moved off a weekend or a
holiday: the law gives no such rule, and moving them could only cost the tenant (the same
reading as ``rules.repair_notice_decision``).

* Inspection (syn): no later than 2 weeks after the organisation learned of the move-out (keys
  returned, or the eviction carried out) (ALL § 94, stk. 1, 2. pkt.). May be left out when no
  repair claim will be made (§ 94, stk. 1, 5. pkt.).
* Summons (indkaldelse): in writing, with at least 1 week's notice (§ 94, stk. 1, 3. pkt.): it
  must *reach* the tenant no later than 7 days before the inspection day. The parties may agree
  a shorter notice when the lease was given notice (opsagt) or terminated (ophævet) (4. pkt.).
* Repair notice (istandsættelsesmeddelelse): the scope, the estimated cost and the tenant's
  share must reach the tenant no later than 2 weeks after the inspection, or the repair claim
  lapses unless the tenant left no new address (§ 94, stk. 2).
* Final statement (flytteopgørelse): "uden unødig forsinkelse", read in case law as no later
  than 1 month after the last contractor invoice (seed 003, "Regler om fraflytning"). Not a
  lapse rule; without invoices the month runs from the inspection (or, when the inspection was
  left out, from the day the organisation learned of the move-out).

A deadline is ``met`` when its act happened on or before the due day, ``missed`` when it
happened later or has not happened and the day has passed, else ``open``. A missed deadline
stays missed: nothing here moves a due day because it passed.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from ledger.calendar import add_bank_days
from workflows.moveout.model import NOTICE_DEADLINE_DAYS
from workflows.moveout.rules import month_anniversary

INSPECTION_DEADLINE_DAYS = 14  # "senest 2 uger efter" (ALL § 94, stk. 1, 2. pkt.)
SUMMONS_NOTICE_DAYS = 7  # "mindst 1 uges varsel" (ALL § 94, stk. 1, 3. pkt.)
FINAL_STATEMENT_MONTHS = 1  # "uden unødig forsinkelse": 1 month after the last invoice
DEFAULT_WARN_DAYS = 5
MAX_WARN_DAYS = 60
DEFAULT_LETTER_ARRIVAL_BANK_DAYS = 5  # like the arrears workflow: a conservative post time

BASIS_INSPECTION = "ALL § 94, stk. 1, 2. pkt."
BASIS_SUMMONS = "ALL § 94, stk. 1, 3.-4. pkt."
BASIS_REPAIR_NOTICE = "ALL § 94, stk. 2"
BASIS_FINAL_STATEMENT = "uden unødig forsinkelse (seed 003: 1 måned efter sidste faktura)"


class MoveoutCause(StrEnum):
    """Why the tenancy ended."""

    NOTICE = "notice"  # opsigelse (by the tenant, or the landlord)
    TERMINATION = "termination"  # ophævelse (ALL § 90)
    EVICTION = "eviction"  # udsættelse by the fogedret after a termination
    DEATH = "death"  # the tenant died; the estate (dødsbo) is the counterpart
    OTHER = "other"  # e.g. a fixed-term lease that ran out


# The lease was opsagt or ophævet: a shorter summons notice may be agreed (§ 94, stk. 1, 4. pkt.).
# An estate's lease ends by opsigelse (seed 003, "Regler om dødsboer").
SHORTER_NOTICE_CAUSES = frozenset(
    {MoveoutCause.NOTICE, MoveoutCause.TERMINATION, MoveoutCause.EVICTION, MoveoutCause.DEATH}
)


class LetterChannel(StrEnum):
    """How a move-out letter reached the former tenant."""

    DIGITAL_POST = "digital_post"  # available in the mailbox the day it is sent
    LETTER = "letter"  # by post: arrival assumed some bank days later unless known
    HAND = "hand"  # handed over (e.g. at the inspection): arrives the same day


class DeadlineKind(StrEnum):
    SUMMONS = "summons"
    INSPECTION = "inspection"
    REPAIR_NOTICE = "repair_notice"
    FINAL_STATEMENT = "final_statement"


class DeadlineStatus(StrEnum):
    OPEN = "open"
    MET = "met"
    MISSED = "missed"
    NOT_APPLICABLE = "not_applicable"


@dataclass(frozen=True, slots=True)
class CaseDates:
    """The dates of a move-out case the deadlines depend on (None: not recorded yet)."""

    end_date: date
    cause: MoveoutCause
    learned_on: date | None = None
    summons_arrived_on: date | None = None
    inspection_planned_on: date | None = None
    shorter_notice_agreed: bool = False
    inspection_held_on: date | None = None
    inspection_waived: bool = False
    no_repair_claim: bool = False
    repair_notice_arrived_on: date | None = None
    last_invoice_on: date | None = None
    statement_sent_on: date | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    """One deadline of a case: its due day, the day its act happened (if it has), its basis."""

    kind: DeadlineKind
    due_on: date
    done_on: date | None
    basis: str
    applies: bool = True

    def status(self, as_of: date) -> DeadlineStatus:
        """Met, missed or open as of ``as_of`` (a deadline that does not apply: n/a)."""
        if not self.applies:
            return DeadlineStatus.NOT_APPLICABLE
        if self.done_on is not None:
            return DeadlineStatus.MET if self.done_on <= self.due_on else DeadlineStatus.MISSED
        return DeadlineStatus.MISSED if as_of > self.due_on else DeadlineStatus.OPEN

    def days_left(self, as_of: date) -> int:
        """Days from ``as_of`` to the due day (0: due today; negative: passed)."""
        return (self.due_on - as_of).days


def arrival(sent_on: date, channel: LetterChannel, letter_bank_days: int) -> date:
    """The day a letter reached the tenant: Digital Post and by hand the day it was sent
    (domain.md §2); a letter by post ``letter_bank_days`` bank days later, a conservative
    assumption for when it was not recorded (the notice periods run from arrival)."""
    if channel is LetterChannel.LETTER:
        return add_bank_days(sent_on, letter_bank_days)
    return sent_on


def inspection_deadline(learned_on: date) -> date:
    """The last day for the inspection: 2 weeks after the organisation learned that the tenant
    had moved out (ALL § 94, stk. 1, 2. pkt.). Learned Friday 3 April 2026 → Friday 17 April."""
    return learned_on + timedelta(days=INSPECTION_DEADLINE_DAYS)


def summons_deadline(inspection_on: date, *, shorter_notice: bool) -> date:
    """The last day the written summons may reach the tenant: 1 week before the inspection
    (ALL § 94, stk. 1, 3. pkt.); with an agreed shorter notice (4. pkt.) the inspection day."""
    if shorter_notice:
        return inspection_on
    return inspection_on - timedelta(days=SUMMONS_NOTICE_DAYS)


def shorter_notice_allowed(cause: MoveoutCause) -> bool:
    """A shorter summons notice may be agreed only when the lease was opsagt or ophævet (ALL
    § 94, stk. 1, 4. pkt.)."""
    return cause in SHORTER_NOTICE_CAUSES


def repair_notice_deadline(inspection_on: date) -> date:
    """The last day the repair notice may reach the tenant: 2 weeks after the inspection (ALL
    § 94, stk. 2, 1. pkt.); the same day ``rules.repair_notice_decision`` judges lapse by."""
    return inspection_on + timedelta(days=NOTICE_DEADLINE_DAYS)


def final_statement_deadline(basis_day: date) -> date:
    """ "Uden unødig forsinkelse": in case law no later than 1 month after the last contractor
    invoice (seed 003), counted as the same day of the next month (31 Jan → 1 Mar)."""
    return month_anniversary(basis_day, FINAL_STATEMENT_MONTHS)


def case_deadlines(dates: CaseDates) -> tuple[Deadline, ...]:
    """Every deadline that can be computed from what is recorded, in the order they fall."""
    return tuple(_deadlines(dates))


def _deadlines(d: CaseDates) -> Iterator[Deadline]:
    waived = d.inspection_waived
    if d.learned_on is not None:
        due = inspection_deadline(d.learned_on)
        yield Deadline(
            DeadlineKind.INSPECTION, due, d.inspection_held_on, BASIS_INSPECTION, not waived
        )
        inspection_day = d.inspection_held_on or d.inspection_planned_on or due
        shorter = d.shorter_notice_agreed and shorter_notice_allowed(d.cause)
        yield Deadline(
            DeadlineKind.SUMMONS,
            summons_deadline(inspection_day, shorter_notice=shorter),
            d.summons_arrived_on,
            BASIS_SUMMONS,
            not waived,
        )
    if d.inspection_held_on is not None:
        yield Deadline(
            DeadlineKind.REPAIR_NOTICE,
            repair_notice_deadline(d.inspection_held_on),
            d.repair_notice_arrived_on,
            BASIS_REPAIR_NOTICE,
            not d.no_repair_claim,
        )
    start = d.inspection_held_on or (d.learned_on if waived else None)
    if start is not None:
        basis_day = max(start, d.last_invoice_on) if d.last_invoice_on else start
        yield Deadline(
            DeadlineKind.FINAL_STATEMENT,
            final_statement_deadline(basis_day),
            d.statement_sent_on,
            BASIS_FINAL_STATEMENT,
        )


def inspection_late(dates: CaseDates) -> str | None:
    """Why the inspection did not keep ALL § 94, stk. 1 (None: it did, or none was held).

    The law names no sanction for a late inspection or a short summons, but seed 003 warns
    that a landlord who does not keep the move-out rules "kan miste sit krav på
    istandsættelse"; the workflow therefore makes someone decide before repairs are charged.
    """
    held = dates.inspection_held_on
    if held is None or dates.learned_on is None:
        return None
    problems = []
    if held > inspection_deadline(dates.learned_on):
        problems.append(
            f"inspection on {held} is after the deadline {inspection_deadline(dates.learned_on)}"
            f" ({BASIS_INSPECTION})"
        )
    shorter = dates.shorter_notice_agreed and shorter_notice_allowed(dates.cause)
    latest = summons_deadline(held, shorter_notice=shorter)
    if dates.summons_arrived_on is None:
        problems.append(f"no written summons is recorded ({BASIS_SUMMONS})")
    elif dates.summons_arrived_on > latest:
        problems.append(
            f"the summons reached the tenant on {dates.summons_arrived_on}, less than a week "
            f"before the inspection ({BASIS_SUMMONS})"
        )
    return "; ".join(problems) or None
