"""Tenants (lejere), tenancies (lejeforhold), charge types and recurring charges."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ledger.identifiers import mask_cpr
from ledger.types import DeliveryChannel, DepositKind, UTCDateTime, enum_type, utc_now


class Tenant(SQLModel, table=True):
    """A person. The CPR number is optional and never shown in full in logs or reprs."""

    __tablename__ = "tenant"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    name: str = Field(max_length=200)
    cpr: str | None = Field(default=None, max_length=10, repr=False)

    def __repr_args__(self) -> Any:
        yield from super().__repr_args__()
        if self.cpr:
            yield "cpr", mask_cpr(self.cpr)


class Tenancy(SQLModel, table=True):
    """A lease of one unit to one or more tenants, from ``start_date`` to ``end_date``."""

    __tablename__ = "tenancy"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "unit_id", "start_date", name="uq_tenancy_start"),
        sa.CheckConstraint("end_date IS NULL OR end_date >= start_date", name="dates"),
        sa.CheckConstraint("deposit_oere >= 0", name="deposit"),
        sa.CheckConstraint(
            "children_in_household IS NULL OR children_in_household >= 0",
            name="children",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    start_date: date
    end_date: date | None = None
    municipally_assigned: bool = False  # anvist af kommunen (ABL § 59, stk. 1 og 3)
    delivery_channel: DeliveryChannel = Field(
        sa_type=enum_type(DeliveryChannel, "delivery_channel")
    )
    digital_post_exempt: bool = False  # fritaget for Digital Post (ALL § 5, stk. 3)
    bs_customer_number: str | None = Field(default=None, max_length=15)
    deposit_kind: DepositKind = Field(sa_type=enum_type(DepositKind, "deposit_kind"))
    deposit_oere: int = Field(default=0, sa_type=sa.BigInteger)
    children_in_household: int | None = None  # under 18, if known
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class TenancyTenant(SQLModel, table=True):
    """The tenants of a tenancy; ``position`` 1 is the first named on the lease."""

    __tablename__ = "tenancy_tenant"

    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", primary_key=True)
    tenant_id: int = Field(foreign_key="tenant.id", primary_key=True, index=True)
    position: int = 1


class ChargeType(SQLModel, table=True):
    """A kind of charge; ``pligtig`` says whether non-payment may ground a påkrav
    (pligtig pengeydelse, ALL § 90, stk. 1, nr. 1)."""

    __tablename__ = "charge_type"
    __table_args__ = (sa.UniqueConstraint("organisation_id", "code", name="uq_charge_type_code"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    code: str = Field(max_length=30)
    label: str = Field(max_length=100)  # Danish, as it appears on letters
    pligtig: bool


class RecurringCharge(SQLModel, table=True):
    """A monthly charge of a tenancy (rent, a conto heat/water, ...), valid over a period."""

    __tablename__ = "recurring_charge"
    __table_args__ = (
        sa.CheckConstraint("amount_oere > 0", name="amount"),
        sa.CheckConstraint("due_day BETWEEN 1 AND 28", name="due_day"),
        sa.CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    charge_type_id: int = Field(foreign_key="charge_type.id")
    amount_oere: int = Field(sa_type=sa.BigInteger)
    due_day: int = Field(default=1)  # rent is paid monthly in advance (ALL § 44, stk. 1)
    valid_from: date
    valid_to: date | None = None
