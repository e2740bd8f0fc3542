"""``almen import tenancies``: organisations, departments, units, tenants and tenancies.

One row per tenant; rows with the same organisation, unit and tenancy start are one tenancy with
several tenants (their other columns must agree). Re-importing a tenancy that is registered with
the same data changes nothing; with different data it is an error, never a silent update.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from sqlmodel import Session, col, select

from integrations.csvimport import fields as f
from integrations.csvimport.batches import record_batch
from integrations.csvimport.errors import ImportRejected, RowError
from integrations.csvimport.reader import CsvFile, CsvRow, require_columns
from ledger.charge_types import ACONTO_HEAT, ACONTO_WATER, RENT, ensure_default_charge_types
from ledger.identifiers import IdentifierError
from ledger.models import ChargeType, Organisation, RecurringCharge, Tenancy
from ledger.months import Month
from ledger.municipalities import is_municipality
from ledger.registry import (
    RegistryError,
    TenancySpec,
    TenantSpec,
    UnitSpec,
    add_recurring_charge,
    create_organisation,
    create_tenancy,
    department,
    organisation_by_cvr,
    overlapping_tenancy,
    tenancies_of_unit,
    tenant_names,
    unit,
)
from ledger.types import DeliveryChannel, DepositKind, MaintenanceScheme, UnitKind

REQUIRED = (
    "organisation_cvr", "organisation_name", "department", "unit_number", "unit_kind",
    "maintenance_scheme", "address", "postcode", "city", "municipality_code", "tenant_name",
    "tenancy_start", "monthly_rent_oere", "municipally_assigned", "delivery_channel",
    "deposit_kind", "deposit_oere",
)  # fmt: skip
KIND_ALIASES = {
    "familiebolig": "familie", "ungdomsbolig": "ungdom", "ældre": "aeldre",
    "ældrebolig": "aeldre", "plejebolig": "pleje",
}  # fmt: skip
CHANNEL_ALIASES = {
    "digital post": "digital_post", "digitalpost": "digital_post", "e-boks": "digital_post",
    "brev": "letter", "post": "letter", "fysisk brev": "letter",
}  # fmt: skip
DEPOSIT_ALIASES = {"beboerindskud": "indskud"}


@dataclass(frozen=True, slots=True)
class TenancyRow:
    row: int
    organisation_cvr: str
    organisation_name: str
    department: str
    scheme: MaintenanceScheme
    unit: UnitSpec
    tenant: TenantSpec
    terms: TenancySpec  # its ``tenants`` holds this row's tenant only
    rent_oere: int
    aconto_heat_oere: int | None
    aconto_water_oere: int | None

    @property
    def key(self) -> tuple[str, str, date]:
        return (self.organisation_cvr, self.unit.unit_number, self.terms.start_date)

    def same_tenancy_as(self, other: TenancyRow) -> bool:
        """Do two rows describe the same tenancy (apart from the tenant)?"""
        return (
            self.organisation_name,
            self.department,
            self.scheme,
            self.unit,
            self.terms.end_date,
            self.terms.delivery_channel,
            self.terms.deposit_kind,
            self.terms.deposit_oere,
            self.terms.municipally_assigned,
            self.terms.digital_post_exempt,
            self.terms.bs_customer_number,
            self.terms.children_in_household,
            self.rent_oere,
            self.aconto_heat_oere,
            self.aconto_water_oere,
        ) == (
            other.organisation_name,
            other.department,
            other.scheme,
            other.unit,
            other.terms.end_date,
            other.terms.delivery_channel,
            other.terms.deposit_kind,
            other.terms.deposit_oere,
            other.terms.municipally_assigned,
            other.terms.digital_post_exempt,
            other.terms.bs_customer_number,
            other.terms.children_in_household,
            other.rent_oere,
            other.aconto_heat_oere,
            other.aconto_water_oere,
        )


@dataclass(slots=True)
class TenancyImportReport:
    organisations_created: list[str] = field(default_factory=list)
    tenancies_created: int = 0
    tenancies_unchanged: int = 0
    tenants_created: int = 0
    recurring_charges_created: int = 0


def parse_row(row: CsvRow) -> tuple[TenancyRow | None, list[RowError]]:
    """Read one row (pure); every bad value is reported."""
    r = f.RowReader(row)
    municipality = r.read(
        lambda x, c: f.integer(x, c, minimum=100, maximum=999), "municipality_code", 0
    )
    if municipality and not is_municipality(municipality):
        r.fail("municipality_code", f"{municipality} is not one of the 98 municipality codes")
    start = r.read(f.a_date, "tenancy_start", date.min)
    end = r.read(f.optional_date, "tenancy_end", None)
    if end is not None and start != date.min and end < start:
        r.fail("tenancy_end", f"{end.isoformat()} is before tenancy_start {start.isoformat()}")
    tenant = TenantSpec(r.read(f.text, "tenant_name", ""), r.read(f.cpr, "tenant_cpr", None))
    children = r.read(
        lambda x, c: f.integer(x, c, minimum=0, maximum=30) if f.optional(x, c) else None,
        "children_in_household",
        None,
    )
    terms = TenancySpec(
        start_date=start,
        end_date=end,
        tenants=(tenant,),
        delivery_channel=r.read(
            lambda x, c: f.choice(x, c, DeliveryChannel, CHANNEL_ALIASES),
            "delivery_channel",
            DeliveryChannel.LETTER,
        ),
        deposit_kind=r.read(
            lambda x, c: f.choice(x, c, DepositKind, DEPOSIT_ALIASES),
            "deposit_kind",
            DepositKind.INDSKUD,
        ),
        deposit_oere=r.read(f.oere, "deposit_oere", 0),
        municipally_assigned=r.read(f.boolean, "municipally_assigned", False),
        digital_post_exempt=r.read(f.boolean, "digital_post_exempt", False),
        bs_customer_number=r.read(
            lambda x, c: f.text(x, c, required=False, max_length=15), "bs_customer_number", ""
        )
        or None,
        children_in_household=children,
    )
    parsed = TenancyRow(
        row=row.number,
        organisation_cvr=r.read(f.cvr, "organisation_cvr", ""),
        organisation_name=r.read(f.text, "organisation_name", ""),
        department=r.read(lambda x, c: f.text(x, c, max_length=100), "department", ""),
        scheme=r.read(
            lambda x, c: f.choice(x, c, MaintenanceScheme, {"a": "A", "b": "B"}),
            "maintenance_scheme",
            MaintenanceScheme.A,
        ),
        unit=UnitSpec(
            unit_number=r.read(lambda x, c: f.text(x, c, max_length=20), "unit_number", ""),
            kind=r.read(
                lambda x, c: f.choice(x, c, UnitKind, KIND_ALIASES), "unit_kind", UnitKind.FAMILIE
            ),
            address=r.read(f.text, "address", ""),
            postcode=r.read(lambda x, c: f.text(x, c, max_length=10), "postcode", ""),
            city=r.read(lambda x, c: f.text(x, c, max_length=100), "city", ""),
            municipality_code=municipality,
        ),
        tenant=tenant,
        terms=terms,
        rent_oere=r.read(lambda x, c: f.oere(x, c, minimum=1), "monthly_rent_oere", 0),
        aconto_heat_oere=r.read(f.optional_oere, "monthly_aconto_heat_oere", None),
        aconto_water_oere=r.read(f.optional_oere, "monthly_aconto_water_oere", None),
    )
    return (None, r.errors) if r.errors else (parsed, [])


def group_rows(rows: list[TenancyRow]) -> tuple[list[list[TenancyRow]], list[RowError]]:
    """One group per tenancy; co-tenant rows must agree; tenancies of a unit must not overlap."""
    groups: dict[tuple[str, str, date], list[TenancyRow]] = {}
    errors: list[RowError] = []
    for row in rows:
        group = groups.setdefault(row.key, [])
        if group and not row.same_tenancy_as(group[0]):
            errors.append(
                RowError(
                    row.row,
                    "",
                    f"same unit and tenancy_start as row {group[0].row} but other tenancy data",
                )
            )
            continue
        group.append(row)
    by_unit: dict[tuple[str, str], list[TenancyRow]] = defaultdict(list)
    for group in groups.values():
        first = group[0]
        for other in by_unit[first.key[:2]]:
            if _overlap(first.terms, other.terms):
                errors.append(
                    RowError(
                        first.row,
                        "tenancy_start",
                        f"overlaps the tenancy in row "
                        f"{other.row} for unit {first.unit.unit_number}",
                    )
                )
        by_unit[first.key[:2]].append(first)
    return list(groups.values()), errors


def _overlap(a: TenancySpec, b: TenancySpec) -> bool:
    return a.start_date <= (b.end_date or date.max) and b.start_date <= (a.end_date or date.max)


def import_tenancies(
    session: Session,
    file: CsvFile,
    *,
    ledger_start: date | None,
    today: date,
    imported_by: str,
) -> TenancyImportReport:
    """Validate the whole file, then register it; any problem raises ``ImportRejected``."""
    require_columns(file, REQUIRED)
    rows: list[TenancyRow] = []
    errors: list[RowError] = []
    for csv_row in file.rows:
        parsed, row_errors = parse_row(csv_row)
        errors.extend(row_errors)
        if parsed is not None:
            rows.append(parsed)
    groups, group_errors = group_rows(rows)
    errors.extend(group_errors)
    if not file.rows:
        errors.append(RowError(0, "", "the file has no data rows"))
    if errors:
        raise ImportRejected(errors)
    report = TenancyImportReport()
    start = ledger_start or Month.of(today).next().first_day
    organisations = _organisations(session, groups, ledger_start, start, report, errors)
    for group in groups:
        organisation = organisations.get(group[0].organisation_cvr)
        if organisation is not None:
            errors.extend(_register_group(session, organisation, group, report))
    if errors:
        raise ImportRejected(errors)
    for organisation in organisations.values():
        assert organisation.id is not None
        record_batch(session, organisation.id, "tenancies", file, imported_by)
    return report


def _organisations(
    session: Session,
    groups: list[list[TenancyRow]],
    ledger_start: date | None,
    default_start: date,
    report: TenancyImportReport,
    errors: list[RowError],
) -> dict[str, Organisation]:
    found: dict[str, Organisation] = {}
    for group in groups:
        row = group[0]
        if row.organisation_cvr in found:
            continue
        organisation = organisation_by_cvr(session, row.organisation_cvr)
        if organisation is None:
            organisation = create_organisation(
                session,
                cvr=row.organisation_cvr,
                name=row.organisation_name,
                ledger_start=default_start,
            )
            report.organisations_created.append(row.organisation_cvr)
        elif organisation.name != row.organisation_name:
            errors.append(
                RowError(
                    row.row,
                    "organisation_name",
                    f"CVR {row.organisation_cvr} is registered as {organisation.name!r}",
                )
            )
        elif ledger_start is not None and organisation.ledger_start != ledger_start:
            errors.append(
                RowError(
                    row.row,
                    "",
                    f"the ledger start of {organisation.name} is "
                    f"{organisation.ledger_start} and cannot be moved",
                )
            )
        found[row.organisation_cvr] = organisation
    return found


def _register_group(
    session: Session, organisation: Organisation, group: list[TenancyRow],
    report: TenancyImportReport,
) -> list[RowError]:  # fmt: skip
    """Register one tenancy inside a savepoint; a problem rolls back just this tenancy."""
    first = group[0]
    try:
        with session.begin_nested():
            _register(session, organisation, group, report)
    except (RegistryError, IdentifierError) as exc:
        return [RowError(first.row, "", str(exc))]
    return []


def _register(
    session: Session, organisation: Organisation, group: list[TenancyRow],
    report: TenancyImportReport,
) -> None:  # fmt: skip
    assert organisation.id is not None
    first = group[0]
    dept = department(session, organisation.id, first.department, first.scheme)
    assert dept.id is not None
    home = unit(session, organisation.id, dept.id, first.unit)
    assert home.id is not None
    tenants = tuple(row.tenant for row in group)
    existing = tenancies_of_unit(session, organisation.id, home.id)
    same_start = [t for t in existing if t.start_date == first.terms.start_date]
    if same_start:
        _check_unchanged(session, same_start[0], first, tenants)
        report.tenancies_unchanged += 1
        return
    clash = overlapping_tenancy(existing, first.terms.start_date, first.terms.end_date)
    if clash is not None:
        raise RegistryError(
            f"unit {first.unit.unit_number} already has a tenancy from "
            f"{clash.start_date} that overlaps this one"
        )
    spec = replace(first.terms, tenants=tenants)
    tenancy = create_tenancy(session, organisation.id, home, spec)
    report.tenancies_created += 1
    report.tenants_created += len(tenants)
    report.recurring_charges_created += _add_charges(session, tenancy, first)


def _check_unchanged(
    session: Session, tenancy: Tenancy, row: TenancyRow, tenants: tuple[TenantSpec, ...]
) -> None:
    assert tenancy.id is not None
    names = tenant_names(session, tenancy.id)
    if names != [tenant.name for tenant in tenants] or tenancy.end_date != row.terms.end_date:
        raise RegistryError(
            f"the tenancy of unit {row.unit.unit_number} from {row.terms.start_date} is already "
            "registered with other tenants or another end date; it is not changed by an import"
        )
    rent = session.get(RecurringCharge, _first_rent_id(session, tenancy))
    if rent is None or rent.amount_oere != row.rent_oere:
        raise RegistryError(
            f"the tenancy of unit {row.unit.unit_number} from {row.terms.start_date} is already "
            "registered with another rent; change rent through a rent adjustment, not an import"
        )


def _first_rent_id(session: Session, tenancy: Tenancy) -> int | None:
    return session.exec(
        select(RecurringCharge.id)
        .join(ChargeType, col(ChargeType.id) == col(RecurringCharge.charge_type_id))
        .where(RecurringCharge.tenancy_id == tenancy.id, ChargeType.code == RENT)
        .order_by(col(RecurringCharge.valid_from))
    ).first()


def _add_charges(session: Session, tenancy: Tenancy, row: TenancyRow) -> int:
    types = ensure_default_charge_types(session, tenancy.organisation_id)
    amounts = (
        (RENT, row.rent_oere),
        (ACONTO_HEAT, row.aconto_heat_oere),
        (ACONTO_WATER, row.aconto_water_oere),
    )
    added = 0
    for code, amount in amounts:
        type_id = types[code].id
        if amount and type_id is not None:
            add_recurring_charge(session, tenancy, type_id, amount, valid_from=row.terms.start_date)
            added += 1
    return added
