"""The pull API for municipalities, ``/municipality/v1`` (documented in
``docs/municipality-api.md``).

Every route needs ``Authorization: Bearer <API key>``; a missing, malformed, unknown or
revoked key gets 401 before anything else. A notification is addressed by its id (the
idempotency key) and looked up *within the caller's municipality*: another municipality's
notification is 404, exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import date
from typing import Any

from fastapi import APIRouter, Header, HTTPException, Query, Response
from pydantic import BaseModel, ConfigDict, Field
from sqlmodel import Session

from ledger.types import utc_now
from workflows.notifications.api_keys import verify_token
from workflows.notifications.envelope import envelope
from workflows.notifications.models import MunicipalityApiKey, Notification
from workflows.notifications.pull import (
    MAX_PAGE,
    AnswerError,
    AnswerInput,
    FeedItem,
    acknowledge,
    feed,
    find,
    outbound,
    record_answer,
)

PREFIX = "/municipality/v1"
UnitOfWork = Callable[[], AbstractContextManager[Session]]
_UNAUTHORISED = HTTPException(
    status_code=401,
    detail="missing, invalid or revoked API key (Authorization: Bearer almk_...)",
    headers={"WWW-Authenticate": "Bearer"},
)
_NOT_FOUND = HTTPException(status_code=404, detail="no such notification")


class AnswerBody(BaseModel):
    """The municipality's answer (RSL § 5 a, stk. 3; ABL § 59, stk. 12)."""

    model_config = ConfigDict(extra="forbid")

    meeting_held_on: date | None = None
    tenant_consent: bool = False
    decision: str | None = Field(default=None, max_length=2000)
    note: str | None = Field(default=None, max_length=2000)


def _href(key: str) -> str:
    return f"{PREFIX}/notifications/{key}/pdf"


def _status_part(row: Notification) -> dict[str, Any]:
    return {
        "status": str(row.status),
        "acknowledged_at": None if row.acknowledged_at is None else row.acknowledged_at.isoformat(),
    }


def _feed_item(entry: FeedItem) -> dict[str, Any]:
    body = envelope(entry.item, with_pdf=False, pdf_href=_href(entry.item.idempotency_key))
    body["cursor"] = str(entry.feed_position)
    body["delivery"] = {
        "status": str(entry.status),
        "acknowledged_at": None
        if entry.acknowledged_at is None
        else entry.acknowledged_at.isoformat(),
    }
    return body


def municipality_router(unit_of_work: UnitOfWork, today: Callable[[], date]) -> APIRouter:
    router = APIRouter(prefix=PREFIX, tags=["municipality"])

    @contextmanager
    def authorised(authorization: str | None) -> Iterator[tuple[Session, MunicipalityApiKey]]:
        token = None
        if authorization and authorization[:7].lower() == "bearer ":
            token = authorization[7:].strip()
        with unit_of_work() as session:
            key = verify_token(session, token)
            if key is None:
                raise _UNAUTHORISED
            yield session, key

    def own(session: Session, key: MunicipalityApiKey, notification_id: str) -> Notification:
        row = find(session, key.municipality_code, notification_id)
        if row is None:
            raise _NOT_FOUND
        return row

    @router.get("/notifications")
    def list_notifications(
        after: int = Query(default=0, ge=0, description="the cursor of the last one read"),
        limit: int = Query(default=100, ge=1, le=MAX_PAGE),
        authorization: str | None = Header(default=None),
    ) -> dict[str, Any]:
        with authorised(authorization) as (session, key):
            items = feed(session, key.municipality_code, after, limit)
        return {
            "municipality_code": key.municipality_code,
            "items": [_feed_item(entry) for entry in items],
            "next_cursor": str(items[-1].feed_position) if items else str(after),
        }

    @router.get("/notifications/{notification_id}")
    def get_notification(
        notification_id: str, authorization: str | None = Header(default=None)
    ) -> dict[str, Any]:
        with authorised(authorization) as (session, key):
            row = own(session, key, notification_id)
            body = envelope(
                outbound(session, row), with_pdf=True, pdf_href=_href(row.idempotency_key)
            )
            body["delivery"] = _status_part(row)
        return body

    @router.get("/notifications/{notification_id}/pdf")
    def get_pdf(notification_id: str, authorization: str | None = Header(default=None)) -> Response:
        with authorised(authorization) as (session, key):
            item = outbound(session, own(session, key, notification_id))
        if item.attachment is None:
            raise HTTPException(status_code=404, detail="this notification has no PDF")
        return Response(
            content=item.attachment.pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{item.attachment.filename}"',
                "X-Almen-SHA256": item.attachment.sha256,
            },
        )

    @router.post("/notifications/{notification_id}/acknowledge")
    def acknowledge_notification(
        notification_id: str, authorization: str | None = Header(default=None)
    ) -> dict[str, Any]:
        with authorised(authorization) as (session, key):
            row = acknowledge(
                session, own(session, key, notification_id), key_id=key.key_id, now=utc_now()
            )
            return {"id": row.idempotency_key, **_status_part(row)}

    @router.post("/notifications/{notification_id}/answer", status_code=201)
    def answer_notification(
        notification_id: str, body: AnswerBody, authorization: str | None = Header(default=None)
    ) -> dict[str, Any]:
        with authorised(authorization) as (session, key):
            row = own(session, key, notification_id)
            assert key.id is not None
            try:
                stored = record_answer(
                    session, row, AnswerInput(**body.model_dump()), api_key_id=key.id,
                    now=utc_now(), today=today(),
                )  # fmt: skip
            except AnswerError as exc:
                raise HTTPException(status_code=422, detail=str(exc)) from None
            return {
                "id": row.idempotency_key,
                "answer_id": stored.id,
                "received_at": stored.received_at.isoformat(),
            }

    return router
