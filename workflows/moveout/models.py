"""Tables of the move-out workflow (fraflytning) and of vacancy rent (tomgangsleje).

Every table carries ``organisation_id``. A case is one tenancy's move-out: its dates, the
inspection report (items), invoices, other claims, udlæg, the settlements computed for it, the
documents issued (PDF with SHA-256), its deadlines, its guarantee claim and an event log of
who recorded what. Nothing is ever deleted; a recorded date is changed only as a logged
correction.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ledger.types import UTCDateTime, enum_type, utc_now
from workflows.moveout.deadlines import (
    DEFAULT_LETTER_ARRIVAL_BANK_DAYS,
    DEFAULT_WARN_DAYS,
    DeadlineKind,
    LetterChannel,
    MoveoutCause,
)
from workflows.moveout.model import GuaranteeVoidReason, RepairCategory


class CaseState(StrEnum):
    OPEN = "open"  # being worked on
    SETTLED = "settled"  # a settlement is stored (it may be settled again until posted)
    POSTED = "posted"  # the settlement is on the ledger: closed


class LearnedHow(StrEnum):
    """How the organisation learned that the tenant had moved out (ALL § 94, stk. 1)."""

    KEYS_RETURNED = "keys_returned"
    EVICTION_CARRIED_OUT = "eviction_carried_out"
    OTHER = "other"


class DocumentKind(StrEnum):
    REPAIR_NOTICE = "repair_notice"  # istandsættelsesmeddelelse, ALL § 94, stk. 2
    FINAL_STATEMENT = "final_statement"  # flytteopgørelse
    GUARANTEE_CLAIM = "guarantee_claim"  # to the municipality, ABL § 59, stk. 1


class GuaranteeClaimStatus(StrEnum):
    """``pending`` until the notification outbox takes the claim (``queued``); the
    municipality's answer is recorded as ``paid`` or ``rejected``."""

    PENDING = "pending"
    QUEUED = "queued"
    PAID = "paid"
    REJECTED = "rejected"


def _created() -> Any:
    return Field(default_factory=utc_now, sa_type=UTCDateTime)


class MoveoutSettings(SQLModel, table=True):
    """Per organisation: how early deadlines are warned about, how long a letter by post is
    assumed to take, and the contact details printed on move-out letters."""

    __tablename__ = "moveout_settings"
    __table_args__ = (
        sa.CheckConstraint("warn_days BETWEEN 0 AND 60", name="warn_days"),
        sa.CheckConstraint("letter_arrival_bank_days BETWEEN 0 AND 20", name="arrival_days"),
    )

    organisation_id: int = Field(
        foreign_key="organisation.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    warn_days: int = Field(default=DEFAULT_WARN_DAYS)
    letter_arrival_bank_days: int = Field(default=DEFAULT_LETTER_ARRIVAL_BANK_DAYS)
    contact_phone: str = Field(default="", max_length=30)
    contact_email: str = Field(default="", max_length=200)
    payment_details: str = Field(default="", max_length=200)
    updated_at: datetime = _created()
    updated_by: str = Field(default="system", max_length=100)


class MoveoutCase(SQLModel, table=True):
    """One tenancy's move-out and every date the deadlines run from."""

    __tablename__ = "moveout_case"
    __table_args__ = (
        sa.UniqueConstraint("tenancy_id", name="uq_moveout_case_tenancy_id"),
        sa.CheckConstraint("indskudslaan_oere >= 0", name="indskudslaan"),
        sa.CheckConstraint(
            "NOT (inspection_waived AND inspection_held_on IS NOT NULL)", name="inspection"
        ),
        sa.CheckConstraint("NOT (left_no_address AND new_address IS NOT NULL)", name="address"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id")
    state: CaseState = Field(sa_type=enum_type(CaseState, "moveout_state"))
    end_date: date
    cause: MoveoutCause = Field(sa_type=enum_type(MoveoutCause, "moveout_cause"))
    learned_on: date | None = None
    learned_how: LearnedHow | None = Field(
        default=None, sa_type=enum_type(LearnedHow, "learned_how"), nullable=True
    )
    # The address given for letters (ALL § 93, stk. 2); left_no_address: moved without one.
    new_address: str | None = Field(default=None, max_length=200)
    new_postcode: str | None = Field(default=None, max_length=10)
    new_city: str | None = Field(default=None, max_length=100)
    left_no_address: bool = False
    guarantee_void_reason: GuaranteeVoidReason | None = Field(
        default=None, sa_type=enum_type(GuaranteeVoidReason, "guarantee_void"), nullable=True
    )
    indskudslaan_oere: int = Field(default=0, sa_type=sa.BigInteger)
    summons_sent_on: date | None = None
    summons_channel: LetterChannel | None = Field(
        default=None, sa_type=enum_type(LetterChannel, "summons_channel"), nullable=True
    )
    summons_arrived_on: date | None = None
    inspection_planned_on: date | None = None
    shorter_notice_agreed: bool = False
    inspection_held_on: date | None = None
    inspection_waived: bool = False
    no_repair_claim: bool = False
    repair_notice_sent_on: date | None = None
    repair_notice_channel: LetterChannel | None = Field(
        default=None, sa_type=enum_type(LetterChannel, "notice_channel"), nullable=True
    )
    repair_notice_arrived_on: date | None = None
    statement_sent_on: date | None = None
    created_at: datetime = _created()
    created_by: str = Field(max_length=100)
    updated_at: datetime = _created()


class MoveoutItem(SQLModel, table=True):
    """One item of the inspection report (synsrapport): a repair with its estimate."""

    __tablename__ = "moveout_item"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "position", name="uq_moveout_item_position"),
        sa.CheckConstraint("estimate_oere >= 0", name="estimate"),
        sa.CheckConstraint("position >= 1", name="position"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="moveout_case.id", index=True)
    position: int
    text: str = Field(max_length=200)
    category: RepairCategory = Field(sa_type=enum_type(RepairCategory, "repair_category"))
    estimate_oere: int = Field(sa_type=sa.BigInteger)
    created_at: datetime = _created()
    created_by: str = Field(max_length=100)


class MoveoutInvoice(SQLModel, table=True):
    """A contractor's invoice for one item; the item's final cost is the sum of its invoices."""

    __tablename__ = "moveout_invoice"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "contractor", "reference", name="uq_moveout_invoice_ref"),
        sa.CheckConstraint("amount_oere > 0", name="amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="moveout_case.id", index=True)
    item_id: int = Field(foreign_key="moveout_item.id")
    contractor: str = Field(max_length=100)
    reference: str = Field(max_length=60)
    amount_oere: int = Field(sa_type=sa.BigInteger)
    received_on: date
    created_at: datetime = _created()
    created_by: str = Field(max_length=100)


class MoveoutClaim(SQLModel, table=True):
    """Another claim on the tenant (e.g. legal costs); never covered by the guarantee."""

    __tablename__ = "moveout_claim"
    __table_args__ = (sa.CheckConstraint("amount_oere > 0", name="amount"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="moveout_case.id", index=True)
    text: str = Field(max_length=200)
    amount_oere: int = Field(sa_type=sa.BigInteger)
    created_at: datetime = _created()
    created_by: str = Field(max_length=100)


class MoveoutAttachment(SQLModel, table=True):
    """An udlæg in the deposit, registered via the fogedret; same-day ties in id order."""

    __tablename__ = "moveout_attachment"
    __table_args__ = (sa.CheckConstraint("amount_oere > 0", name="amount"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="moveout_case.id", index=True)
    creditor: str = Field(max_length=200)
    amount_oere: int = Field(sa_type=sa.BigInteger)
    registered_on: date
    debtor: str = Field(default="tenant", max_length=100)
    debtor_share: str = Field(default="1", max_length=20)  # a fraction, e.g. "1/2"
    created_at: datetime = _created()
    created_by: str = Field(max_length=100)


class MoveoutDeadline(SQLModel, table=True):
    """A deadline of a case as last computed (``deadlines.case_deadlines``)."""

    __tablename__ = "moveout_deadline"
    __table_args__ = (sa.UniqueConstraint("case_id", "kind", name="uq_moveout_deadline_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="moveout_case.id", index=True)
    kind: DeadlineKind = Field(sa_type=enum_type(DeadlineKind, "deadline_kind"))
    due_on: date
    done_on: date | None = None
    applies: bool = True
    basis: str = Field(max_length=120)
    updated_at: datetime = _created()


class MoveoutSettlement(SQLModel, table=True):
    """A settlement computed for a case: its exact input and output (JSON) and the figures.

    ``input`` uses the keys of ``almen moveout calculate``, so any stored settlement can be
    recomputed by hand from its row.
    """

    __tablename__ = "moveout_settlement"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="moveout_case.id", index=True)
    as_of: date
    input: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    result: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    claims_total_oere: int = Field(sa_type=sa.BigInteger)
    deposit_oere: int = Field(sa_type=sa.BigInteger)
    deposit_applied_oere: int = Field(sa_type=sa.BigInteger)
    guarantee_claim_oere: int = Field(sa_type=sa.BigInteger)
    tenant_owes_oere: int = Field(sa_type=sa.BigInteger)
    refund_oere: int = Field(sa_type=sa.BigInteger)
    credit_refund_oere: int = Field(sa_type=sa.BigInteger)
    paid_to_indskudslaan_oere: int = Field(sa_type=sa.BigInteger)
    paid_to_attachments_oere: int = Field(sa_type=sa.BigInteger)
    late_inspection_accepted: bool = False
    created_at: datetime = _created()
    created_by: str = Field(max_length=100)
    posted_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    posted_by: str | None = Field(default=None, max_length=100)


class MoveoutDocument(SQLModel, table=True):
    """A document issued in a case, exactly as issued (PDF bytes and their SHA-256)."""

    __tablename__ = "moveout_document"
    __table_args__ = (
        sa.UniqueConstraint("case_id", "kind", "sha256", name="uq_moveout_document_sha256"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="moveout_case.id", index=True)
    kind: DocumentKind = Field(sa_type=enum_type(DocumentKind, "moveout_document_kind"))
    settlement_id: int | None = Field(default=None, foreign_key="moveout_settlement.id")
    document_date: date
    sha256: str = Field(max_length=64)
    pdf: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = _created()
    created_by: str = Field(max_length=100)


class MoveoutGuaranteeClaim(SQLModel, table=True):
    """The claim on the municipality under its guarantee (ABL § 59, stk. 1; § 63, stk. 3).

    ``payload`` is what the notification outbox carries (``guarantee.guarantee_claim_payload``;
    no CPR number); ``idempotency_key`` is the outbox record's key.
    """

    __tablename__ = "moveout_guarantee_claim"
    __table_args__ = (
        sa.UniqueConstraint("case_id", name="uq_moveout_guarantee_claim_case_id"),
        sa.UniqueConstraint("idempotency_key", name="uq_moveout_guarantee_claim_key"),
        sa.CheckConstraint("amount_oere > 0", name="amount"),
        sa.CheckConstraint("municipality_code BETWEEN 101 AND 999", name="municipality_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="moveout_case.id")
    tenancy_id: int = Field(foreign_key="tenancy.id")
    settlement_id: int = Field(foreign_key="moveout_settlement.id")
    municipality_code: int
    amount_oere: int = Field(sa_type=sa.BigInteger)
    status: GuaranteeClaimStatus = Field(
        sa_type=enum_type(GuaranteeClaimStatus, "guarantee_claim_status")
    )
    created_on: date
    idempotency_key: str = Field(max_length=36)
    payload: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
    document_id: int | None = Field(default=None, foreign_key="moveout_document.id")
    created_at: datetime = _created()
    created_by: str = Field(max_length=100)


class MoveoutEvent(SQLModel, table=True):
    """Who recorded or changed what in a case, and when (the audit trail)."""

    __tablename__ = "moveout_event"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="moveout_case.id", index=True)
    at: datetime = _created()
    actor: str = Field(max_length=100)
    action: str = Field(max_length=40)
    detail: str = Field(max_length=500)


class VacancyPeriod(SQLModel, table=True):
    """A home put at the municipality's disposal for assignment: the municipality pays its
    rent from ``starts_on`` until it is let (``ends_on``: the last day billed) (ABL § 59,
    stk. 1; tomgangsleje)."""

    __tablename__ = "vacancy_period"
    __table_args__ = (
        sa.CheckConstraint("ends_on IS NULL OR ends_on >= starts_on", name="period"),
        sa.CheckConstraint("monthly_rent_oere > 0", name="rent"),
        sa.CheckConstraint("municipality_code BETWEEN 101 AND 999", name="municipality_code"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    unit_id: int = Field(foreign_key="unit.id", index=True)
    municipality_code: int
    starts_on: date
    ends_on: date | None = None
    monthly_rent_oere: int = Field(sa_type=sa.BigInteger)
    created_at: datetime = _created()
    created_by: str = Field(max_length=100)
    ended_at: datetime | None = Field(default=None, sa_type=UTCDateTime, nullable=True)
    ended_by: str | None = Field(default=None, max_length=100)
