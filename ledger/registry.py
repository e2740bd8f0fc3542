"""Organisations, departments, units and tenancies: lookups and creation (a repository)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlmodel import Session, col, select

from ledger.charge_types import ensure_default_charge_types
from ledger.identifiers import check_cpr, check_cvr
from ledger.models import (
    Department,
    Organisation,
    RecurringCharge,
    Tenancy,
    TenancyTenant,
    Tenant,
    Unit,
)
from ledger.municipalities import is_municipality
from ledger.types import DeliveryChannel, DepositKind, MaintenanceScheme, UnitKind


class RegistryError(ValueError):
    """A lookup that found nothing, or data that contradicts what is registered."""


def organisation_by_cvr(session: Session, cvr: str) -> Organisation | None:
    return session.exec(select(Organisation).where(Organisation.cvr == cvr)).first()


def require_organisation(session: Session, cvr: str) -> Organisation:
    """The organisation with this CVR, or a clear error."""
    organisation = organisation_by_cvr(session, check_cvr(cvr))
    if organisation is None:
        raise RegistryError(f"no organisation with CVR {cvr} (import its tenancies first)")
    return organisation


def create_organisation(
    session: Session,
    *,
    cvr: str,
    name: str,
    ledger_start: date,
    address: str = "",
    postcode: str = "",
    city: str = "",
) -> Organisation:
    """A new organisation with the default charge types."""
    organisation = Organisation(
        cvr=check_cvr(cvr),
        name=name.strip(),
        ledger_start=ledger_start,
        address=address,
        postcode=postcode,
        city=city,
    )
    if not organisation.name:
        raise RegistryError("an organisation needs a name")
    session.add(organisation)
    session.flush()
    assert organisation.id is not None
    ensure_default_charge_types(session, organisation.id)
    return organisation


def department(
    session: Session,
    organisation_id: int,
    name: str,
    scheme: MaintenanceScheme,
    takeover_months: int = 100,
) -> Department:
    """The organisation's department called ``name``, created if new.

    An existing department keeps its scheme; a different one is an error, not a silent change.
    """
    found = session.exec(
        select(Department).where(
            Department.organisation_id == organisation_id, Department.name == name
        )
    ).first()
    if found is not None:
        if found.maintenance_scheme != scheme:
            raise RegistryError(
                f"department {name!r} has maintenance scheme {found.maintenance_scheme}, "
                f"not {scheme}"
            )
        return found
    created = Department(
        organisation_id=organisation_id,
        name=name,
        maintenance_scheme=scheme,
        takeover_months=takeover_months,
    )
    session.add(created)
    session.flush()
    return created


def unit_by_number(session: Session, organisation_id: int, unit_number: str) -> Unit | None:
    return session.exec(
        select(Unit).where(Unit.organisation_id == organisation_id, Unit.unit_number == unit_number)
    ).first()


@dataclass(frozen=True, slots=True)
class UnitSpec:
    unit_number: str
    kind: UnitKind
    address: str
    postcode: str
    city: str
    municipality_code: int


def unit(session: Session, organisation_id: int, department_id: int, spec: UnitSpec) -> Unit:
    """The unit with this number, created if new (an existing one must match the spec)."""
    if not is_municipality(spec.municipality_code):
        raise RegistryError(f"{spec.municipality_code} is not a Danish municipality code")
    found = unit_by_number(session, organisation_id, spec.unit_number)
    if found is not None:
        if (found.department_id, found.kind, found.address) != (
            department_id,
            spec.kind,
            spec.address,
        ):
            raise RegistryError(
                f"unit {spec.unit_number} is registered with another department, kind or address"
            )
        return found
    created = Unit(
        organisation_id=organisation_id,
        department_id=department_id,
        unit_number=spec.unit_number,
        kind=spec.kind,
        address=spec.address,
        postcode=spec.postcode,
        city=spec.city,
        municipality_code=spec.municipality_code,
    )
    session.add(created)
    session.flush()
    return created


@dataclass(frozen=True, slots=True)
class TenantSpec:
    name: str
    cpr: str | None = None


@dataclass(frozen=True, slots=True)
class TenancySpec:
    start_date: date
    end_date: date | None
    tenants: tuple[TenantSpec, ...]
    delivery_channel: DeliveryChannel
    deposit_kind: DepositKind
    deposit_oere: int
    municipally_assigned: bool = False
    digital_post_exempt: bool = False
    bs_customer_number: str | None = None
    children_in_household: int | None = None


def tenancies_of_unit(session: Session, organisation_id: int, unit_id: int) -> list[Tenancy]:
    return list(
        session.exec(
            select(Tenancy)
            .where(Tenancy.organisation_id == organisation_id, Tenancy.unit_id == unit_id)
            .order_by(col(Tenancy.start_date))
        )
    )


def overlapping_tenancy(
    tenancies: Sequence[Tenancy], start: date, end: date | None
) -> Tenancy | None:
    """A tenancy of the same unit whose period overlaps [start, end] (pure)."""
    for other in tenancies:
        other_end = other.end_date or date.max
        if other.start_date <= (end or date.max) and start <= other_end:
            return other
    return None


def create_tenancy(
    session: Session, organisation_id: int, unit_row: Unit, spec: TenancySpec
) -> Tenancy:
    """A tenancy with its tenants. Refuses one that overlaps another tenancy of the unit."""
    assert unit_row.id is not None
    if not spec.tenants:
        raise RegistryError("a tenancy needs at least one tenant")
    clash = overlapping_tenancy(
        tenancies_of_unit(session, organisation_id, unit_row.id), spec.start_date, spec.end_date
    )
    if clash is not None:
        raise RegistryError(
            f"unit {unit_row.unit_number} already has a tenancy from {clash.start_date} "
            f"that overlaps {spec.start_date}"
        )
    tenancy = Tenancy(
        organisation_id=organisation_id,
        unit_id=unit_row.id,
        start_date=spec.start_date,
        end_date=spec.end_date,
        municipally_assigned=spec.municipally_assigned,
        delivery_channel=spec.delivery_channel,
        digital_post_exempt=spec.digital_post_exempt,
        bs_customer_number=spec.bs_customer_number or unit_row.unit_number,
        deposit_kind=spec.deposit_kind,
        deposit_oere=spec.deposit_oere,
        children_in_household=spec.children_in_household,
    )
    session.add(tenancy)
    session.flush()
    assert tenancy.id is not None
    for position, tenant_spec in enumerate(spec.tenants, start=1):
        cpr = check_cpr(tenant_spec.cpr) if tenant_spec.cpr else None
        tenant = Tenant(organisation_id=organisation_id, name=tenant_spec.name, cpr=cpr)
        session.add(tenant)
        session.flush()
        assert tenant.id is not None
        session.add(
            TenancyTenant(
                organisation_id=organisation_id,
                tenancy_id=tenancy.id,
                tenant_id=tenant.id,
                position=position,
            )
        )
    session.flush()
    return tenancy


def add_recurring_charge(
    session: Session,
    tenancy: Tenancy,
    charge_type_id: int,
    amount_oere: int,
    *,
    valid_from: date,
    due_day: int = 1,
) -> RecurringCharge:
    assert tenancy.id is not None
    charge = RecurringCharge(
        organisation_id=tenancy.organisation_id,
        tenancy_id=tenancy.id,
        charge_type_id=charge_type_id,
        amount_oere=amount_oere,
        due_day=due_day,
        valid_from=valid_from,
    )
    session.add(charge)
    session.flush()
    return charge


def tenancy_on(session: Session, organisation_id: int, unit_number: str, day: date) -> Tenancy:
    """The tenancy of a unit on ``day``: the one running then, else the last one before it
    (a late payment from a tenant who has moved out still belongs to their tenancy)."""
    unit_row = unit_by_number(session, organisation_id, unit_number)
    if unit_row is None or unit_row.id is None:
        raise RegistryError(f"unknown unit {unit_number!r}")
    candidates = [
        tenancy
        for tenancy in tenancies_of_unit(session, organisation_id, unit_row.id)
        if tenancy.start_date <= day
    ]
    if not candidates:
        raise RegistryError(f"unit {unit_number} has no tenancy on or before {day.isoformat()}")
    return candidates[-1]


def tenant_names(session: Session, tenancy_id: int) -> list[str]:
    """The tenants' names, in lease order."""
    rows = session.exec(
        select(Tenant.name)
        .join(TenancyTenant, col(TenancyTenant.tenant_id) == col(Tenant.id))
        .where(TenancyTenant.tenancy_id == tenancy_id)
        .order_by(col(TenancyTenant.position))
    )
    return list(rows)
