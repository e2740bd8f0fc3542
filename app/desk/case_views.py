"""Arrears cases at the desk, read-only (``read``): the list with filters, one case with its
history (timeline), letters and municipality notifications, the approval queue, a letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.auth.http import Access
from app.desk.cases import case_in
from app.desk.common import own
from ledger.models import Department, Tenancy, Unit
from workflows.arrears.letters import letters_of_case
from workflows.arrears.models import ArrearsCase, CaseEvent, Letter
from workflows.arrears.states import APPROVAL_STATES, CaseState
from workflows.notifications.models import Notification

MAX_PAGE = 500
QUEUE_STATES = frozenset(APPROVAL_STATES | {CaseState.TERMINATION_SENT})
"""What waits for a person: a held påkrav, a termination, and (after the termination) the
eviction request, which the approver asks for when the tenant has not paid."""


@dataclass(frozen=True, slots=True)
class CaseView:
    case: ArrearsCase
    unit_number: str
    department: str


@dataclass(frozen=True, slots=True)
class CaseDetail:
    view: CaseView
    events: list[CaseEvent]
    letters: list[Letter]
    notifications: list[Notification]


@dataclass(frozen=True, slots=True)
class CaseFilter:
    state: CaseState | None = None
    department: str | None = None  # the department's name
    due_from: date | None = None
    due_to: date | None = None
    tenancy_id: int | None = None


def list_cases(
    session: Session,
    access: Access,
    filters: CaseFilter = CaseFilter(),
    *,
    states: frozenset[CaseState] | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[CaseView]:
    """The organisation's cases, newest due date first, filtered by state, department name,
    due-date range or tenancy (and by a set of ``states``)."""
    assert 1 <= limit <= MAX_PAGE and offset >= 0
    query = (
        select(ArrearsCase, Unit.unit_number, Department.name)
        .join(Tenancy, col(Tenancy.id) == col(ArrearsCase.tenancy_id))
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .join(Department, col(Department.id) == col(Unit.department_id))
        .where(ArrearsCase.organisation_id == access.organisation_id)
        .order_by(col(ArrearsCase.due_date).desc(), col(ArrearsCase.id))
        .offset(offset)
        .limit(limit)
    )
    if filters.state is not None:
        query = query.where(ArrearsCase.state == filters.state)
    if states is not None:
        query = query.where(col(ArrearsCase.state).in_(sorted(states)))
    if filters.department is not None:
        query = query.where(Department.name == filters.department)
    if filters.due_from is not None:
        query = query.where(col(ArrearsCase.due_date) >= filters.due_from)
    if filters.due_to is not None:
        query = query.where(col(ArrearsCase.due_date) <= filters.due_to)
    if filters.tenancy_id is not None:
        query = query.where(ArrearsCase.tenancy_id == filters.tenancy_id)
    return [CaseView(case, unit, dept) for case, unit, dept in session.exec(query)]


def approval_queue(
    session: Session, access: Access, *, limit: int = 100, offset: int = 0
) -> list[CaseView]:
    """Cases waiting for a person: ``QUEUE_STATES``, oldest due date first."""
    views = list_cases(session, access, states=QUEUE_STATES, limit=limit, offset=offset)
    return sorted(views, key=lambda v: (v.case.due_date, v.case.id or 0))


def case_detail(session: Session, access: Access, case_id: int) -> CaseDetail:
    """One case of the organisation (else ``NotFound``) with its timeline, letters (without
    their PDFs' bytes being needed) and notifications."""
    case = case_in(session, access, case_id)
    tenancy = session.get(Tenancy, case.tenancy_id)
    assert tenancy is not None
    unit = session.get(Unit, tenancy.unit_id)
    assert unit is not None
    department = session.get(Department, unit.department_id)
    assert department is not None
    events = list(
        session.exec(
            select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(col(CaseEvent.id))
        )
    )
    notifications = list(
        session.exec(
            select(Notification)
            .where(Notification.arrears_case_id == case_id)
            .order_by(col(Notification.id))
        )
    )
    return CaseDetail(
        view=CaseView(case, unit.unit_number, department.name),
        events=events,
        letters=letters_of_case(session, case_id),
        notifications=notifications,
    )


def letter_in(session: Session, access: Access, letter_id: int) -> Letter:
    """A letter of the organisation (its PDF in ``.pdf``, SHA-256 in ``.checksum``)."""
    return own(session, access, Letter, letter_id, "letter")
