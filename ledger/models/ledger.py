"""The ledger: posting groups, their lines, and the allocation of credits to debits.

Append-only: a posting and its lines are never updated or deleted (the migration installs
triggers that refuse it); a correction is a new posting, a reversal mirrors the one it reverses.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ledger.types import PaymentMethod, PostingKind, UTCDateTime, enum_type, utc_now


class ImportBatch(SQLModel, table=True):
    """One file taken in for one organisation: what it was and when, so every entry it made
    can be traced back to it."""

    __tablename__ = "import_batch"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    kind: str = Field(max_length=40)  # e.g. "tenancies", "payments", "ledger"
    filename: str = Field(max_length=300)
    sha256: str = Field(max_length=64)
    rows: int
    imported_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    imported_by: str = Field(max_length=100)


class Posting(SQLModel, table=True):
    """A posting group: lines that together sum to zero, with one source and external
    reference that make it idempotent (posting it twice is refused by the database)."""

    __tablename__ = "posting"
    __table_args__ = (
        sa.UniqueConstraint(
            "organisation_id", "source", "external_ref", name="uq_posting_source_ref"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    kind: PostingKind = Field(sa_type=enum_type(PostingKind, "posting_kind"))
    booking_date: date
    source: str = Field(max_length=40)
    external_ref: str = Field(max_length=120)
    text: str = Field(max_length=200)
    reverses_posting_id: int | None = Field(
        default=None, foreign_key="posting.id", unique=True, nullable=True
    )
    import_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    created_by: str = Field(max_length=100)


class LedgerEntry(SQLModel, table=True):
    """One line of a posting. Signed: positive is a debit, negative a credit.

    On the tenant's account (``account = 'debtor'``) a debit is something owed: a charge, with
    its ``due_date``, or a reversed payment; a credit is a payment with its ``value_date``
    (the payment date that decides timeliness), a credit note, or a reversed charge.
    """

    __tablename__ = "ledger_entry"
    __table_args__ = (
        sa.CheckConstraint("amount_oere <> 0", name="amount"),
        sa.CheckConstraint(
            "account <> 'debtor' OR (tenancy_id IS NOT NULL "
            "AND (due_date IS NOT NULL OR value_date IS NOT NULL))",
            name="debtor_line",
        ),
        sa.Index("ix_ledger_entry_tenancy_account", "tenancy_id", "account"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    posting_id: int = Field(foreign_key="posting.id", index=True)
    account: str = Field(max_length=40)
    tenancy_id: int | None = Field(default=None, foreign_key="tenancy.id")
    charge_type_id: int | None = Field(default=None, foreign_key="charge_type.id")
    amount_oere: int = Field(sa_type=sa.BigInteger)
    due_date: date | None = None
    value_date: date | None = None
    method: PaymentMethod | None = Field(
        default=None, sa_type=enum_type(PaymentMethod, "payment_method"), nullable=True
    )
    reverses_entry_id: int | None = Field(default=None, foreign_key="ledger_entry.id")
    text: str = Field(default="", max_length=200)


class Allocation(SQLModel, table=True):
    """Which credit settles which debit, and by how much: derived from the ledger by
    ``ledger.allocation.allocate`` and rewritten whenever a tenancy's account changes."""

    __tablename__ = "allocation"

    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    credit_entry_id: int = Field(foreign_key="ledger_entry.id", primary_key=True)
    debit_entry_id: int = Field(foreign_key="ledger_entry.id", primary_key=True)
    amount_oere: int = Field(sa_type=sa.BigInteger)
