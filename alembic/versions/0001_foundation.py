"""foundation: organisations, tenancies, the append-only ledger, allocation and the fee table

Revision ID: 0001
Revises:
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

APPEND_ONLY_TABLES = ("posting", "ledger_entry")


def _id() -> sa.Column[int]:
    return sa.Column("id", sa.Integer(), primary_key=True)


def _org(table: str) -> sa.Column[int]:
    return sa.Column(
        "organisation_id",
        sa.Integer(),
        sa.ForeignKey("organisation.id", name=f"fk_{table}_organisation_id_organisation"),
        nullable=False,
        index=True,
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


def _created(column: str = "created_at") -> sa.Column[object]:
    return sa.Column(column, sa.DateTime(timezone=True), nullable=False)


def upgrade() -> None:
    op.create_table(
        "organisation",
        _id(),
        sa.Column("cvr", sa.String(8), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("postcode", sa.String(10), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("ledger_start", sa.Date(), nullable=False),
        _created(),
        sa.CheckConstraint("length(cvr) = 8", name=op.f("ck_organisation_cvr_length")),
        sa.UniqueConstraint("cvr", name="uq_organisation_cvr"),
    )
    op.create_table(
        "pakrav_fee",
        sa.Column("year", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("amount_kr", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("confirmed", sa.Boolean(), nullable=False),
        _created("updated_at"),
        sa.Column("updated_by", sa.String(100), nullable=False),
        sa.CheckConstraint("year >= 2010", name=op.f("ck_pakrav_fee_year")),
        sa.CheckConstraint("amount_kr > 0", name=op.f("ck_pakrav_fee_amount")),
    )
    op.create_table(
        "department",
        _id(),
        _org("department"),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("maintenance_scheme", sa.String(1), nullable=False),
        sa.Column("takeover_months", sa.Integer(), nullable=False),
        _one_of("department", "maintenance_scheme", ("A", "B"), "maintenance_scheme"),
        sa.CheckConstraint(
            "takeover_months BETWEEN 1 AND 120", name=op.f("ck_department_takeover_months")
        ),
        sa.UniqueConstraint("organisation_id", "name", name="uq_department_name"),
    )
    op.create_table(
        "unit",
        _id(),
        _org("unit"),
        _fk("unit", "department_id", "department.id"),
        sa.Column("unit_number", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(7), nullable=False),
        sa.Column("address", sa.String(200), nullable=False),
        sa.Column("postcode", sa.String(10), nullable=False),
        sa.Column("city", sa.String(100), nullable=False),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        _one_of("unit", "kind", ("familie", "ungdom", "aeldre", "pleje"), "unit_kind"),
        sa.CheckConstraint(
            "municipality_code BETWEEN 101 AND 999", name=op.f("ck_unit_municipality_code")
        ),
        sa.UniqueConstraint("organisation_id", "unit_number", name="uq_unit_number"),
    )
    op.create_index("ix_unit_department_id", "unit", ["department_id"])
    op.create_table(
        "tenant",
        _id(),
        _org("tenant"),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("cpr", sa.String(10), nullable=True),
    )
    op.create_table(
        "tenancy",
        _id(),
        _org("tenancy"),
        _fk("tenancy", "unit_id", "unit.id"),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("municipally_assigned", sa.Boolean(), nullable=False),
        sa.Column("delivery_channel", sa.String(12), nullable=False),
        sa.Column("digital_post_exempt", sa.Boolean(), nullable=False),
        sa.Column("bs_customer_number", sa.String(15), nullable=True),
        sa.Column("deposit_kind", sa.String(9), nullable=False),
        sa.Column("deposit_oere", sa.BigInteger(), nullable=False),
        sa.Column("children_in_household", sa.Integer(), nullable=True),
        _created(),
        _one_of("tenancy", "delivery_channel", ("digital_post", "letter"), "delivery_channel"),
        _one_of("tenancy", "deposit_kind", ("indskud", "depositum"), "deposit_kind"),
        sa.CheckConstraint(
            "end_date IS NULL OR end_date >= start_date", name=op.f("ck_tenancy_dates")
        ),
        sa.CheckConstraint("deposit_oere >= 0", name=op.f("ck_tenancy_deposit")),
        sa.CheckConstraint(
            "children_in_household IS NULL OR children_in_household >= 0",
            name=op.f("ck_tenancy_children"),
        ),
        sa.UniqueConstraint("organisation_id", "unit_id", "start_date", name="uq_tenancy_start"),
    )
    op.create_index("ix_tenancy_unit_id", "tenancy", ["unit_id"])
    op.create_table(
        "tenancy_tenant",
        _org("tenancy_tenant"),
        _fk("tenancy_tenant", "tenancy_id", "tenancy.id"),
        _fk("tenancy_tenant", "tenant_id", "tenant.id"),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("tenancy_id", "tenant_id", name="pk_tenancy_tenant"),
    )
    op.create_index("ix_tenancy_tenant_tenant_id", "tenancy_tenant", ["tenant_id"])
    op.create_table(
        "charge_type",
        _id(),
        _org("charge_type"),
        sa.Column("code", sa.String(30), nullable=False),
        sa.Column("label", sa.String(100), nullable=False),
        sa.Column("pligtig", sa.Boolean(), nullable=False),
        sa.UniqueConstraint("organisation_id", "code", name="uq_charge_type_code"),
    )
    op.create_table(
        "recurring_charge",
        _id(),
        _org("recurring_charge"),
        _fk("recurring_charge", "tenancy_id", "tenancy.id"),
        _fk("recurring_charge", "charge_type_id", "charge_type.id"),
        sa.Column("amount_oere", sa.BigInteger(), nullable=False),
        sa.Column("due_day", sa.Integer(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=False),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.CheckConstraint("amount_oere > 0", name=op.f("ck_recurring_charge_amount")),
        sa.CheckConstraint("due_day BETWEEN 1 AND 28", name=op.f("ck_recurring_charge_due_day")),
        sa.CheckConstraint(
            "valid_to IS NULL OR valid_to >= valid_from", name=op.f("ck_recurring_charge_period")
        ),
    )
    op.create_index("ix_recurring_charge_tenancy_id", "recurring_charge", ["tenancy_id"])
    op.create_table(
        "import_batch",
        _id(),
        _org("import_batch"),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("filename", sa.String(300), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        _created("imported_at"),
        sa.Column("imported_by", sa.String(100), nullable=False),
    )
    op.create_table(
        "posting",
        _id(),
        _org("posting"),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("booking_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(40), nullable=False),
        sa.Column("external_ref", sa.String(120), nullable=False),
        sa.Column("text", sa.String(200), nullable=False),
        _fk("posting", "reverses_posting_id", "posting.id", nullable=True),
        _fk("posting", "import_batch_id", "import_batch.id", nullable=True),
        _created(),
        sa.Column("created_by", sa.String(100), nullable=False),
        _one_of("posting", "kind", ("charge", "payment", "reversal", "adjustment"), "posting_kind"),
        sa.UniqueConstraint(
            "organisation_id", "source", "external_ref", name="uq_posting_source_ref"
        ),
        sa.UniqueConstraint("reverses_posting_id", name="uq_posting_reverses_posting_id"),
    )
    op.create_table(
        "ledger_entry",
        _id(),
        _org("ledger_entry"),
        _fk("ledger_entry", "posting_id", "posting.id"),
        sa.Column("account", sa.String(40), nullable=False),
        _fk("ledger_entry", "tenancy_id", "tenancy.id", nullable=True),
        _fk("ledger_entry", "charge_type_id", "charge_type.id", nullable=True),
        sa.Column("amount_oere", sa.BigInteger(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("value_date", sa.Date(), nullable=True),
        sa.Column("method", sa.String(16), nullable=True),
        _fk("ledger_entry", "reverses_entry_id", "ledger_entry.id", nullable=True),
        sa.Column("text", sa.String(200), nullable=False),
        _one_of(
            "ledger_entry",
            "method",
            ("betalingsservice", "slip", "transfer", "boligstoette", "municipality", "other"),
            "payment_method",
        ),
        sa.CheckConstraint("amount_oere <> 0", name=op.f("ck_ledger_entry_amount")),
        sa.CheckConstraint(
            "account <> 'debtor' OR (tenancy_id IS NOT NULL "
            "AND (due_date IS NOT NULL OR value_date IS NOT NULL))",
            name=op.f("ck_ledger_entry_debtor_line"),
        ),
    )
    op.create_index("ix_ledger_entry_posting_id", "ledger_entry", ["posting_id"])
    op.create_index("ix_ledger_entry_tenancy_account", "ledger_entry", ["tenancy_id", "account"])
    op.create_table(
        "allocation",
        _org("allocation"),
        _fk("allocation", "tenancy_id", "tenancy.id"),
        _fk("allocation", "credit_entry_id", "ledger_entry.id"),
        _fk("allocation", "debit_entry_id", "ledger_entry.id"),
        sa.Column("amount_oere", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("credit_entry_id", "debit_entry_id", name="pk_allocation"),
    )
    op.create_index("ix_allocation_tenancy_id", "allocation", ["tenancy_id"])
    _create_append_only_triggers()


def downgrade() -> None:
    _drop_append_only_triggers()
    for table in (
        "allocation",
        "ledger_entry",
        "posting",
        "import_batch",
        "recurring_charge",
        "charge_type",
        "tenancy_tenant",
        "tenancy",
        "tenant",
        "unit",
        "department",
        "pakrav_fee",
        "organisation",
    ):
        op.drop_table(table)


def _create_append_only_triggers() -> None:
    """The ledger is append-only: the database itself refuses UPDATE and DELETE on it."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            """
            CREATE FUNCTION almen_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                RAISE EXCEPTION '% is append-only: post a correction instead', TG_TABLE_NAME;
            END $$
            """
        )
        for table in APPEND_ONLY_TABLES:
            op.execute(
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION almen_refuse_change()"
            )
        return
    for table in APPEND_ONLY_TABLES:
        for action in ("UPDATE", "DELETE"):
            message = f"{table} is append-only: post a correction instead"
            op.execute(
                f"CREATE TRIGGER {table}_no_{action.lower()} BEFORE {action} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{message}'); END"
            )


def _drop_append_only_triggers() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table in APPEND_ONLY_TABLES:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        op.execute("DROP FUNCTION IF EXISTS almen_refuse_change()")
        return
    for table in APPEND_ONLY_TABLES:
        for action in ("update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{action}")
