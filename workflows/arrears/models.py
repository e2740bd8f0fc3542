"""Tables of the arrears workflow: settings, cases and their history, letters and print files,
payment plans and the record of nightly runs. The municipality notifications (the outbox) are
``workflows.notifications``'.

Every table carries ``organisation_id``. Cases and letters are never deleted; letters keep the
exact PDF sent, with its SHA-256.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlmodel import Field, SQLModel

from ledger.types import DeliveryChannel, UTCDateTime, enum_type, utc_now
from workflows.arrears.states import CaseState

DEFAULT_MIN_ARREARS_OERE = 50_000  # 500 kr: see workflows/arrears/__init__.py
DEFAULT_ARRIVAL_BANK_DAYS = 5
DEFAULT_NIGHTLY_TIME = "02:30"


class LetterKind(StrEnum):
    PAKRAV = "pakrav"  # ALL § 90, stk. 2
    TERMINATION = "termination"  # ophævelse, ALL § 90, stk. 1, nr. 1
    EVICTION_REQUEST = "eviction_request"  # anmodning om udsættelse til fogedretten


class LetterStatus(StrEnum):
    ISSUED = "issued"
    WITHHELD = "withheld"  # a physical termination not posted: paid first (ALL § 91, stk. 2)


class PlanStatus(StrEnum):
    ACTIVE = "active"
    COMPLETED = "completed"
    DEFAULTED = "defaulted"
    CANCELLED = "cancelled"


class InstalmentOutcome(StrEnum):
    KEPT = "kept"
    MISSED = "missed"


class ArrearsSettings(SQLModel, table=True):
    """Per-organisation settings of the arrears workflow; defaults apply when absent."""

    __tablename__ = "arrears_settings"
    __table_args__ = (
        sa.CheckConstraint("min_arrears_oere >= 0", name="min_arrears"),
        sa.CheckConstraint("letter_arrival_bank_days BETWEEN 1 AND 20", name="arrival_days"),
    )

    organisation_id: int = Field(
        foreign_key="organisation.id", primary_key=True, sa_column_kwargs={"autoincrement": False}
    )
    # Below this, arrears are treated as of "uvæsentlig betydning" (ALL § 91, stk. 1): no påkrav.
    min_arrears_oere: int = Field(default=DEFAULT_MIN_ARREARS_OERE, sa_type=sa.BigInteger)
    # A physical letter is assumed to arrive this many bank days after posting.
    letter_arrival_bank_days: int = DEFAULT_ARRIVAL_BANK_DAYS
    digital_post_connected: bool = True  # tilsluttet Digital Post (ALL § 5, stk. 3)
    hold_pakrav_for_approval: bool = False
    nightly_time: str = Field(default=DEFAULT_NIGHTLY_TIME, max_length=5)  # HH:MM, Copenhagen
    # First due date the workflow handles; older arrears were the old system's (default: the
    # organisation's ledger start).
    cases_from: date | None = None
    contact_name: str = Field(default="", max_length=100)
    contact_phone: str = Field(default="", max_length=30)
    contact_email: str = Field(default="", max_length=200)
    payment_details: str = Field(default="", max_length=200)
    bailiff_court: str = Field(default="", max_length=100)  # e.g. "Fogedretten i Aarhus"
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_by: str = Field(default="system", max_length=100)


class PaymentPlan(SQLModel, table=True):
    """An afdragsordning: instalments that pause escalation of the cases it covers."""

    __tablename__ = "payment_plan"
    __table_args__ = (sa.CheckConstraint("total_oere > 0", name="total"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    status: PlanStatus = Field(sa_type=enum_type(PlanStatus, "plan_status"))
    agreed_on: date
    total_oere: int = Field(sa_type=sa.BigInteger)
    ended_on: date | None = None
    note: str = Field(default="", max_length=300)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    created_by: str = Field(max_length=100)


class PaymentPlanInstalment(SQLModel, table=True):
    __tablename__ = "payment_plan_instalment"
    __table_args__ = (
        sa.UniqueConstraint("plan_id", "number", name="uq_payment_plan_instalment_number"),
        sa.CheckConstraint("amount_oere > 0", name="amount"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    plan_id: int = Field(foreign_key="payment_plan.id", index=True)
    number: int
    due_date: date
    amount_oere: int = Field(sa_type=sa.BigInteger)
    outcome: InstalmentOutcome | None = Field(
        default=None, sa_type=enum_type(InstalmentOutcome, "instalment_outcome"), nullable=True
    )
    judged_on: date | None = None


class ArrearsCase(SQLModel, table=True):
    """Arrears on one due date of one tenancy, from detection to closing.

    ``lines`` are the items the påkrav demanded (entry id, due date, text, amount), as sent.
    The letters of a case are in ``letter`` (one per kind, unique).
    """

    __tablename__ = "arrears_case"
    __table_args__ = (
        sa.UniqueConstraint(
            "organisation_id", "tenancy_id", "due_date", "sequence", name="uq_arrears_case_due"
        ),
        sa.CheckConstraint("sequence >= 1", name="sequence"),
        sa.Index("ix_arrears_case_org_state", "organisation_id", "state"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    tenancy_id: int = Field(foreign_key="tenancy.id", index=True)
    due_date: date
    sequence: int = 1  # a new case for the same due date after a closed_paid one (charge-back)
    state: CaseState = Field(sa_type=enum_type(CaseState, "case_state"))
    opened_on: date
    amount_oere: int = Field(sa_type=sa.BigInteger)  # unpaid pligtige items of the due date
    lines: list[dict[str, Any]] = Field(default_factory=list, sa_type=sa.JSON)
    pakrav_date: date | None = None  # dispatch
    channel: DeliveryChannel | None = Field(
        default=None, sa_type=enum_type(DeliveryChannel, "case_channel"), nullable=True
    )
    arrival_date: date | None = None
    deadline: date | None = None
    earliest_termination: date | None = None
    fee_oere: int | None = Field(default=None, sa_type=sa.BigInteger)
    fee_year: int | None = None
    fee_entry_id: int | None = Field(default=None, foreign_key="ledger_entry.id")
    termination_date: date | None = None
    eviction_date: date | None = None
    payment_plan_id: int | None = Field(default=None, foreign_key="payment_plan.id")
    closed_on: date | None = None
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    updated_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class CaseEvent(SQLModel, table=True):
    """One state change of a case: who or what moved it, when, and why (append-only)."""

    __tablename__ = "case_event"

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="arrears_case.id", index=True)
    at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    on_date: date  # the day (as-of) the change belongs to
    from_state: CaseState | None = Field(
        default=None, sa_type=enum_type(CaseState, "from_state"), nullable=True
    )
    to_state: CaseState = Field(sa_type=enum_type(CaseState, "to_state"))
    actor: str = Field(max_length=100)  # "nightly", "cli:NAME"
    reason: str = Field(max_length=500)


class PrintBatch(SQLModel, table=True):
    """The day's physical letters of one organisation as one PDF for the print room."""

    __tablename__ = "print_batch"
    __table_args__ = (
        sa.UniqueConstraint("organisation_id", "print_date", name="uq_print_batch_day"),
    )

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    print_date: date
    letter_count: int
    checksum: str = Field(max_length=64)  # SHA-256 of pdf, hex
    pdf: bytes = Field(sa_type=sa.LargeBinary)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)


class Letter(SQLModel, table=True):
    """A letter as sent: the exact PDF and its SHA-256. One per case and kind."""

    __tablename__ = "letter"
    __table_args__ = (sa.UniqueConstraint("case_id", "kind", name="uq_letter_case_kind"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id", index=True)
    case_id: int = Field(foreign_key="arrears_case.id")
    kind: LetterKind = Field(sa_type=enum_type(LetterKind, "letter_kind"))
    channel: DeliveryChannel = Field(sa_type=enum_type(DeliveryChannel, "letter_channel"))
    status: LetterStatus = Field(sa_type=enum_type(LetterStatus, "letter_status"))
    dispatch_date: date
    recipient: str = Field(max_length=300)
    checksum: str = Field(max_length=64)  # SHA-256 of pdf, hex
    size_bytes: int
    pdf: bytes = Field(sa_type=sa.LargeBinary)
    print_batch_id: int | None = Field(default=None, foreign_key="print_batch.id", index=True)
    created_at: datetime = Field(default_factory=utc_now, sa_type=UTCDateTime)
    created_by: str = Field(max_length=100)


class NightlyRun(SQLModel, table=True):
    """One nightly run of one organisation: the day it ran for and what it did."""

    __tablename__ = "nightly_run"
    __table_args__ = (sa.Index("ix_nightly_run_org_as_of", "organisation_id", "as_of"),)

    id: int | None = Field(default=None, primary_key=True)
    organisation_id: int = Field(foreign_key="organisation.id")
    as_of: date
    first_day: date  # the first day processed (earlier than as_of when catching up)
    started_at: datetime = Field(sa_type=UTCDateTime)
    finished_at: datetime = Field(sa_type=UTCDateTime)
    actor: str = Field(max_length=100)
    summary: dict[str, Any] = Field(default_factory=dict, sa_type=sa.JSON)
