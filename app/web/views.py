"""What the web pages show, read from the database within one organisation.

Plain dataclasses for the templates; every query is filtered by ``organisation_id`` (the
caller's, from ``app.auth.http.Access``). Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa
from sqlmodel import Session, col, select
from sqlmodel.sql.expression import Select

from ledger.accounts import debtor_lines
from ledger.balances import DebtorLine, statement
from ledger.models import Department, Tenancy, TenancyTenant, Tenant, Unit
from ledger.months import Month
from workflows.arrears.models import ArrearsCase, CaseEvent, Letter, LetterKind
from workflows.arrears.states import APPROVAL_STATES, CaseState
from workflows.moveout.models import MoveoutCase, MoveoutDeadline
from workflows.notifications.models import Notification, NotificationStatus

from .labels import MONTHS, MOVEOUT_DEADLINE

MAX_LIST = 200  # rows in the case list; the page says when there are more
TREND_MONTHS = 6
DEADLINE_DAYS = 7
UNDELIVERED = (NotificationStatus.FAILED, NotificationStatus.DEAD_LETTER)


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: int
    unit_number: str
    tenants: str
    department: str
    state: CaseState
    amount_oere: int
    due_date: date
    opened_on: date
    next_date: date | None  # the date that matters next (deadline, earliest termination)


@dataclass(frozen=True, slots=True)
class TrendPoint:
    label: str
    as_of: date
    arrears_oere: int


@dataclass(frozen=True, slots=True)
class DeadlineRow:
    on: date
    what: str
    unit_number: str
    case_id: int | None  # an arrears case to link to


@dataclass(frozen=True, slots=True)
class NotificationRow:
    id: int
    kind: str
    municipality_code: int
    status: NotificationStatus
    created_on: date
    attempts: int
    reason: str | None
    case_id: int | None
    unit_number: str


@dataclass(frozen=True, slots=True)
class Dashboard:
    today: date
    arrears_oere: int
    tenancies_in_arrears: int
    trend: list[TrendPoint]
    waiting: list[CaseRow]
    deadlines: list[DeadlineRow]
    undelivered: list[NotificationRow]


# --- the dashboard ---------------------------------------------------------------------------


def dashboard(session: Session, organisation_id: int, today: date) -> Dashboard:
    points = trend_days(today)
    arrears = arrears_on(session, organisation_id, [day for _, day in points])
    current_total, in_arrears = arrears[today]
    return Dashboard(
        today=today,
        arrears_oere=current_total,
        tenancies_in_arrears=in_arrears,
        trend=[TrendPoint(label, day, arrears[day][0]) for label, day in points],
        waiting=case_rows(session, organisation_id, states=APPROVAL_STATES),
        deadlines=deadlines(session, organisation_id, today),
        undelivered=undelivered(session, organisation_id),
    )


def trend_days(today: date) -> list[tuple[str, date]]:
    """The last day of each of the ``TREND_MONTHS`` months before this one, then today."""
    days = []
    first = Month.of(today).first_day
    for _ in range(TREND_MONTHS):
        end = first - timedelta(days=1)
        days.append((f"{MONTHS[end.month - 1]} {end.year}", end))
        first = Month.of(end).first_day
    return [*reversed(days), ("i dag", today)]


def arrears_on(
    session: Session, organisation_id: int, days: Sequence[date]
) -> dict[date, tuple[int, int]]:
    """Per day: overdue pligtige amounts summed over all tenancies, and how many owe any."""
    tenancy_ids = session.exec(
        select(Tenancy.id).where(col(Tenancy.organisation_id) == organisation_id)
    ).all()
    lines = debtor_lines(session, organisation_id, [t for t in tenancy_ids if t is not None])
    result: dict[date, tuple[int, int]] = {}
    for day in days:
        total = owing = 0
        for tenancy_lines in lines.values():
            overdue = statement(tenancy_lines, day).overdue_pligtig_oere
            if overdue > 0:
                total, owing = total + overdue, owing + 1
        result[day] = (total, owing)
    return result


def deadlines(session: Session, organisation_id: int, today: date) -> list[DeadlineRow]:
    """Påkrav deadlines and earliest termination days of cases with a påkrav sent, and open
    move-out deadlines, from today through the next ``DEADLINE_DAYS - 1`` days."""
    last = today + timedelta(days=DEADLINE_DAYS - 1)
    rows: list[DeadlineRow] = []
    query = _case_query(organisation_id).where(col(ArrearsCase.state) == CaseState.PAKRAV_SENT)
    for case, unit_number, _ in session.exec(query):
        assert case.id is not None
        if case.deadline is not None and today <= case.deadline <= last:
            rows.append(DeadlineRow(case.deadline, "Påkravets frist udløber", unit_number, case.id))
        early = case.earliest_termination
        if early is not None and today <= early <= last:
            rows.append(DeadlineRow(early, "Tidligste dag for ophævelse", unit_number, case.id))
    moveout = (
        select(MoveoutDeadline, Unit.unit_number)
        .join(MoveoutCase, col(MoveoutCase.id) == col(MoveoutDeadline.case_id))
        .join(Tenancy, col(Tenancy.id) == col(MoveoutCase.tenancy_id))
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(
            col(MoveoutDeadline.organisation_id) == organisation_id,
            col(MoveoutDeadline.applies).is_(True),
            col(MoveoutDeadline.done_on).is_(None),
            col(MoveoutDeadline.due_on).between(today, last),
        )
    )
    for deadline, unit_number in session.exec(moveout):
        what = f"Fraflytning: {MOVEOUT_DEADLINE[deadline.kind]}"
        rows.append(DeadlineRow(deadline.due_on, what, unit_number, None))
    return sorted(rows, key=lambda row: (row.on, row.unit_number, row.what))


def undelivered(session: Session, organisation_id: int) -> list[NotificationRow]:
    """Notifications to municipalities that failed (and are retried) or were given up."""
    query = (
        select(Notification, Unit.unit_number)
        .join(Tenancy, col(Tenancy.id) == col(Notification.tenancy_id))
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .where(
            col(Notification.organisation_id) == organisation_id,
            col(Notification.status).in_(UNDELIVERED),
        )
        .order_by(col(Notification.created_on), col(Notification.id))
        .limit(MAX_LIST)
    )
    return [_notification_row(n, unit_number) for n, unit_number in session.exec(query)]


def _notification_row(notification: Notification, unit_number: str) -> NotificationRow:
    assert notification.id is not None
    return NotificationRow(
        id=notification.id,
        kind=str(notification.kind),
        municipality_code=notification.municipality_code,
        status=NotificationStatus(notification.status),
        created_on=notification.created_on,
        attempts=notification.attempts,
        reason=notification.dead_letter_reason,
        case_id=notification.arrears_case_id,
        unit_number=unit_number,
    )


# --- the case list ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseFilter:
    state: CaseState | None = None
    department_id: int | None = None
    search: str = ""
    open_only: bool = False


def _case_query(organisation_id: int) -> Select[ArrearsCase, str, str]:
    return (
        select(ArrearsCase, Unit.unit_number, Department.name)
        .join(Tenancy, col(Tenancy.id) == col(ArrearsCase.tenancy_id))
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .join(Department, col(Department.id) == col(Unit.department_id))
        .where(col(ArrearsCase.organisation_id) == organisation_id)
    )


def case_rows(
    session: Session,
    organisation_id: int,
    *,
    states: Iterable[CaseState] | None = None,
    where: CaseFilter = CaseFilter(),
    limit: int = MAX_LIST,
) -> list[CaseRow]:
    """Cases of the organisation, newest first, filtered; at most ``limit``."""
    query = _case_query(organisation_id)
    if states is not None:
        query = query.where(col(ArrearsCase.state).in_(list(states)))
    if where.state is not None:
        query = query.where(col(ArrearsCase.state) == where.state)
    if where.department_id is not None:
        query = query.where(col(Unit.department_id) == where.department_id)
    if where.search:
        query = query.where(_matches(where.search))
    query = query.order_by(col(ArrearsCase.opened_on).desc(), col(ArrearsCase.id).desc())
    found = session.exec(query.limit(limit)).all()
    names = names_of(session, [case.tenancy_id for case, _, _ in found])
    return [_case_row(case, unit, dept, names) for case, unit, dept in found]


def _matches(search: str) -> sa.ColumnElement[bool]:
    """The unit number starts with the text, or a tenant's name contains it (any case)."""
    text = search.strip().lower()[:100]
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    by_name = (
        select(TenancyTenant.tenancy_id)
        .join(Tenant, col(Tenant.id) == col(TenancyTenant.tenant_id))
        .where(sa.func.lower(col(Tenant.name)).like(f"%{escaped}%", escape="\\"))
    )
    return sa.or_(
        sa.func.lower(col(Unit.unit_number)).like(f"{escaped}%", escape="\\"),
        col(ArrearsCase.tenancy_id).in_(by_name),
    )


def names_of(session: Session, tenancy_ids: Iterable[int]) -> dict[int, list[str]]:
    ids = sorted(set(tenancy_ids))
    names: dict[int, list[str]] = defaultdict(list)
    if not ids:
        return names
    query = (
        select(TenancyTenant.tenancy_id, Tenant.name)
        .join(Tenant, col(Tenant.id) == col(TenancyTenant.tenant_id))
        .where(col(TenancyTenant.tenancy_id).in_(ids))
        .order_by(col(TenancyTenant.tenancy_id), col(TenancyTenant.position))
    )
    for tenancy_id, name in session.exec(query):
        names[tenancy_id].append(name)
    return names


def _case_row(
    case: ArrearsCase, unit_number: str, department: str, names: dict[int, list[str]]
) -> CaseRow:
    assert case.id is not None
    return CaseRow(
        id=case.id,
        unit_number=unit_number,
        tenants=", ".join(names.get(case.tenancy_id, [])),
        department=department,
        state=CaseState(case.state),
        amount_oere=case.amount_oere,
        due_date=case.due_date,
        opened_on=case.opened_on,
        next_date=_next_date(case),
    )


def _next_date(case: ArrearsCase) -> date | None:
    state = CaseState(case.state)
    if state is CaseState.PAKRAV_SENT:
        return case.deadline
    if state is CaseState.AWAITING_TERMINATION_APPROVAL:
        return case.earliest_termination
    return None


def departments(session: Session, organisation_id: int) -> list[tuple[int, str]]:
    query = (
        select(Department.id, Department.name)
        .where(col(Department.organisation_id) == organisation_id)
        .order_by(col(Department.name))
    )
    return [(dept_id, name) for dept_id, name in session.exec(query) if dept_id is not None]


# --- the case page ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LetterRow:
    id: int
    kind: LetterKind
    channel: str
    status: str
    dispatch_date: date
    recipient: str
    size_bytes: int


@dataclass(frozen=True, slots=True)
class LedgerRow:
    on: date
    text: str
    amount_oere: int
    balance_oere: int


@dataclass(frozen=True, slots=True)
class CasePage:
    case: ArrearsCase
    unit: Unit
    department: str
    tenants: list[str]
    events: list[CaseEvent]
    letters: list[LetterRow]
    notifications: list[NotificationRow]
    ledger: list[LedgerRow]
    balance_oere: int
    overdue_oere: int


def case_page(session: Session, case: ArrearsCase, today: date) -> CasePage:
    """Everything the case page shows of a case already found in the caller's organisation."""
    assert case.id is not None
    org = case.organisation_id
    tenancy = session.get(Tenancy, case.tenancy_id)
    assert tenancy is not None and tenancy.organisation_id == org
    unit = session.get(Unit, tenancy.unit_id)
    assert unit is not None
    department = session.get(Department, unit.department_id)
    events = session.exec(
        select(CaseEvent)
        .where(col(CaseEvent.organisation_id) == org, col(CaseEvent.case_id) == case.id)
        .order_by(col(CaseEvent.at), col(CaseEvent.id))
    ).all()
    lines = debtor_lines(session, org, [case.tenancy_id]).get(case.tenancy_id, [])
    now = statement(lines, today)
    return CasePage(
        case=case,
        unit=unit,
        department=department.name if department is not None else "",
        tenants=names_of(session, [case.tenancy_id]).get(case.tenancy_id, []),
        events=list(events),
        letters=letters_of(session, org, case.id),
        notifications=_case_notifications(session, org, case.id, unit.unit_number),
        ledger=running_balance(lines),
        balance_oere=now.balance_oere,
        overdue_oere=now.overdue_pligtig_oere,
    )


def letters_of(session: Session, organisation_id: int, case_id: int) -> list[LetterRow]:
    """The case's letters, without their PDFs."""
    query = (
        sa.select(
            col(Letter.id),
            col(Letter.kind),
            col(Letter.channel),
            col(Letter.status),
            col(Letter.dispatch_date),
            col(Letter.recipient),
            col(Letter.size_bytes),
        )
        .where(col(Letter.organisation_id) == organisation_id, col(Letter.case_id) == case_id)
        .order_by(col(Letter.dispatch_date), col(Letter.id))
    )
    return [
        LetterRow(i, LetterKind(kind), str(channel), str(status), day, recipient, size)
        for i, kind, channel, status, day, recipient, size in session.execute(query)
        if i is not None
    ]


def _case_notifications(
    session: Session, organisation_id: int, case_id: int, unit_number: str
) -> list[NotificationRow]:
    query = (
        select(Notification)
        .where(
            col(Notification.organisation_id) == organisation_id,
            col(Notification.arrears_case_id) == case_id,
        )
        .order_by(col(Notification.id))
    )
    return [_notification_row(n, unit_number) for n in session.exec(query)]


def running_balance(lines: Sequence[DebtorLine]) -> list[LedgerRow]:
    """The tenant's account in date order with the balance after each line (debt positive)."""
    ordered = sorted(lines, key=lambda line: (line.effective_date, line.entry_id))
    rows, balance = [], 0
    for line in ordered:
        balance += line.amount_oere
        rows.append(LedgerRow(line.effective_date, line.label, line.amount_oere, balance))
    return rows


def letter_pdf(session: Session, organisation_id: int, letter_id: int) -> Letter | None:
    """A letter of the organisation (None for another organisation's, or none)."""
    letter = session.get(Letter, letter_id)
    if letter is None or letter.organisation_id != organisation_id:
        return None
    return letter
