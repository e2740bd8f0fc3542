"""Tenancies at the desk: the organisation's tenancies with their balance, and one tenancy's
account (ledger lines and open items) as of a day. Read-only (``read``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from app.auth.http import Access
from app.desk.common import own
from ledger.accounts import debtor_lines
from ledger.balances import DebtorLine, Statement, statement
from ledger.models import Department, Tenancy, Unit
from ledger.registry import tenant_names

MAX_PAGE = 500


@dataclass(frozen=True, slots=True)
class TenancyView:
    """A tenancy with its unit, tenants and account as of ``statement.as_of``."""

    tenancy: Tenancy
    unit: Unit
    department: str
    tenants: list[str]
    statement: Statement


@dataclass(frozen=True, slots=True)
class TenancyLedger:
    view: TenancyView
    lines: list[DebtorLine]  # every line on the account up to and including as_of


def list_tenancies(
    session: Session,
    access: Access,
    *,
    as_of: date,
    unit_number: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[TenancyView]:
    """The organisation's tenancies (by unit number, then start), each with its balance as of
    ``as_of``; ``unit_number`` filters to one unit. At most ``MAX_PAGE`` per call."""
    assert 1 <= limit <= MAX_PAGE and offset >= 0
    query = (
        select(Tenancy, Unit, Department.name)
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .join(Department, col(Department.id) == col(Unit.department_id))
        .where(Tenancy.organisation_id == access.organisation_id)
        .order_by(col(Unit.unit_number), col(Tenancy.start_date), col(Tenancy.id))
        .offset(offset)
        .limit(limit)
    )
    if unit_number is not None:
        query = query.where(Unit.unit_number == unit_number)
    rows = list(session.exec(query))
    lines = debtor_lines(session, access.organisation_id, [t.id for t, _, _ in rows if t.id])
    return [
        TenancyView(
            tenancy=tenancy,
            unit=unit,
            department=department,
            tenants=tenant_names(session, tenancy.id or 0),
            statement=statement(lines.get(tenancy.id or 0, []), as_of),
        )
        for tenancy, unit, department in rows
    ]


def tenancy_ledger(
    session: Session, access: Access, tenancy_id: int, *, as_of: date
) -> TenancyLedger:
    """One tenancy of the organisation (else ``NotFound``) with its account lines up to
    ``as_of`` (judged by due date / payment date) and its open items as of that day."""
    tenancy = own(session, access, Tenancy, tenancy_id, "tenancy")
    unit = session.get(Unit, tenancy.unit_id)
    assert unit is not None
    department = session.get(Department, unit.department_id)
    assert department is not None
    lines = debtor_lines(session, access.organisation_id, [tenancy_id]).get(tenancy_id, [])
    view = TenancyView(
        tenancy=tenancy,
        unit=unit,
        department=department.name,
        tenants=tenant_names(session, tenancy_id),
        statement=statement(lines, as_of),
    )
    return TenancyLedger(view=view, lines=[line for line in lines if line.effective_date <= as_of])
