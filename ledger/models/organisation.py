"""Organisation (boligorganisation), department (afdeling), unit (lejemål), and the fee table."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ledger.types import MaintenanceScheme, UnitKind, UTCDateTime, enum_type, utc_now


class Organisation(SQLModel, table=True):
    """The landlord (udlejer). Its ``id`` is the ``organisation_id`` of every other row."""

    __tablename__ = "organisation"
    __table_args__ = (sa.CheckConstraint("length(cvr) = 8", name="cvr_length"),)

    id: int | None = Field(default=None, primary_key=True)
    cvr: str = Field(max_length=8, unique=True)
    name: str = Field(max_length=200)
    address: str = Field(default="", max_length=200)
    postcode: str = Field(default="", max_length=10)
    city: str = Field(default="", max_length=100)
    # Cut-over from the old system: no recurring charge is ever posted for a due date before it.
    ledger_start: date
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class Department(SQLModel, table=True):
    """An estate (afdeling) with its own budget and maintenance scheme (ALL §§ 25-27)."""

    __tablename__ = "department"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "name", name="uq_department_name"),
        sa.CheckConstraint("takeover_months BETWEEN 1 AND 120", name="takeover_months"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=100)
    maintenance_scheme: MaintenanceScheme = Field(
        sa_type=enum_type(MaintenanceScheme, "maintenance_scheme")
    )
    # Months over which the landlord takes over normal refurbishment under scheme A (§ 26):
    # 100 months = 1 % per month; never more than 10 years.
    takeover_months: int = Field(default=100)


class Unit(SQLModel, table=True):
    """A home (lejemål) with its address and the municipality it lies in."""

    __tablename__ = "unit"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "unit_number", name="uq_unit_number"),
        sa.CheckConstraint("municipality_code BETWEEN 101 AND 999", name="municipality_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    department_id: int = Field(foreign_key="department.id", index=True)
    unit_number: str = Field(max_length=20)
    kind: UnitKind = Field(sa_type=enum_type(UnitKind, "unit_kind"))
    address: str = Field(max_length=200)
    postcode: str = Field(max_length=10)
    city: str = Field(max_length=100)
    municipality_code: int


class PakravFee(SQLModel, table=True):
    """The påkrav fee of one year (ALL § 90, stk. 2, 5.-7. pkt.).

    National reference data, the same for every organisation, so it carries no
    ``organisation_id`` (on Citus: a reference table).
    """

    __tablename__ = "pakrav_fee"
    __table_args__ = (
        sa.CheckConstraint("year >= 2010", name="year"),
        sa.CheckConstraint("amount_kr > 0", name="amount"),
    )

    year: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    amount_kr: int
    source: str = Field(max_length=300)
    confirmed: bool = Field(default=False)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_by: str = Field(default="system", max_length=100)
