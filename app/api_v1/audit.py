"""``/api/v1/organisations/{cvr}/audit``: the organisation's audit log (auditor, admin)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel

from app.api_v1.common import ORG, RESPONSES, ApiContext, Limit, Name, Offset
from app.auth.roles import Permission
from app.desk.audit_log import audit_events


class AuditEventOut(BaseModel):
    id: int
    at: datetime
    actor: str
    user_id: int | None
    action: str
    object_type: str
    object_id: str | None
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    reason: str | None


def audit_router(ctx: ApiContext) -> APIRouter:
    router = APIRouter(prefix=ORG, tags=["audit"], responses=RESPONSES)

    @router.get("/audit")
    def list_audit(
        cvr: str,
        request: Request,
        object_type: Name | None = None,
        object_id: Name | None = None,
        limit: Limit = 100,
        offset: Offset = 0,
    ) -> list[AuditEventOut]:
        """Who changed what, when, with the state before and after; newest first."""
        with ctx.scope(request, cvr, Permission.READ) as (session, access):
            rows = audit_events(
                session, access, object_type=object_type, object_id=object_id,
                limit=limit, offset=offset,
            )  # fmt: skip
            return [
                AuditEventOut(
                    id=e.id or 0,
                    at=e.at,
                    actor=e.actor,
                    user_id=e.user_id,
                    action=e.action,
                    object_type=e.object_type,
                    object_id=e.object_id,
                    before=e.before,
                    after=e.after,
                    reason=e.reason,
                )
                for e in rows
            ]

    return router
