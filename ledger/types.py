"""Column types and enumerations shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Dialect
from sqlmodel import SQLModel

# Every constraint and index gets a predictable name, so migrations (and SQLite's batch mode)
# can refer to it.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(sa.types.TypeDecorator[datetime]):
    """A timestamp that is always timezone-aware UTC, on SQLite as on PostgreSQL."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("timestamps must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:  # SQLite keeps no offset; we only ever store UTC
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    """The current instant in UTC (for audit timestamps, never for legal dates)."""
    return datetime.now(UTC)


def enum_type(enum_class: type[StrEnum], name: str) -> sa.Enum:
    """A portable enum column: VARCHAR plus a CHECK constraint, storing the values."""
    return sa.Enum(
        enum_class,
        name=name,
        native_enum=False,
        create_constraint=True,
        length=max(len(member.value) for member in enum_class),
        values_callable=_values,
        validate_strings=True,
    )


def _values(enum_class: Any) -> list[str]:
    return [member.value for member in enum_class]


class MaintenanceScheme(StrEnum):
    """Vedligeholdelsesordning (ALL §§ 25-27)."""

    A = "A"  # § 26: tenant pays normal refurbishment, landlord takes over a growing share
    B = "B"  # § 27: landlord maintains via the maintenance account


class UnitKind(StrEnum):
    """Boligtype."""

    FAMILIE = "familie"
    UNGDOM = "ungdom"
    AELDRE = "aeldre"
    PLEJE = "pleje"


class DeliveryChannel(StrEnum):
    """How letters reach the tenant (ALL § 5, stk. 3)."""

    DIGITAL_POST = "digital_post"
    LETTER = "letter"


class DepositKind(StrEnum):
    """Beboerindskud (§ 45, støttet) or depositum (§ 46, ustøttet)."""

    INDSKUD = "indskud"
    DEPOSITUM = "depositum"


class PaymentMethod(StrEnum):
    """Where a payment came from (domain.md §6)."""

    BETALINGSSERVICE = "betalingsservice"
    SLIP = "slip"
    TRANSFER = "transfer"
    BOLIGSTOETTE = "boligstoette"
    MUNICIPALITY = "municipality"
    OTHER = "other"


class PostingKind(StrEnum):
    """What a posting group records."""

    CHARGE = "charge"
    PAYMENT = "payment"
    REVERSAL = "reversal"
    ADJUSTMENT = "adjustment"


class Account(StrEnum):
    """The accounts a posting group moves money between.

    ``debtor`` is the tenant's account (lejerdebitor), one per tenancy; the others are the
    organisation's side of each posting.
    """

    DEBTOR = "debtor"
    INCOME = "income"  # by charge type
    BANK = "bank"  # by payment method
    DEPOSIT = "deposit"  # deposit held: a liability
    SUSPENSE = "suspense"  # unmatched payments (uafstemte indbetalinger)
    # Balances taken over at cut-over from the old system (e.g. a deposit paid before the
    # ledger start, recognised as a liability when the tenant moves out).
    OPENING_BALANCE = "opening_balance"
    # Move-out (fraflytning) and vacancy; by tenancy where there is one.
    GUARANTEE_RECEIVABLE = "guarantee_receivable"  # the municipality's guarantee (ABL § 59, 1)
    VACANCY_RECEIVABLE = "vacancy_receivable"  # tomgangsleje owed by the municipality
    REFUND_PAYABLE = "refund_payable"  # owed to the former tenant (deposit rest, credit)
    ATTACHMENT_PAYABLE = "attachment_payable"  # owed to a creditor with udlæg in the deposit
    INDSKUDSLAAN_PAYABLE = "indskudslaan_payable"  # beboerindskudslån owed to the municipality
