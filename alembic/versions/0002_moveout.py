"""move-out: cases, inspection report, invoices, claims, udlæg, deadlines, settlements,
documents, guarantee claims, events, settings; vacancy periods (tomgangsleje)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNELS = ("digital_post", "letter", "hand")
TABLES = (
    "moveout_settings",
    "moveout_case",
    "moveout_item",
    "moveout_invoice",
    "moveout_claim",
    "moveout_attachment",
    "moveout_deadline",
    "moveout_settlement",
    "moveout_document",
    "moveout_guarantee_claim",
    "moveout_event",
    "vacancy_period",
)


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


def _org(table: str) -> sa.Column[int]:
    return _fk(table, "organisation_id", "organisation.id")


def _case(table: str) -> sa.Column[int]:
    return _fk(table, "case_id", "moveout_case.id")


def _one_of(table: str, column: str, values: Sequence[str], name: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{name}"))


def _money(name: str, *, nullable: bool = False) -> sa.Column[int]:
    return sa.Column(name, sa.BigInteger(), nullable=nullable)


def _stamp(name: str = "created_at", *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _by(name: str = "created_by", *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(100), nullable=nullable)


def _date(name: str, *, nullable: bool = True) -> sa.Column[object]:
    return sa.Column(name, sa.Date(), nullable=nullable)


def _indexes(table: str, *columns: str) -> None:
    for column in columns:
        op.create_index(f"ix_{table}_{column}", table, [column])


def upgrade() -> None:
    _settings_and_case()
    _case_children()
    _settlements_and_documents()
    _vacancy()


def _settings_and_case() -> None:
    op.create_table(
        "moveout_settings",
        sa.Column(
            "organisation_id",
            sa.Integer(),
            sa.ForeignKey(
                "organisation.id", name="fk_moveout_settings_organisation_id_organisation"
            ),
            primary_key=True,
            autoincrement=False,
        ),
        sa.Column("warn_days", sa.Integer(), nullable=False),
        sa.Column("letter_arrival_bank_days", sa.Integer(), nullable=False),
        sa.Column("contact_phone", sa.String(30), nullable=False),
        sa.Column("contact_email", sa.String(200), nullable=False),
        sa.Column("payment_details", sa.String(200), nullable=False),
        _stamp("updated_at"),
        _by("updated_by"),
        sa.CheckConstraint(
            "warn_days BETWEEN 0 AND 60", name=op.f("ck_moveout_settings_warn_days")
        ),
        sa.CheckConstraint(
            "letter_arrival_bank_days BETWEEN 0 AND 20",
            name=op.f("ck_moveout_settings_arrival_days"),
        ),
    )
    t = "moveout_case"
    op.create_table(
        t,
        _id(),
        _org(t),
        _fk(t, "tenancy_id", "tenancy.id"),
        sa.Column("state", sa.String(7), nullable=False),
        _date("end_date", nullable=False),
        sa.Column("cause", sa.String(11), nullable=False),
        _date("learned_on"),
        sa.Column("learned_how", sa.String(20), nullable=True),
        sa.Column("new_address", sa.String(200), nullable=True),
        sa.Column("new_postcode", sa.String(10), nullable=True),
        sa.Column("new_city", sa.String(100), nullable=True),
        sa.Column("left_no_address", sa.Boolean(), nullable=False),
        sa.Column("guarantee_void_reason", sa.String(26), nullable=True),
        _money("indskudslaan_oere"),
        _date("summons_sent_on"),
        sa.Column("summons_channel", sa.String(12), nullable=True),
        _date("summons_arrived_on"),
        _date("inspection_planned_on"),
        sa.Column("shorter_notice_agreed", sa.Boolean(), nullable=False),
        _date("inspection_held_on"),
        sa.Column("inspection_waived", sa.Boolean(), nullable=False),
        sa.Column("no_repair_claim", sa.Boolean(), nullable=False),
        _date("repair_notice_sent_on"),
        sa.Column("repair_notice_channel", sa.String(12), nullable=True),
        _date("repair_notice_arrived_on"),
        _date("statement_sent_on"),
        _stamp(),
        _by(),
        _stamp("updated_at"),
        sa.UniqueConstraint("tenancy_id", name="uq_moveout_case_tenancy_id"),
        sa.CheckConstraint("indskudslaan_oere >= 0", name=op.f("ck_moveout_case_indskudslaan")),
        sa.CheckConstraint(
            "NOT (inspection_waived AND inspection_held_on IS NOT NULL)",
            name=op.f("ck_moveout_case_inspection"),
        ),
        sa.CheckConstraint(
            "NOT (left_no_address AND new_address IS NOT NULL)",
            name=op.f("ck_moveout_case_address"),
        ),
        _one_of(t, "state", ("open", "settled", "posted"), "moveout_state"),
        _one_of(
            t, "cause", ("notice", "termination", "eviction", "death", "other"), "moveout_cause"
        ),
        _one_of(
            t, "learned_how", ("keys_returned", "eviction_carried_out", "other"), "learned_how"
        ),
        _one_of(
            t,
            "guarantee_void_reason",
            ("internal_move", "swap", "household_member_continued"),
            "guarantee_void",
        ),
        _one_of(t, "summons_channel", CHANNELS, "summons_channel"),
        _one_of(t, "repair_notice_channel", CHANNELS, "notice_channel"),
    )
    _indexes(t, "organisation_id")


def _case_children() -> None:
    t = "moveout_item"
    op.create_table(
        t,
        _id(),
        _org(t),
        _case(t),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        sa.Column("category", sa.String(6), nullable=False),
        _money("estimate_oere"),
        _stamp(),
        _by(),
        sa.UniqueConstraint("case_id", "position", name="uq_moveout_item_position"),
        sa.CheckConstraint("estimate_oere >= 0", name=op.f("ck_moveout_item_estimate")),
        sa.CheckConstraint("position >= 1", name=op.f("ck_moveout_item_position")),
        _one_of(t, "category", ("normal", "damage"), "repair_category"),
    )
    _indexes(t, "organisation_id", "case_id")
    t = "moveout_invoice"
    op.create_table(
        t,
        _id(),
        _org(t),
        _case(t),
        _fk(t, "item_id", "moveout_item.id"),
        sa.Column("contractor", sa.String(100), nullable=False),
        sa.Column("reference", sa.String(60), nullable=False),
        _money("amount_oere"),
        _date("received_on", nullable=False),
        _stamp(),
        _by(),
        sa.UniqueConstraint("case_id", "contractor", "reference", name="uq_moveout_invoice_ref"),
        sa.CheckConstraint("amount_oere > 0", name=op.f("ck_moveout_invoice_amount")),
    )
    _indexes(t, "organisation_id", "case_id")
    t = "moveout_claim"
    op.create_table(
        t,
        _id(),
        _org(t),
        _case(t),
        sa.Column("text", sa.String(200), nullable=False),
        _money("amount_oere"),
        _stamp(),
        _by(),
        sa.CheckConstraint("amount_oere > 0", name=op.f("ck_moveout_claim_amount")),
    )
    _indexes(t, "organisation_id", "case_id")
    t = "moveout_attachment"
    op.create_table(
        t,
        _id(),
        _org(t),
        _case(t),
        sa.Column("creditor", sa.String(200), nullable=False),
        _money("amount_oere"),
        _date("registered_on", nullable=False),
        sa.Column("debtor", sa.String(100), nullable=False),
        sa.Column("debtor_share", sa.String(20), nullable=False),
        _stamp(),
        _by(),
        sa.CheckConstraint("amount_oere > 0", name=op.f("ck_moveout_attachment_amount")),
    )
    _indexes(t, "organisation_id", "case_id")
    t = "moveout_deadline"
    op.create_table(
        t,
        _id(),
        _org(t),
        _case(t),
        sa.Column("kind", sa.String(15), nullable=False),
        _date("due_on", nullable=False),
        _date("done_on"),
        sa.Column("applies", sa.Boolean(), nullable=False),
        sa.Column("basis", sa.String(120), nullable=False),
        _stamp("updated_at"),
        sa.UniqueConstraint("case_id", "kind", name="uq_moveout_deadline_kind"),
        _one_of(
            t,
            "kind",
            ("summons", "inspection", "repair_notice", "final_statement"),
            "deadline_kind",
        ),
    )
    _indexes(t, "organisation_id", "case_id")
    t = "moveout_event"
    op.create_table(
        t,
        _id(),
        _org(t),
        _case(t),
        _stamp("at"),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("detail", sa.String(500), nullable=False),
    )
    _indexes(t, "organisation_id", "case_id")


def _settlements_and_documents() -> None:
    t = "moveout_settlement"
    op.create_table(
        t,
        _id(),
        _org(t),
        _case(t),
        _date("as_of", nullable=False),
        sa.Column("input", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        *(
            _money(name)
            for name in (
                "claims_total_oere",
                "deposit_oere",
                "deposit_applied_oere",
                "guarantee_claim_oere",
                "tenant_owes_oere",
                "refund_oere",
                "credit_refund_oere",
                "paid_to_indskudslaan_oere",
                "paid_to_attachments_oere",
            )
        ),
        sa.Column("late_inspection_accepted", sa.Boolean(), nullable=False),
        _stamp(),
        _by(),
        _stamp("posted_at", nullable=True),
        _by("posted_by", nullable=True),
    )
    _indexes(t, "organisation_id", "case_id")
    t = "moveout_document"
    op.create_table(
        t,
        _id(),
        _org(t),
        _case(t),
        sa.Column("kind", sa.String(15), nullable=False),
        _fk(t, "settlement_id", "moveout_settlement.id", nullable=True),
        _date("document_date", nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        _stamp(),
        _by(),
        sa.UniqueConstraint("case_id", "kind", "sha256", name="uq_moveout_document_sha256"),
        _one_of(
            t,
            "kind",
            ("repair_notice", "final_statement", "guarantee_claim"),
            "moveout_document_kind",
        ),
    )
    _indexes(t, "organisation_id", "case_id")
    t = "moveout_guarantee_claim"
    op.create_table(
        t,
        _id(),
        _org(t),
        _case(t),
        _fk(t, "tenancy_id", "tenancy.id"),
        _fk(t, "settlement_id", "moveout_settlement.id"),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        _money("amount_oere"),
        sa.Column("status", sa.String(8), nullable=False),
        _date("created_on", nullable=False),
        sa.Column("idempotency_key", sa.String(36), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        _fk(t, "document_id", "moveout_document.id", nullable=True),
        _stamp(),
        _by(),
        sa.UniqueConstraint("case_id", name="uq_moveout_guarantee_claim_case_id"),
        sa.UniqueConstraint("idempotency_key", name="uq_moveout_guarantee_claim_key"),
        sa.CheckConstraint("amount_oere > 0", name=op.f("ck_moveout_guarantee_claim_amount")),
        sa.CheckConstraint(
            "municipality_code BETWEEN 101 AND 999",
            name=op.f("ck_moveout_guarantee_claim_municipality_code"),
        ),
        _one_of(t, "status", ("pending", "queued", "paid", "rejected"), "guarantee_claim_status"),
    )
    _indexes(t, "organisation_id")


def _vacancy() -> None:
    t = "vacancy_period"
    op.create_table(
        t,
        _id(),
        _org(t),
        _fk(t, "unit_id", "unit.id"),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        _date("starts_on", nullable=False),
        _date("ends_on"),
        _money("monthly_rent_oere"),
        _stamp(),
        _by(),
        _stamp("ended_at", nullable=True),
        _by("ended_by", nullable=True),
        sa.CheckConstraint(
            "ends_on IS NULL OR ends_on >= starts_on", name=op.f("ck_vacancy_period_period")
        ),
        sa.CheckConstraint("monthly_rent_oere > 0", name=op.f("ck_vacancy_period_rent")),
        sa.CheckConstraint(
            "municipality_code BETWEEN 101 AND 999",
            name=op.f("ck_vacancy_period_municipality_code"),
        ),
    )
    _indexes(t, "organisation_id", "unit_id")


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
