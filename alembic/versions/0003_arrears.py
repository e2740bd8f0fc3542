"""arrears: settings, cases and their history, letters, print files, notifications, payment
plans and nightly runs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CASE_STATES = (
    "opened",
    "awaiting_pakrav_approval",
    "pakrav_approved",
    "pakrav_sent",
    "awaiting_termination_approval",
    "termination_sent",
    "eviction_requested",
    "payment_plan",
    "closed_paid",
    "closed_settled",
    "closed_evicted",
    "closed_written_off",
    "closed_rejected",
)
CHANNELS = ("digital_post", "letter")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _fk(table: str, column: str, target: str, *, nullable: bool = False) -> sa.Column[int]:
    referred = target.split(".")[0]
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(target, name=f"fk_{table}_{column}_{referred}"),
        nullable=nullable,
    )


def _one_of(
    table: str, column: str, values: Sequence[str], name: str, *, nullable: bool = False
) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    condition = f"{column} IN ({listed})"
    if nullable:
        condition = f"{column} IS NULL OR {condition}"
    return sa.CheckConstraint(condition, name=op.f(f"ck_{table}_{name}"))


def _stamp(column: str) -> sa.Column[object]:
    return sa.Column(column, sa.DateTime(timezone=True), nullable=False)


def _varchar(name: str, length: int, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length), nullable=nullable)


def upgrade() -> None:
    _settings()
    _payment_plans()
    _cases()
    _letters()
    _notifications()
    op.create_table(
        "nightly_run",
        _id(),
        _fk("nightly_run", "organisation_id", "organisation.id"),
        sa.Column("as_of", sa.Date(), nullable=False),
        sa.Column("first_day", sa.Date(), nullable=False),
        _stamp("started_at"),
        _stamp("finished_at"),
        _varchar("actor", 100),
        sa.Column("summary", sa.JSON(), nullable=False),
    )
    op.create_index("ix_nightly_run_org_as_of", "nightly_run", ["organisation_id", "as_of"])


def _settings() -> None:
    op.create_table(
        "arrears_settings",
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey(
                "organisation.id", name="fk_arrears_settings_organisation_id_organisation"
            ),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("min_arrears_oere", sa.BigInteger(), nullable=False),
        sa.Column("letter_arrival_bank_days", sa.Integer(), nullable=False),
        sa.Column("digital_post_connected", sa.Boolean(), nullable=False),
        sa.Column("hold_pakrav_for_approval", sa.Boolean(), nullable=False),
        _varchar("nightly_time", 5),
        sa.Column("cases_from", sa.Date(), nullable=True),
        _varchar("contact_name", 100),
        _varchar("contact_phone", 30),
        _varchar("contact_email", 200),
        _varchar("payment_details", 200),
        _varchar("bailiff_court", 100),
        _stamp("updated_at"),
        _varchar("updated_by", 100),
        sa.CheckConstraint("min_arrears_oere >= 0", name=op.f("ck_arrears_settings_min_arrears")),
        sa.CheckConstraint(
            "letter_arrival_bank_days BETWEEN 1 AND 20",
            name=op.f("ck_arrears_settings_arrival_days"),
        ),
    )


def _payment_plans() -> None:
    op.create_table(
        "payment_plan",
        _id(),
        _fk("payment_plan", "organisation_id", "organisation.id"),
        _fk("payment_plan", "tenancy_id", "tenancy.id"),
        _varchar("status", 9),
        sa.Column("agreed_on", sa.Date(), nullable=False),
        sa.Column("total_oere", sa.BigInteger(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        _varchar("note", 300),
        _stamp("created_at"),
        _varchar("created_by", 100),
        _one_of(
            "payment_plan",
            "status",
            ("active", "completed", "defaulted", "cancelled"),
            "plan_status",
        ),
        sa.CheckConstraint("total_oere > 0", name=op.f("ck_payment_plan_total")),
    )
    op.create_index("ix_payment_plan_organisation_id", "payment_plan", ["organisation_id"])
    op.create_index("ix_payment_plan_tenancy_id", "payment_plan", ["tenancy_id"])
    op.create_table(
        "payment_plan_instalment",
        _id(),
        _fk("payment_plan_instalment", "organisation_id", "organisation.id"),
        _fk("payment_plan_instalment", "plan_id", "payment_plan.id"),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount_oere", sa.BigInteger(), nullable=False),
        _varchar("outcome", 6, nullable=True),
        sa.Column("judged_on", sa.Date(), nullable=True),
        _one_of(
            "payment_plan_instalment",
            "outcome",
            ("kept", "missed"),
            "instalment_outcome",
            nullable=True,
        ),
        sa.CheckConstraint("amount_oere > 0", name=op.f("ck_payment_plan_instalment_amount")),
        sa.UniqueConstraint("plan_id", "number", name="uq_payment_plan_instalment_number"),
    )
    op.create_index(
        "ix_payment_plan_instalment_organisation_id",
        "payment_plan_instalment",
        ["organisation_id"],
    )
    op.create_index("ix_payment_plan_instalment_plan_id", "payment_plan_instalment", ["plan_id"])


def _cases() -> None:
    op.create_table(
        "arrears_case",
        _id(),
        _fk("arrears_case", "organisation_id", "organisation.id"),
        _fk("arrears_case", "tenancy_id", "tenancy.id"),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        _varchar("state", 29),
        sa.Column("opened_on", sa.Date(), nullable=False),
        sa.Column("amount_oere", sa.BigInteger(), nullable=False),
        sa.Column("lines", sa.JSON(), nullable=False),
        sa.Column("pakrav_date", sa.Date(), nullable=True),
        _varchar("channel", 12, nullable=True),
        sa.Column("arrival_date", sa.Date(), nullable=True),
        sa.Column("deadline", sa.Date(), nullable=True),
        sa.Column("earliest_termination", sa.Date(), nullable=True),
        sa.Column("fee_oere", sa.BigInteger(), nullable=True),
        sa.Column("fee_year", sa.Integer(), nullable=True),
        _fk("arrears_case", "fee_entry_id", "ledger_entry.id", nullable=True),
        sa.Column("termination_date", sa.Date(), nullable=True),
        sa.Column("eviction_date", sa.Date(), nullable=True),
        _fk("arrears_case", "payment_plan_id", "payment_plan.id", nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        _stamp("created_at"),
        _stamp("updated_at"),
        _one_of("arrears_case", "state", CASE_STATES, "case_state"),
        _one_of("arrears_case", "channel", CHANNELS, "case_channel", nullable=True),
        sa.CheckConstraint("sequence >= 1", name=op.f("ck_arrears_case_sequence")),
        sa.UniqueConstraint(
            "organisation_id", "tenancy_id", "due_date", "sequence", name="uq_arrears_case_due"
        ),
    )
    op.create_index("ix_arrears_case_tenancy_id", "arrears_case", ["tenancy_id"])
    op.create_index("ix_arrears_case_org_state", "arrears_case", ["organisation_id", "state"])
    op.create_table(
        "case_event",
        _id(),
        _fk("case_event", "organisation_id", "organisation.id"),
        _fk("case_event", "case_id", "arrears_case.id"),
        _stamp("at"),
        sa.Column("on_date", sa.Date(), nullable=False),
        _varchar("from_state", 29, nullable=True),
        _varchar("to_state", 29),
        _varchar("actor", 100),
        _varchar("reason", 500),
        _one_of("case_event", "from_state", CASE_STATES, "from_state", nullable=True),
        _one_of("case_event", "to_state", CASE_STATES, "to_state"),
    )
    op.create_index("ix_case_event_organisation_id", "case_event", ["organisation_id"])
    op.create_index("ix_case_event_case_id", "case_event", ["case_id"])


def _letters() -> None:
    op.create_table(
        "print_batch",
        _id(),
        _fk("print_batch", "organisation_id", "organisation.id"),
        sa.Column("print_date", sa.Date(), nullable=False),
        sa.Column("letter_count", sa.Integer(), nullable=False),
        _varchar("checksum", 64),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        _stamp("created_at"),
        sa.UniqueConstraint("organisation_id", "print_date", name="uq_print_batch_day"),
    )
    op.create_table(
        "letter",
        _id(),
        _fk("letter", "organisation_id", "organisation.id"),
        _fk("letter", "case_id", "arrears_case.id"),
        _varchar("kind", 16),
        _varchar("channel", 12),
        _varchar("status", 8),
        sa.Column("dispatch_date", sa.Date(), nullable=False),
        _varchar("recipient", 300),
        _varchar("checksum", 64),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        _fk("letter", "print_batch_id", "print_batch.id", nullable=True),
        _stamp("created_at"),
        _varchar("created_by", 100),
        _one_of("letter", "kind", ("pakrav", "termination", "eviction_request"), "letter_kind"),
        _one_of("letter", "channel", CHANNELS, "letter_channel"),
        _one_of("letter", "status", ("issued", "withheld"), "letter_status"),
        sa.UniqueConstraint("case_id", "kind", name="uq_letter_case_kind"),
    )
    op.create_index("ix_letter_organisation_id", "letter", ["organisation_id"])
    op.create_index("ix_letter_print_batch_id", "letter", ["print_batch_id"])


def _notifications() -> None:
    op.create_table(
        "notification",
        _id(),
        _fk("notification", "organisation_id", "organisation.id"),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        _varchar("kind", 17),
        _fk("notification", "case_id", "arrears_case.id", nullable=True),
        _fk("notification", "tenancy_id", "tenancy.id"),
        _fk("notification", "letter_id", "letter.id", nullable=True),
        sa.Column("created_on", sa.Date(), nullable=False),
        _stamp("created_at"),
        _varchar("status", 11),
        _varchar("idempotency_key", 36),
        sa.Column("payload", sa.JSON(), nullable=False),
        _one_of(
            "notification",
            "kind",
            ("pakrav_first_year", "eviction_request", "guarantee_claim"),
            "notification_kind",
        ),
        _one_of(
            "notification",
            "status",
            ("pending", "sending", "delivered", "failed", "dead_letter"),
            "notification_status",
        ),
        sa.CheckConstraint(
            "municipality_code BETWEEN 101 AND 999", name=op.f("ck_notification_municipality_code")
        ),
        sa.UniqueConstraint("idempotency_key", name="uq_notification_idempotency_key"),
    )
    op.create_index("ix_notification_organisation_id", "notification", ["organisation_id"])
    op.create_index("ix_notification_case_id", "notification", ["case_id"])


def downgrade() -> None:
    for index, table in (
        ("ix_nightly_run_org_as_of", "nightly_run"),
        ("ix_notification_case_id", "notification"),
        ("ix_notification_organisation_id", "notification"),
        ("ix_letter_print_batch_id", "letter"),
        ("ix_letter_organisation_id", "letter"),
        ("ix_case_event_case_id", "case_event"),
        ("ix_case_event_organisation_id", "case_event"),
        ("ix_arrears_case_org_state", "arrears_case"),
        ("ix_arrears_case_tenancy_id", "arrears_case"),
        ("ix_payment_plan_instalment_plan_id", "payment_plan_instalment"),
        ("ix_payment_plan_instalment_organisation_id", "payment_plan_instalment"),
        ("ix_payment_plan_tenancy_id", "payment_plan"),
        ("ix_payment_plan_organisation_id", "payment_plan"),
    ):
        op.drop_index(index, table_name=table)
    for table in (
        "nightly_run",
        "notification",
        "letter",
        "print_batch",
        "case_event",
        "arrears_case",
        "payment_plan_instalment",
        "payment_plan",
        "arrears_settings",
    ):
        op.drop_table(table)
