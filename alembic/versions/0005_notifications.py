"""notifications: the outbox refers to an arrears or a move-out case and carries its PDF;
delivery state and attempts; municipalities' delivery settings, API keys and answers

The ``notification`` table of 0003 referred to arrears tables only (``case_id``,
``letter_id``). It now refers to ``arrears_case_id`` or ``moveout_case_id`` (exactly one) and
keeps a copy of the PDF it sends in ``notification_attachment``. Existing rows keep their
case and get their letter's PDF; guarantee claims still ``pending`` (stored by the move-out
workflow before the outbox could take them) go into the outbox and become ``queued``.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-21
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHANNELS = ("email", "webhook", "pull", "none")
OUTCOMES = ("sending", "delivered", "retry", "rejected", "interrupted")
ONE_SUBJECT = (
    "(kind = 'guarantee_claim' AND moveout_case_id IS NOT NULL AND arrears_case_id IS NULL) OR "
    "(kind <> 'guarantee_claim' AND arrears_case_id IS NOT NULL AND moveout_case_id IS NULL)"
)
ATTACHMENT_PREFIX = {"pakrav_first_year": "paakrav", "eviction_request": "anmodning-om-udsaettelse"}


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


def _stamp(column: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(column, sa.DateTime(timezone=True), nullable=nullable)


def _varchar(name: str, length: int, *, nullable: bool = False) -> sa.Column[str]:
    return sa.Column(name, sa.String(length), nullable=nullable)


def _code_check(table: str) -> sa.CheckConstraint:
    return sa.CheckConstraint(
        "municipality_code BETWEEN 101 AND 999", name=op.f(f"ck_{table}_municipality_code")
    )


# Lightweight tables for the data steps (no project imports).
_notification = sa.table(
    "notification",
    sa.column("id", sa.Integer()),
    sa.column("organisation_id", sa.Integer()),
    sa.column("municipality_code", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("case_id", sa.Integer()),
    sa.column("arrears_case_id", sa.Integer()),
    sa.column("moveout_case_id", sa.Integer()),
    sa.column("tenancy_id", sa.Integer()),
    sa.column("letter_id", sa.Integer()),
    sa.column("created_on", sa.Date()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("status", sa.String()),
    sa.column("idempotency_key", sa.String()),
    sa.column("payload", sa.JSON()),
    sa.column("attempts", sa.Integer()),
    sa.column("next_attempt_at", sa.DateTime(timezone=True)),
)
_attachment = sa.table(
    "notification_attachment",
    sa.column("notification_id", sa.Integer()),
    sa.column("organisation_id", sa.Integer()),
    sa.column("filename", sa.String()),
    sa.column("sha256", sa.String()),
    sa.column("size_bytes", sa.Integer()),
    sa.column("pdf", sa.LargeBinary()),
    sa.column("source", sa.String()),
)
_letter = sa.table(
    "letter",
    sa.column("id", sa.Integer()),
    sa.column("case_id", sa.Integer()),
    sa.column("kind", sa.String()),
    sa.column("checksum", sa.String()),
    sa.column("size_bytes", sa.Integer()),
    sa.column("pdf", sa.LargeBinary()),
)
_claim = sa.table(
    "moveout_guarantee_claim",
    sa.column("id", sa.Integer()),
    sa.column("organisation_id", sa.Integer()),
    sa.column("case_id", sa.Integer()),
    sa.column("tenancy_id", sa.Integer()),
    sa.column("municipality_code", sa.Integer()),
    sa.column("status", sa.String()),
    sa.column("created_on", sa.Date()),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("idempotency_key", sa.String()),
    sa.column("payload", sa.JSON()),
    sa.column("document_id", sa.Integer()),
)
_document = sa.table(
    "moveout_document",
    sa.column("id", sa.Integer()),
    sa.column("sha256", sa.String()),
    sa.column("pdf", sa.LargeBinary()),
)


def upgrade() -> None:
    _municipality_tables()
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("arrears_case_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("moveout_case_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=True))
        batch.add_column(_stamp("next_attempt_at", nullable=True))
        batch.add_column(_stamp("claimed_until", nullable=True))
        batch.add_column(_varchar("claim_token", 36, nullable=True))
        batch.add_column(_stamp("delivered_at", nullable=True))
        batch.add_column(_varchar("delivered_via", 7, nullable=True))
        batch.add_column(_stamp("acknowledged_at", nullable=True))
        batch.add_column(_varchar("dead_letter_reason", 500, nullable=True))
        batch.add_column(_stamp("requeued_at", nullable=True))
        batch.add_column(_varchar("requeued_by", 100, nullable=True))
        batch.add_column(sa.Column("feed_position", sa.BigInteger(), nullable=True))
    op.execute(
        sa.update(_notification).values(
            arrears_case_id=_notification.c.case_id,
            attempts=0,
            next_attempt_at=_notification.c.created_at,
        )
    )
    letters = _letters_attached()
    op.drop_index("ix_notification_case_id", table_name="notification")
    with op.batch_alter_table("notification") as batch:
        batch.drop_column("case_id")
        batch.drop_column("letter_id")
        batch.alter_column("attempts", existing_type=sa.Integer(), nullable=False)
        batch.alter_column(
            "next_attempt_at", existing_type=sa.DateTime(timezone=True), nullable=False
        )
        batch.create_foreign_key(
            "fk_notification_arrears_case_id_arrears_case", "arrears_case", ["arrears_case_id"],
            ["id"],
        )  # fmt: skip
        batch.create_foreign_key(
            "fk_notification_moveout_case_id_moveout_case", "moveout_case", ["moveout_case_id"],
            ["id"],
        )  # fmt: skip
        batch.create_unique_constraint("uq_notification_feed_position", ["feed_position"])
        batch.create_check_constraint(op.f("ck_notification_subject"), ONE_SUBJECT)
        batch.create_check_constraint(op.f("ck_notification_attempts"), "attempts >= 0")
        batch.create_check_constraint(
            op.f("ck_notification_delivered_at"),
            "status <> 'delivered' OR delivered_at IS NOT NULL",
        )
        batch.create_check_constraint(
            op.f("ck_notification_dead_letter"),
            "status <> 'dead_letter' OR dead_letter_reason IS NOT NULL",
        )
        batch.create_check_constraint(
            op.f("ck_notification_delivered_via"),
            "delivered_via IS NULL OR delivered_via IN ('email', 'webhook', 'pull', 'none')",
        )
    op.create_index("ix_notification_arrears_case_id", "notification", ["arrears_case_id"])
    op.create_index("ix_notification_moveout_case_id", "notification", ["moveout_case_id"])
    op.create_index("ix_notification_due", "notification", ["status", "next_attempt_at"])
    op.create_index("ix_notification_feed", "notification", ["municipality_code", "feed_position"])
    _attachment_table()  # after the table is rebuilt (SQLite): nothing refers to it before
    for row in letters:
        op.get_bind().execute(sa.insert(_attachment).values(**row))
    _attempts_and_answers()
    _queue_pending_guarantee_claims()


def _municipality_tables() -> None:
    op.create_table(
        "municipality_delivery",
        sa.Column("municipality_code", sa.Integer(), primary_key=True, autoincrement=False),
        _varchar("method", 7),
        sa.Column("email_addresses", sa.JSON(), nullable=False),
        _varchar("webhook_url", 500, nullable=True),
        _varchar("webhook_secret", 200, nullable=True),
        _stamp("updated_at"),
        _varchar("updated_by", 100),
        _one_of("municipality_delivery", "method", ("email", "webhook", "pull"), "delivery_method"),
        _code_check("municipality_delivery"),
        sa.CheckConstraint(
            "(method = 'webhook' AND webhook_url IS NOT NULL AND webhook_secret IS NOT NULL) OR "
            "(method <> 'webhook' AND webhook_url IS NULL AND webhook_secret IS NULL)",
            name=op.f("ck_municipality_delivery_webhook"),
        ),
    )
    op.create_table(
        "municipality_api_key",
        _id(),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        _varchar("key_id", 16),
        _varchar("key_hash", 64),
        _varchar("label", 100),
        _stamp("created_at"),
        _varchar("created_by", 100),
        _stamp("revoked_at", nullable=True),
        _varchar("revoked_by", 100, nullable=True),
        sa.UniqueConstraint("key_id", name="uq_municipality_api_key_key_id"),
        _code_check("municipality_api_key"),
    )
    op.create_index(
        "ix_municipality_api_key_municipality_code", "municipality_api_key", ["municipality_code"]
    )


def _attachment_table() -> None:
    op.create_table(
        "notification_attachment",
        sa.Column(
            "notification_id",
            sa.Integer(),
            sa.ForeignKey(
                "notification.id", name="fk_notification_attachment_notification_id_notification"
            ),
            primary_key=True,
            autoincrement=False,
        ),
        _fk("notification_attachment", "organisation_id", "organisation.id"),
        _varchar("filename", 100),
        _varchar("sha256", 64),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        _varchar("source", 60),
        sa.CheckConstraint("size_bytes > 0", name=op.f("ck_notification_attachment_size")),
    )
    op.create_index(
        "ix_notification_attachment_organisation_id",
        "notification_attachment",
        ["organisation_id"],
    )


def _letters_attached() -> list[dict[str, object]]:
    """Each existing notification attaches a copy of the letter it referred to."""
    rows = op.get_bind().execute(
        sa.select(
            _notification.c.id, _notification.c.organisation_id, _notification.c.kind,
            _notification.c.case_id, _letter.c.id, _letter.c.checksum, _letter.c.size_bytes,
            _letter.c.pdf,
        ).join(_letter, _letter.c.id == _notification.c.letter_id)
    ).all()  # fmt: skip
    return [
        {
            "notification_id": notification_id,
            "organisation_id": organisation_id,
            "filename": f"{ATTACHMENT_PREFIX.get(kind, 'brev')}-RS-{case_id:06d}.pdf",
            "sha256": sha,
            "size_bytes": size,
            "pdf": pdf,
            "source": f"letter:{letter_id}",
        }
        for notification_id, organisation_id, kind, case_id, letter_id, sha, size, pdf in rows
    ]


def _attempts_and_answers() -> None:
    op.create_table(
        "notification_attempt",
        _id(),
        _fk("notification_attempt", "organisation_id", "organisation.id"),
        _fk("notification_attempt", "notification_id", "notification.id"),
        sa.Column("number", sa.Integer(), nullable=False),
        _varchar("channel", 7),
        _varchar("target", 500),
        _stamp("started_at"),
        _stamp("finished_at", nullable=True),
        _varchar("outcome", 11),
        _varchar("receipt", 1000, nullable=True),
        _one_of("notification_attempt", "channel", CHANNELS, "attempt_channel"),
        _one_of("notification_attempt", "outcome", OUTCOMES, "attempt_outcome"),
        sa.CheckConstraint("number >= 1", name=op.f("ck_notification_attempt_number")),
        sa.UniqueConstraint("notification_id", "number", name="uq_notification_attempt_number"),
    )
    op.create_index(
        "ix_notification_attempt_organisation_id", "notification_attempt", ["organisation_id"]
    )
    op.create_index(
        "ix_notification_attempt_notification_id", "notification_attempt", ["notification_id"]
    )
    op.create_table(
        "municipality_answer",
        _id(),
        _fk("municipality_answer", "organisation_id", "organisation.id"),
        _fk("municipality_answer", "notification_id", "notification.id"),
        sa.Column("municipality_code", sa.Integer(), nullable=False),
        _fk("municipality_answer", "api_key_id", "municipality_api_key.id"),
        _stamp("received_at"),
        sa.Column("meeting_held_on", sa.Date(), nullable=True),
        sa.Column("tenant_consent", sa.Boolean(), nullable=False),
        _varchar("decision", 2000, nullable=True),
        _varchar("note", 2000, nullable=True),
        sa.CheckConstraint(
            "decision IS NULL OR tenant_consent", name=op.f("ck_municipality_answer_consent")
        ),
        _code_check("municipality_answer"),
    )
    op.create_index(
        "ix_municipality_answer_organisation_id", "municipality_answer", ["organisation_id"]
    )
    op.create_index(
        "ix_municipality_answer_notification_id", "municipality_answer", ["notification_id"]
    )


def _queue_pending_guarantee_claims() -> None:
    """Guarantee claims stored before the outbox could take them go into it now."""
    bind = op.get_bind()
    claims = (
        bind.execute(sa.select(_claim).where(_claim.c.status == "pending").order_by(_claim.c.id))
        .mappings()
        .all()
    )
    for claim in claims:
        notification_id = bind.execute(
            sa.insert(_notification)
            .values(
                organisation_id=claim["organisation_id"],
                municipality_code=claim["municipality_code"],
                kind="guarantee_claim",
                moveout_case_id=claim["case_id"],
                tenancy_id=claim["tenancy_id"],
                created_on=claim["created_on"],
                created_at=claim["created_at"],
                status="pending",
                idempotency_key=claim["idempotency_key"],
                payload=claim["payload"],
                attempts=0,
                next_attempt_at=claim["created_at"],
            )
            .returning(_notification.c.id)
        ).scalar_one()
        if claim["document_id"] is not None:
            sha, pdf = bind.execute(
                sa.select(_document.c.sha256, _document.c.pdf).where(
                    _document.c.id == claim["document_id"]
                )
            ).one()
            bind.execute(
                sa.insert(_attachment).values(
                    notification_id=notification_id,
                    organisation_id=claim["organisation_id"],
                    filename=f"garantikrav-F-{claim['case_id']:05d}.pdf",
                    sha256=sha,
                    size_bytes=len(pdf),
                    pdf=pdf,
                    source=f"moveout_document:{claim['document_id']}",
                )
            )
        bind.execute(sa.update(_claim).where(_claim.c.id == claim["id"]).values(status="queued"))


def downgrade() -> None:
    for index, table in (
        ("ix_municipality_answer_notification_id", "municipality_answer"),
        ("ix_municipality_answer_organisation_id", "municipality_answer"),
        ("ix_notification_attempt_notification_id", "notification_attempt"),
        ("ix_notification_attempt_organisation_id", "notification_attempt"),
        ("ix_notification_attachment_organisation_id", "notification_attachment"),
    ):
        op.drop_index(index, table_name=table)
    for table in ("municipality_answer", "notification_attempt", "notification_attachment"):
        op.drop_table(table)
    guarantee = sa.select(_notification.c.idempotency_key).where(
        _notification.c.kind == "guarantee_claim"
    )
    op.execute(
        sa.update(_claim)
        .where(_claim.c.status == "queued", _claim.c.idempotency_key.in_(guarantee))
        .values(status="pending")
    )
    op.execute(sa.delete(_notification).where(_notification.c.kind == "guarantee_claim"))
    for index in (
        "ix_notification_feed",
        "ix_notification_due",
        "ix_notification_moveout_case_id",
        "ix_notification_arrears_case_id",
    ):
        op.drop_index(index, table_name="notification")
    with op.batch_alter_table("notification") as batch:
        batch.add_column(sa.Column("case_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("letter_id", sa.Integer(), nullable=True))
    letter_kind = sa.case(
        (_notification.c.kind == "pakrav_first_year", "pakrav"), else_="eviction_request"
    )
    op.execute(
        sa.update(_notification).values(
            case_id=_notification.c.arrears_case_id,
            letter_id=sa.select(_letter.c.id)
            .where(
                _letter.c.case_id == _notification.c.arrears_case_id, _letter.c.kind == letter_kind
            )
            .scalar_subquery(),
        )
    )
    with op.batch_alter_table("notification") as batch:
        for name in (
            "ck_notification_subject",
            "ck_notification_attempts",
            "ck_notification_delivered_at",
            "ck_notification_dead_letter",
            "ck_notification_delivered_via",
        ):
            batch.drop_constraint(op.f(name), type_="check")
        batch.drop_constraint("uq_notification_feed_position", type_="unique")
        batch.drop_constraint("fk_notification_arrears_case_id_arrears_case", type_="foreignkey")
        batch.drop_constraint("fk_notification_moveout_case_id_moveout_case", type_="foreignkey")
        for column in (
            "arrears_case_id", "moveout_case_id", "attempts", "next_attempt_at", "claimed_until",
            "claim_token", "delivered_at", "delivered_via", "acknowledged_at",
            "dead_letter_reason", "requeued_at", "requeued_by", "feed_position",
        ):  # fmt: skip
            batch.drop_column(column)
        batch.create_foreign_key(
            "fk_notification_case_id_arrears_case", "arrears_case", ["case_id"], ["id"]
        )
        batch.create_foreign_key(
            "fk_notification_letter_id_letter", "letter", ["letter_id"], ["id"]
        )
    op.create_index("ix_notification_case_id", "notification", ["case_id"])
    op.drop_index("ix_municipality_api_key_municipality_code", table_name="municipality_api_key")
    op.drop_table("municipality_api_key")
    op.drop_table("municipality_delivery")
