"""The audit log: every state change made through the API or the web page.

``record`` is called by the service that makes the change, inside the same transaction, so
the change and its audit row commit (or roll back) together. The table is append-only.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlmodel import Session

from app.auth.models import AuditEvent
from app.auth.service import Principal
from ledger.types import utc_now

MAX_REASON = 2000


def record(
    session: Session,
    actor: Principal | str,
    action: str,
    *,
    organisation_id: int | None,
    object_type: str,
    object_id: object = None,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str | None = None,
) -> AuditEvent:
    """Write one audit row. ``actor`` is the principal, or a name such as ``cli:jens``."""
    event = AuditEvent(
        organisation_id=organisation_id,
        user_id=actor.user_id if isinstance(actor, Principal) else None,
        actor=actor.username if isinstance(actor, Principal) else actor[:100],
        at=utc_now(),
        action=action,
        object_type=object_type,
        object_id=None if object_id is None else str(object_id)[:60],
        before=_plain(before),
        after=_plain(after),
        reason=None if reason is None else reason[:MAX_REASON],
    )
    session.add(event)
    session.flush()
    return event


def snapshot(row: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    """The named fields of a row as plain JSON values (for ``before``/``after``)."""
    return {name: getattr(row, name) for name in fields}


def _plain(values: dict[str, Any] | None) -> dict[str, Any] | None:
    if values is None:
        return None
    return {key: _json_value(value) for key, value in values.items()}


def _json_value(value: Any) -> Any:
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(key): _json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_json_value(item) for item in value]
    return value
