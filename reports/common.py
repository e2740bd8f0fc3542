"""Lookups every report shares: the organisation, where each tenancy lives, who holds it.

Bulk reads only: one query per kind of thing (chunked), never one per tenancy.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

import pandas as pd
import sqlalchemy as sa
from sqlmodel import Session, col

from ledger.bulk import lookup_chunk, one_of
from ledger.chunks import chunked
from ledger.models import Department, Organisation, Tenancy, TenancyTenant, Tenant, Unit
from reports.model import ReportError, Scope

NO_DEPARTMENT = "Uden afdeling"


def scope(session: Session, organisation_id: int, as_of: date) -> Scope:
    organisation = session.get(Organisation, organisation_id)
    if organisation is None:
        raise ReportError(f"no organisation with id {organisation_id}")
    return Scope(organisation_id, organisation.name, organisation.cvr, as_of)


@dataclass(frozen=True, slots=True)
class Home:
    """Where a tenancy is: its department and unit number, and its tenants' names."""

    tenancy_id: int
    department: str
    unit_number: str
    names: str


def homes(session: Session, organisation_id: int) -> dict[int, Home]:
    """Every tenancy of the organisation (ended ones too) with its department and unit."""
    query = (
        sa.select(col(Tenancy.id), col(Department.name), col(Unit.unit_number))
        .join(Unit, col(Unit.id) == col(Tenancy.unit_id))
        .join(Department, col(Department.id) == col(Unit.department_id))
        .where(col(Tenancy.organisation_id) == organisation_id)
    )
    rows = session.execute(query).all()
    names = tenant_names(session, organisation_id, [row[0] for row in rows])
    return {
        tenancy_id: Home(tenancy_id, department, unit_number, names.get(tenancy_id, ""))
        for tenancy_id, department, unit_number in rows
    }


def tenant_names(
    session: Session, organisation_id: int, tenancy_ids: Iterable[int]
) -> dict[int, str]:
    """The tenants of each tenancy, first named first, joined by " og "."""
    found: dict[int, list[tuple[int, str]]] = defaultdict(list)
    for chunk in chunked(sorted(set(tenancy_ids)), lookup_chunk(session)):
        query = (
            sa.select(col(TenancyTenant.tenancy_id), col(TenancyTenant.position), col(Tenant.name))
            .join(Tenant, col(Tenant.id) == col(TenancyTenant.tenant_id))
            .where(
                col(TenancyTenant.organisation_id) == organisation_id,
                one_of(session, col(TenancyTenant.tenancy_id), chunk),
            )
        )
        for tenancy_id, position, name in session.execute(query):
            found[tenancy_id].append((position, name))
    return {tid: " og ".join(name for _, name in sorted(pairs)) for tid, pairs in found.items()}


def month_label(day: date) -> str:
    """2026-11 (sorts as text, reads the same in Danish and English)."""
    return f"{day.year:04d}-{day.month:02d}"


def frame(rows: list[dict[str, object]], columns: list[str]) -> pd.DataFrame:
    """A DataFrame with exactly ``columns``, also when there are no rows."""
    return pd.DataFrame(rows, columns=columns)
