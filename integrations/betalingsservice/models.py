"""The Betalingsservice tables: settings, deliveries, expected collections, mandates, suspense.

Every row carries ``organisation_id``. A delivery file touches the ledger only through postings
(``source = "betalingsservice"``) that point to its ``import_batch``; these tables keep what BS
said and what was done with it, so that every entry can be traced to a line of a file.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ledger.types import PaymentMethod, UTCDateTime, enum_type, utc_now


class Direction(StrEnum):
    """Whether a delivery came from BS (0602, 0603) or was written for it (0601)."""

    INBOUND = "in"
    OUTBOUND = "out"


class CollectionStatus(StrEnum):
    """What became of a collection (opkrævning) asked for in a 0601."""

    REQUESTED = "requested"  # in a 0601; nothing heard yet
    COMPLETED = "completed"  # 0236 gennemført (provisional until the charge-back window ends)
    REJECTED = "rejected"  # 0237 afvist
    CANCELLED = "cancelled"  # 0238 afmeldt by the debtor
    CHARGED_BACK = "charged_back"  # 0239 tilbageført
    SUPERSEDED = "superseded"  # its 0601 was replaced by a later one (`bs export --again`)


class MandateStatus(StrEnum):
    """A mandate (betalingsaftale) as the latest 0603 left it."""

    ACTIVE = "active"  # 0230 aktiv, 0231 tilmeldt
    CANCELLED = "cancelled"  # 0232, 0233, 0234 afmeldt


class SuspenseDirection(StrEnum):
    """Money that came in (a payment) or went out (a charge-back) for no known tenancy."""

    IN = "in"
    OUT = "out"


class BsSettings(SQLModel, table=True):
    """An organisation's Betalingsservice agreement: where its records are routed from, and the
    serial number of the last 0601 it wrote (kept by the system, never typed in)."""

    __tablename__ = "bs_settings"
    __table_args__ = (
        sa.UniqueConstraint("pbs_number", "debtor_group", name="uq_bs_settings_pbs_group"),
        sa.CheckConstraint("length(pbs_number) = 8", name="pbs_number"),
        sa.CheckConstraint("length(debtor_group) = 5", name="debtor_group"),
        sa.CheckConstraint("length(data_supplier_cvr) = 8", name="data_supplier_cvr"),
        sa.CheckConstraint(
            "last_delivery_serial BETWEEN 0 AND 9999999999", name="last_delivery_serial"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", unique=True)
    pbs_number: str = Field(max_length=8)  # kreditornummer (PBS-nr.)
    debtor_group: str = Field(max_length=5)  # debitorgruppe
    data_supplier_cvr: str = Field(max_length=8)  # dataleverandør
    last_delivery_serial: int = Field(default=0, sa_type=sa.BigInteger)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_by: str = Field(max_length=100)


class BsDelivery(SQLModel, table=True):
    """A delivery file received (0602, 0603) or written (0601) for one organisation.

    ``(data_supplier_cvr, delivery_type, delivery_serial)`` identifies a delivery: a file whose
    serial is already here has been imported. A file that concerns several organisations has one
    row per organisation.
    """

    __tablename__ = "bs_delivery"
    __table_args__ = (
        sa.UniqueConstraint(
            "organisation_id",
            "direction",
            "data_supplier_cvr",
            "delivery_type",
            "delivery_serial",
            name="uq_bs_delivery_serial",
        ),
        sa.Index("ix_bs_delivery_lookup", "data_supplier_cvr", "delivery_type", "delivery_serial"),
        sa.CheckConstraint("delivery_type IN ('0601', '0602', '0603')", name="delivery_type"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    direction: Direction = Field(sa_type=enum_type(Direction, "bs_direction"))
    delivery_type: str = Field(max_length=4)
    delivery_serial: str = Field(max_length=10)
    data_supplier_cvr: str = Field(max_length=8)
    created: date  # BS002 creation date
    month: str | None = Field(default=None, max_length=7)  # 0601: the month collected, YYYY-MM
    file_name: str = Field(max_length=300)
    sha256: str = Field(max_length=64)
    import_batch_id: int | None = Field(default=None, foreign_key="import_batch.id")
    recorded_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)  # read/written
    recorded_by: str = Field(max_length=100)
    records: int = 0  # body records of this organisation (0280 collections in a 0601)
    amount_oere: int = Field(default=0, sa_type=sa.BigInteger)  # collected or paid in
    payments: int = 0  # 0236/0297 posted to a tenant
    rejected: int = 0  # 0237
    cancelled: int = 0  # 0238
    charged_back: int = 0  # 0239/0299 reversed
    suspense: int = 0  # records put on the suspense list
    mandates: int = 0  # 0603 records


class BsCollection(SQLModel, table=True):
    """A collection asked for in a 0601 (one 0280 record), and what BS reported about it.

    ``status_delivery_id``/``status_line`` name the 0602 line behind the current status.
    """

    __tablename__ = "bs_collection"
    __table_args__ = (
        sa.UniqueConstraint(
            "organisation_id", "creditor_reference", name="uq_bs_collection_reference"
        ),
        sa.Index("ix_bs_collection_month", "organisation_id", "month"),
        sa.CheckConstraint("amount_oere > 0", name="amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    delivery_id: int = Field(foreign_key="bs_delivery.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    customer_number: str = Field(max_length=15)
    agreement_number: str = Field(max_length=9)
    month: str = Field(max_length=7)  # YYYY-MM
    due_date: date
    payment_date: date  # the due date rolled to a bank day
    amount_oere: int = Field(sa_type=sa.BigInteger)
    creditor_reference: str = Field(max_length=30)
    status: CollectionStatus = Field(
        default=CollectionStatus.REQUESTED,
        sa_type=enum_type(CollectionStatus, "bs_collection_status"),
    )
    status_delivery_id: int | None = Field(default=None, foreign_key="bs_delivery.id")
    status_line: int | None = None
    status_changed_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    payment_posting_id: int | None = Field(default=None, foreign_key="posting.id")
    reversal_posting_id: int | None = Field(default=None, foreign_key="posting.id")


class BsMandate(SQLModel, table=True):
    """A mandate (betalingsaftale) as the latest 0603 reported it, and the tenancy it was
    matched to when it arrived (``None``: no tenancy had that customer number)."""

    __tablename__ = "bs_mandate"
    __table_args__ = (
        sa.UniqueConstraint(
            "organisation_id", "customer_number", "agreement_number", name="uq_bs_mandate_key"
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    tenancy_id: int | None = Field(default=None, foreign_key="tenancy.id", index=True)
    customer_number: str = Field(max_length=15)  # without BS's leading zeros
    agreement_number: str = Field(max_length=9)
    status: MandateStatus = Field(sa_type=enum_type(MandateStatus, "bs_mandate_status"))
    transaction_code: str = Field(max_length=4)  # the 0603 code behind the status
    effective_date: date
    end_date: date | None = None  # as BS gives it (a mandate may end before it took effect)
    delivery_id: int = Field(foreign_key="bs_delivery.id")
    line: int
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class BsSuspenseItem(SQLModel, table=True):
    """A payment or charge-back that could not be matched to a tenancy (uafstemt indbetaling).

    The money sits on the ``suspense`` account (posting ``posting_id``) until the accountant
    resolves the item to a tenancy (``resolution_posting_id``).
    """

    __tablename__ = "bs_suspense_item"
    __table_args__ = (
        sa.UniqueConstraint("delivery_id", "line", name="uq_bs_suspense_item_line"),
        sa.CheckConstraint("amount_oere > 0", name="amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    delivery_id: int = Field(foreign_key="bs_delivery.id")
    line: int
    transaction_code: str = Field(max_length=4)
    direction: SuspenseDirection = Field(
        sa_type=enum_type(SuspenseDirection, "bs_suspense_direction")
    )
    method: PaymentMethod = Field(sa_type=enum_type(PaymentMethod, "payment_method"))
    pbs_number: str = Field(max_length=8)
    debtor_group: str = Field(max_length=5)
    customer_number: str = Field(max_length=15)  # as in the file
    agreement_number: str = Field(default="", max_length=9)
    amount_oere: int = Field(sa_type=sa.BigInteger)
    payment_date: date  # the date BS gives for the payment (for a charge-back: the original)
    actual_date: date | None = None  # when the money moved (a charge-back: its date)
    creditor_reference: str = Field(default="", max_length=30)
    reason: str = Field(max_length=200)
    posting_id: int = Field(foreign_key="posting.id")
    resolved_tenancy_id: int | None = Field(default=None, foreign_key="tenancy.id")
    resolved_by: str | None = Field(default=None, max_length=100)
    resolved_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    resolution_posting_id: int | None = Field(default=None, foreign_key="posting.id")
