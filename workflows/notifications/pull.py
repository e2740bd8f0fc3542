"""What a municipality may do through the pull API, always within its own notifications:
read its feed after a cursor, fetch one with its PDF, acknowledge receipt, and answer.

Every function takes the caller's municipality code (from its API key) and filters by it: a
notification of another municipality is "not found", exactly as one that does not exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa
from sqlmodel import Session, col, select

from workflows.notifications.envelope import Outbound, OutboundAttachment
from workflows.notifications.models import (
    ARREARS_KINDS,
    AttemptOutcome,
    Channel,
    MunicipalityAnswer,
    Notification,
    NotificationAttachment,
    NotificationAttempt,
    NotificationKind,
    NotificationStatus,
)

MAX_PAGE = 500
MAX_TEXT = 2_000
_KEY = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_CPR = re.compile(r"(?<!\d)\d{6}-?\d{4}(?!\d)")


class AnswerError(ValueError):
    """An answer that cannot be recorded (the API says 422 with this text)."""


@dataclass(frozen=True, slots=True)
class FeedItem:
    item: Outbound
    status: NotificationStatus
    feed_position: int
    acknowledged_at: datetime | None


@dataclass(frozen=True, slots=True)
class AnswerInput:
    meeting_held_on: date | None = None
    tenant_consent: bool = False
    decision: str | None = None
    note: str | None = None


def feed(session: Session, code: int, after: int, limit: int) -> list[FeedItem]:
    """The municipality's published notifications after the cursor, oldest first."""
    assert 1 <= limit <= MAX_PAGE and after >= 0
    rows = session.exec(
        select(Notification)
        .where(
            Notification.municipality_code == code,
            col(Notification.feed_position).is_not(None),
            col(Notification.feed_position) > after,
        )
        .order_by(col(Notification.feed_position))
        .limit(limit)
    ).all()
    attachments = _attachments(session, [row.id for row in rows if row.id is not None])
    return [
        FeedItem(
            _outbound(row, attachments.get(row.id or 0)),
            row.status,
            row.feed_position or 0,
            row.acknowledged_at,
        )
        for row in rows
    ]


def find(session: Session, code: int, key: str) -> Notification | None:
    """The municipality's own notification with this id (idempotency key), else None."""
    if not _KEY.match(key):
        return None
    return session.exec(
        select(Notification).where(
            Notification.idempotency_key == key, Notification.municipality_code == code
        )
    ).first()


def outbound(session: Session, row: Notification) -> Outbound:
    assert row.id is not None
    return _outbound(row, _attachments(session, [row.id]).get(row.id))


def _outbound(row: Notification, attachment: OutboundAttachment | None) -> Outbound:
    assert row.id is not None
    return Outbound(
        notification_id=row.id,
        idempotency_key=row.idempotency_key,
        kind=NotificationKind(row.kind),
        organisation_id=row.organisation_id,
        municipality_code=row.municipality_code,
        created_on=row.created_on,
        created_at=row.created_at,
        payload=row.payload,
        attachment=attachment,
    )


def _attachments(session: Session, ids: list[int]) -> dict[int, OutboundAttachment]:
    if not ids:
        return {}
    rows = session.exec(
        select(NotificationAttachment).where(col(NotificationAttachment.notification_id).in_(ids))
    )
    return {
        row.notification_id: OutboundAttachment(row.filename, row.sha256, row.pdf) for row in rows
    }


def acknowledge(session: Session, row: Notification, *, key_id: str, now: datetime) -> Notification:
    """The municipality has it: delivered (whatever the channel), recorded once."""
    assert row.id is not None
    if row.acknowledged_at is not None:
        return row
    number = 1 + (
        session.exec(
            select(sa.func.max(NotificationAttempt.number)).where(
                NotificationAttempt.notification_id == row.id
            )
        ).one()
        or 0
    )
    session.add(
        NotificationAttempt(
            organisation_id=row.organisation_id,
            notification_id=row.id,
            number=number,
            channel=Channel.PULL,
            target=f"API key {key_id}",
            started_at=now,
            finished_at=now,
            outcome=AttemptOutcome.DELIVERED,
            receipt=f"acknowledged through /municipality/v1 with API key {key_id}",
        )
    )
    row.acknowledged_at = now
    if row.status is not NotificationStatus.DELIVERED:
        row.status, row.delivered_at, row.delivered_via = (
            NotificationStatus.DELIVERED, now, Channel.PULL,
        )  # fmt: skip
        row.claimed_until = row.claim_token = row.dead_letter_reason = None
    session.add(row)
    session.flush()
    return row


def check_answer(
    kind: NotificationKind, notified_on: date, answer: AnswerInput, today: date
) -> AnswerInput:
    """The rules an answer follows (pure); returns it with its texts trimmed.

    RSL § 5 a, stk. 3: the municipality may tell the organisation its decision only with the
    tenant's prior consent, so a decision without ``tenant_consent`` is refused. ABL § 59,
    stk. 12: the meeting follows the notification, so it is not dated before it (nor after
    today). No CPR number is taken.
    """
    if kind not in ARREARS_KINDS:
        raise AnswerError(
            "answers are taken for ABL § 59, stk. 11 and ALL § 92, stk. 2 notifications; "
            "answer a guarantee claim to the organisation directly"
        )
    decision = (answer.decision or "").strip() or None
    note = (answer.note or "").strip() or None
    if answer.meeting_held_on is None and decision is None and note is None:
        raise AnswerError("an answer needs meeting_held_on, decision or note")
    if decision is not None and not answer.tenant_consent:
        raise AnswerError(
            "the decision may be shared only with the tenant's prior consent (RSL § 5 a, "
            "stk. 3): send tenant_consent: true, or leave the decision out"
        )
    held = answer.meeting_held_on
    if held is not None and not notified_on <= held <= today:
        raise AnswerError(
            f"meeting_held_on {held.isoformat()} must be between the notification "
            f"({notified_on.isoformat()}) and today ({today.isoformat()})"
        )
    for name, text in (("decision", decision), ("note", note)):
        if text is not None and len(text) > MAX_TEXT:
            raise AnswerError(f"{name} is longer than {MAX_TEXT} characters")
        if text is not None and _CPR.search(text):
            raise AnswerError(f"{name} contains what looks like a CPR number; send none")
    return AnswerInput(held, answer.tenant_consent, decision, note)


def record_answer(
    session: Session,
    row: Notification,
    answer: AnswerInput,
    *,
    api_key_id: int,
    now: datetime,
    today: date,
) -> MunicipalityAnswer:
    """Record the municipality's answer (it shows on the case)."""
    assert row.id is not None
    checked = check_answer(NotificationKind(row.kind), row.created_on, answer, today)
    stored = MunicipalityAnswer(
        organisation_id=row.organisation_id,
        notification_id=row.id,
        municipality_code=row.municipality_code,
        api_key_id=api_key_id,
        received_at=now,
        meeting_held_on=checked.meeting_held_on,
        tenant_consent=checked.tenant_consent,
        decision=checked.decision,
        note=checked.note,
    )
    session.add(stored)
    session.flush()
    return stored


def answers_of(session: Session, notification_ids: list[int]) -> list[MunicipalityAnswer]:
    if not notification_ids:
        return []
    return list(
        session.exec(
            select(MunicipalityAnswer)
            .where(col(MunicipalityAnswer.notification_id).in_(notification_ids))
            .order_by(col(MunicipalityAnswer.id))
        )
    )
