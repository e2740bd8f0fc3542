"""Migration 0005 keeps what is there: a notification made before it keeps its case and gets
its letter's PDF; a guarantee claim stored before the outbox could take it enters the outbox.
Shown by going down to 0003 with real data and up again."""

from __future__ import annotations

import sqlalchemy as sa
from alembic import command
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from app.database import unit_of_work
from app.migrate import alembic_config, upgrade_to_head
from reports.letters.moveout import renderers
from tests.workflows.moveout import moveout_cases as mc
from tests.workflows.notifications.helpers import first_year_notifications
from workflows.arrears.models import Letter
from workflows.moveout.closing import post_settlement
from workflows.moveout.models import GuaranteeClaimStatus, MoveoutDocument, MoveoutGuaranteeClaim
from workflows.moveout.settling import settle_case
from workflows.notifications.models import Notification, NotificationAttachment


def _to(engine: Engine, revision: str) -> None:
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_down_to_0003_and_up_again_keeps_notifications_and_queues_claims(
    fresh_engine: Engine,
) -> None:
    with unit_of_work(fresh_engine) as session:
        _, [pakrav] = first_year_notifications(session)
        t = mc.tenancy(session, assigned=True)
        mc.rent_jan_to_mar(session, t)
        case = mc.noticed_and_invoiced(session, t)
        settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
        claim = post_settlement(
            session, case, actor="test", today=mc.SETTLE_ON,
            render_guarantee_claim=renderers().guarantee_claim,
        ).guarantee_claim  # fmt: skip
        assert claim is not None
        letter = session.exec(select(Letter)).one()
    _to(fresh_engine, "0003")
    with fresh_engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT kind, case_id, letter_id, idempotency_key FROM notification")
        ).all()
        assert [tuple(row) for row in rows] == [
            ("pakrav_first_year", pakrav.arrears_case_id, letter.id, pakrav.idempotency_key)
        ]
        status = connection.execute(sa.text("SELECT status FROM moveout_guarantee_claim")).one()
        assert tuple(status) == ("pending",)
    upgrade_to_head(fresh_engine)
    with Session(fresh_engine) as session:
        kept = session.exec(
            select(Notification).where(Notification.kind == "pakrav_first_year")
        ).one()
        assert (kept.arrears_case_id, kept.attempts, kept.status) == (
            pakrav.arrears_case_id, 0, "pending",
        )  # fmt: skip
        attachment = session.get(NotificationAttachment, kept.id)
        assert attachment is not None
        assert (attachment.pdf, attachment.sha256, attachment.source) == (
            letter.pdf, letter.checksum, f"letter:{letter.id}",
        )  # fmt: skip
        queued = session.exec(
            select(Notification).where(Notification.kind == "guarantee_claim")
        ).one()
        assert (queued.idempotency_key, queued.moveout_case_id) == (
            claim.idempotency_key, claim.case_id,
        )  # fmt: skip
        stored = session.exec(select(MoveoutGuaranteeClaim)).one()
        assert stored.status is GuaranteeClaimStatus.QUEUED
        document = session.exec(select(MoveoutDocument).where(
            MoveoutDocument.id == stored.document_id)).one()  # fmt: skip
        copy = session.get(NotificationAttachment, queued.id)
        assert copy is not None and (copy.pdf, copy.sha256) == (document.pdf, document.sha256)
