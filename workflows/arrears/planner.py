"""What the nightly run should do with one tenancy on one day (pure: plain data in, decisions
out). The service (``service.py``) loads the data and carries the decisions out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from ledger.types import DeliveryChannel, UnitKind
from workflows.arrears.config import ArrearsConfig
from workflows.arrears.rules import (
    DemandLine,
    is_insignificant,
    may_ask_to_terminate,
    may_give_pakrav,
    remaining_oere,
)
from workflows.arrears.states import CLEARABLE_STATES, CaseState


@dataclass(frozen=True, slots=True)
class TenancyFacts:
    """What the workflow needs to know about a tenancy and its unit."""

    tenancy_id: int
    unit_number: str
    unit_kind: UnitKind
    address: str
    postcode: str
    city: str
    municipality_code: int
    start_date: date
    end_date: date | None
    municipally_assigned: bool
    delivery_channel: DeliveryChannel
    digital_post_exempt: bool
    children_in_household: int | None
    tenant_names: tuple[str, ...]

    def ended_before(self, day: date) -> bool:
        return self.end_date is not None and self.end_date < day


@dataclass(frozen=True, slots=True)
class CaseFacts:
    """A case as the planner sees it."""

    id: int
    tenancy_id: int
    due_date: date
    sequence: int
    state: CaseState
    pakrav_date: date | None
    earliest_termination: date | None
    termination_date: date | None
    demanded_entry_ids: tuple[int, ...]  # the påkrav's lines and its fee; empty before it
    payment_plan_id: int | None


@dataclass(frozen=True, slots=True)
class Open:
    tenancy_id: int
    due_date: date
    sequence: int
    lines: tuple[DemandLine, ...]

    @property
    def amount_oere(self) -> int:
        return sum(line.amount_oere for line in self.lines)


@dataclass(frozen=True, slots=True)
class Move:
    case_id: int
    from_state: CaseState
    to_state: CaseState
    reason: str


@dataclass(frozen=True, slots=True)
class Dispatch:
    """Give the påkrav today, demanding ``lines`` (and the fee the service adds)."""

    case_id: int
    from_state: CaseState
    lines: tuple[DemandLine, ...]


class NoteKind(StrEnum):
    BELOW_THRESHOLD = "below_threshold"
    BELOW_THRESHOLD_AFTER_DEADLINE = "below_threshold_after_deadline"
    TENANCY_ENDED = "tenancy_ended"
    WAITING_FOR_DISPATCH_DAY = "waiting_for_dispatch_day"


@dataclass(frozen=True, slots=True)
class Note:
    case_id: int
    kind: NoteKind


Decision = Move | Dispatch | Note


def case_remaining(
    case: CaseFacts, open_by_entry: Mapping[int, int], due_lines: Sequence[DemandLine]
) -> int:
    """What is unpaid of the case: before the påkrav, the due date's unpaid pligtige items;
    after it, what the påkrav demanded (its fee included)."""
    if case.pakrav_date is None:
        return sum(line.amount_oere for line in due_lines)
    return remaining_oere(open_by_entry, case.demanded_entry_ids)


def plan_openings(
    tenancy: TenancyFacts,
    unpaid: Mapping[date, tuple[DemandLine, ...]],
    cases: Sequence[CaseFacts],
    day: date,
    config: ArrearsConfig,
) -> list[Open]:
    """A case for each overdue due date with arrears at or above the minimum that has none.

    A due date whose earlier case was closed by a person (settled, written off, rejected,
    evicted) is not reopened; after ``closed_paid`` (e.g. a charge-back) it gets a new case.
    """
    if tenancy.ended_before(day):
        return []
    openings = []
    for due, lines in unpaid.items():
        earlier = [case for case in cases if case.due_date == due]
        if any(case.state != CaseState.CLOSED_PAID for case in earlier):
            continue
        sequence = 1 + max((case.sequence for case in earlier), default=0)
        opening = Open(tenancy.tenancy_id, due, sequence, lines)
        if not is_insignificant(opening.amount_oere, config.min_arrears_oere):
            openings.append(opening)
    return openings


def plan_case_step(
    case: CaseFacts,
    tenancy: TenancyFacts,
    open_by_entry: Mapping[int, int],
    due_lines: Sequence[DemandLine],
    day: date,
    *,
    dispatch_today: bool,
    config: ArrearsConfig,
) -> list[Decision]:
    """The next step of one open case on ``day`` (at most one state change)."""
    state = case.state
    remaining = case_remaining(case, open_by_entry, due_lines)
    if state in CLEARABLE_STATES and remaining == 0:
        return [Move(case.id, state, CaseState.CLOSED_PAID, _paid_reason(case))]
    if state in (CaseState.OPENED, CaseState.PAKRAV_APPROVED):
        return _before_pakrav(case, tenancy, due_lines, day, dispatch_today, config)
    if state == CaseState.PAKRAV_SENT:
        assert case.earliest_termination is not None, f"case {case.id} lacks its dates"
        if may_ask_to_terminate(day, case.earliest_termination, remaining, config.min_arrears_oere):
            reason = (
                f"deadline passed; {remaining} øre still unpaid of what the påkrav demanded "
                "(ALL § 90, stk. 2; § 91): a person decides on termination"
            )
            return [Move(case.id, state, CaseState.AWAITING_TERMINATION_APPROVAL, reason)]
        if day >= case.earliest_termination:
            return [Note(case.id, NoteKind.BELOW_THRESHOLD_AFTER_DEADLINE)]
    return []


def _before_pakrav(
    case: CaseFacts,
    tenancy: TenancyFacts,
    due_lines: Sequence[DemandLine],
    day: date,
    dispatch_today: bool,
    config: ArrearsConfig,
) -> list[Decision]:
    if tenancy.ended_before(day):
        return [Note(case.id, NoteKind.TENANCY_ENDED)]
    if not may_give_pakrav(case.due_date, day):
        return []
    amount = sum(line.amount_oere for line in due_lines)
    if is_insignificant(amount, config.min_arrears_oere):
        return [Note(case.id, NoteKind.BELOW_THRESHOLD)]
    if case.state == CaseState.OPENED and config.hold_pakrav_for_approval:
        reason = "påkrav may be given (ALL § 90, stk. 2); the organisation approves each påkrav"
        return [Move(case.id, case.state, CaseState.AWAITING_PAKRAV_APPROVAL, reason)]
    if not dispatch_today:
        return [Note(case.id, NoteKind.WAITING_FOR_DISPATCH_DAY)]
    return [Dispatch(case.id, case.state, tuple(due_lines))]


def _paid_reason(case: CaseFacts) -> str:
    if case.pakrav_date is None:
        return "the arrears of the due date are paid or credited"
    return "what the påkrav demanded is paid before any termination (ALL § 91, stk. 2)"


def resume_state(case: CaseFacts, day: date, remaining: int, minimum_oere: int) -> CaseState:
    """Where a case paused by a payment plan goes when the plan is missed: back to where the
    law's clock says it is (the påkrav's dates still stand)."""
    if case.termination_date is not None:
        return CaseState.TERMINATION_SENT
    if case.pakrav_date is None:
        return CaseState.OPENED
    assert case.earliest_termination is not None
    if may_ask_to_terminate(day, case.earliest_termination, remaining, minimum_oere):
        return CaseState.AWAITING_TERMINATION_APPROVAL
    return CaseState.PAKRAV_SENT
