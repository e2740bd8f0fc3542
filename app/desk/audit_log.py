"""The organisation's audit log at the desk: for the ``auditor`` and ``admin`` roles only."""

from __future__ import annotations

from sqlmodel import Session, col, select

from app.auth.http import Access
from app.auth.models import AuditEvent
from app.auth.roles import Role
from app.desk.errors import Forbidden

MAX_PAGE = 500
READERS = frozenset({Role.AUDITOR, Role.ADMIN})


def audit_events(
    session: Session,
    access: Access,
    *,
    object_type: str | None = None,
    object_id: str | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditEvent]:
    """The organisation's audit rows, newest first (``Forbidden`` unless auditor or admin)."""
    assert 1 <= limit <= MAX_PAGE and offset >= 0
    roles = access.principal.roles.get(access.organisation_id, frozenset())
    if not roles & READERS:
        raise Forbidden("only an auditor or an admin may read the audit log")
    query = (
        select(AuditEvent)
        .where(AuditEvent.organisation_id == access.organisation_id)
        .order_by(col(AuditEvent.id).desc())
        .offset(offset)
        .limit(limit)
    )
    if object_type is not None:
        query = query.where(AuditEvent.object_type == object_type)
    if object_id is not None:
        query = query.where(AuditEvent.object_id == object_id)
    return list(session.exec(query))
