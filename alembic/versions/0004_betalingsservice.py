"""betalingsservice: settings, deliveries, expected collections, mandates, suspense list

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COUNTS = ("payments", "rejected", "cancelled", "charged_back", "suspense", "mandates")
PAYMENT_METHODS = ("betalingsservice", "slip", "transfer", "boligstoette", "municipality", "other")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _org(table: str, *, index: bool = True) -> sa.Column[int]:
    return sa.Column(
        "organisation_id",
        sa.Integer(),
        sa.ForeignKey("organisation.id", name=f"fk_{table}_organisation_id_organisation"),
        nullable=False,
        index=index,
    )


def _fk(table: str, column: str, target: str, *, nullable: bool = False) -> sa.Column[int]:
    referred = target.split(".")[0]
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey(target, name=f"fk_{table}_{column}_{referred}"),
        nullable=nullable,
    )


def _one_of(table: str, column: str, values: Sequence[str], name: str) -> sa.CheckConstraint:
    listed = ", ".join(f"'{value}'" for value in values)
    return sa.CheckConstraint(f"{column} IN ({listed})", name=op.f(f"ck_{table}_{name}"))


def _timestamp(column: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(column, sa.DateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "bs_settings",
        _id(),
        _org("bs_settings", index=False),
        sa.Column("pbs_number", sa.String(8), nullable=False),
        sa.Column("debtor_group", sa.String(5), nullable=False),
        sa.Column("data_supplier_cvr", sa.String(8), nullable=False),
        sa.Column("last_delivery_serial", sa.BigInteger(), nullable=False),
        _timestamp("updated_at"),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.UniqueConstraint("organisation_id", name="uq_bs_settings_organisation_id"),
        sa.UniqueConstraint("pbs_number", "debtor_group", name="uq_bs_settings_pbs_group"),
        sa.CheckConstraint("length(pbs_number) = 8", name=op.f("ck_bs_settings_pbs_number")),
        sa.CheckConstraint("length(debtor_group) = 5", name=op.f("ck_bs_settings_debtor_group")),
        sa.CheckConstraint(
            "length(data_supplier_cvr) = 8", name=op.f("ck_bs_settings_data_supplier_cvr")
        ),
        sa.CheckConstraint(
            "last_delivery_serial BETWEEN 0 AND 9999999999",
            name=op.f("ck_bs_settings_last_delivery_serial"),
        ),
    )
    op.create_table(
        "bs_delivery",
        _id(),
        _org("bs_delivery"),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("delivery_type", sa.String(4), nullable=False),
        sa.Column("delivery_serial", sa.String(10), nullable=False),
        sa.Column("data_supplier_cvr", sa.String(8), nullable=False),
        sa.Column("created", sa.Date(), nullable=False),
        sa.Column("month", sa.String(7), nullable=True),
        sa.Column("file_name", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        _fk("bs_delivery", "import_batch_id", "import_batch.id", nullable=True),
        _timestamp("recorded_at"),
        sa.Column("recorded_by", sa.String(100), nullable=False),
        sa.Column("records", sa.Integer(), nullable=False),
        sa.Column("amount_oere", sa.BigInteger(), nullable=False),
        *(sa.Column(name, sa.Integer(), nullable=False) for name in COUNTS),
        _one_of("bs_delivery", "direction", ("in", "out"), "bs_direction"),
        sa.CheckConstraint(
            "delivery_type IN ('0601', '0602', '0603')", name=op.f("ck_bs_delivery_delivery_type")
        ),
        sa.UniqueConstraint(
            "organisation_id",
            "direction",
            "data_supplier_cvr",
            "delivery_type",
            "delivery_serial",
            name="uq_bs_delivery_serial",
        ),
    )
    op.create_index(
        "ix_bs_delivery_lookup",
        "bs_delivery",
        ["data_supplier_cvr", "delivery_type", "delivery_serial"],
    )
    op.create_table(
        "bs_collection",
        _id(),
        _org("bs_collection"),
        _fk("bs_collection", "delivery_id", "bs_delivery.id"),
        _fk("bs_collection", "tenancy_id", "tenancy.id"),
        sa.Column("customer_number", sa.String(15), nullable=False),
        sa.Column("agreement_number", sa.String(9), nullable=False),
        sa.Column("month", sa.String(7), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=False),
        sa.Column("amount_oere", sa.BigInteger(), nullable=False),
        sa.Column("creditor_reference", sa.String(30), nullable=False),
        sa.Column("status", sa.String(12), nullable=False),
        _fk("bs_collection", "status_delivery_id", "bs_delivery.id", nullable=True),
        sa.Column("status_line", sa.Integer(), nullable=True),
        _timestamp("status_changed_at", nullable=True),
        _fk("bs_collection", "payment_posting_id", "posting.id", nullable=True),
        _fk("bs_collection", "reversal_posting_id", "posting.id", nullable=True),
        _one_of(
            "bs_collection",
            "status",
            ("requested", "completed", "rejected", "cancelled", "charged_back", "superseded"),
            "bs_collection_status",
        ),
        sa.CheckConstraint("amount_oere > 0", name=op.f("ck_bs_collection_amount")),
        sa.UniqueConstraint(
            "organisation_id", "creditor_reference", name="uq_bs_collection_reference"
        ),
    )
    if op.get_bind().dialect.name == "postgresql":
        # Each collection is updated once or twice (requested -> completed -> charged back) in
        # bulk; room on the page lets PostgreSQL do it without touching the indexes (HOT).
        op.execute("ALTER TABLE bs_collection SET (fillfactor = 80)")
    op.create_index("ix_bs_collection_delivery_id", "bs_collection", ["delivery_id"])
    op.create_index("ix_bs_collection_tenancy_id", "bs_collection", ["tenancy_id"])
    op.create_index("ix_bs_collection_month", "bs_collection", ["organisation_id", "month"])
    op.create_table(
        "bs_mandate",
        _id(),
        _org("bs_mandate"),
        _fk("bs_mandate", "tenancy_id", "tenancy.id", nullable=True),
        sa.Column("customer_number", sa.String(15), nullable=False),
        sa.Column("agreement_number", sa.String(9), nullable=False),
        sa.Column("status", sa.String(9), nullable=False),
        sa.Column("transaction_code", sa.String(4), nullable=False),
        sa.Column("effective_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        _fk("bs_mandate", "delivery_id", "bs_delivery.id"),
        sa.Column("line", sa.Integer(), nullable=False),
        _timestamp("updated_at"),
        _one_of("bs_mandate", "status", ("active", "cancelled"), "bs_mandate_status"),
        sa.UniqueConstraint(
            "organisation_id", "customer_number", "agreement_number", name="uq_bs_mandate_key"
        ),
    )
    op.create_index("ix_bs_mandate_tenancy_id", "bs_mandate", ["tenancy_id"])
    op.create_table(
        "bs_suspense_item",
        _id(),
        _org("bs_suspense_item"),
        _fk("bs_suspense_item", "delivery_id", "bs_delivery.id"),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("transaction_code", sa.String(4), nullable=False),
        sa.Column("direction", sa.String(3), nullable=False),
        sa.Column("method", sa.String(16), nullable=False),
        sa.Column("pbs_number", sa.String(8), nullable=False),
        sa.Column("debtor_group", sa.String(5), nullable=False),
        sa.Column("customer_number", sa.String(15), nullable=False),
        sa.Column("agreement_number", sa.String(9), nullable=False),
        sa.Column("amount_oere", sa.BigInteger(), nullable=False),
        sa.Column("payment_date", sa.Date(), nullable=False),
        sa.Column("actual_date", sa.Date(), nullable=True),
        sa.Column("creditor_reference", sa.String(30), nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
        _fk("bs_suspense_item", "posting_id", "posting.id"),
        _fk("bs_suspense_item", "resolved_tenancy_id", "tenancy.id", nullable=True),
        sa.Column("resolved_by", sa.String(100), nullable=True),
        _timestamp("resolved_at", nullable=True),
        _fk("bs_suspense_item", "resolution_posting_id", "posting.id", nullable=True),
        _one_of("bs_suspense_item", "direction", ("in", "out"), "bs_suspense_direction"),
        _one_of("bs_suspense_item", "method", PAYMENT_METHODS, "payment_method"),
        sa.CheckConstraint("amount_oere > 0", name=op.f("ck_bs_suspense_item_amount")),
        sa.UniqueConstraint("delivery_id", "line", name="uq_bs_suspense_item_line"),
    )


def downgrade() -> None:
    op.drop_table("bs_suspense_item")
    op.drop_table("bs_mandate")
    op.drop_table("bs_collection")
    op.drop_table("bs_delivery")
    op.drop_table("bs_settings")
