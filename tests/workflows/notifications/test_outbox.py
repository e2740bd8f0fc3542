"""Outbox records: made in the same transaction as their cause, once per key, with their PDF;
the move-out guarantee claim goes through the outbox too (ABL § 59, stk. 1)."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from reports.letters.moveout import renderers
from tests.workflows.moveout import moveout_cases as mc
from tests.workflows.notifications.helpers import CPR, first_year_notifications
from workflows.moveout.closing import post_settlement
from workflows.moveout.models import GuaranteeClaimStatus, MoveoutDocument, MoveoutGuaranteeClaim
from workflows.moveout.settling import settle_case
from workflows.notifications.models import Notification, NotificationAttachment
from workflows.notifications.outbox import NewNotification, create_notification


def test_creating_the_same_key_again_changes_nothing(session: Session) -> None:
    org, [notification] = first_year_notifications(session)
    assert org.id is not None and notification.arrears_case_id is not None
    again = NewNotification(
        kind=notification.kind,
        idempotency_key=notification.idempotency_key,
        municipality_code=751,
        tenancy_id=notification.tenancy_id,
        payload=notification.payload,
        arrears_case_id=notification.arrears_case_id,
    )
    assert create_notification(session, org.id, again, notification.created_on) is None
    assert len(session.exec(select(Notification)).all()) == 1


def test_a_notification_naming_another_municipality_is_refused(session: Session) -> None:
    org, [notification] = first_year_notifications(session)
    assert org.id is not None
    wrong = NewNotification(
        kind=notification.kind,
        idempotency_key="00000000-0000-5000-8000-000000000001",
        municipality_code=746,  # the payload says 751
        tenancy_id=notification.tenancy_id,
        payload=notification.payload,
        arrears_case_id=notification.arrears_case_id,
    )
    with pytest.raises(AssertionError, match="payload names municipality 751"):
        create_notification(session, org.id, wrong, notification.created_on)


def test_abl_59_stk_11_notification_carries_the_pakrav_pdf_and_no_cpr(session: Session) -> None:
    _, [notification] = first_year_notifications(session, cpr=CPR)
    attachment = session.get(NotificationAttachment, notification.id)
    assert attachment is not None and attachment.pdf.startswith(b"%PDF-")
    assert attachment.source.startswith("letter:")
    stored = json.dumps(notification.payload)
    assert CPR not in stored and CPR[:6] not in stored


def test_abl_59_stk_1_guarantee_claim_enters_the_outbox_in_the_posting_transaction(
    session: Session,
) -> None:
    t = mc.tenancy(session, assigned=True)
    mc.rent_jan_to_mar(session, t)
    case = mc.noticed_and_invoiced(session, t)
    settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
    outcome = post_settlement(
        session, case, actor="test", today=mc.SETTLE_ON,
        render_guarantee_claim=renderers().guarantee_claim,
    )  # fmt: skip
    claim = outcome.guarantee_claim
    assert claim is not None and claim.status is GuaranteeClaimStatus.QUEUED
    notification = session.exec(select(Notification)).one()
    assert (notification.kind, notification.status) == ("guarantee_claim", "pending")
    assert notification.idempotency_key == claim.idempotency_key
    assert (notification.moveout_case_id, notification.arrears_case_id) == (case.id, None)
    assert (notification.municipality_code, notification.created_on) == (751, mc.SETTLE_ON)
    assert notification.payload == claim.payload and notification.payload["amount_oere"] == 273_000
    document = session.get(MoveoutDocument, claim.document_id)
    attachment = session.get(NotificationAttachment, notification.id)
    assert document is not None and attachment is not None
    assert (attachment.pdf, attachment.sha256) == (document.pdf, document.sha256)
    assert attachment.filename == f"garantikrav-F-{case.id:05d}.pdf"
    # Posting again makes no second claim and no second notification.
    post_settlement(session, case, actor="test", today=mc.SETTLE_ON)
    assert len(session.exec(select(Notification)).all()) == 1


def test_a_rolled_back_posting_leaves_neither_claim_nor_notification(session: Session) -> None:
    t = mc.tenancy(session, assigned=True)
    mc.rent_jan_to_mar(session, t)
    case = mc.noticed_and_invoiced(session, t)
    settle_case(session, case, as_of=mc.SETTLE_ON, actor="test")
    savepoint = session.begin_nested()
    post_settlement(session, case, actor="test", today=mc.SETTLE_ON)
    assert session.exec(select(Notification)).one() is not None
    savepoint.rollback()
    session.expire_all()
    assert session.exec(select(Notification)).all() == []
    assert session.exec(select(MoveoutGuaranteeClaim)).all() == []


def test_the_database_refuses_a_notification_about_no_case_or_both(session: Session) -> None:
    import sqlalchemy as sa
    from sqlalchemy.exc import IntegrityError

    _, [notification] = first_year_notifications(session)
    table = Notification.__table__  # type: ignore[attr-defined]
    for values in ({"arrears_case_id": None}, {"kind": "guarantee_claim"}):
        savepoint = session.begin_nested()
        with pytest.raises(IntegrityError, match=r"(?i)check"):
            session.connection().execute(
                sa.update(table).where(table.c.id == notification.id).values(**values)
            )
        savepoint.rollback()


def test_the_database_refuses_a_webhook_without_its_secret(session: Session) -> None:
    import sqlalchemy as sa
    from sqlalchemy.exc import IntegrityError

    savepoint = session.begin_nested()
    with pytest.raises(IntegrityError, match=r"(?i)check"):
        session.connection().execute(
            sa.text(
                "INSERT INTO municipality_delivery (municipality_code, method, email_addresses, "
                "webhook_url, updated_at, updated_by) VALUES (751, 'webhook', '[]', "
                "'https://x.dk', CURRENT_TIMESTAMP, 'test')"
            )
        )
    savepoint.rollback()
