"""Municipality notifications at the desk: the organisation's notifications with their
delivery attempts (``read``), and putting a dead letter back for sending (``write``,
audited). Sending itself is the dispatcher's (``workflows.notifications.dispatch``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from app.auth import audit
from app.auth.http import Access
from app.auth.roles import Permission
from app.desk.common import own, require
from app.desk.errors import DeskError
from workflows.notifications.dispatch import requeue
from workflows.notifications.models import (
    Notification,
    NotificationAttempt,
    NotificationStatus,
)

MAX_PAGE = 500
RETRYABLE = frozenset({NotificationStatus.DEAD_LETTER, NotificationStatus.FAILED})


@dataclass(frozen=True, slots=True)
class NotificationDetail:
    notification: Notification
    attempts: list[NotificationAttempt]


def list_notifications(
    session: Session,
    access: Access,
    *,
    status: NotificationStatus | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[Notification]:
    """The organisation's notifications, newest first, optionally of one status."""
    assert 1 <= limit <= MAX_PAGE and offset >= 0
    query = (
        select(Notification)
        .where(Notification.organisation_id == access.organisation_id)
        .order_by(col(Notification.id).desc())
        .offset(offset)
        .limit(limit)
    )
    if status is not None:
        query = query.where(Notification.status == status)
    return list(session.exec(query))


def notification_detail(
    session: Session, access: Access, notification_id: int
) -> NotificationDetail:
    """One notification of the organisation (else ``NotFound``) with every attempt."""
    notification = own(session, access, Notification, notification_id, "notification")
    attempts = session.exec(
        select(NotificationAttempt)
        .where(NotificationAttempt.notification_id == notification_id)
        .order_by(col(NotificationAttempt.number))
    )
    return NotificationDetail(notification, list(attempts))


def retry_notification(
    session: Session, access: Access, notification_id: int, *, now: datetime
) -> NotificationDetail:
    """Put a dead letter (or a failed one) back for sending now, with a fresh count of
    attempts; its history stays. ``DeskError`` (409) if it is neither."""
    require(access, Permission.WRITE)
    notification = own(session, access, Notification, notification_id, "notification")
    before = {"status": str(notification.status), "attempts": notification.attempts,
              "dead_letter_reason": notification.dead_letter_reason}  # fmt: skip
    if NotificationStatus(notification.status) not in RETRYABLE:
        raise DeskError(
            f"notification {notification_id} is {notification.status}: only a dead letter or "
            "a failed one can be sent again"
        )
    done = requeue(session, [notification_id], now, by=access.principal.username)
    assert done == [notification_id]
    session.refresh(notification)
    audit.record(
        session,
        access.principal,
        "notification.retry",
        organisation_id=access.organisation_id,
        object_type="notification",
        object_id=notification_id,
        before=before,
        after={"status": str(notification.status), "attempts": notification.attempts},
    )
    return notification_detail(session, access, notification_id)
