"""``/api/v1/organisations/{cvr}/notifications``: municipality notifications with their
delivery attempts, and sending a dead letter again (write, audited)."""

from __future__ import annotations

from datetime import date, datetime

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.api_v1.common import ORG, RESPONSES, ApiContext, Id, Limit, Offset
from app.auth.roles import Permission
from app.desk import notifications
from app.desk.notifications import NotificationDetail
from ledger.types import utc_now
from workflows.notifications.models import Notification, NotificationStatus


class NotificationOut(BaseModel):
    id: int
    kind: str
    municipality_code: int
    arrears_case_id: int | None
    moveout_case_id: int | None
    tenancy_id: int
    created_on: date
    status: NotificationStatus
    attempts: int
    next_attempt_at: datetime
    delivered_at: datetime | None
    delivered_via: str | None
    acknowledged_at: datetime | None
    dead_letter_reason: str | None
    requeued_at: datetime | None
    requeued_by: str | None


class AttemptOut(BaseModel):
    number: int
    channel: str
    target: str
    started_at: datetime
    finished_at: datetime | None
    outcome: str
    receipt: str | None


class NotificationDetailOut(NotificationOut):
    attempt_history: list[AttemptOut]


def notification_out(n: Notification) -> NotificationOut:
    assert n.id is not None
    return NotificationOut(
        id=n.id, kind=str(n.kind), municipality_code=n.municipality_code,
        arrears_case_id=n.arrears_case_id, moveout_case_id=n.moveout_case_id,
        tenancy_id=n.tenancy_id, created_on=n.created_on,
        status=NotificationStatus(n.status), attempts=n.attempts,
        next_attempt_at=n.next_attempt_at, delivered_at=n.delivered_at,
        delivered_via=None if n.delivered_via is None else str(n.delivered_via),
        acknowledged_at=n.acknowledged_at, dead_letter_reason=n.dead_letter_reason,
        requeued_at=n.requeued_at, requeued_by=n.requeued_by,
    )  # fmt: skip


def detail_out(d: NotificationDetail) -> NotificationDetailOut:
    return NotificationDetailOut(
        **notification_out(d.notification).model_dump(),
        attempt_history=[
            AttemptOut(
                number=a.number,
                channel=str(a.channel),
                target=a.target,
                started_at=a.started_at,
                finished_at=a.finished_at,
                outcome=str(a.outcome),
                receipt=a.receipt,
            )
            for a in d.attempts
        ],
    )


def notifications_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix=ORG, tags=["notifications"], responses=RESPONSES)

    @router.get("/notifications")
    def list_notifications(
        cvr: str,
        request: Request,
        status: NotificationStatus | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[NotificationOut]:
        """Notifications to municipalities, newest first; ``status=dead_letter`` for those
        a person must look at."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            rows = notifications.list_notifications(
                session, access, status=status, limit=limit, offset=offset
            )
            return [notification_out(n) for n in rows]

    @router.get("/notifications/{notification_id}")
    def get_notification(cvr: str, notification_id: Id, request: Request) -> NotificationDetailOut:
        """One notification with every delivery attempt."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            return detail_out(notifications.notification_detail(session, access, notification_id))

    @router.post("/notifications/{notification_id}/retry")
    def retry(cvr: str, notification_id: Id, request: Request) -> NotificationDetailOut:
        """Send a dead letter (or a failed one) again now (409 if it is neither)."""
        with ctx.scope(request, cvr, Permission.WRITE) as (session, access):
            detail = notifications.retry_notification(
                session, access, notification_id, now=utc_now()
            )
            return detail_out(detail)

    return router
